"""A small newsroom in the store for the web tests: rated outlets, feeds, stories, articles.

Rows are written straight into the tables (as ingest and clustering would leave them) and the
stories are then analysed by the real analysis stage, so pages show what production shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.schema import articles, feeds, outlets, ratings, stories
from newsprism.timeutil import utcnow

HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">Budget'

# (domain, name, country, ownership, bias score, factuality score)
OUTLETS = [
    ("leftpost.example", "The Left Post", "us", "corporation", -2.0, 4.0),
    ("leanleft.example", "Lean Left Daily", "us", "non_profit", -1.0, 4.0),
    ("wire.example", "Center Wire", "us", "independent", 0.0, 5.0),
    ("centerline.example", "Centerline", "gb", "public_broadcaster", 0.0, 4.0),
    ("rightherald.example", "Right Herald", "us", "individual", 2.0, 2.0),
    ("unrated.example", "Unrated Gazette", "us", None, None, None),
    ("leftweekly.example", "Left Weekly", "us", "independent", -2.0, 3.0),
    ("progress.example", "Progress Now", "ca", "non_profit", -1.0, 4.0),
]
# Covered by six rated outlets, none of them right-leaning: a blindspot for the right.
BLINDSPOT_OUTLETS = (
    "leftpost.example",
    "leanleft.example",
    "leftweekly.example",
    "progress.example",
    "wire.example",
    "centerline.example",
)


@dataclass
class Newsroom:
    outlet_ids: dict[str, int] = field(default_factory=dict)
    story_id: int = 0
    other_story_id: int = 0
    merged_story_id: int = 0
    blindspot_story_id: int = 0
    article_ids: list[int] = field(default_factory=list)
    hostile_article_id: int = 0
    failing_feed_error: str = "connection refused by 127.0.0.1:9 (feed unreachable)"


def _article(now: datetime, n: int, **values: Any) -> dict[str, Any]:
    base = {
        "url_hash": f"{n:040d}",
        "url": f"https://news.example/article-{n}",
        "title": f"Article {n}",
        "text": "",
        "ingested_at": now,
        "word_count": 120,
        "extraction_status": "imported",
        "extra": {},
        "clustered_at": now,
        "cluster_score": 0.9,
    }
    base.update(values)
    return base


def seed_newsroom(db: Database, settings: Settings) -> Newsroom:
    """The newsroom with its stories analysed by the analysis stage."""
    from newsprism.analyze.refresh import refresh_dirty_stories

    room = seed_rows(db)
    refresh_dirty_stories(db, settings)
    return room


def seed_rows(db: Database) -> Newsroom:
    """Outlets, ratings, a failing feed, stories and their articles; stories not yet analysed."""
    room = Newsroom()
    now = utcnow().replace(microsecond=0)
    with db.write() as conn:
        for domain, name, country, owner, bias, fact in OUTLETS:
            oid = conn.execute(
                insert(outlets).values(
                    domain=domain,
                    name=name,
                    homepage=f"https://{domain}/",
                    country=country,
                    language="en",
                    ownership=owner,
                    categories=[],
                    is_default=False,
                    enabled=True,
                    origin="user",
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            room.outlet_ids[domain] = int(oid)
            if bias is not None:
                for provider, shift in (("mbfc", 0.0), ("allsides", 0.5)):
                    conn.execute(
                        insert(ratings).values(
                            outlet_id=oid,
                            provider=provider,
                            bias_label=f"{provider} label {bias + shift:+.1f}",
                            bias_score=bias + shift,
                            factuality_label="High" if fact and fact >= 4 else "Mixed",
                            factuality_score=fact,
                            url=f"https://{provider}.example/{domain}",
                            rated_at="2026-01-01",
                            imported_at=now,
                            extra={},
                        )
                    )
        conn.execute(
            insert(feeds).values(
                outlet_id=room.outlet_ids["wire.example"],
                url="http://127.0.0.1:9/wire.xml",
                title="Center Wire: top news",
                enabled=True,
                interval_s=1800,
                next_poll_at=now + timedelta(minutes=30),
                last_polled_at=now - timedelta(minutes=5),
                consecutive_failures=3,
                last_status="error",
                last_error=room.failing_feed_error,
                created_at=now,
            )
        )

        def story_row(headline: str, hours_ago: float = 1, merged_into: int | None = None) -> int:
            return int(
                conn.execute(
                    insert(stories).values(
                        language="en",
                        headline=headline,
                        article_count=0,
                        outlet_count=0,
                        first_published=now - timedelta(hours=10),
                        last_updated=now - timedelta(hours=hours_ago),
                        created_at=now,
                        updated_at=now,
                        merged_into=merged_into,
                        dirty=True,
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
            )

        room.story_id = story_row("Parliament approves the harbour budget after a long night")
        room.other_story_id = story_row("Floods close the northern railway for a week", 28)
        room.merged_story_id = story_row("Harbour budget vote", merged_into=room.story_id)
        room.blindspot_story_id = story_row("Teachers win a four-day week in the capital", 45)

        texts = [
            ("leftpost.example", "Parliament backs harbour budget in historic win for workers"),
            ("leanleft.example", "Harbour budget passes after unions rally outside parliament"),
            ("wire.example", "Parliament approves harbour budget by 201 votes to 180"),
            ("centerline.example", "Harbour budget approved after overnight session"),
            ("rightherald.example", "Taxpayers foot the bill as harbour spending spree passes"),
            ("unrated.example", HOSTILE_TITLE),
        ]
        body = (
            "Parliament approved the harbour budget on Thursday night after a session that lasted "
            "eleven hours. The finance minister said the money would rebuild the old quays. "
            "Opposition members said the plan would raise taxes for families. "
            "The vote was 201 to 180, and the budget now goes to the senate next week."
        )
        n = 0
        for hour, (domain, title) in enumerate(texts):
            n += 1
            aid = conn.execute(
                insert(articles).values(
                    **_article(
                        now,
                        n,
                        title=title,
                        text=f"{title}. {body}",
                        summary=f"{title}: what the vote means.",
                        outlet_id=room.outlet_ids[domain],
                        published_at=now - timedelta(hours=9 - hour),
                        language="en",
                        story_id=room.story_id,
                        cluster_explanation={
                            "title_similarity": 0.62,
                            "shared_entities": ["Parliament"],
                        },
                    )
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            room.article_ids.append(int(aid))
        room.hostile_article_id = room.article_ids[-1]
        n += 1
        # A wire story reposted word for word by another outlet.
        repost = conn.execute(
            insert(articles).values(
                **_article(
                    now,
                    n,
                    title="Parliament approves harbour budget by 201 votes to 180",
                    text=f"Parliament approves harbour budget by 201 votes to 180. {body}",
                    outlet_id=room.outlet_ids["leanleft.example"],
                    published_at=now - timedelta(hours=2),
                    language="en",
                    story_id=room.story_id,
                    repost_of=room.article_ids[2],
                )
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        room.article_ids.append(int(repost))
        for k, domain in enumerate(("wire.example", "rightherald.example", "centerline.example")):
            n += 1
            conn.execute(
                insert(articles).values(
                    **_article(
                        now,
                        n,
                        title=f"Floods close the northern railway, report {k + 1}",
                        text="Floods closed the northern railway line for a week, the operator "
                        "said, after the river burst its banks near the depot.",
                        outlet_id=room.outlet_ids[domain],
                        published_at=now - timedelta(hours=30 - k),
                        language="en",
                        story_id=room.other_story_id,
                    )
                )
            )
        for k, domain in enumerate(BLINDSPOT_OUTLETS):
            n += 1
            conn.execute(
                insert(articles).values(
                    **_article(
                        now,
                        n,
                        title=f"Teachers win a four-day week in the capital, says {domain}",
                        text="Teachers in the capital won a four-day week after a month of "
                        "talks with the city council, the union said on Monday.",
                        outlet_id=room.outlet_ids[domain],
                        published_at=now - timedelta(hours=50 - k),
                        language="en",
                        story_id=room.blindspot_story_id,
                    )
                )
            )
        # The counts clustering keeps on each story row.
        for story_id in (room.story_id, room.other_story_id, room.blindspot_story_id):
            rows = conn.execute(
                select(articles.c.outlet_id).where(articles.c.story_id == story_id)
            ).all()
            conn.execute(
                update(stories)
                .where(stories.c.id == story_id)
                .values(article_count=len(rows), outlet_count=len({r[0] for r in rows}))
            )
    return room


def at(hours_ago: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours_ago)


def web_client(db: Database, settings: Settings, **kwargs: Any) -> Any:
    """A TestClient over the real app; errors reach the handlers as in production."""
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    return TestClient(create_app(settings, db), raise_server_exceptions=False, **kwargs)


def csrf_token(client: Any, path: str = "/login") -> str:
    """The CSRF token of a form page (this also sets the client's CSRF cookie)."""
    import re

    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def register(client: Any, username: str, password: str = "correct horse battery") -> Any:
    token = csrf_token(client, "/register")
    return client.post(
        "/register",
        data={
            "username": username,
            "password": password,
            "password_again": password,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
