"""Article text and metadata from a fetched page: encoding detection, then trafilatura.

``extract_page`` runs in-process; ``newsprism.ingest.extract_pool.ExtractionPool`` runs it in
worker processes with a hard per-page timeout. Both return plain text (nothing HTML is stored
from a page), so the web layer only ever escapes it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from charset_normalizer import from_bytes

from newsprism.ingest.dates import normalize_date
from newsprism.ingest.language import detect_language

# trafilatura settings measured on the article-extraction benchmark (BENCHMARKS.md): the
# defaults give F1 0.949; favouring precision and leaving reader comments out gives 0.966,
# because news pages carry related-article teasers and comment threads around the body.
FAVOR_PRECISION = True
INCLUDE_COMMENTS = False
# Real article pages are < 5 MB; lxml's cost grows with size and a 50 MB page is abuse.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
# Charset declarations live in the first bytes of a page (the HTML spec says 1024; some CMSs
# put them after long comments).
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-:.]+)", re.I)
# A page that only sends its reader on (<meta http-equiv="refresh">, a script) says little more
# than "Redirecting…": that is no article, and must not replace the feed's own summary. With a
# meta refresh, any text this short counts as such a stub (a live page that reloads itself has
# far more); without one, only a short text that opens with one of these phrases.
STUB_MAX_CHARS = 200
STUB_PHRASE_MAX_CHARS = 120
_META_REFRESH = re.compile(rb"<meta\b[^>]*\bhttp-equiv\s*=\s*[\"']?\s*refresh\b", re.I)
_STUB_TEXT = re.compile(
    r"(redirecting|you are being redirected|you will be redirected|this page has moved"
    r"|moved permanently|moved temporarily|please wait|click here|if you are not redirected"
    r"|please enable javascript|javascript is (required|disabled))\b",
    re.I,
)
# Media types that may carry markup but never an article: an SVG image is XML with text in it,
# and the extractor trips over it.
NOT_ARTICLE_TYPES = frozenset({"image/svg+xml"})
_SVG_START = re.compile(
    rb"\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!doctype\s+svg[^>]{0,500}>\s*)?<svg\b", re.I
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    date_note: str | None = None
    image_url: str | None = None
    language: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    encoding: str = "utf-8"
    note: str | None = None  # what went wrong or was guessed, for the fetch log and the article


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_charset(html: bytes, content_type: str | None) -> str | None:
    """The charset the server (Content-Type) or the page (meta) declares, if it is a codec."""
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match and _codec(match.group(1)):
            return _codec(match.group(1))
    meta = _META_CHARSET.search(html[:_SNIFF_BYTES])
    if meta:
        return _codec(meta.group(1).decode("ascii", "ignore"))
    return None


def decode_html(html: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: BOM, valid UTF-8, the declaration, detection, then cp1252.

    Valid UTF-8 wins over a declaration: servers often send UTF-8 pages labelled ISO-8859-1,
    and non-ASCII text in a legacy charset is almost never valid UTF-8 by accident.
    """
    for bom, name in _BOMS:
        if html.startswith(bom):
            return html.decode(name, errors="replace"), name
    try:
        return html.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(html, content_type)
    if declared and declared != "utf-8":
        try:
            return html.decode(declared), declared
        except UnicodeDecodeError:
            pass
    best = from_bytes(html[:200_000]).best()
    if best is not None and best.encoding:
        return html.decode(best.encoding, errors="replace"), best.encoding
    # WHATWG's fallback for legacy pages without a declaration.
    return html.decode("cp1252", errors="replace"), "cp1252"


def looks_like_stub(text: str) -> bool:
    """True for the whole text of a redirect or loading page ("Redirecting…", "Please wait")."""
    text = text.strip()
    return len(text) <= STUB_PHRASE_MAX_CHARS and _STUB_TEXT.match(text) is not None


def _text_or_none(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def extract_page(
    html: bytes,
    url: str,
    *,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Extracted:
    """The article in a page. Empty ``text`` with a ``note`` when the page holds none."""
    notes: list[str] = []
    if len(html) > max_bytes:
        notes.append(f"page of {len(html)} bytes cut to {max_bytes}")
        html = html[:max_bytes]
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in NOT_ARTICLE_TYPES or _SVG_START.match(html):
        notes.append(f"the page is an image ({media_type or 'SVG'}), not an article")
        return Extracted(text="", note="; ".join(notes))
    markup, encoding = decode_html(html, content_type)
    try:
        document = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            favor_precision=FAVOR_PRECISION,
            include_comments=INCLUDE_COMMENTS,
        )
    except AssertionError:
        # lxml asserts on some trees trafilatura builds from odd markup; the exception says
        # nothing, so say what it means.
        notes.append("extraction failed: the extractor could not handle this page's markup")
        return Extracted(text="", encoding=encoding, note="; ".join(notes))
    if document is None:
        notes.append("no article text found in the page")
        return Extracted(text="", encoding=encoding, note="; ".join(notes))
    text = (getattr(document, "text", None) or "").strip()
    if (
        text
        and len(text) <= STUB_MAX_CHARS
        and (looks_like_stub(text) or _META_REFRESH.search(html))
    ):
        notes.append(f"the page is a redirect stub without article text ({text[:80]!r})")
        return Extracted(text="", encoding=encoding, note="; ".join(notes))
    if not text:
        notes.append("no article text found in the page")
    date = normalize_date(_text_or_none(getattr(document, "date", None)))
    page_language = _text_or_none(getattr(document, "language", None))
    return Extracted(
        text=text,
        title=_text_or_none(getattr(document, "title", None)),
        author=_text_or_none(getattr(document, "author", None)),
        published_at=date.value,
        date_note=date.note if date.value is not None else None,
        image_url=_text_or_none(getattr(document, "image", None)),
        language=detect_language(text) or (page_language or "").split("-")[0] or None,
        description=_text_or_none(getattr(document, "description", None)),
        canonical_url=_text_or_none(getattr(document, "url", None)),
        encoding=encoding,
        note="; ".join(notes) or None,
    )


def __getattr__(name: str) -> object:
    # The pool lives in its own module (it imports this one); keep ``extract.ExtractionPool``.
    if name in ("ExtractionPool", "PageJob", "PageResult"):
        from newsprism.ingest import extract_pool

        return getattr(extract_pool, name)
    raise AttributeError(name)
