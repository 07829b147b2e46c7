"""Feed parsing: RSS 2.0, RSS 1.0/RDF, Atom (feedparser) and JSON Feed, on bytes we fetched.

feedparser only ever sees bytes here (its own HTTP client has no timeout). What it recovers
from (malformed XML with usable entries, a wrong or missing charset, feed items inside an HTML
page) is kept and reported as a problem of the document; what cannot be a feed (an HTML page, a document declaring XML entities, JSON that is no JSON Feed) raises
``FeedError`` with a one-line reason. Entries come out deduplicated, with absolute http(s) links,
plain-text titles and UTC dates that are never in the future.
"""

from __future__ import annotations

import calendar
import html
import json
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import nh3

from newsprism import jsontext
from newsprism.errors import InputError
from newsprism.ingest.dates import ZERO_YEAR
from newsprism.timeutil import utcnow

# A feed listing more than this is an archive dump; the newest entries are what polling needs.
MAX_ENTRIES = 1000
# Clocks and time zones of publishers are sloppy; a few minutes ahead is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=10)
# Dates before this are placeholders (0001-01-01, 1970-01-01), not publication dates.
EARLIEST_DATE = datetime(1995, 1, 1, tzinfo=UTC)

_HTML_TAG = re.compile(rb"<!doctype\s+html|<html|<head|<body", re.I)
_JSONFEED_VERSION = "https://jsonfeed.org/version/"


class FeedError(InputError):
    """The document is not a usable feed; the message says why in one line."""


@dataclass(slots=True)
class FeedEntry:
    url: str
    title: str
    summary: str | None = None  # the feed's HTML description (sanitized when stored)
    content: str | None = None  # full HTML content some feeds carry (content:encoded, Atom content)
    published: datetime | None = None
    date_note: str | None = None
    guid: str | None = None
    author: str | None = None
    image: str | None = None


@dataclass(slots=True)
class ParsedFeed:
    kind: str  # rss20 | rss10 | atom10 | json | … (feedparser's version names)
    title: str | None
    site_url: str | None
    entries: list[FeedEntry]
    notes: list[str] = field(default_factory=list)  # what was tolerated, one line each
    # Defects of the document itself that the parser recovered from (malformed XML, a wrong
    # charset, an HTML page with feed items inside): the entries are usable, but the feed is
    # broken and counts as failing until its publisher fixes it. One line each.
    problems: list[str] = field(default_factory=list)


# -- entry point -------------------------------------------------------------------------------


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str = "",
    fetched_at: datetime | None = None,
) -> ParsedFeed:
    """Parse a fetched document; raises FeedError when it is not a usable feed."""
    fetched_at = fetched_at or utcnow()
    if not body.strip():
        raise FeedError("not a feed: the response was empty")
    if _looks_like_json(body, content_type):
        return _parse_json_feed(body, url, fetched_at)
    if declares_xml_entities(body):
        raise FeedError("refused: the document declares XML entities (entity expansion attack)")
    return _parse_xml_feed(body, url, content_type, fetched_at)


def looks_like_html(body: bytes, content_type: str = "") -> bool:
    return "html" in content_type.lower() or _starts_as_html(body[:4096])


def _starts_as_html(head: bytes) -> bool:
    """Whether the document opens, after white space and comments, with an HTML tag.

    Comments are skipped by searching for their ends, in linear time: a pattern with a lazy
    ``<!--.*?-->`` repeated has exponentially many ways to split "<!----><!---->…", and forty
    such comments before a feed froze the whole process in the regex engine."""
    position = 0
    while True:
        position = len(head) - len(head[position:].lstrip())
        if not head.startswith(b"<!--", position):
            return _HTML_TAG.match(head, position) is not None
        end = head.find(b"-->", position + 4)
        if end < 0:
            return False
        position = end + 3


def declares_xml_entities(body: bytes) -> bool:
    """True when the prolog declares entities (billion laughs, external entities).

    expat reads only up to the root element's start tag, so this costs next to nothing, and it
    decodes the document's own encoding (a UTF-16 bomb is found as well as a UTF-8 one).
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    class _Found(Exception):
        pass

    class _Root(Exception):
        pass

    def on_entity(*_args: Any) -> None:
        raise _Found

    def on_root(*_args: Any) -> None:
        raise _Root

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_root
    try:
        parser.Parse(body, True)
    except _Found:
        return True
    except (_Root, xml.parsers.expat.ExpatError):
        return False
    return False


# -- XML feeds (feedparser) --------------------------------------------------------------------


def _parse_xml_feed(body: bytes, url: str, content_type: str, fetched_at: datetime) -> ParsedFeed:
    # No content-location: feedparser would resolve GUIDs against it as if they were links.
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    version = parsed.get("version") or ""
    raw_entries = parsed.get("entries") or []
    notes: list[str] = []
    problems: list[str] = []
    if not raw_entries and not version:
        if looks_like_html(body, content_type):
            raise FeedError(
                f"not a feed: the server sent an HTML page ({content_type or 'no content type'})"
            )
        problem = parsed.get("bozo_exception")
        raise FeedError(f"not a feed: unreadable XML ({problem or 'no feed elements found'})")
    if _starts_as_html(body[:4096]):
        # Feed items inside an HTML document: a CMS template or an error page around the feed.
        items = f"{len(raw_entries)} feed item{'s' if len(raw_entries) != 1 else ''}"
        problems.append(f"an HTML page, not a feed: {items} recovered from it")
    elif parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        if isinstance(problem, feedparser.CharacterEncodingOverride):
            problems.append(f"encoding: {problem}")
        elif not isinstance(problem, feedparser.NonXMLContentType):
            # A feed served as text/html or text/plain is common and harmless: not a defect.
            problems.append(f"malformed XML, parsed leniently: {problem}")
    meta = parsed.get("feed") or {}
    entries = _collect(
        (_xml_entry(raw, url, fetched_at) for raw in raw_entries[:MAX_ENTRIES]), notes
    )
    if len(raw_entries) > MAX_ENTRIES:
        notes.append(
            f"{len(raw_entries) - MAX_ENTRIES} entries beyond the first {MAX_ENTRIES} ignored"
        )
    return ParsedFeed(
        kind=version or "unknown",
        title=plain_text(meta.get("title")),
        site_url=_absolute(meta.get("link"), url),
        entries=entries,
        notes=notes,
        problems=problems,
    )


def _xml_entry(raw: Any, feed_url: str, fetched_at: datetime) -> FeedEntry | str:
    guid = _text(raw.get("id"))
    link = _absolute(raw.get("link"), feed_url)
    if link is None and guid and raw.get("guidislink", True):
        link = _absolute(guid, feed_url)
    title = plain_text(raw.get("title"))
    if link is None:
        return f"entry {title or guid or '(untitled)'!r} has no http(s) link"
    content = None
    for part in raw.get("content") or []:
        if part.get("value"):
            content = str(part["value"])
            break
    summary = _text(raw.get("summary"))
    published, note = _entry_date(raw, fetched_at)
    return FeedEntry(
        url=link,
        title=title or "",
        summary=summary,
        content=content if content != summary else None,
        published=published,
        date_note=note,
        guid=guid,
        author=plain_text(raw.get("author")),
        image=_xml_image(raw, feed_url),
    )


def _entry_date(raw: Any, fetched_at: datetime) -> tuple[datetime | None, str | None]:
    # dict.get: FeedParserDict.get maps "updated" to "published" with a deprecation warning.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(raw, key)
        if value:
            text = str(dict.get(raw, key[:-7]) or "")
            if ZERO_YEAR.search(text):
                # feedparser reads "Mon, 01 Jan 0001" as 2001: a zero-padded year is a zero date.
                return None, f"feed date {text[:60]!r} is a placeholder; ignored"
            try:
                moment = datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (ValueError, OverflowError, OSError):
                # Year 0 or beyond 9999 ("0000-01-01T00:00:00Z"): a placeholder, not a date.
                return None, f"feed date out of range: {str(dict.get(raw, key[:-7]))[:60]!r}"
            return clamp_date(moment, fetched_at)
    raw_text = dict.get(raw, "published") or dict.get(raw, "updated")
    if raw_text:
        return None, f"unreadable date in feed: {str(raw_text)[:60]!r}"
    return None, "no date in feed"


def _xml_image(raw: Any, feed_url: str) -> str | None:
    candidates: list[Any] = []
    candidates += [m.get("url") for m in raw.get("media_content") or [] if _is_image(m)]
    candidates += [m.get("url") for m in raw.get("media_thumbnail") or []]
    for link in raw.get("links") or []:
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            candidates.append(link.get("href"))
    image = raw.get("image")
    if isinstance(image, dict):
        candidates.append(image.get("href") or image.get("url"))
    for candidate in candidates:
        absolute = _absolute(candidate, feed_url)
        if absolute:
            return absolute
    return None


def _is_image(media: dict[str, Any]) -> bool:
    kind = str(media.get("type") or media.get("medium") or "image")
    return kind.startswith("image")


# -- JSON Feed ---------------------------------------------------------------------------------


def _looks_like_json(body: bytes, content_type: str) -> bool:
    # The body decides, not the label: servers send RSS as application/json and JSON as text/xml.
    del content_type
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _parse_json_feed(body: bytes, url: str, fetched_at: datetime) -> ParsedFeed:
    notes: list[str] = []
    problems: list[str] = []
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        # JSON must be UTF-8; a legacy-encoded feed still reads best as Windows-1252.
        text = body.decode("cp1252", errors="replace")
        problems.append("encoding: JSON Feed is not UTF-8; read as windows-1252")
    try:
        doc = jsontext.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(f"not a feed: invalid JSON ({exc})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(_JSONFEED_VERSION):
        raise FeedError("not a feed: JSON without a JSON Feed version (https://jsonfeed.org)")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("not a feed: JSON Feed without an 'items' list")
    entries = _collect((_json_entry(item, url, fetched_at) for item in items[:MAX_ENTRIES]), notes)
    if len(items) > MAX_ENTRIES:
        notes.append(f"{len(items) - MAX_ENTRIES} entries beyond the first {MAX_ENTRIES} ignored")
    return ParsedFeed(
        kind="json" + str(doc["version"]).removeprefix(_JSONFEED_VERSION).replace(".", ""),
        title=plain_text(_text(doc.get("title"))),
        site_url=_absolute(doc.get("home_page_url"), url),
        entries=entries,
        notes=notes,
        problems=problems,
    )


def _json_entry(item: Any, feed_url: str, fetched_at: datetime) -> FeedEntry | str:
    if not isinstance(item, dict):
        return "JSON Feed item is not an object"
    guid = _text(item.get("id"))
    link = _absolute(item.get("url"), feed_url) or _absolute(item.get("external_url"), feed_url)
    title = plain_text(_text(item.get("title")))
    if link is None:
        return f"entry {title or guid or '(untitled)'!r} has no http(s) link"
    content = _text(item.get("content_html")) or _html_from_text(_text(item.get("content_text")))
    summary = _text(item.get("summary"))
    published, note = _json_date(item, fetched_at)
    return FeedEntry(
        url=link,
        title=title or "",
        summary=html.escape(summary) if summary else None,
        content=content,
        published=published,
        date_note=note,
        guid=guid,
        author=_json_author(item),
        image=_absolute(item.get("image"), feed_url)
        or _absolute(item.get("banner_image"), feed_url),
    )


def _json_date(item: dict[str, Any], fetched_at: datetime) -> tuple[datetime | None, str | None]:
    raw = item.get("date_published") or item.get("date_modified")
    if not raw:
        return None, "no date in feed"
    if not isinstance(raw, str):  # the format wants RFC 3339 text; 12345 is no date
        return None, f"unreadable date in feed: {str(raw)[:60]!r}"
    parsed = parse_date_text(raw)
    if parsed is None:
        return None, f"unreadable date in feed: {str(raw)[:60]!r}"
    return clamp_date(parsed, fetched_at)


def _json_author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item.get("author")] if item.get("author") else []
    names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    return ", ".join(names) or None


def _html_from_text(text: str | None) -> str | None:
    return f"<p>{html.escape(text)}</p>" if text else None


# -- shared helpers ----------------------------------------------------------------------------


def _collect(results: Any, notes: list[str]) -> list[FeedEntry]:
    """Keep usable entries once each; note what was dropped.

    A repeated link is the same entry listed twice, and so is a repeated GUID whose link points
    to the same page (an update: "/1" and "/1?v=2"). A GUID repeated with links to other pages
    is not trusted: some CMSs give every item the site's address as its GUID."""
    entries: list[FeedEntry] = []
    pages_of_guid: dict[str, set[str]] = {}
    seen_urls: set[str] = set()
    duplicates = shared_guids = 0
    for result in results:
        if isinstance(result, str):
            notes.append(result)
            continue
        page = _page_of(result.url)
        pages = pages_of_guid.get(result.guid) if result.guid else None
        if result.url in seen_urls or (pages is not None and page in pages):
            duplicates += 1
            continue
        if result.guid:
            shared_guids += pages is not None
            pages_of_guid.setdefault(result.guid, set()).add(page)
        seen_urls.add(result.url)
        entries.append(result)
    if duplicates:
        notes.append(f"{duplicates} duplicate entries (same GUID or link) dropped")
    if shared_guids:
        notes.append(f"{shared_guids} entries share a GUID with another page; kept by their links")
    notes.extend(_date_notes(entries))
    return entries


def _page_of(url: str) -> str:
    """The link without its query and fragment: what two versions of one item share."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path}"


_DATE_PROBLEMS = (
    ("no date in feed", "without a date"),
    ("unreadable date", "with an unreadable date"),
    ("is in the future", "dated in the future (set to fetch time)"),
    ("is a placeholder", "with a placeholder date (ignored)"),
)


def _date_notes(entries: list[FeedEntry]) -> list[str]:
    """One line per kind of date problem, for the fetch log (each entry keeps its own note)."""
    lines = []
    for marker, words in _DATE_PROBLEMS:
        count = sum(1 for e in entries if e.date_note and marker in e.date_note)
        if count:
            lines.append(f"{count} {'entry' if count == 1 else 'entries'} {words}")
    return lines


def clamp_date(value: datetime, fetched_at: datetime) -> tuple[datetime | None, str | None]:
    """A feed date made safe: future dates become the fetch time, placeholders are dropped."""
    try:
        value = value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        return None, f"feed date {value.isoformat()} is out of range; ignored"
    if value > fetched_at + FUTURE_TOLERANCE:
        return fetched_at, f"feed date {value.isoformat()} is in the future; set to fetch time"
    if value < EARLIEST_DATE:
        return None, f"feed date {value.date().isoformat()} is a placeholder; ignored"
    return value, None


def parse_date_text(raw: str) -> datetime | None:
    """RFC 3339 or RFC 822 text to an aware UTC datetime (naive values are taken as UTC)."""
    text = raw.strip()
    value: datetime | None = None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = feedparser.datetimes._parse_date(text)
            if parsed:
                try:
                    value = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
                except (ValueError, OverflowError, OSError):
                    return None
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # a zone that moves it past year 1 or 9999
        return None


def plain_text(value: Any) -> str | None:
    """Markup-free, whitespace-collapsed text (feed titles often carry tags and entities)."""
    text = _text(value)
    if text is None:
        return None
    if "<" in text or "&" in text:
        text = html.unescape(nh3.clean(text, tags=set()))
    text = " ".join(text.split())
    return text or None


_BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/div|/li|/h[1-6]|/blockquote|/tr)\s*>")


def html_to_text(markup: str | None) -> str:
    """Readable plain text from feed HTML, one paragraph per line."""
    if not markup:
        return ""
    marked = _BLOCK_END.sub("\n", markup)
    text = html.unescape(nh3.clean(marked, tags=set()))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _text(value: Any) -> str | None:
    """Text of a feed value; None for what is not text (a JSON Feed may carry any JSON where
    text belongs, and an object's repr, "{'a': 1}", is no title). A number is kept: some feeds
    number their items' ids."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    return text or None


def _absolute(value: Any, base: str) -> str | None:
    text = _text(value) if isinstance(value, str) else None  # an address is text, never 7
    if text is None:
        return None
    try:
        absolute = urljoin(base, text)
        parts = urlsplit(absolute)
    except ValueError:
        return None  # "http://[::1/x": not an address at all, like a missing one
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return absolute
