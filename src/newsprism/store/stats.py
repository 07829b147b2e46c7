"""Counts over the whole store for ``newsprism stats``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from newsprism.store.schema import articles, feeds, outlets, ratings, stories
from newsprism.timeutil import iso


def _count(conn: Connection, table: Any, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def store_counts(conn: Connection) -> dict[str, Any]:
    """``outlets, feeds, articles, stories, ratings`` (per provider) plus detail keys."""
    per_provider = {
        str(provider): int(count)
        for provider, count in conn.execute(
            select(ratings.c.provider, func.count())
            .group_by(ratings.c.provider)
            .order_by(ratings.c.provider)
        )
    }
    languages = {
        str(language): int(count)
        for language, count in conn.execute(
            select(articles.c.language, func.count())
            .where(articles.c.language.is_not(None))
            .group_by(articles.c.language)
            .order_by(func.count().desc(), articles.c.language)
            .limit(10)
        )
    }
    first, last = conn.execute(
        select(func.min(articles.c.published_at), func.max(articles.c.published_at))
    ).one()
    return {
        "outlets": _count(conn, outlets),
        "feeds": _count(conn, feeds),
        "articles": _count(conn, articles),
        # A merged story only redirects to its survivor: it is not a story of its own.
        "stories": _count(conn, stories, stories.c.merged_into.is_(None)),
        "ratings": per_provider,
        "outlets_with_articles": int(
            conn.execute(select(func.count(func.distinct(articles.c.outlet_id)))).scalar_one()
        ),
        "feeds_enabled": _count(conn, feeds, feeds.c.enabled.is_(True)),
        "feeds_failing": _count(conn, feeds, feeds.c.consecutive_failures > 0),
        "reposts": _count(conn, articles, articles.c.repost_of.is_not(None)),
        "articles_unclustered": _count(conn, articles, articles.c.clustered_at.is_(None)),
        "articles_without_date": _count(conn, articles, articles.c.published_at.is_(None)),
        "stories_merged": _count(conn, stories, stories.c.merged_into.is_not(None)),
        "languages": languages,
        "first_published": iso(first),
        "last_published": iso(last),
    }
