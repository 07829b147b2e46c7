"""Feed polling state: which feeds are due, what a poll did to a feed, and the fetch log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from newsprism.ingest.schedule import FailureStreak
from newsprism.store.schema import feeds, fetch_log, outlets
from newsprism.timeutil import as_utc, utcnow

# Error texts are one line for people; a pathological one must not bloat every row.
MAX_ERROR_CHARS = 2000
# The widths of the validator columns (schema: feeds.etag, feeds.last_modified). A validator is
# sent back verbatim or not at all: a cut ETag (its closing quote gone) never matches again.
MAX_ETAG_CHARS = 512
MAX_LAST_MODIFIED_CHARS = 128


@dataclass(slots=True)
class FeedRow:
    """A feed as the poller needs it."""

    id: int
    url: str
    outlet_id: int | None
    outlet_domain: str | None
    outlet_name: str | None
    title: str | None
    etag: str | None
    last_modified: str | None
    interval_s: int
    consecutive_failures: int


@dataclass(slots=True)
class FetchLogEntry:
    """One fetch attempt: the feed it served, the URL, and in words what came of it."""

    kind: str  # feed | page | robots | import | entry (a feed entry the store refused)
    url: str
    started_at: datetime
    outcome: str  # ok | not_modified | error | skipped
    feed_id: int | None = None
    outlet_id: int | None = None
    duration_ms: int | None = None
    status_code: int | None = None
    error: str | None = None
    bytes: int | None = None
    new_items: int | None = None


_FEED_COLUMNS = (
    feeds.c.id,
    feeds.c.url,
    feeds.c.outlet_id,
    outlets.c.domain,
    outlets.c.name,
    feeds.c.title,
    feeds.c.etag,
    feeds.c.last_modified,
    feeds.c.interval_s,
    feeds.c.consecutive_failures,
)


def _feed_row(row: Any) -> FeedRow:
    return FeedRow(
        id=int(row[0]),
        url=str(row[1]),
        outlet_id=row[2],
        outlet_domain=row[3],
        outlet_name=row[4],
        title=row[5],
        etag=row[6],
        last_modified=row[7],
        interval_s=int(row[8]),
        consecutive_failures=int(row[9] or 0),
    )


def due_feeds(
    conn: Connection,
    now: datetime,
    *,
    feed_ids: Iterable[int] | None = None,
    limit: int | None = None,
) -> list[FeedRow]:
    """Enabled feeds of enabled outlets due by ``now``, most overdue first.

    With ``feed_ids`` those feeds are returned whether due or not (an explicit request to poll
    them), still only when enabled.
    """
    query = (
        select(*_FEED_COLUMNS)
        .select_from(feeds.outerjoin(outlets, outlets.c.id == feeds.c.outlet_id))
        .where(
            feeds.c.enabled.is_(True),
            outlets.c.enabled.is_(True) | outlets.c.id.is_(None),
        )
        .order_by(feeds.c.next_poll_at, feeds.c.id)
    )
    if feed_ids is not None:
        query = query.where(feeds.c.id.in_(sorted({int(i) for i in feed_ids})))
    else:
        query = query.where(feeds.c.next_poll_at <= now)
    if limit is not None:
        query = query.limit(limit)
    return [_feed_row(row) for row in conn.execute(query)]


def next_poll_time(conn: Connection) -> datetime | None:
    """When the next enabled feed comes due (None when there are none)."""
    value = conn.execute(
        select(func.min(feeds.c.next_poll_at))
        .select_from(feeds.outerjoin(outlets, outlets.c.id == feeds.c.outlet_id))
        .where(
            feeds.c.enabled.is_(True),
            outlets.c.enabled.is_(True) | outlets.c.id.is_(None),
        )
    ).scalar()
    return as_utc(value)


def _clip(text: str | None) -> str | None:
    if text is None:
        return None
    one_line = " ".join(text.split())
    return one_line[:MAX_ERROR_CHARS] or None


def _validator(value: str | None, max_chars: int) -> str | None:
    """The validator to keep: the whole of it, or None when it does not fit its column."""
    if not value or len(value) > max_chars:
        return None
    return value


def record_success(
    conn: Connection,
    feed_id: int,
    *,
    now: datetime,
    status: str,
    interval_s: int,
    next_poll_at: datetime,
    new_items: int,
    etag: str | None = None,
    last_modified: str | None = None,
    title: str | None = None,
    note: str | None = None,
) -> None:
    """A poll that worked (``status`` ok or not_modified); ``note`` keeps tolerated defects.

    Validators are replaced only on a full response: a 304 keeps the ones that produced it.
    """
    values: dict[str, Any] = {
        "last_polled_at": now,
        "last_success_at": now,
        "last_status": status,
        "last_error": _clip(note),
        "consecutive_failures": 0,
        "interval_s": interval_s,
        "next_poll_at": next_poll_at,
    }
    if status == "ok":
        values["etag"] = _validator(etag, MAX_ETAG_CHARS)
        values["last_modified"] = _validator(last_modified, MAX_LAST_MODIFIED_CHARS)
    _record_poll(conn, feed_id, values, now=now, new_items=new_items, title=title)


def record_failure(
    conn: Connection,
    feed_id: int,
    *,
    now: datetime,
    error: str,
    failures: int,
    next_poll_at: datetime,
) -> None:
    conn.execute(
        update(feeds)
        .where(feeds.c.id == feed_id)
        .values(
            last_polled_at=now,
            last_status="error",
            last_error=_clip(error),
            consecutive_failures=failures,
            next_poll_at=next_poll_at,
        )
    )


def record_soft_failure(
    conn: Connection,
    feed_id: int,
    *,
    now: datetime,
    error: str,
    failures: int,
    next_poll_at: datetime,
    new_items: int,
    title: str | None = None,
) -> None:
    """A poll whose broken document still yielded entries: they are stored, the feed fails.

    Validators are not kept: the next poll fetches the document again and sees whether its
    publisher fixed it (a 304 for the broken one would count as a success).
    """
    values: dict[str, Any] = {
        "last_polled_at": now,
        "last_status": "error",
        "last_error": _clip(error),
        "consecutive_failures": failures,
        "next_poll_at": next_poll_at,
    }
    _record_poll(conn, feed_id, values, now=now, new_items=new_items, title=title)


def _record_poll(
    conn: Connection,
    feed_id: int,
    values: dict[str, Any],
    *,
    now: datetime,
    new_items: int,
    title: str | None,
) -> None:
    """Write a poll's outcome for a feed that yielded entries (whole or from a broken document)."""
    if new_items > 0:
        values["last_new_item_at"] = now
    if title:
        # A feed's own title fills in an unnamed feed; a title someone set is kept.
        conn.execute(
            update(feeds)
            .where(feeds.c.id == feed_id, feeds.c.title.is_(None))
            .values(title=title[:512])
        )
    conn.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))


def status_streak(conn: Connection, feed_id: int, *, limit: int = 50) -> FailureStreak | None:
    """The run of newest fetches of this feed that answered one and the same HTTP status.

    None when the newest fetch had no status (a timeout, a refused address). At most ``limit``
    fetches are read: enough for every rule that uses the streak.
    """
    rows = conn.execute(
        select(fetch_log.c.status_code, fetch_log.c.started_at)
        .where(fetch_log.c.feed_id == feed_id, fetch_log.c.kind == "feed")
        .order_by(fetch_log.c.started_at.desc(), fetch_log.c.id.desc())
        .limit(limit)
    ).all()
    if not rows or rows[0][0] is None:
        return None
    status = int(rows[0][0])
    polls = 0
    since = rows[0][1]
    for code, started_at in rows:
        if code != status:
            break
        polls += 1
        since = started_at
    return FailureStreak(status, polls, as_utc(since) or since)


def disable_feed(conn: Connection, feed_id: int, *, reason: str, now: datetime) -> None:
    """Switch a feed off for good reason; ``last_error`` says why, ``sources enable`` undoes it.

    It is due at once when switched back on: whoever does that wants to see it polled.
    """
    conn.execute(
        update(feeds)
        .where(feeds.c.id == feed_id)
        .values(
            enabled=False,
            last_status="disabled",
            last_error=_clip(reason),
            next_poll_at=now,
        )
    )


def log_fetches(conn: Connection, entries: Sequence[FetchLogEntry]) -> None:
    if not entries:
        return
    rows = []
    for entry in entries:
        row = asdict(entry)
        row["url"] = entry.url[:4096]
        row["error"] = _clip(entry.error)
        rows.append(row)
    conn.execute(insert(fetch_log), rows)


def recently_refused(
    conn: Connection, feed_id: int, urls: Sequence[str], since: datetime
) -> set[str]:
    """Those of ``urls`` that this feed listed before and the store refused since ``since``."""
    if not urls:
        return set()
    found: set[str] = set()
    for start in range(0, len(urls), 500):
        part = list(urls[start : start + 500])
        found.update(
            conn.execute(
                select(fetch_log.c.url).where(
                    fetch_log.c.feed_id == feed_id,
                    fetch_log.c.kind == "entry",
                    fetch_log.c.started_at >= since,
                    fetch_log.c.url.in_(part),
                )
            ).scalars()
        )
    return found


def recent_fetches(
    conn: Connection, *, feed_id: int | None = None, kind: str | None = None, limit: int = 50
) -> list[FetchLogEntry]:
    """Newest first."""
    query = select(fetch_log).order_by(fetch_log.c.started_at.desc(), fetch_log.c.id.desc())
    if feed_id is not None:
        query = query.where(fetch_log.c.feed_id == feed_id)
    if kind is not None:
        query = query.where(fetch_log.c.kind == kind)
    result = []
    for row in conn.execute(query.limit(limit)).mappings():
        result.append(
            FetchLogEntry(
                kind=row["kind"],
                url=row["url"],
                started_at=as_utc(row["started_at"]) or row["started_at"],
                outcome=row["outcome"],
                feed_id=row["feed_id"],
                outlet_id=row["outlet_id"],
                duration_ms=row["duration_ms"],
                status_code=row["status_code"],
                error=row["error"],
                bytes=row["bytes"],
                new_items=row["new_items"],
            )
        )
    return result


def prune_fetch_log(conn: Connection, before: datetime) -> int:
    """Drop log rows older than ``before``; the log is for diagnosis, not an archive."""
    result = conn.execute(delete(fetch_log).where(fetch_log.c.started_at < before))
    return int(result.rowcount or 0)


def feed_state(conn: Connection, feed_id: int) -> dict[str, Any] | None:
    """The feed row as a dict (polling state included), or None."""
    row = conn.execute(select(feeds).where(feeds.c.id == feed_id)).mappings().first()
    if row is None:
        return None
    state = dict(row)
    for key in ("next_poll_at", "last_polled_at", "last_success_at", "last_new_item_at"):
        state[key] = as_utc(state[key])
    return state


def enable_feed(conn: Connection, feed_id: int) -> None:
    """Switch a feed on and make it due now (someone just asked for it)."""
    conn.execute(
        update(feeds)
        .where(feeds.c.id == feed_id, feeds.c.enabled.is_(False))
        .values(enabled=True, next_poll_at=utcnow(), consecutive_failures=0)
    )


def move_feed(conn: Connection, feed_id: int, new_url: str) -> bool:
    """Point a feed at the URL it moved to; False (nothing changed) when another feed has it."""
    taken = conn.execute(select(feeds.c.id).where(feeds.c.url == new_url)).first()
    if taken is not None:
        return False
    conn.execute(update(feeds).where(feeds.c.id == feed_id).values(url=new_url[:2048]))
    return True
