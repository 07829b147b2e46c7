"""Importing a rater's file: match its entries to outlets and replace that provider's ratings.

Matching is by registrable domain, so ``www.``, ``amp.`` and other subdomains meet their outlet.
Each row lands in exactly one of three counts:

- **matched**: the row's outlet was already in the store (registry, user or article import);
- **ambiguous**: several rater entries fall on one outlet (``yahoo.com`` and ``news.yahoo.com``),
  or an Ad Fontes name fits several outlets (a US ``.com``/``.org`` namesake is preferred over
  foreign ones, so "Politico" is politico.com, but "ABC News" stays ambiguous). For a shared domain one entry is kept (the one whose
  host is the registrable domain itself, else the first); an ambiguous name is not stored;
- **unknown**: the row names no outlet we have: no domain, an unmatched name, or not a news outlet
  (AllSides also rates authors and think tanks). A row with a domain the store lacks still
  creates that outlet (origin ``ratings``, no feeds) unless ``create_outlets`` is off: the rating
  then applies as soon as articles from that outlet arrive by import or by an added feed, which
  is why a self-hoster imports raters first. Such rows count as unknown, because the store did
  not know them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from newsprism.domains import hostname, registrable_domain
from newsprism.registry.bundle import WIKIPEDIA_RSP_FILE, bundled_path
from newsprism.registry.importers import RatingRow, read_ratings, read_wikipedia_rsp
from newsprism.registry.platforms import is_platform_domain
from newsprism.store.database import Database
from newsprism.store.outlets import OutletRow, insert_outlets, outlet_rows_by_domain
from newsprism.store.ratings import provider_counts, replace_provider_ratings

# Raters whose entries are names of one market's outlets: the top-level domains of that market.
MARKET_TLDS = {"adfontes": frozenset({"com", "org", "net", "us"})}


@dataclass(slots=True)
class RatingsImportReport:
    provider: str
    rows: int = 0
    matched: int = 0
    ambiguous: int = 0
    unknown: int = 0
    stored: int = 0
    outlets_created: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "rows": self.rows,
            "matched": self.matched,
            "ambiguous": self.ambiguous,
            "unknown": self.unknown,
        }


def import_ratings(
    db: Database, provider: str, path: Path, *, create_outlets: bool = True
) -> RatingsImportReport:
    rows = read_ratings(provider, path)
    with db.write() as conn:
        return store_ratings(conn, provider, rows, create_outlets=create_outlets)


def store_ratings(
    conn: Connection, provider: str, rows: list[RatingRow], *, create_outlets: bool = True
) -> RatingsImportReport:
    aliases = [row for row in rows if row.alias_of]
    rows = [row for row in rows if not row.alias_of]
    report = RatingsImportReport(provider, rows=len(rows))
    outlets = outlet_rows_by_domain(conn)
    names = _name_index(outlets.values()) if any(r.domain is None for r in rows) else {}
    groups: dict[str, list[RatingRow]] = defaultdict(list)
    for row in rows:
        if row.skip_reason:
            report.unknown += 1
            report.reasons[row.skip_reason.split(" '")[0]] += 1
            continue
        domain = _domain_of(row, names, report, MARKET_TLDS.get(provider, frozenset()))
        if domain:
            groups[domain].append(row)

    chosen: dict[str, RatingRow] = {}
    for domain, group in groups.items():
        if len(group) > 1:
            report.ambiguous += len(group)
            report.reasons["several entries for one domain"] += len(group)
        elif domain in outlets:
            report.matched += 1
        else:
            report.unknown += 1
            report.reasons["domain not in the store"] += 1
        chosen[domain] = _pick(domain, group)

    for row in aliases:
        domain = registrable_domain(row.domain or "")
        if domain in outlets and domain not in chosen:
            chosen[domain] = row

    missing = [d for d in chosen if d not in outlets]
    if missing and create_outlets:
        insert_outlets(
            conn,
            [
                {
                    "domain": domain,
                    "name": (chosen[domain].name or domain).strip()[:255] or domain,
                    "categories": [],
                    "is_default": False,
                    "enabled": True,
                    "origin": "ratings",
                }
                for domain in missing
            ],
        )
        report.outlets_created = len(missing)
        outlets = outlet_rows_by_domain(conn)
    stored = [
        _rating_values(outlets[domain].id, row)
        for domain, row in sorted(chosen.items())
        if domain in outlets
    ]
    report.stored = replace_provider_ratings(conn, provider, stored)
    return report


def _rating_values(outlet_id: int, row: RatingRow) -> dict[str, Any]:
    return {
        "outlet_id": outlet_id,
        "bias_label": row.bias_label,
        "bias_score": row.bias_score,
        "factuality_label": row.factuality_label,
        "factuality_score": row.factuality_score,
        "url": row.url,
        "rated_at": row.rated_at,
        "extra": {**row.extra, **({"name": row.name} if row.name else {})},
    }


def _domain_of(
    row: RatingRow,
    names: dict[str, set[str]],
    report: RatingsImportReport,
    market_tlds: frozenset[str] = frozenset(),
) -> str:
    if row.domain:
        domain = registrable_domain(row.domain)
        if not domain or "." not in domain:
            report.unknown += 1
            report.reasons["no usable domain"] += 1
            return ""
        if is_platform_domain(domain):
            # One blog on Substack or Blogspot says nothing about the platform's other authors.
            report.unknown += 1
            report.reasons["on a shared platform"] += 1
            return ""
        return domain
    if not row.name:
        report.unknown += 1
        report.reasons["neither domain nor name"] += 1
        return ""
    candidates = names.get(normalize_name(row.name), set())
    if len(candidates) > 1 and market_tlds:
        # A rater of one market (Ad Fontes: the US) means its own outlet when a name is shared
        # with foreign namesakes (politico.com, not politico.eu).
        local = {d for d in candidates if d.rsplit(".", 1)[-1] in market_tlds}
        candidates = local or candidates
    if len(candidates) == 1:
        return next(iter(candidates))
    if candidates:
        report.ambiguous += 1
        report.reasons["name fits several outlets"] += 1
    else:
        report.unknown += 1
        report.reasons["no outlet of that name"] += 1
    return ""


def _pick(domain: str, group: list[RatingRow]) -> RatingRow:
    """The entry for the outlet itself (``cbsnews.com``) beats its subsites and sections
    (``cbsnews.com/losangeles``, ``news.yahoo.com``); failing that, the first entry."""
    for row in group:
        bare = re.sub(r"^(https?://)?(www\.)?", "", (row.domain or "").strip().lower()).rstrip("/")
        if bare == domain:
            return row
    for row in group:
        host = hostname(row.domain or "")
        if host in (domain, f"www.{domain}"):
            return row
    return group[0]


_NAME_NOISE = re.compile(r"[^a-z0-9]+")


def normalize_name(name: str) -> str:
    """'The New York Times' and 'new-york times' -> 'newyorktimes'; 'CNN.com' -> 'cnn'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"\.(com|org|net|co\.uk|news)$", "", text)
    return _NAME_NOISE.sub("", text)


def _name_index(outlets: Any) -> dict[str, set[str]]:
    """Name keys -> domains: the outlet's name, and its domain's first label ('foxnews')."""
    index: dict[str, set[str]] = defaultdict(set)
    row: OutletRow
    for row in outlets:
        keys = {normalize_name(row.name), normalize_name(row.domain.split(".")[0])}
        for key in keys:
            if len(key) >= 2:
                index[key].add(row.domain)
    return index


def load_bundled_wikipedia_rsp(db: Database) -> int:
    """Wikipedia's reliability statuses (bundled, CC BY-SA) for outlets in the store.

    Only when the store holds no ``wikipedia-rsp`` ratings yet: an operator's own import wins.
    """
    path = bundled_path(WIKIPEDIA_RSP_FILE)
    if not path.is_file():
        return 0
    with db.write() as conn:
        if provider_counts(conn).get("wikipedia-rsp"):
            return 0
        rows = read_wikipedia_rsp(
            path.read_bytes() if path.suffix != ".gz" else _gunzip(path), str(path)
        )
        report = store_ratings(conn, "wikipedia-rsp", rows, create_outlets=False)
    return report.stored


def _gunzip(path: Path) -> bytes:
    import gzip

    return gzip.decompress(path.read_bytes())
