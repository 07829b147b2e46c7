"""Read queries behind the web pages that are not story analysis: outlets, feeds, search hits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from newsprism.store.dialect import like_containing
from newsprism.store.schema import articles, feeds, outlets, stories
from newsprism.store.stories import resolve_story_id
from newsprism.timeutil import as_utc


def store_counts(conn: Connection) -> dict[str, int]:
    def count(table: Any, *where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())

    return {
        "stories": count(stories, stories.c.merged_into.is_(None), stories.c.article_count > 0),
        "articles": count(articles),
        # Outlets followed or with articles here; a rater's file adds thousands of neither.
        "outlets": count(
            outlets,
            or_(
                outlets.c.enabled.is_(True),
                outlets.c.id.in_(
                    select(articles.c.outlet_id).where(articles.c.outlet_id.is_not(None))
                ),
            ),
        ),
        "feeds": count(feeds),
        "feeds_failing": count(feeds, feeds.c.last_status == "error"),
        # Switched off by the poller (gone for good) or by an operator.
        "feeds_disabled": count(feeds, feeds.c.enabled.is_(False)),
    }


def _outlet_dict(row: Any) -> dict[str, Any]:
    return {
        "id": int(row.id),
        "domain": row.domain,
        "name": row.name,
        "homepage": row.homepage,
        "country": row.country,
        "language": row.language,
        "ownership": row.ownership,
        "owner": row.owner,
    }


def outlet_row(conn: Connection, outlet_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(outlets).where(outlets.c.id == outlet_id)).first()
    if row is None:
        return None
    result = _outlet_dict(row)
    result["articles"] = int(
        conn.execute(
            select(func.count()).select_from(articles).where(articles.c.outlet_id == outlet_id)
        ).scalar_one()
    )
    return result


def list_outlets(
    conn: Connection, *, limit: int, offset: int = 0, q: str | None = None
) -> list[dict[str, Any]]:
    """Outlets by name, with how many articles each has in the store."""
    counts = (
        select(articles.c.outlet_id, func.count().label("n"))
        .group_by(articles.c.outlet_id)
        .subquery()
    )
    query = (
        select(outlets, func.coalesce(counts.c.n, 0).label("n"))
        .select_from(outlets.outerjoin(counts, counts.c.outlet_id == outlets.c.id))
        .order_by(func.lower(outlets.c.name), outlets.c.id)
        .limit(limit)
        .offset(offset)
    )
    if q:
        pattern = like_containing(q.strip().lower())
        query = query.where(
            or_(
                func.lower(outlets.c.name).like(pattern, escape="\\"),
                outlets.c.domain.like(pattern, escape="\\"),
            )
        )
    return [{**_outlet_dict(row), "articles": int(row.n)} for row in conn.execute(query)]


def _feed_dict(row: Any) -> dict[str, Any]:
    return {
        "id": int(row.id),
        "outlet_id": row.outlet_id,
        "url": row.url,
        "title": row.title,
        "enabled": bool(row.enabled),
        "interval_s": int(row.interval_s),
        "last_status": row.last_status,
        "last_error": row.last_error,
        "consecutive_failures": int(row.consecutive_failures or 0),
        "last_polled_at": as_utc(row.last_polled_at),
        "last_success_at": as_utc(row.last_success_at),
        "next_poll_at": as_utc(row.next_poll_at),
    }


def outlet_feeds(conn: Connection, outlet_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(feeds).where(feeds.c.outlet_id == outlet_id).order_by(feeds.c.id))
    return [_feed_dict(r) for r in rows]


def feed_status_list(
    conn: Connection, *, limit: int, offset: int = 0, failing_only: bool = False
) -> list[dict[str, Any]]:
    """Feeds with their health, failing ones first, then switched-off ones, each with its outlet's
    name; ``failing_only`` keeps those two kinds, the ones an operator has to look at."""
    query = (
        select(feeds, outlets.c.name.label("outlet_name"))
        .select_from(feeds.outerjoin(outlets, outlets.c.id == feeds.c.outlet_id))
        .order_by(
            (feeds.c.last_status == "error").desc(),
            (feeds.c.last_status == "disabled").desc(),
            feeds.c.consecutive_failures.desc(),
            feeds.c.id,
        )
        .limit(limit)
        .offset(offset)
    )
    if failing_only:
        query = query.where(feeds.c.last_status.in_(("error", "disabled")))
    return [{**_feed_dict(r), "outlet_name": r.outlet_name} for r in conn.execute(query)]


def outlet_story_ids(conn: Connection, outlet_id: int, *, limit: int) -> list[int]:
    """Stories this outlet took part in, most recently active first."""
    query = (
        select(stories.c.id)
        .select_from(stories.join(articles, articles.c.story_id == stories.c.id))
        .where(articles.c.outlet_id == outlet_id, stories.c.merged_into.is_(None))
        .group_by(stories.c.id, stories.c.last_updated)
        .order_by(stories.c.last_updated.desc().nulls_last(), stories.c.id.desc())
        .limit(limit)
    )
    return [int(r[0]) for r in conn.execute(query)]


def story_briefs(conn: Connection, story_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Headline-level facts of stories (no analysis): enough for a list entry."""
    if not story_ids:
        return {}
    rows = conn.execute(
        select(
            stories.c.id,
            stories.c.headline,
            stories.c.article_count,
            stories.c.outlet_count,
            stories.c.first_published,
            stories.c.last_updated,
            stories.c.blindspot_side,
        ).where(stories.c.id.in_(list(story_ids)))
    )
    return {
        int(r.id): {
            "id": int(r.id),
            "headline": r.headline,
            "articles": int(r.article_count or 0),
            "outlets": int(r.outlet_count or 0),
            "first_published": as_utc(r.first_published),
            "last_updated": as_utc(r.last_updated),
            "blindspot_side": r.blindspot_side,
        }
        for r in rows
    }


def article_hits(conn: Connection, article_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Articles found by search, in the order given, with outlet and (resolved) story."""
    if not article_ids:
        return []
    rows = conn.execute(
        select(
            articles.c.id,
            articles.c.title,
            articles.c.url,
            articles.c.summary,
            articles.c.text,
            articles.c.published_at,
            articles.c.story_id,
            articles.c.outlet_id,
            outlets.c.name.label("outlet_name"),
            outlets.c.domain.label("outlet_domain"),
            stories.c.merged_into,
        )
        .select_from(
            articles.outerjoin(outlets, outlets.c.id == articles.c.outlet_id).outerjoin(
                stories, and_(stories.c.id == articles.c.story_id)
            )
        )
        .where(articles.c.id.in_(list(article_ids)))
    )
    by_id = {}
    for r in rows:
        story_id = r.story_id
        if story_id is not None and r.merged_into is not None:
            story_id = resolve_story_id(conn, int(story_id))
        by_id[int(r.id)] = {
            "id": int(r.id),
            "title": r.title,
            "url": r.url,
            "snippet": (r.summary or r.text or "")[:400],
            "published": as_utc(r.published_at),
            "story_id": int(story_id) if story_id is not None else None,
            "outlet_id": r.outlet_id,
            "outlet": r.outlet_name or r.outlet_domain,
        }
    return [by_id[i] for i in article_ids if i in by_id]


def story_countries(conn: Connection, *, limit: int = 60) -> list[str]:
    """Countries of outlets that have articles in stories: the home page's country filter."""
    rows = conn.execute(
        select(outlets.c.country)
        .select_from(outlets.join(articles, articles.c.outlet_id == outlets.c.id))
        .where(outlets.c.country.is_not(None), articles.c.story_id.is_not(None))
        .group_by(outlets.c.country)
        .order_by(func.count().desc())
        .limit(limit)
    )
    return sorted(str(r[0]) for r in rows if r[0])


def story_version(conn: Connection, story_id: int) -> tuple[Any, ...] | None:
    """What changes whenever a story's page would: its survivor, counts and analysis stamp."""
    row = conn.execute(
        select(
            stories.c.merged_into,
            stories.c.updated_at,
            stories.c.analyzed_at,
            stories.c.last_updated,
            stories.c.article_count,
        ).where(stories.c.id == story_id)
    ).first()
    return tuple(row) if row is not None else None
