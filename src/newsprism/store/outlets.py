"""Outlet and feed rows: lookup by registrable domain, creation, bulk registry writes."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from newsprism.config import Settings
from newsprism.domains import registrable_domain
from newsprism.errors import InputError
from newsprism.store.schema import feeds, meta, outlets
from newsprism.timeutil import as_utc, utcnow

# Bound parameters per IN (...) list: far below SQLite's and PostgreSQL's limits.
_CHUNK = 500
# The feeds.url column's size.
MAX_FEED_URL = 2048


def outlet_id_for_domain(conn: Connection, domain: str) -> int | None:
    row = conn.execute(select(outlets.c.id).where(outlets.c.domain == domain)).first()
    return int(row[0]) if row else None


def get_or_create_outlet(
    conn: Connection, domain_or_url: str, name: str | None = None, *, origin: str = "import"
) -> int | None:
    """The outlet for a domain (any subdomain or URL of it), created when unknown; None for ''."""
    domain = registrable_domain(domain_or_url)
    if not domain:
        return None
    existing = outlet_id_for_domain(conn, domain)
    if existing is not None:
        return existing
    now = utcnow()
    result = conn.execute(
        insert(outlets).values(
            domain=domain,
            name=(name or domain).strip()[:255] or domain,
            categories=[],
            is_default=False,
            enabled=True,
            origin=origin,
            created_at=now,
            updated_at=now,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


# ---------------------------------------------------------------------------------- feeds


def _literal_private_host(host: str) -> bool:
    """A host that is a non-public IP literal or a local name; names that resolve later are
    judged by the fetcher, on the address it actually connects to."""
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def validate_feed_url(url: str, settings: Settings) -> str:
    """The URL, stripped, when it can be a feed; an InputError naming it otherwise."""
    clean = url.strip()
    try:
        parts = urlsplit(clean)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        raise InputError(f"feed URL {clean!r}: not a valid address ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"feed URL {clean!r}: only http and https feeds can be polled")
    if not parts.hostname:
        raise InputError(f"feed URL {clean!r}: no host name")
    if len(clean) > MAX_FEED_URL:
        raise InputError(f"feed URL {clean[:80]!r}…: longer than {MAX_FEED_URL} characters")
    if not settings.allow_private_networks and _literal_private_host(parts.hostname.lower()):
        raise InputError(
            f"feed URL {clean!r}: private, loopback or link-local address refused "
            "(set NEWSPRISM_ALLOW_PRIVATE_NETWORKS=1 to allow)"
        )
    return clean


def feed_id_for_url(conn: Connection, url: str) -> int | None:
    row = conn.execute(select(feeds.c.id).where(feeds.c.url == url)).first()
    return int(row[0]) if row else None


def feed_outlet_domain(conn: Connection, feed_id: int) -> str | None:
    row = conn.execute(
        select(outlets.c.domain)
        .select_from(feeds.join(outlets, outlets.c.id == feeds.c.outlet_id))
        .where(feeds.c.id == feed_id)
    ).first()
    return str(row[0]) if row else None


def add_feed(
    conn: Connection,
    outlet_id: int,
    url: str,
    *,
    title: str | None = None,
    settings: Settings,
    enabled: bool = True,
) -> int:
    """The feed with this URL (created for the outlet when new; an existing feed is kept as is)."""
    clean = validate_feed_url(url, settings)
    existing = feed_id_for_url(conn, clean)
    if existing is not None:
        return existing
    now = utcnow()
    result = conn.execute(
        insert(feeds).values(
            outlet_id=outlet_id,
            url=clean,
            title=(title or "").strip()[:512] or None,
            enabled=enabled,
            interval_s=settings.default_poll_interval_s,
            next_poll_at=now,
            consecutive_failures=0,
            created_at=now,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def delete_feed(conn: Connection, url: str) -> bool:
    """Remove a feed; its articles stay (their feed_id is cleared). False when no such feed."""
    result = conn.execute(delete(feeds).where(feeds.c.url == url.strip()))
    return bool(result.rowcount)


# ------------------------------------------------------------------------ bulk registry


@dataclass(slots=True)
class OutletRow:
    id: int
    domain: str
    name: str
    origin: str
    enabled: bool
    country: str | None
    language: str | None
    homepage: str | None
    ownership: str | None
    owner: str | None
    categories: list[str]


def outlet_rows_by_domain(conn: Connection) -> dict[str, OutletRow]:
    rows = conn.execute(
        select(
            outlets.c.id,
            outlets.c.domain,
            outlets.c.name,
            outlets.c.origin,
            outlets.c.enabled,
            outlets.c.country,
            outlets.c.language,
            outlets.c.homepage,
            outlets.c.ownership,
            outlets.c.owner,
            outlets.c.categories,
        )
    )
    return {r.domain: _outlet_row(r) for r in rows}


def _outlet_row(r: Any) -> OutletRow:
    return OutletRow(
        int(r.id),
        r.domain,
        r.name,
        r.origin,
        bool(r.enabled),
        r.country,
        r.language,
        r.homepage,
        r.ownership,
        r.owner,
        list(r.categories or []),
    )


def insert_outlets(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Many outlets in one executemany; each dict holds the ``outlets`` columns but timestamps."""
    if not rows:
        return
    now = utcnow()
    conn.execute(insert(outlets), [{**row, "created_at": now, "updated_at": now} for row in rows])


def update_outlets(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Many outlet updates keyed by ``b_id``; every dict must carry the same columns."""
    if not rows:
        return
    columns = [key for key in rows[0] if key != "b_id"]
    # Bind names differ from column names: SQLAlchemy reserves those for its own SET clause.
    values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in columns}
    values["updated_at"] = utcnow()
    statement = update(outlets).where(outlets.c.id == bindparam("b_id")).values(values)
    conn.execute(
        statement, [{"b_id": row["b_id"], **{f"v_{c}": row[c] for c in columns}} for row in rows]
    )


def feed_urls(conn: Connection) -> set[str]:
    return {url for (url,) in conn.execute(select(feeds.c.url))}


def insert_feeds(conn: Connection, rows: Sequence[dict[str, Any]], settings: Settings) -> None:
    """Many feeds (``outlet_id``, ``url``, ``title``, ``enabled``) due for their first poll now."""
    if not rows:
        return
    now = utcnow()
    conn.execute(
        insert(feeds),
        [
            {
                **row,
                "interval_s": settings.default_poll_interval_s,
                "next_poll_at": now,
                "consecutive_failures": 0,
                "created_at": now,
            }
            for row in rows
        ],
    )


def set_outlets_enabled(
    conn: Connection, outlet_ids: Iterable[int], enabled: bool, *, max_feeds: int | None = None
) -> int:
    """Switch outlets and their feeds on or off; returns the number of feeds switched on/off.

    Switching on with ``max_feeds`` enables only each outlet's first feeds in registry order
    (the generator ranks main feeds first), so enabling a country does not poll every section.
    """
    ids = list(outlet_ids)
    switched = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        conn.execute(
            update(outlets)
            .where(outlets.c.id.in_(chunk))
            .values(enabled=enabled, updated_at=utcnow())
        )
        feed_rows = conn.execute(
            select(feeds.c.id, feeds.c.outlet_id, feeds.c.enabled)
            .where(feeds.c.outlet_id.in_(chunk))
            .order_by(feeds.c.outlet_id, feeds.c.id)
        ).all()
        seen: dict[int, int] = {}
        targets = []
        for feed_id, outlet_id, is_enabled in feed_rows:
            seen[outlet_id] = seen.get(outlet_id, 0) + 1
            if enabled and max_feeds is not None and seen[outlet_id] > max_feeds:
                continue
            if bool(is_enabled) != enabled:
                targets.append(feed_id)
        for part in range(0, len(targets), _CHUNK):
            conn.execute(
                update(feeds)
                .where(feeds.c.id.in_(targets[part : part + _CHUNK]))
                .values(enabled=enabled)
            )
        switched += len(targets)
    return switched


@dataclass(slots=True)
class FeedHealth:
    id: int
    outlet_id: int | None
    url: str
    title: str | None
    enabled: bool
    interval_s: int
    next_poll_at: datetime | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_status: str | None
    last_error: str | None
    consecutive_failures: int


@dataclass(slots=True)
class SourceRow:
    """An outlet with its feeds, as ``sources list`` and OPML export see it."""

    outlet: OutletRow
    is_default: bool
    feeds: list[FeedHealth]


def list_sources(
    conn: Connection, *, country: str | None = None, domains: Sequence[str] = ()
) -> list[SourceRow]:
    """Every outlet that has at least one feed, with the feeds' fetch health; by domain."""
    query = select(outlets).where(
        outlets.c.id.in_(select(feeds.c.outlet_id).where(feeds.c.outlet_id.is_not(None)))
    )
    if country:
        query = query.where(outlets.c.country == country.lower())
    if domains:
        query = query.where(outlets.c.domain.in_([registrable_domain(d) for d in domains]))
    found: dict[int, SourceRow] = {}
    for r in conn.execute(query.order_by(outlets.c.domain)):
        row = _outlet_row(r)
        found[row.id] = SourceRow(row, bool(r.is_default), [])
    ids = list(found)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for f in conn.execute(
            select(feeds).where(feeds.c.outlet_id.in_(chunk)).order_by(feeds.c.id)
        ):
            found[int(f.outlet_id)].feeds.append(
                FeedHealth(
                    id=int(f.id),
                    outlet_id=int(f.outlet_id),
                    url=f.url,
                    title=f.title,
                    enabled=bool(f.enabled),
                    interval_s=int(f.interval_s),
                    next_poll_at=as_utc(f.next_poll_at),
                    last_polled_at=as_utc(f.last_polled_at),
                    last_success_at=as_utc(f.last_success_at),
                    last_status=f.last_status,
                    last_error=f.last_error,
                    consecutive_failures=int(f.consecutive_failures or 0),
                )
            )
    return list(found.values())


def update_outlet_fields(conn: Connection, outlet_id: int, values: dict[str, Any]) -> None:
    if values:
        conn.execute(
            update(outlets).where(outlets.c.id == outlet_id).values(**values, updated_at=utcnow())
        )


# ------------------------------------------------------------------------------- meta


def get_meta(conn: Connection, key: str) -> Any:
    row = conn.execute(select(meta.c.value).where(meta.c.key == key)).first()
    return row[0] if row else None


def set_meta(conn: Connection, key: str, value: Any) -> None:
    # Delete + insert is the upsert both dialects share without dialect-specific SQL.
    conn.execute(delete(meta).where(meta.c.key == key))
    conn.execute(insert(meta).values(key=key, value=value))
