"""Loading the bundled outlet registry into the store: on first start, and again on upgrade.

The first load inserts every bundled outlet and feed in bulk; the default set's feeds are enabled,
the rest wait for ``sources enable``. When a newer release ships a different registry, the next
start adds what is new and refreshes descriptive fields of registry outlets, while leaving alone
what the operator decided: which outlets and feeds are enabled, and the sources they added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from newsprism.config import Settings
from newsprism.registry.bundle import Bundle, BundledOutlet, load_bundle
from newsprism.store.database import Database
from newsprism.store.locks import exclusive
from newsprism.store.outlets import (
    OutletRow,
    feed_urls,
    get_meta,
    insert_feeds,
    insert_outlets,
    outlet_rows_by_domain,
    set_meta,
    update_outlets,
)

VERSION_KEY = "registry_version"
# A first load takes about a second; two minutes covers a slow disk and a busy database.
LOCK_TIMEOUT_S = 120.0
# Fields an upgrade may refresh on outlets the registry created (origin 'registry').
_DESCRIPTIVE = ("name", "country", "language", "homepage", "ownership", "owner", "categories")


@dataclass(slots=True)
class LoadReport:
    version: str
    previous: str | None
    outlets_added: int = 0
    outlets_updated: int = 0
    feeds_added: int = 0


def ensure_registry_loaded(db: Database, settings: Settings) -> int:
    """Load or upgrade the bundled registry when the store holds another version; outlets added."""
    return load_registry(db, settings).outlets_added


def load_registry(db: Database, settings: Settings, bundle: Bundle | None = None) -> LoadReport:
    bundle = bundle or load_bundle()
    with db.read() as conn:
        if get_meta(conn, VERSION_KEY) == bundle.version:
            return LoadReport(bundle.version, bundle.version)
    # A web process, workers and a scheduler may all start at once on one store: one loads,
    # the others wait and then find the version current.
    with exclusive(db, "registry-load", timeout_s=LOCK_TIMEOUT_S), db.write() as conn:
        previous = get_meta(conn, VERSION_KEY)
        if previous == bundle.version:
            return LoadReport(bundle.version, previous)
        report = _apply(conn, bundle, settings, first=previous is None)
        report.previous = previous
        set_meta(conn, VERSION_KEY, bundle.version)
    if report.previous is None:
        from newsprism.registry.ratings import load_bundled_wikipedia_rsp

        load_bundled_wikipedia_rsp(db)
    return report


def _outlet_values(outlet: BundledOutlet) -> dict[str, Any]:
    return {
        "name": outlet.name,
        "country": outlet.country,
        "language": outlet.language,
        "homepage": outlet.homepage,
        "ownership": outlet.ownership,
        "owner": outlet.owner,
        "categories": list(outlet.categories),
    }


def _fill_missing(row: OutletRow, outlet: BundledOutlet) -> dict[str, Any]:
    """For outlets a user or an import created: only fill what they lack."""
    values = _outlet_values(outlet)
    current = {
        "name": None if row.name == row.domain else row.name,
        "country": row.country,
        "language": row.language,
        "homepage": row.homepage,
        "ownership": row.ownership,
        "owner": row.owner,
        "categories": row.categories or None,
    }
    return {key: current[key] if current[key] else values[key] for key in _DESCRIPTIVE}


def _apply(conn: Connection, bundle: Bundle, settings: Settings, *, first: bool) -> LoadReport:
    report = LoadReport(bundle.version, None)
    existing = outlet_rows_by_domain(conn)
    new_rows = []
    updates = []
    for outlet in bundle.outlets:
        row = existing.get(outlet.domain)
        if row is None:
            new_rows.append(
                {
                    "domain": outlet.domain,
                    **_outlet_values(outlet),
                    "is_default": outlet.default,
                    "enabled": outlet.default,
                    "origin": "registry",
                }
            )
            continue
        values = _outlet_values(outlet) if row.origin == "registry" else _fill_missing(row, outlet)
        updates.append({"b_id": row.id, **values, "is_default": outlet.default})
    insert_outlets(conn, new_rows)
    update_outlets(conn, updates)
    report.outlets_added = len(new_rows)
    report.outlets_updated = len(updates)

    ids = outlet_rows_by_domain(conn)
    known_feeds = feed_urls(conn)
    feed_rows = []
    for outlet in bundle.outlets:
        row = ids[outlet.domain]
        # An upgrade adds a default feed enabled only where the operator kept the outlet on.
        outlet_on = outlet.default if first or outlet.domain not in existing else row.enabled
        for feed in outlet.feeds:
            if feed.url in known_feeds:
                continue
            known_feeds.add(feed.url)
            feed_rows.append(
                {
                    "outlet_id": row.id,
                    "url": feed.url,
                    "title": feed.title[:512] if feed.title else None,
                    "enabled": feed.default and outlet_on,
                }
            )
    insert_feeds(conn, feed_rows, settings)
    report.feeds_added = len(feed_rows)
    return report
