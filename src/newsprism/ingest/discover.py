"""Adding a source: a feed URL as it is (once a fetch proves it parses), or a site whose feed is
found through its ``<link rel="alternate">`` tags or the usual feed paths."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html

from newsprism.config import Settings
from newsprism.domains import is_domain_name, registrable_domain
from newsprism.errors import InputError
from newsprism.ingest.feeds import FeedError, ParsedFeed, looks_like_html, parse_feed
from newsprism.ingest.http import Fetcher
from newsprism.store.database import Database
from newsprism.store.feeds import enable_feed
from newsprism.store.outlets import (
    add_feed,
    feed_id_for_url,
    feed_outlet_domain,
    get_or_create_outlet,
    set_outlets_enabled,
    validate_feed_url,
)

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
# Where CMSs put their main feed (WordPress, Ghost, Hugo, Jekyll, Blogger, Drupal…), most common
# first; each costs one polite request, so the list stays short.
COMMON_FEED_PATHS = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feeds/posts/default",
)
MAX_CANDIDATES = 12


@dataclass(slots=True)
class AddedSource:
    feed_id: int
    feed_url: str
    outlet_id: int
    outlet_domain: str
    title: str | None
    entries: int  # entries the feed held when it was checked
    discovered: bool  # the URL given was a page; the feed was found from it
    created: bool  # False when the feed was already known


def add_source(
    db: Database, settings: Settings, url: str, outlet_domain: str | None = None
) -> AddedSource:
    """Add the feed at ``url`` (or discovered from the page at ``url``) to an outlet.

    The outlet is ``outlet_domain`` when given, else the registrable domain of the site the
    feed belongs to; it is created when unknown and enabled when it was switched off.
    """
    given = url.strip()
    if given and "://" not in given:
        given = "https://" + given
    given = validate_feed_url(given, settings)
    if outlet_domain is not None and not is_domain_name(outlet_domain):
        raise InputError(f"--outlet {outlet_domain!r}: not a domain name (such as example.com)")
    with Fetcher(settings) as fetcher:
        feed_url, parsed, discovered = find_feed(fetcher, given)
    domain = registrable_domain(outlet_domain or "") or _site_domain(given, parsed, discovered)
    with db.write() as conn:
        existing = feed_id_for_url(conn, feed_url)
        if existing is not None:
            # A known feed stays with its outlet, whatever --outlet says; say which that is.
            domain = feed_outlet_domain(conn, existing) or domain
        outlet_id = get_or_create_outlet(conn, domain, parsed.title, origin="user")
        if outlet_id is None:
            raise InputError(
                f"{given}: cannot tell which outlet this feed belongs to; use --outlet"
            )
        # Only the outlet: its other (registry) feeds stay as they were.
        set_outlets_enabled(conn, [outlet_id], True, max_feeds=0)
        feed_id = add_feed(conn, outlet_id, feed_url, title=parsed.title, settings=settings)
        enable_feed(conn, feed_id)
    return AddedSource(
        feed_id=feed_id,
        feed_url=feed_url,
        outlet_id=outlet_id,
        outlet_domain=domain,
        title=parsed.title,
        entries=len(parsed.entries),
        discovered=discovered,
        created=existing is None,
    )


def _site_domain(given: str, parsed: ParsedFeed, discovered: bool) -> str:
    # A feed on a feed host (feeds.feedburner.com, feeds.example-cdn.net) names its site in
    # <link>; a page the user gave is the site itself.
    if not discovered and parsed.site_url:
        site = registrable_domain(parsed.site_url)
        if site:
            return site
    return registrable_domain(given)


def find_feed(fetcher: Fetcher, url: str) -> tuple[str, ParsedFeed, bool]:
    """(feed URL, parsed feed, discovered?) for a feed URL or a page; InputError when none."""
    result = fetcher.fetch(url, "feed")
    if not result.ok:
        raise InputError(f"{url}: {result.error or result.outcome}")
    try:
        return url, _parse(result.body, result.final_url, result.content_type), False
    except FeedError as exc:
        if not looks_like_html(result.body, result.content_type):
            raise InputError(f"{url}: {exc}") from None
    tried: list[str] = []
    for candidate in feed_candidates(result.body, result.final_url):
        tried.append(candidate)
        page = fetcher.fetch(candidate, "feed")
        if not page.ok:
            continue
        try:
            return candidate, _parse(page.body, page.final_url, page.content_type), True
        except FeedError:
            continue
    raise InputError(
        f"{url}: no feed found: the page is HTML and none of {len(tried)} candidate feed URLs "
        "(its <link rel=alternate> tags and the usual paths such as /feed and /rss.xml) "
        "answered with a feed"
    )


def _parse(body: bytes, url: str, content_type: str) -> ParsedFeed:
    return parse_feed(body, url=url, content_type=content_type)


def feed_candidates(page: bytes, page_url: str) -> list[str]:
    """Feed URLs a page advertises, then the usual paths on its site; no duplicates."""
    candidates: list[str] = []
    try:
        document = lxml.html.fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        document = None
    if document is not None:
        for link in document.iter("link"):
            rel = (link.get("rel") or "").lower().split()
            kind = (link.get("type") or "").split(";", 1)[0].strip().lower()
            href = (link.get("href") or "").strip()
            if "alternate" in rel and kind in FEED_TYPES and href:
                candidates.append(urljoin(page_url, href))
    parts = urlsplit(page_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    candidates += [origin + path for path in COMMON_FEED_PATHS]
    unique = [c for c in dict.fromkeys(candidates) if urlsplit(c).scheme in ("http", "https")]
    return unique[:MAX_CANDIDATES]
