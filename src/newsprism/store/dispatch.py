"""Handing due feeds to the scale-out queue without handing out the same feed twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select, update

from newsprism.store.schema import articles, feeds, outlets
from newsprism.timeutil import as_utc


def claim_due_feeds(
    conn: Connection, now: datetime, *, lease_s: float, limit: int = 10_000
) -> list[int]:
    """Ids of enabled feeds due by ``now``, most overdue first, each leased for ``lease_s``.

    The lease moves ``next_poll_at`` forward, so the next scheduler tick (here or on another
    machine) does not enqueue a feed whose poll is still waiting in the queue. The poll itself
    then sets the real next time; if the poll is lost, the feed comes due again after the lease.
    """
    due = (
        select(feeds.c.id)
        .outerjoin(outlets, outlets.c.id == feeds.c.outlet_id)
        .where(
            feeds.c.enabled.is_(True),
            feeds.c.next_poll_at <= now,
            (outlets.c.enabled.is_(True)) | (outlets.c.id.is_(None)),
        )
        .order_by(feeds.c.next_poll_at, feeds.c.id)
        .limit(limit)
    )
    ids = [int(row[0]) for row in conn.execute(due)]
    if ids:
        conn.execute(
            update(feeds)
            .where(feeds.c.id.in_(ids))
            .values(next_poll_at=now + timedelta(seconds=lease_s))
        )
    return ids


def release_feeds(conn: Connection, feed_ids: list[int], now: datetime) -> None:
    """Feeds claimed but never queued (the broker refused): due again at once."""
    if feed_ids:
        conn.execute(update(feeds).where(feeds.c.id.in_(feed_ids)).values(next_poll_at=now))


def unclustered_arrivals(conn: Connection) -> tuple[datetime | None, datetime | None]:
    """When the oldest and the newest article still waiting for a story were stored."""
    oldest, newest = conn.execute(
        select(func.min(articles.c.ingested_at), func.max(articles.c.ingested_at)).where(
            articles.c.clustered_at.is_(None)
        )
    ).one()
    return as_utc(oldest), as_utc(newest)
