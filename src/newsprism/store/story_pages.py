"""Queries behind story pages: a story's articles, its analysis, summaries, and listings.

The analysis stage (``newsprism.analyze``) reads and writes stories only through here. Listing
filters use plain SQLAlchemy Core (subqueries, no JSON operators) so PostgreSQL runs them as is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from newsprism.store.dialect import like_containing, search_article_ids
from newsprism.store.schema import articles, meta, outlets, ratings, stories, story_summaries
from newsprism.timeutil import as_utc

# Enough of an article's text for its lede (summary, framing, tags) without loading whole pages.
LEDE_CHARS = 4000
# How many FTS hits a topic filter looks at: the newest stories among them are what readers want.
TOPIC_SEARCH_HITS = 500


@dataclass(slots=True)
class StoryArticle:
    id: int
    url: str
    title: str
    lede: str  # the article's text (or feed summary when no text), cut at LEDE_CHARS
    published_at: datetime | None
    ingested_at: datetime
    outlet_id: int | None
    repost_of: int | None
    language: str | None
    source_name: str | None
    explanation: Any
    cluster_score: float | None

    @property
    def when(self) -> datetime:
        """When the article appeared: its publication date, else when we found it."""
        return self.published_at or self.ingested_at


def story_row(conn: Connection, story_id: int) -> Any | None:
    return conn.execute(select(stories).where(stories.c.id == story_id)).first()


def story_articles(conn: Connection, story_id: int) -> list[StoryArticle]:
    lede = func.substr(func.coalesce(articles.c.text, ""), 1, LEDE_CHARS)
    rows = conn.execute(
        select(
            articles.c.id,
            articles.c.url,
            articles.c.title,
            lede.label("lede"),
            articles.c.summary,
            articles.c.published_at,
            articles.c.ingested_at,
            articles.c.outlet_id,
            articles.c.repost_of,
            articles.c.language,
            articles.c.source_name,
            articles.c.cluster_explanation,
            articles.c.cluster_score,
        )
        .where(articles.c.story_id == story_id)
        .order_by(articles.c.id)
    )
    found = []
    for r in rows:
        found.append(
            StoryArticle(
                id=int(r.id),
                url=r.url,
                title=r.title or "",
                lede=r.lede or r.summary or "",
                published_at=as_utc(r.published_at),
                ingested_at=as_utc(r.ingested_at) or datetime.min,
                outlet_id=r.outlet_id,
                repost_of=r.repost_of,
                language=r.language,
                source_name=r.source_name,
                explanation=r.cluster_explanation,
                cluster_score=r.cluster_score,
            )
        )
    return found


def article_set_key(conn: Connection, story_id: int) -> str:
    """Fingerprint of a story's article set (ids, repost links and outlets)."""
    rows = conn.execute(
        select(articles.c.id, articles.c.repost_of, articles.c.outlet_id)
        .where(articles.c.story_id == story_id)
        .order_by(articles.c.id)
    )
    return fingerprint((int(r.id), r.repost_of, r.outlet_id) for r in rows)


def fingerprint(items: Iterable[tuple[int, int | None, int | None]]) -> str:
    digest = hashlib.sha256()
    for article_id, repost_of, outlet_id in items:
        digest.update(f"{article_id}:{repost_of or ''}:{outlet_id or ''};".encode())
    return digest.hexdigest()


def dirty_story_ids(conn: Connection, limit: int, after_id: int = 0) -> list[int]:
    rows = conn.execute(
        select(stories.c.id)
        .where(stories.c.dirty.is_(True), stories.c.id > after_id)
        .order_by(stories.c.id)
        .limit(limit)
    )
    return [int(r.id) for r in rows]


def save_analysis(
    conn: Connection, story_id: int, values: dict[str, Any], *, expected_key: str
) -> bool:
    """Store an analysis; clears ``dirty`` only when the article set is still the analysed one.

    Returns False when articles joined or left meanwhile: the story stays dirty for the next
    round instead of losing that change.
    """
    unchanged = article_set_key(conn, story_id) == expected_key
    conn.execute(
        update(stories)
        .where(stories.c.id == story_id)
        .values(**values, analysis_key=expected_key, dirty=not unchanged)
    )
    return unchanged


def clear_dirty(conn: Connection, story_id: int) -> None:
    conn.execute(update(stories).where(stories.c.id == story_id).values(dirty=False))


def mark_all_for_analysis(conn: Connection) -> int:
    """Every live story is analysed again at the next refresh, even if its articles did not
    change (the stored key is cleared). Returns how many stories were marked."""
    result = conn.execute(
        update(stories)
        .where(stories.c.merged_into.is_(None), stories.c.analysis_key.is_not(None))
        .values(dirty=True, analysis_key=None)
    )
    return int(result.rowcount or 0)


def rated_outlet_ids(conn: Connection, provider: str) -> set[int]:
    rows = conn.execute(select(ratings.c.outlet_id).where(ratings.c.provider == provider))
    return {int(r.outlet_id) for r in rows}


def mark_outlets_for_analysis(conn: Connection, outlet_ids: Iterable[int]) -> int:
    """Every live story with an article of these outlets is analysed again at the next refresh
    (their ratings changed, and with them the story's bias and factuality figures)."""
    ids = sorted(set(outlet_ids))
    marked = 0
    for start in range(0, len(ids), 500):
        covering = select(articles.c.story_id).where(
            articles.c.outlet_id.in_(ids[start : start + 500]), articles.c.story_id.is_not(None)
        )
        result = conn.execute(
            update(stories)
            .where(
                stories.c.merged_into.is_(None),
                stories.c.analysis_key.is_not(None),
                stories.c.id.in_(covering),
            )
            .values(dirty=True, analysis_key=None)
        )
        marked += int(result.rowcount or 0)
    return marked


def latest_summary(conn: Connection, story_id: int) -> Any | None:
    return conn.execute(
        select(story_summaries)
        .where(story_summaries.c.story_id == story_id)
        .order_by(story_summaries.c.id.desc())
        .limit(1)
    ).first()


def summary_versions(conn: Connection, story_id: int) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(story_summaries)
            .where(story_summaries.c.story_id == story_id)
        ).scalar_one()
    )


def add_summary(
    conn: Connection,
    story_id: int,
    *,
    method: str,
    bullets: list[dict[str, Any]],
    article_count: int,
    created_at: datetime,
) -> int:
    result = conn.execute(
        insert(story_summaries).values(
            story_id=story_id,
            created_at=created_at,
            article_count=article_count,
            method=method,
            bullets=bullets,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


# --- corpus term counts for framing -------------------------------------------------------


def meta_value(conn: Connection, key: str) -> Any:
    row = conn.execute(select(meta.c.value).where(meta.c.key == key)).first()
    return row.value if row else None


def set_meta_value(conn: Connection, key: str, value: Any) -> None:
    if conn.execute(select(meta.c.key).where(meta.c.key == key)).first():
        conn.execute(update(meta).where(meta.c.key == key).values(value=value))
    else:
        conn.execute(insert(meta).values(key=key, value=value))


def recent_article_texts(conn: Connection, limit: int, chars: int = 600) -> list[str]:
    """Title and lede of the newest articles: the sample framing's corpus counts come from."""
    lede = func.substr(func.coalesce(articles.c.text, articles.c.summary, ""), 1, chars)
    rows = conn.execute(
        select(articles.c.title, lede.label("lede")).order_by(articles.c.id.desc()).limit(limit)
    )
    return [f"{r.title or ''}\n{r.lede or ''}" for r in rows]


# --- listings -------------------------------------------------------------------------------


def _outlet_bias() -> Any:
    return (
        select(ratings.c.outlet_id, func.avg(ratings.c.bias_score).label("bias"))
        .where(ratings.c.bias_score.is_not(None))
        .group_by(ratings.c.outlet_id)
        .subquery()
    )


def _stories_covered_by_side(side: str) -> Any:
    """Story ids with an article from an outlet whose combined lean is on ``side``."""
    bias = _outlet_bias()
    # Same cut points as models.side_for_bias.
    condition = {
        "left": bias.c.bias <= -0.5,
        "right": bias.c.bias >= 0.5,
        "center": and_(bias.c.bias > -0.5, bias.c.bias < 0.5),
    }[side]
    return (
        select(articles.c.story_id)
        .select_from(articles.join(bias, bias.c.outlet_id == articles.c.outlet_id))
        .where(condition, articles.c.story_id.is_not(None))
    )


def _stories_from_country(country: str) -> Any:
    return (
        select(articles.c.story_id)
        .select_from(articles.join(outlets, outlets.c.id == articles.c.outlet_id))
        .where(outlets.c.country == country.lower(), articles.c.story_id.is_not(None))
    )


def list_story_rows(
    conn: Connection,
    *,
    limit: int,
    offset: int = 0,
    side: str | None = None,
    country: str | None = None,
    q: str | None = None,
    blindspot_side: str | None = None,
    blindspots_only: bool = False,
    order: str = "rank",
) -> Sequence[Any]:
    """Live (unmerged, non-empty) stories, best ranked or most recently active first."""
    query = select(stories).where(stories.c.merged_into.is_(None), stories.c.article_count > 0)
    if side:
        query = query.where(stories.c.id.in_(_stories_covered_by_side(side)))
    if country:
        query = query.where(stories.c.id.in_(_stories_from_country(country)))
    if blindspots_only:
        query = query.where(stories.c.blindspot_side.is_not(None))
    if blindspot_side:
        query = query.where(stories.c.blindspot_side == blindspot_side)
    if q and q.strip():
        hits = list(search_article_ids(conn, q, limit=TOPIC_SEARCH_HITS))
        by_article = select(articles.c.story_id).where(articles.c.id.in_(hits or [-1]))
        in_headline = stories.c.headline.ilike(like_containing(q.strip()), escape="\\")
        query = query.where(or_(stories.c.id.in_(by_article), in_headline))
    if order == "recent":
        query = query.order_by(stories.c.last_updated.desc().nulls_last(), stories.c.id.desc())
    else:
        query = query.order_by(
            stories.c.rank_score.desc().nulls_last(),
            stories.c.last_updated.desc().nulls_last(),
            stories.c.id.desc(),
        )
    return conn.execute(query.limit(limit).offset(offset)).all()
