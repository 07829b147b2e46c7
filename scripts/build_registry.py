"""Build the bundled outlet registry from the open feed lists and open media data.

Reads ``../shared/data`` (or ``--data DIR``) and writes ``src/newsprism/registry/data``:

- ``outlets.json.gz``: every news outlet with feeds of its own that the open lists give (Kagi News
  feeds, awesome-rss-feeds, fundus), with country, language, categories, and ownership from Kagi's
  media data and the ASD state-media matrix;
- ``wikipedia_rsp.json.gz``: Wikipedia's perennial-sources reliability status (CC BY-SA 4.0).

Rater files (MBFC, AllSides) are read only to choose a default set that spans the spectrum; none
of their labels or names reaches the output. Needs ``babel`` (for country names) at build time.

    python scripts/build_registry.py [--data ../shared/data] [--out src/newsprism/registry/data]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.languages import get_official_languages

from newsprism.domains import registrable_domain
from newsprism.registry.bundle import (
    OUTLETS_FILE,
    WIKIPEDIA_RSP_FILE,
    BundledFeed,
    BundledOutlet,
    write_bundle,
)
from newsprism.registry.opml import parse_opml
from newsprism.registry.ownership import (
    ownership_from_asd,
    ownership_from_kite,
    short_owner,
)
from newsprism.registry.platforms import (
    looks_like_blog,
    looks_like_podcast_or_video,
    outlet_domain_for_url,
)

REPO = Path(__file__).resolve().parents[1]

# Kagi categories that are not news: audio shows, comics, and accounts on media platforms.
EXCLUDED_KITE_CATEGORIES = {"Podcasts", "Web Comics", "Freedom From Accounts"}
# Sites in the lists that are not news outlets: companies' own blogs and newsrooms, preprint
# servers, link aggregators and comics.
NOT_NEWS_DOMAINS = {
    "apple.com", "microsoft.com", "amazon.com", "meta.com", "nvidia.com", "ibm.com",
    "mozilla.org", "arxiv.org", "ycombinator.com", "metafilter.com", "xkcd.com",
    "smbc-comics.com", "explosm.net", "oatmeal.com", "theoatmeal.com",
}  # fmt: skip
# awesome-rss-feeds topics that are entertainment, not news.
EXCLUDED_AWESOME_CATEGORIES = {"Funny"}
# Kagi's core lists of general news: their outlets join the default set.
DEFAULT_KITE_CORE = {"World", "USA", "Middle East", "Asia", "Business"}
# A default outlet polls at most this many feeds: the main ones, not every section.
DEFAULT_FEEDS_PER_OUTLET = 3
# Country-code TLDs sold as generic names (.io, .tv, .fm …): they say nothing about a country.
GENERIC_CCTLDS = {
    "io", "tv", "me", "fm", "ai", "ly", "to", "cc", "ws", "gg", "co", "la", "so", "am", "nu",
    "tk", "ml", "ga", "cf", "gq", "vc", "sh", "ac", "im", "ag", "gd", "vg", "ms", "st", "eu",
    "su", "cx",
}  # fmt: skip
COUNTRY_ALIASES = {
    "usa": "us",
    "uk": "gb",
    "the netherlands": "nl",
    "dr congo": "cd",
    "congo": "cg",
    "hong kong": "hk",
    "macau": "mo",
    "palestine": "ps",
    "russia": "ru",
    "turkey": "tr",
    "czech republic": "cz",
    "myanmar": "mm",
    "madeira island": "pt",
    "north carolina": "us",
    "the gambia": "gm",
    "vatican city": "va",
    "ivory coast": "ci",
    "south korea": "kr",
    "north korea": "kp",
}
# fundus writes a few countries outside ISO 3166 alpha-2.
FUNDUS_COUNTRY_FIXES = {"uk": "gb", "ind": "in", "isl": "is"}
# Wikipedia perennial-sources status codes as the idiap file writes them.
RSP_STATUS = {
    -2: "deprecated",
    -1: "generally unreliable",
    0: "no consensus",
    1: "generally reliable",
}

_TERRITORIES = {name.lower(): code.lower() for code, name in Locale("en").territories.items()}


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-2 for a country name in the lists ('USA | Texas' -> 'us')."""
    for part in name.split("|"):
        clean = re.sub(r"\(.*?\)", "", part).strip().lower()
        code = COUNTRY_ALIASES.get(clean) or _TERRITORIES.get(clean)
        if code and len(code) == 2 and code.isalpha():
            return code
    return None


def cctld_country(domain: str) -> str | None:
    tld = domain.rsplit(".", 1)[-1]
    if len(tld) == 2 and tld not in GENERIC_CCTLDS:
        code = "gb" if tld == "uk" else tld
        if code.upper() in Locale("en").territories:
            return code
    return None


@dataclass
class FeedEntry:
    url: str
    source: str  # kite | kite-core | awesome | fundus
    title: str | None = None
    category: str | None = None
    country: str | None = None
    language: str | None = None
    outlet_hint: str | None = None  # the outlet's site (OPML htmlUrl, fundus domain)


@dataclass
class OutletDraft:
    domain: str
    names: list[tuple[int, str]] = field(default_factory=list)  # (priority, name)
    countries: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    categories: set[str] = field(default_factory=set)
    feeds: dict[str, FeedEntry] = field(default_factory=dict)
    homepage: str | None = None
    ownership: str | None = None
    owner: str | None = None
    default: bool = False


# ---------------------------------------------------------------------- reading the lists


def read_kite(data: Path) -> list[FeedEntry]:
    entries = []
    document = json.loads((data / "feeds" / "kite_feeds.json").read_text(encoding="utf-8"))
    for category, info in document.items():
        if category in EXCLUDED_KITE_CATEGORIES:
            continue
        country = country_code(category)
        language = (info.get("source_language") or "").lower() or None
        for url in info.get("feeds", []):
            entries.append(FeedEntry(url.strip(), "kite", None, category, country, language))
    core = json.loads((data / "feeds" / "kite_core_feeds_DERIVED.json").read_text("utf-8"))
    for category, urls in core.items():
        if category in EXCLUDED_KITE_CATEGORIES:
            continue
        for url in urls:
            entries.append(
                FeedEntry(url.strip(), "kite-core", None, category, country_code(category))
            )
    return entries


def read_awesome(data: Path) -> list[FeedEntry]:
    entries = []
    root = data / "feeds" / "awesome-rss-feeds"
    for kind in ("countries", "recommended"):
        for path in sorted((root / kind / "with_category").glob("*.opml")):
            country = country_code(path.stem) if kind == "countries" else None
            category = None if kind == "countries" else path.stem
            for feed in parse_opml(path.read_bytes(), str(path)):
                entries.append(
                    FeedEntry(
                        feed.url,
                        "awesome-countries" if kind == "countries" else "awesome",
                        feed.title,
                        category,
                        country,
                        None,
                        feed.html_url,
                    )
                )
    return entries


def read_fundus(data: Path) -> tuple[list[FeedEntry], dict[str, tuple[str, str]]]:
    entries: list[FeedEntry] = []
    publishers: dict[str, tuple[str, str]] = {}
    with (data / "feeds" / "fundus_publishers_DERIVED.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            domain = registrable_domain(row["domain"])
            code = row["country_code"].strip().lower()
            country = FUNDUS_COUNTRY_FIXES.get(code, code) or None
            publishers[domain] = (row["name"].strip(), country or "")
            for url in row["rss_feeds"].split():
                entries.append(FeedEntry(url, "fundus", None, None, country, None, row["domain"]))
    return entries, publishers


def read_kite_media(data: Path) -> dict[str, dict[str, str]]:
    records = json.loads((data / "ratings" / "kite_media_data.json").read_text("utf-8"))
    by_domain: dict[str, dict[str, str]] = {}
    for record in records:
        for domain in record.get("domains", []):
            by_domain[registrable_domain(domain)] = record
    return by_domain


def read_asd(data: Path) -> dict[str, dict[str, str]]:
    by_domain: dict[str, dict[str, str]] = {}
    with (data / "ratings" / "asd_state_media_matrix.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            domain = registrable_domain(row.get("URL") or "")
            if domain:
                by_domain.setdefault(domain, row)
    return by_domain


def read_rsp(data: Path) -> dict[str, int]:
    raw = json.loads((data / "ratings" / "idiap_wikipedia_perennial_sources.json").read_text())
    return {str(domain).lower(): int(status) for domain, status in raw.items()}


def read_rater_sides(data: Path) -> tuple[dict[str, int], dict[str, int], set[str]]:
    """Build-time only: side (-1/0/+1) and popularity per domain, and low-factuality domains."""
    sides: dict[str, int] = {}
    popularity: dict[str, int] = {}
    shunned: set[str] = set()
    mbfc = json.loads((data / "ratings" / "mbfcext_v5_combined.json").read_text("utf-8"))
    side_of = {"left": -1, "left-center": -1, "center": 0, "right-center": 1, "right": 1}
    traffic = {"high-traffic": 3, "medium-traffic": 2, "minimal-traffic": 1}
    for source in mbfc["sources"]:
        domain = registrable_domain(source.get("domain") or "")
        if not domain:
            continue
        if source.get("bias") in side_of:
            sides.setdefault(domain, side_of[source["bias"]])
        # Widely read outlets stay eligible whatever their rating (readers see the factuality
        # badge); fringe sites of very low factuality, conspiracy and satire do not.
        fringe = source.get("traffic") != "high-traffic" and source.get("bias") == "fake-news"
        if (
            fringe
            or source.get("reporting") == "very-low"
            or source.get("bias") in ("conspiracy-pseudoscience", "satire")
        ):
            shunned.add(domain)
        score = traffic.get(source.get("traffic", ""), 0) * 1000 + int(source.get("popularity", 0))
        popularity[domain] = max(popularity.get(domain, 0), score)
    allsides_side = {"Left": -1, "Lean Left": -1, "Center": 0, "Lean Right": 1, "Right": 1}
    with (data / "ratings" / "lmeynent_allsides_2022-09.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            domain = registrable_domain(row.get("url") or "")
            if domain and row.get("type") == "News" and row.get("bias") in allsides_side:
                sides.setdefault(domain, allsides_side[row["bias"]])
    return sides, popularity, shunned


# ---------------------------------------------------------------------- assembling outlets


def clean_title(title: str, domain: str) -> str | None:
    """A feed title names its outlet somewhere: 'Latest News | Daily Telegraph' -> 'Daily Telegraph'."""
    label = re.sub(r"[^a-z0-9]", "", domain.split(".")[0])
    parts = [p.strip() for p in re.split(r"\s+[|:\-–—]\s+", title) if p.strip()]
    for part in parts:
        squashed = re.sub(r"[^a-z0-9]", "", part.lower())
        # The part must name the outlet, not merely share a word with its domain ('News' is
        # in '9news' but is not its name).
        if squashed and (
            label in squashed or (squashed in label and len(squashed) >= max(5, 0.7 * len(label)))
        ):
            return part
    return None


def collect(
    entries: list[FeedEntry], known_news: set[str]
) -> tuple[dict[str, OutletDraft], Counter[str]]:
    outlets: dict[str, OutletDraft] = {}
    dropped: Counter[str] = Counter()
    for entry in entries:
        if not entry.url.lower().startswith(("http://", "https://")):
            dropped["not an http(s) URL"] += 1
            continue
        domain = outlet_domain_for_url(entry.url)
        if not domain and entry.outlet_hint:
            domain = outlet_domain_for_url(entry.outlet_hint)
        if not domain:
            dropped["shared platform (no outlet of its own)"] += 1
            continue
        if domain in NOT_NEWS_DOMAINS or entry.category in EXCLUDED_AWESOME_CATEGORIES:
            dropped["not a news outlet"] += 1
            continue
        if looks_like_podcast_or_video(entry.url):
            dropped["podcast or video feed"] += 1
            continue
        if looks_like_blog(entry.url) and domain not in known_news:
            dropped["blog"] += 1
            continue
        draft = outlets.setdefault(domain, OutletDraft(domain))
        if entry.url not in draft.feeds or entry.source in ("fundus", "awesome-countries"):
            draft.feeds[entry.url] = entry
        if entry.category:
            draft.categories.add(entry.category)
        if entry.country:
            draft.countries[entry.country] += 1
        if entry.language:
            draft.languages[entry.language] += 1
        if entry.title:
            name = clean_title(entry.title, domain)
            if name:
                draft.names.append((3, name))
        if entry.outlet_hint and registrable_domain(entry.outlet_hint) == domain:
            draft.homepage = draft.homepage or entry.outlet_hint.strip()
    return outlets, dropped


def enrich(
    outlets: dict[str, OutletDraft],
    fundus: dict[str, tuple[str, str]],
    kite_media: dict[str, dict[str, str]],
    asd: dict[str, dict[str, str]],
) -> None:
    for domain, draft in outlets.items():
        if domain in fundus:
            name, country = fundus[domain]
            draft.names.append((1, name))
            if country:
                draft.countries[country] += 100
        record = kite_media.get(domain)
        if record:
            if record.get("organization"):
                draft.names.append((2, record["organization"].strip()))
            code = country_code(record.get("country") or "")
            if code:
                draft.countries[code] += 50
            draft.ownership = ownership_from_kite(
                record.get("typology", ""), record.get("owner", "")
            )
            draft.owner = short_owner(record.get("owner", ""))
        row = asd.get(domain)
        if row:
            draft.names.append((2, (row.get("Main assets") or "").strip()))
            code = country_code(row.get("Country") or "")
            if code:
                draft.countries[code] += 50
            category = ownership_from_asd(row.get("Typology") or "")
            if category:
                draft.ownership = category
            draft.owner = short_owner(row.get("Media company") or "") or draft.owner


def choose_defaults(
    outlets: dict[str, OutletDraft],
    sides: dict[str, int],
    popularity: dict[str, int],
    shunned: set[str],
) -> Counter[int]:
    """A default set across countries (curated per-country lists) balanced across the spectrum."""
    for draft in outlets.values():
        sources = {feed.source for feed in draft.feeds.values()}
        core_news = any(
            feed.source == "kite-core" and feed.category in DEFAULT_KITE_CORE
            for feed in draft.feeds.values()
        )
        curated = bool(sources & {"fundus", "awesome-countries"}) or core_news
        draft.default = curated and draft.domain not in shunned
    balance: Counter[int] = Counter(
        sides[d.domain] for d in outlets.values() if d.default and d.domain in sides
    )
    # Top up the thinner sides with the most-read rated outlets we have feeds for, so that a
    # fresh install shows left, center and right coverage of the same stories.
    target = max(balance.values(), default=0)
    candidates = sorted(
        (
            d
            for d in outlets.values()
            if not d.default and d.domain in sides and d.domain not in shunned
        ),
        key=lambda d: (-popularity.get(d.domain, 0), d.domain),
    )
    for draft in candidates:
        side = sides[draft.domain]
        if balance[side] < target and popularity.get(draft.domain, 0) >= 3000:
            draft.default = True
            balance[side] += 1
    return balance


_MAIN_FEED = re.compile(
    r"home|top|latest|index|main|front|headline|schlagzeilen|breaking|/news|/world|/all|rss\.xml$",
    re.I,
)


def feed_rank(entry: FeedEntry) -> tuple[int, int, int, int, str]:
    """Curated lists first, then general feeds (home page, top stories) before section feeds."""
    if entry.source in ("fundus", "awesome-countries"):
        curated = 0
    elif entry.source == "kite-core" and entry.category in DEFAULT_KITE_CORE:
        curated = 1
    else:
        curated = 2
    path = entry.url.split("://", 1)[-1].split("?", 1)[0].rstrip("/")
    depth = path.count("/")
    general = 0 if _MAIN_FEED.search(path) else 1
    return (curated, general, depth, len(entry.url), entry.url)


def _feed_key(url: str) -> str:
    """One feed under its spellings: http/https, www. or not, a trailing slash."""
    rest = url.split("://", 1)[-1]
    host, _, path = rest.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}/{path}".rstrip("/")


def _without_spelling_variants(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Keep each feed once (in rank order), under its https spelling when the lists give one."""
    chosen: dict[str, FeedEntry] = {}
    for entry in entries:
        key = _feed_key(entry.url)
        kept = chosen.get(key)
        if kept is None:
            chosen[key] = entry
        elif kept.url.startswith("http://") and entry.url.startswith("https://"):
            chosen[key] = FeedEntry(**{**kept.__dict__, "url": entry.url})
    return list(chosen.values())


def finish(draft: OutletDraft) -> BundledOutlet:
    names = sorted((p, n) for p, n in draft.names if n)
    name = names[0][1] if names else draft.domain
    country = (
        draft.countries.most_common(1)[0][0] if draft.countries else cctld_country(draft.domain)
    )
    language = draft.languages.most_common(1)[0][0] if draft.languages else None
    if language is None and country:
        # Only where the country has one official language: a guess in India or Canada would
        # be wrong half the time.
        official = get_official_languages(country.upper(), de_facto=True)
        language = official[0] if len(official) == 1 else None
    ordered = _without_spelling_variants(sorted(draft.feeds.values(), key=feed_rank))
    feeds = [
        BundledFeed(
            url=entry.url,
            title=entry.title,
            default=draft.default and index < DEFAULT_FEEDS_PER_OUTLET,
        )
        for index, entry in enumerate(ordered)
    ]
    return BundledOutlet(
        domain=draft.domain,
        name=name[:255],
        country=country,
        language=language,
        homepage=draft.homepage or f"https://{draft.domain}/",
        ownership=draft.ownership,
        owner=draft.owner,
        categories=sorted(draft.categories),
        default=draft.default,
        feeds=feeds,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "--out", type=Path, default=REPO / "src" / "newsprism" / "registry" / "data"
    )
    args = parser.parse_args(argv)
    data: Path = args.data
    if not (data / "feeds").is_dir() or not (data / "ratings").is_dir():
        print(f"build_registry: {data} lacks feeds/ and ratings/", file=sys.stderr)
        return 1

    fundus_entries, fundus = read_fundus(data)
    entries = read_kite(data) + read_awesome(data) + fundus_entries
    kite_media, asd, rsp = read_kite_media(data), read_asd(data), read_rsp(data)
    sides, popularity, shunned = read_rater_sides(data)
    known_news = set(fundus) | set(kite_media) | set(asd) | set(rsp) | set(sides) | set(popularity)

    drafts, dropped = collect(entries, known_news)
    enrich(drafts, fundus, kite_media, asd)
    balance = choose_defaults(drafts, sides, popularity, shunned)
    outlets = [finish(drafts[d]) for d in sorted(drafts)]

    args.out.mkdir(parents=True, exist_ok=True)
    sources = [
        "Kagi News feeds and media data (MIT, © Kagi Search)",
        "awesome-rss-feeds (CC0)",
        "fundus publishers (MIT, flairNLP)",
        "ASD state-media matrix, seeded from State Media Monitor (MIT)",
    ]
    version = write_bundle(args.out / OUTLETS_FILE, outlets, sources)
    rsp_doc = {
        "source": "Wikipedia:Reliable sources/Perennial sources, via idiap/News-Media-Reliability",
        "license": "CC BY-SA 4.0",
        "url": "https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources",
        "status": {domain: RSP_STATUS[code] for domain, code in sorted(rsp.items())},
    }
    with (
        (args.out / WIKIPEDIA_RSP_FILE).open("wb") as handle,
        gzip.GzipFile(fileobj=handle, mode="wb", mtime=0) as gz,
    ):
        gz.write(json.dumps(rsp_doc, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    defaults = [o for o in outlets if o.default]
    print(f"registry version {version}")
    print(f"outlets {len(outlets)}, feeds {sum(len(o.feeds) for o in outlets)}")
    print(
        f"default outlets {len(defaults)} in {len({o.country for o in defaults if o.country})} "
        f"countries, default feeds {sum(f.default for o in outlets for f in o.feeds)}"
    )
    print(f"default outlets by side (build-time rater data): {dict(sorted(balance.items()))}")
    print(
        f"with country {sum(1 for o in outlets if o.country)}, with ownership "
        f"{sum(1 for o in outlets if o.ownership)}, with language {sum(1 for o in outlets if o.language)}"
    )
    print("dropped feed entries: " + ", ".join(f"{k} {v}" for k, v in dropped.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
