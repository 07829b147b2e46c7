"""Sources as the operator manages them: OPML import and export, enabling, and the listing.

The CLI (``newsprism sources …``) and the web's admin pages call these; none of them fetches
anything (feeds are polled later by ingest, behind its own network guard).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.registry.opml import OpmlFeed, OpmlOutlet, parse_opml, write_opml
from newsprism.registry.platforms import outlet_domain_for_url
from newsprism.registry.profiles import outlet_profiles
from newsprism.store.database import Database
from newsprism.store.outlets import (
    SourceRow,
    feed_urls,
    insert_feeds,
    insert_outlets,
    list_sources,
    outlet_rows_by_domain,
    set_outlets_enabled,
    validate_feed_url,
)
from newsprism.timeutil import iso

# Enabling an outlet polls its main feeds, not every section feed it has.
DEFAULT_FEEDS_WHEN_ENABLED = 3


@dataclass(slots=True)
class OpmlImportReport:
    feeds: int = 0
    feeds_added: int = 0
    feeds_existing: int = 0
    outlets_added: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "feeds": self.feeds,
            "feeds_added": self.feeds_added,
            "feeds_existing": self.feeds_existing,
            "outlets_added": self.outlets_added,
            "skipped": self.skipped,
        }


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not an OPML file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def import_opml(db: Database, settings: Settings, path: Path) -> OpmlImportReport:
    """Add every feed of an OPML file with its outlet; a feed already present is kept as is.

    Outlets and feeds go in with one bulk insert each: a 10,000-feed export imports in seconds.
    """
    report = OpmlImportReport()
    # A damaged file, or an outline no address parser takes, is named among the skipped.
    entries = parse_opml(_read(path), str(path), notes=report.skipped)
    report.feeds = len(entries)
    with db.write() as conn:
        outlet_ids = {d: row.id for d, row in outlet_rows_by_domain(conn).items()}
        known_feeds = feed_urls(conn)
        new_outlets: dict[str, dict[str, Any]] = {}
        wanted: list[tuple[str, str, OpmlFeed]] = []  # domain, clean URL, entry
        for entry in entries:
            accepted = _accept(settings, entry, known_feeds, report)
            if accepted is None:
                continue
            domain, url = accepted
            wanted.append((domain, url, entry))
            if domain not in outlet_ids and domain not in new_outlets:
                new_outlets[domain] = _new_outlet(domain, entry)
        insert_outlets(conn, list(new_outlets.values()))
        report.outlets_added = len(new_outlets)
        if new_outlets:
            outlet_ids = {d: row.id for d, row in outlet_rows_by_domain(conn).items()}
        insert_feeds(
            conn,
            [
                {
                    "outlet_id": outlet_ids[domain],
                    "url": url,
                    "title": (entry.title or "")[:512] or None,
                    "enabled": True if entry.enabled is None else entry.enabled,
                }
                for domain, url, entry in wanted
            ],
            settings,
        )
    report.feeds_added = len(wanted)
    return report


def _accept(
    settings: Settings, entry: OpmlFeed, known_feeds: set[str], report: OpmlImportReport
) -> tuple[str, str] | None:
    """(outlet domain, clean URL) for a feed to add; None, with the reason noted, otherwise."""
    domain = (
        outlet_domain_for_url(entry.outlet_domain or "")
        or outlet_domain_for_url(entry.html_url or "")
        or outlet_domain_for_url(entry.url)
    )
    label = entry.title or entry.url
    if not domain:
        report.skipped.append(
            f"{label!r} ({entry.url}): on a shared platform and no htmlUrl names its outlet"
        )
        return None
    try:
        url = validate_feed_url(entry.url, settings)
    except InputError as exc:
        report.skipped.append(f"{label!r}: {exc}")
        return None
    if url in known_feeds:
        report.feeds_existing += 1
        return None
    known_feeds.add(url)
    return domain, url


def _new_outlet(domain: str, entry: OpmlFeed) -> dict[str, Any]:
    return {
        "domain": domain,
        "name": (entry.outlet_name or entry.title or domain).strip()[:255] or domain,
        "country": (entry.country or "").lower()[:8] or None,
        "language": (entry.language or "").lower()[:16] or None,
        "homepage": (entry.html_url or "")[:2048] or None,
        "categories": sorted(set(entry.categories)),
        "is_default": False,
        "enabled": True,
        "origin": "user",
    }


def export_opml(db: Database, *, enabled_only: bool = False) -> bytes:
    with db.read() as conn:
        rows = list_sources(conn)
    opml_outlets = []
    for source in rows:
        feeds = [f for f in source.feeds if f.enabled or not enabled_only]
        if not feeds:
            continue
        outlet = source.outlet
        opml_outlets.append(
            OpmlOutlet(
                domain=outlet.domain,
                name=outlet.name,
                homepage=outlet.homepage,
                country=outlet.country,
                language=outlet.language,
                categories=outlet.categories,
                feeds=[(f.url, f.title, f.enabled) for f in feeds],
            )
        )
    return write_opml(opml_outlets)


@dataclass(slots=True)
class EnableReport:
    outlets: int
    feeds: int


def set_sources_enabled(
    db: Database,
    *,
    enabled: bool,
    countries: Sequence[str] = (),
    categories: Sequence[str] = (),
    domains: Sequence[str] = (),
    max_feeds: int | None = DEFAULT_FEEDS_WHEN_ENABLED,
) -> EnableReport:
    """Switch on (or off) every outlet with feeds in the given countries, categories or domains."""
    if not (countries or categories or domains):
        raise InputError("name at least one --country, --category or DOMAIN to switch")
    wanted_countries = {c.strip().lower() for c in countries}
    wanted_categories = {c.strip().lower() for c in categories}
    if "" in wanted_countries or "" in wanted_categories:
        raise InputError("--country and --category need a name (see: newsprism sources categories)")
    with db.write() as conn:
        chosen = []
        sources = list_sources(conn)
        by_domain = {s.outlet.domain for s in sources}
        for domain in domains:
            if outlet_domain_for_url(domain) not in by_domain:
                raise InputError(f"{domain}: no outlet with feeds has this domain")
        # A typo must not read as "0 outlets switched": name it, as for a domain.
        unknown = sorted(wanted_countries - {(s.outlet.country or "").lower() for s in sources})
        if unknown:
            raise InputError(
                f"--country {unknown[0]}: no outlet with feeds in this country "
                "(see: newsprism sources categories --countries)"
            )
        unknown = sorted(
            wanted_categories - {c.lower() for s in sources for c in s.outlet.categories}
        )
        if unknown:
            raise InputError(
                f"--category {unknown[0]}: no outlet with feeds in this category "
                "(see: newsprism sources categories)"
            )
        wanted_domains = {outlet_domain_for_url(d) for d in domains}
        for source in sources:
            outlet = source.outlet
            if (
                outlet.domain in wanted_domains
                or (outlet.country or "") in wanted_countries
                or any(c.lower() in wanted_categories for c in outlet.categories)
            ):
                chosen.append(outlet.id)
        feeds = set_outlets_enabled(conn, chosen, enabled, max_feeds=max_feeds if enabled else None)
    return EnableReport(outlets=len(chosen), feeds=feeds)


def source_listing(
    db: Database,
    *,
    include_disabled: bool = False,
    country: str | None = None,
    category: str | None = None,
    failing: bool = False,
    domains: Sequence[str] = (),
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """``sources list`` as plain data: outlets with feeds, combined ratings and fetch health."""
    with db.read() as conn:
        sources = list_sources(conn, country=country, domains=domains)
        picked = [s for s in sources if _wanted(s, include_disabled, category, failing)]
        if limit is not None:
            picked = picked[:limit]
        profiles = outlet_profiles(conn, [s.outlet.id for s in picked])
    return [_as_dict(source, profiles.get(source.outlet.id)) for source in picked]


def _failing(source: SourceRow) -> bool:
    return any(f.consecutive_failures > 0 or f.last_status == "error" for f in source.feeds)


def _wanted(source: SourceRow, include_disabled: bool, category: str | None, failing: bool) -> bool:
    # A feed the poller switched off (gone for good) stays listed until someone looks at it.
    listed = any(f.enabled or f.last_status == "disabled" for f in source.feeds)
    if not include_disabled and not listed:
        return False
    if category and category.lower() not in {c.lower() for c in source.outlet.categories}:
        return False
    return not failing or _failing(source)


def _as_dict(source: SourceRow, profile: Any) -> dict[str, Any]:
    outlet = source.outlet
    return {
        "id": outlet.id,
        "domain": outlet.domain,
        "name": outlet.name,
        "country": outlet.country,
        "language": outlet.language,
        "ownership": outlet.ownership,
        "owner": outlet.owner,
        "categories": outlet.categories,
        "origin": outlet.origin,
        "is_default": source.is_default,
        "enabled": outlet.enabled,
        "bias": profile.bias_score if profile else None,
        "bias_spread": profile.bias_spread if profile else None,
        "side": profile.side if profile else None,
        "factuality": profile.factuality_score if profile else None,
        "factuality_label": profile.factuality_label if profile else None,
        "ratings": [
            {
                "provider": r.provider,
                "bias_label": r.bias_label,
                "bias_score": r.bias_score,
                "factuality_label": r.factuality_label,
                "factuality_score": r.factuality_score,
                "url": r.url,
                "rated_at": r.rated_at,
            }
            for r in (profile.ratings if profile else [])
        ],
        "feeds": [
            {
                "id": f.id,
                "url": f.url,
                "title": f.title,
                "enabled": f.enabled,
                "last_status": f.last_status,
                "last_error": f.last_error,
                "consecutive_failures": f.consecutive_failures,
                "last_polled_at": iso(f.last_polled_at),
                "last_success_at": iso(f.last_success_at),
                "next_poll_at": iso(f.next_poll_at),
                "interval_s": f.interval_s,
            }
            for f in source.feeds
        ],
    }


def source_groups(db: Database, *, by: str = "category") -> list[dict[str, Any]]:
    """Categories (or countries) with how many outlets with feeds each has, and how many are on."""
    with db.read() as conn:
        sources = list_sources(conn)
    totals: dict[str, list[int]] = {}
    for source in sources:
        keys = source.outlet.categories if by == "category" else [source.outlet.country or "-"]
        polled = any(f.enabled for f in source.feeds)
        for key in keys:
            entry = totals.setdefault(key, [0, 0])
            entry[0] += 1
            entry[1] += polled
    return [
        {"name": key, "outlets": total, "enabled": enabled}
        for key, (total, enabled) in sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
