"""Hand-made stories for analysis tests: outlets with known ratings, articles, a story row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from newsprism.store.database import Database
from newsprism.store.schema import articles, outlets, ratings, stories

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Outlet:
    domain: str
    bias: float | None = None  # −3…+3, None = unrated
    factuality: float | None = None  # 0…5
    country: str | None = "us"
    ownership: str | None = "corporation"


def add_outlets(db: Database, specs: list[Outlet]) -> dict[str, int]:
    ids = {}
    with db.write() as conn:
        for spec in specs:
            result = conn.execute(
                insert(outlets).values(
                    domain=spec.domain,
                    name=spec.domain.split(".")[0].title(),
                    country=spec.country,
                    ownership=spec.ownership,
                    categories=[],
                    is_default=False,
                    enabled=True,
                    origin="user",
                    created_at=T0,
                    updated_at=T0,
                )
            )
            oid = int(result.inserted_primary_key[0])  # type: ignore[index]
            ids[spec.domain] = oid
            if spec.bias is not None or spec.factuality is not None:
                conn.execute(
                    insert(ratings).values(
                        outlet_id=oid,
                        provider="csv",
                        bias_score=spec.bias,
                        factuality_score=spec.factuality,
                        imported_at=T0,
                        extra={},
                    )
                )
    return ids


def add_story(db: Database, *, dirty: bool = True, language: str | None = "en") -> int:
    with db.write() as conn:
        result = conn.execute(
            insert(stories).values(
                language=language,
                article_count=0,
                outlet_count=0,
                created_at=T0,
                updated_at=T0,
                dirty=dirty,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


_serial = iter(range(1, 10**9))


def add_article(
    db: Database,
    story_id: int | None,
    outlet_id: int | None,
    title: str,
    text: str = "",
    *,
    hours: float = 0.0,
    repost_of: int | None = None,
    explanation: Any = None,
    published: bool = True,
) -> int:
    n = next(_serial)
    when = T0 + timedelta(hours=hours)
    with db.write() as conn:
        result = conn.execute(
            insert(articles).values(
                url_hash=f"{n:040d}",
                url=f"https://example.org/a/{n}",
                outlet_id=outlet_id,
                title=title,
                text=text,
                published_at=when if published else None,
                ingested_at=when + timedelta(minutes=5),
                word_count=len(text.split()),
                extraction_status="imported",
                repost_of=repost_of,
                story_id=story_id,
                cluster_explanation=explanation,
                clustered_at=when if story_id else None,
                language="en",
                extra={},
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def set_story_counts(db: Database, story_id: int, article_count: int, outlet_count: int) -> None:
    from sqlalchemy import update

    with db.write() as conn:
        conn.execute(
            update(stories)
            .where(stories.c.id == story_id)
            .values(
                article_count=article_count,
                outlet_count=outlet_count,
                first_published=T0,
                last_updated=T0 + timedelta(hours=article_count),
                dirty=True,
            )
        )


BRIDGE_OUTLETS = [
    Outlet("leftdaily.com", bias=-2, factuality=4, country="us"),
    Outlet("progressive.org", bias=-1.5, factuality=3, country="us", ownership="non_profit"),
    Outlet("wire.com", bias=0, factuality=5, country="us", ownership="independent"),
    Outlet("bbc.co.uk", bias=-0.3, factuality=4.5, country="gb", ownership="public_broadcaster"),
    Outlet("rightnews.com", bias=2, factuality=3, country="us", ownership="individual"),
    Outlet("patriot.com", bias=2.5, factuality=1, country="us"),
    Outlet("blog.net", country="ca", ownership=None),
]

BRIDGE_ARTICLES = [
    (
        "leftdaily.com",
        "Bridge collapse in Pittsburgh injures ten as commuters plunge into ravine",
        "A bridge in Pittsburgh collapsed on Friday morning, sending a city bus and several cars "
        "into a ravine. Ten people were taken to hospital with injuries, officials said. "
        "President Joe Biden, who was visiting Pittsburgh, said crumbling infrastructure must be "
        "repaired. Mayor Ed Gainey called the collapse a wake-up call.",
    ),
    (
        "wire.com",
        "Pittsburgh bridge collapses, ten injured",
        "A bridge in Pittsburgh collapsed on Friday morning, injuring ten people. The Forbes "
        "Avenue bridge over Fern Hollow Creek fell shortly before 7 a.m., officials said. "
        "The National Transportation Safety Board sent investigators to the site.",
    ),
    (
        "bbc.co.uk",
        "Pittsburgh: Bridge collapses hours before Biden visit",
        "A bridge in the US city of Pittsburgh has collapsed, injuring ten people, hours before "
        "President Joe Biden arrived to speak about infrastructure. Mayor Ed Gainey said there "
        "were no deaths. The National Transportation Safety Board is investigating.",
    ),
    (
        "rightnews.com",
        "SHOCKING: Bridge DESTROYED in Pittsburgh as Biden slams roads!",
        "A bridge in Pittsburgh collapsed on Friday as President Joe Biden arrived to promote his "
        "spending plan. Critics said the city had ignored warnings about the bridge for years. "
        "Ten people were injured.",
    ),
    (
        "patriot.com",
        "Biden's infrastructure show meets Pittsburgh bridge collapse",
        "President Joe Biden's infrastructure tour met a collapsed bridge in Pittsburgh on "
        "Friday. Critics said the city ignored warnings about the bridge. Mayor Ed Gainey "
        "declined to comment on the warnings.",
    ),
    (
        "progressive.org",
        "Pittsburgh bridge collapse shows the cost of neglect",
        "The Pittsburgh bridge collapse on Friday shows the cost of decades of neglect, "
        "advocates said. Ten people were injured when the Forbes Avenue bridge fell. Biden "
        "said the infrastructure law will fix bridges like it.",
    ),
]


def add_bridge_story(db: Database) -> tuple[int, dict[str, int], list[int]]:
    """Six independent reports and one repost (blog.net reposts the wire) over five hours."""
    ids = add_outlets(db, BRIDGE_OUTLETS)
    story = add_story(db)
    article_ids = []
    for hours, (domain, title, text) in enumerate(BRIDGE_ARTICLES):
        article_ids.append(
            add_article(
                db,
                story,
                ids[domain],
                title,
                text,
                hours=hours * 0.8,
                explanation={"title_similarity": 0.61, "shared_names": ["Pittsburgh"]},
            )
        )
    wire = article_ids[1]
    article_ids.append(
        add_article(
            db,
            story,
            ids["blog.net"],
            BRIDGE_ARTICLES[1][1],
            BRIDGE_ARTICLES[1][2],
            hours=4.5,
            repost_of=wire,
        )
    )
    set_story_counts(db, story, len(article_ids), len(ids))
    return story, ids, article_ids
