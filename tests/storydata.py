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
