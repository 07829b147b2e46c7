"""Article rows: adding drafts (canonical keys, outlets, duplicates, reposts) and loading them.

``add_articles`` is the one way articles enter the store, from feeds and from imports alike:

1. each draft is prepared outside the write lock (canonical URL and key, language, sanitized
   summary, content hash and MinHash band keys), so the single writer holds the lock only for
   SQL; drafts whose key is already stored skip this work;
2. inside one transaction: drafts whose key is stored (or seen earlier in the batch) are
   duplicates; the same title and text as an article of the same outlet is a duplicate too (one
   article under two URLs); identical or near-identical text from another outlet is a repost
   (wire copy) and points ``repost_of`` at the first article of its family. Similar text
   within one outlet is left alone: there it is the outlet's boilerplate, not a copy;
3. rows and their band keys are inserted; a concurrent writer that stored the same key first
   (PostgreSQL with several workers) turns the row into a duplicate, not an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import nh3
from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsprism.config import Settings
from newsprism.domains import is_host_name, is_web_address, registrable_domain
from newsprism.ingest.canonical import (
    InvalidURL,
    article_key,
    canonicalize_url,
    key_of_canonical,
)
from newsprism.ingest.dedup import NearDuplicateIndex, fingerprint
from newsprism.ingest.inline_cards import remove_inline_cards
from newsprism.ingest.language import detect_language
from newsprism.ingest.mojibake import repair_mojibake
from newsprism.models import ArticleDraft, ArticleRecord
from newsprism.store.database import Database
from newsprism.store.dialect import insert_many, select_in
from newsprism.store.outlets import get_or_create_outlet
from newsprism.store.schema import article_bands, articles, outlets
from newsprism.textclean import without_controls
from newsprism.timeutil import as_utc, utcnow

# Bound parameters per IN (...) list: far below SQLite's 32,766 and PostgreSQL's 65,535.
_CHUNK = 500
# Longest title kept (characters); the longest real headlines in the corpus are under 300.
MAX_TITLE_CHARS = 1000
# A feed without titles still yields a readable headline: the opening words of the text.
_FALLBACK_TITLE_WORDS = 16


@dataclass
class AddResult:
    added_ids: list[int] = field(default_factory=list)
    duplicates: int = 0  # already stored (same canonical URL, or same text from the same outlet)
    reposts: int = 0  # added, marked as a copy of an earlier article from another outlet
    rejected: list[str] = field(default_factory=list)  # one line per draft that was not stored
    # Position in the drafts -> that line, for the drafts of this one call.
    rejected_at: dict[int, str] = field(default_factory=dict)
    # Position in the drafts -> id of the stored article it duplicates (for callers that track).
    duplicate_of: dict[int, int] = field(default_factory=dict)

    def merge(self, other: AddResult) -> None:
        self.added_ids.extend(other.added_ids)
        self.duplicates += other.duplicates
        self.reposts += other.reposts
        self.rejected.extend(other.rejected)


@dataclass(slots=True)
class PreparedArticle:
    """A draft with everything computed that needs no database."""

    position: int
    key: str
    domain: str
    row: dict[str, Any]
    content_hash: str | None
    band_keys: tuple[int, ...]  # MinHash LSH bands; empty for texts too short to compare


def _clean(value: str | None, limit: int | None = None) -> str | None:
    # PostgreSQL refuses NUL characters in text; scraped pages contain them now and then, and
    # other control characters too, which no page, feed or terminal should be handed.
    if value is None:
        return None
    value = without_controls(repair_mojibake(value.replace("\x00", ""))).strip()
    if limit is not None:
        value = value[:limit]
    return value or None


def _outlet_domain(given: str | None, canonical: str) -> tuple[str, str | None]:
    """The outlet's domain: the one the feed or import line names, unless that is no web
    address or host ("javascript:alert(1)" would make an outlet "javascript"); then the
    article's own, with a note saying so."""
    if not given:
        return registrable_domain(canonical), None
    candidate = given.strip()
    _scheme, colon, rest = candidate.partition(":")
    if "://" in candidate:
        usable = is_web_address(candidate)
    else:
        # "javascript:…", "mailto:…" and "data:…" name no host; "example.com:8080" does.
        usable = not colon or rest.split("/", 1)[0].isdigit()
    domain = registrable_domain(candidate) if usable else ""
    if domain and is_host_name(domain):
        return domain, None
    return registrable_domain(
        canonical
    ), f"outlet {given[:80]!r} is no web address or host; the article's own site used"


def _sanitize_summary(summary: str | None) -> str | None:
    if not summary:
        return None
    return _clean(nh3.clean(summary.replace("\x00", "")))


def _language_code(value: str | None) -> str | None:
    # "en-US", "EN", "en_GB" -> "en": stories group by language, not by locale.
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code[:16] or None


def _fallback_title(text: str) -> str:
    words = text.split()
    title = " ".join(words[:_FALLBACK_TITLE_WORDS])
    return title + ("…" if len(words) > _FALLBACK_TITLE_WORDS else "")


def prepare_article(
    position: int, draft: ArticleDraft, canonical: str | None = None
) -> PreparedArticle | str:
    """The row for one draft, or a one-line reason why it cannot be stored.

    ``canonical`` is the draft's canonical URL when the caller has it already.
    """
    if canonical is None:
        try:
            canonical = canonicalize_url(draft.url)
        except InvalidURL as exc:
            return f"url: {exc}"
    key = key_of_canonical(canonical)
    text = remove_inline_cards(_clean(draft.text) or "")
    title = _clean(" ".join((draft.title or "").split()))
    extraction_note = draft.extraction_note
    if title and len(title) > MAX_TITLE_CHARS:
        # A headline runs to a few hundred characters; more is a page's text in the title field.
        title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
        extraction_note = "; ".join(filter(None, [extraction_note, "overlong title cut"]))
    if not title:
        if not text:
            return f"{draft.url}: no title and no text"
        title = _fallback_title(text)
        extraction_note = "; ".join(filter(None, [extraction_note, "title made from the text"]))
    domain, outlet_note = _outlet_domain(draft.outlet_domain, canonical)
    extraction_note = "; ".join(filter(None, [extraction_note, outlet_note]))
    print_ = fingerprint(text)
    language = _language_code(draft.language) or detect_language(f"{title}. {text[:2000]}")
    row: dict[str, Any] = {
        "url_hash": key,
        "url": canonical[:4096],
        "original_url": _clean(draft.url, 4096),
        "feed_id": draft.feed_id,
        "guid": _clean(draft.guid, 2048),
        "source_name": _clean(draft.source_name, 255),
        "title": title,
        "summary": _sanitize_summary(draft.summary),
        "text": text,
        "author": _clean(draft.author, 512),
        "image_url": _clean(draft.image_url, 4096),
        "language": language,
        "published_at": as_utc(draft.published_at),
        "date_note": _clean(draft.date_note, 255),
        "word_count": print_.words,
        "extraction_status": draft.extraction_status,
        "extraction_note": _clean(extraction_note),
        "content_hash": print_.content_hash,
        # The 64-bit SimHash column is not filled: near duplicates use MinHash bands instead.
        "simhash": None,
        "extra": dict(draft.extra),
    }
    return PreparedArticle(position, key, domain, row, print_.content_hash, print_.band_keys)


@dataclass(slots=True)
class KnownArticle:
    """A draft whose canonical key was already stored when the batch was read."""

    position: int
    article_id: int


Prepared = PreparedArticle | KnownArticle | str


def prepare_articles(drafts: Sequence[ArticleDraft]) -> list[Prepared]:
    return [prepare_article(i, d) for i, d in enumerate(drafts)]


def draft_canonicals(drafts: Sequence[ArticleDraft]) -> list[str | None]:
    """Each draft's canonical URL; None where its URL is not an http(s) URL."""
    canonicals: list[str | None] = []
    for draft in drafts:
        try:
            canonicals.append(canonicalize_url(draft.url))
        except InvalidURL:
            canonicals.append(None)
    return canonicals


def draft_keys(drafts: Sequence[ArticleDraft]) -> list[str | None]:
    return [c and key_of_canonical(c) for c in draft_canonicals(drafts)]


def prepare_new_articles(conn: Connection, drafts: Sequence[ArticleDraft]) -> list[Prepared]:
    """Like ``prepare_articles``, but drafts already stored skip the costly preparation.

    A re-import or a feed that repeats its entries then costs one indexed lookup per draft.
    """
    keys = draft_keys(drafts)
    known = stored_ids_by_key(conn, sorted({k for k in keys if k}))
    return [
        KnownArticle(i, known[key])
        if key is not None and key in known
        else prepare_article(i, draft)
        for i, (key, draft) in enumerate(zip(keys, drafts, strict=True))
    ]


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def stored_ids_by_key(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
    sql = "SELECT url_hash, id FROM articles WHERE url_hash IN ({marks})"
    return {key: int(id_) for key, id_ in select_in(conn, sql, keys, chunk=_CHUNK)}


@dataclass(slots=True)
class _Family:
    """A stored article that a new one may copy: its id, outlet and the root of its family."""

    id: int
    outlet_id: int | None
    root: int
    title: str


def _stored_by_content(conn: Connection, hashes: Sequence[str]) -> dict[str, list[_Family]]:
    found: dict[str, list[_Family]] = {}
    for chunk in _chunks(hashes):
        rows = conn.execute(
            select(
                articles.c.content_hash,
                articles.c.id,
                articles.c.outlet_id,
                articles.c.repost_of,
                articles.c.title,
            )
            .where(articles.c.content_hash.in_(chunk))
            .order_by(articles.c.id)
        )
        for digest, id_, outlet_id, repost_of, title in rows:
            found.setdefault(digest, []).append(
                _Family(id_, outlet_id, repost_of or id_, _title_key(title))
            )
    return found


def _title_key(title: str | None) -> str:
    return " ".join((title or "").lower().split())


def _stored_near_index(
    conn: Connection, keys: Sequence[int]
) -> tuple[NearDuplicateIndex, dict[int, int], dict[int, int | None]]:
    index = NearDuplicateIndex()
    roots: dict[int, int] = {}
    outlet_of: dict[int, int | None] = {}
    rows = select_in(
        conn,
        "SELECT b.band_key, a.id, a.repost_of, a.outlet_id FROM article_bands b"
        " JOIN articles a ON a.id = b.article_id WHERE b.band_key IN ({marks})",
        keys,
        chunk=_CHUNK,
    )
    for band_key, id_, repost_of, outlet_id in rows:
        index.add(int(id_), (int(band_key),))
        roots[int(id_)] = int(repost_of or id_)
        outlet_of[int(id_)] = outlet_id
    return index, roots, outlet_of


def _resolve_outlets(
    conn: Connection, prepared: Sequence[PreparedArticle]
) -> dict[str, int | None]:
    names: dict[str, str | None] = {}  # domain -> the name its first article gives
    for item in prepared:
        if item.domain:
            names.setdefault(item.domain, item.row["source_name"])
    outlet_ids: dict[str, int | None] = {}
    for chunk in _chunks(sorted(names)):
        rows = conn.execute(
            select(outlets.c.domain, outlets.c.id).where(outlets.c.domain.in_(chunk))
        )
        outlet_ids.update({domain: int(id_) for domain, id_ in rows})
    # Unknown domains one by one (rare after the first batches), in order of appearance.
    for domain, name in names.items():
        if domain not in outlet_ids:
            outlet_ids[domain] = get_or_create_outlet(conn, domain, name)
    return outlet_ids


# Stored articles of an outlet read to tell its usual language, newest first.
_LANGUAGE_SAMPLE = 20


def _outlet_languages(conn: Connection, fresh: Sequence[PreparedArticle]) -> None:
    """Give an article whose text did not tell its language (a one-line brief, a headline
    alone) its outlet's: the registry's language for the outlet, else the one most of its
    articles in this batch or lately in the store are in. Without a language such an article
    would be compared only with others of unknown language, never with its own story."""
    unknown = [item for item in fresh if not item.row["language"] and item.row["outlet_id"]]
    if not unknown:
        return
    outlet_ids = sorted({int(item.row["outlet_id"]) for item in unknown})
    chosen: dict[int, str] = {}
    for chunk in _chunks(outlet_ids):
        rows = conn.execute(
            select(outlets.c.id, outlets.c.language).where(
                outlets.c.id.in_(chunk), outlets.c.language.is_not(None)
            )
        )
        chosen.update({int(id_): str(language) for id_, language in rows if language})
    seen: dict[int, Counter[str]] = {}
    for item in fresh:
        if item.row["language"] and item.row["outlet_id"]:
            seen.setdefault(int(item.row["outlet_id"]), Counter())[item.row["language"]] += 1
    for outlet_id in outlet_ids:
        if outlet_id in chosen:
            continue
        counts = seen.get(outlet_id)
        if not counts:
            recent = conn.execute(
                select(articles.c.language)
                .where(articles.c.outlet_id == outlet_id, articles.c.language.is_not(None))
                .order_by(articles.c.id.desc())
                .limit(_LANGUAGE_SAMPLE)
            ).scalars()
            counts = Counter(str(language) for language in recent)
        if counts:
            # Most articles; a tie goes to the code first in order, so the choice is repeatable.
            chosen[outlet_id] = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    for item in unknown:
        language = chosen.get(int(item.row["outlet_id"]))
        if language is not None:
            item.row["language"] = language


def store_prepared(conn: Connection, prepared: Sequence[Prepared]) -> AddResult:
    """Insert prepared drafts inside the caller's write transaction (see the module docstring)."""
    result = AddResult()
    candidates: list[PreparedArticle] = []
    for position, item in enumerate(prepared):
        if isinstance(item, str):
            result.rejected.append(item)
            result.rejected_at[position] = item
        elif isinstance(item, KnownArticle):
            result.duplicates += 1
            result.duplicate_of[item.position] = item.article_id
        else:
            candidates.append(item)
    stored = stored_ids_by_key(conn, sorted({c.key for c in candidates}))
    fresh: list[PreparedArticle] = []
    batch_keys: dict[str, int] = {}
    # A draft that repeats one earlier in this batch -> the key of that one, whose id is known
    # only after the insert.
    copy_of_key: dict[int, str] = {}
    for item in candidates:
        if item.key in stored:
            result.duplicates += 1
            result.duplicate_of[item.position] = stored[item.key]
        elif item.key in batch_keys:
            result.duplicates += 1
            copy_of_key[item.position] = item.key
        else:
            batch_keys[item.key] = item.position
            fresh.append(item)
    if not fresh:
        return result

    # Articles of this batch get provisional ids above every stored id, so the index still
    # prefers the earliest (stored) copy; they are mapped to real ids after the insert.
    provisional_base = 1 << 62
    key_of = {provisional_base + item.position: item.key for item in fresh}
    outlet_ids = _resolve_outlets(conn, fresh)
    for item in fresh:
        item.row["outlet_id"] = outlet_ids.get(item.domain)
    _outlet_languages(conn, fresh)
    by_content = _stored_by_content(conn, sorted({f.content_hash for f in fresh if f.content_hash}))
    all_bands = sorted({k for f in fresh for k in f.band_keys})
    near_index, near_roots, near_outlets = _stored_near_index(conn, all_bands)

    batch_roots: dict[int, int] = {}  # provisional id -> provisional or stored root
    rows: list[PreparedArticle] = []
    for item in fresh:
        outlet_id = item.row["outlet_id"]
        title = _title_key(item.row["title"])
        provisional = provisional_base + item.position

        def other_outlet(candidate: int, outlet_id: int | None = outlet_id) -> bool:
            # Within one outlet, similar openings are its own boilerplate (a paywall notice, a
            # newsletter template), not a repost; copies are counted across outlets only.
            return outlet_id is None or near_outlets.get(candidate) != outlet_id

        root: int | None = None
        if item.content_hash:
            family = by_content.get(item.content_hash, [])
            same = [f for f in family if f.outlet_id == outlet_id and f.outlet_id is not None]
            match = next((f for f in same if f.title == title), None)
            if match is not None:
                # The same article under a second URL of the same outlet.
                result.duplicates += 1
                if match.id < provisional_base:
                    result.duplicate_of[item.position] = match.id
                else:
                    copy_of_key[item.position] = key_of[match.id]
                continue
            others = [f for f in family if f not in same]
            if others:
                root = others[0].root
        if root is None and item.band_keys:
            near = near_index.find(item.band_keys, accept=other_outlet)
            if near is not None:
                root = near_roots.get(near, batch_roots.get(near, near))
        if item.content_hash:
            by_content.setdefault(item.content_hash, []).append(
                _Family(provisional, outlet_id, root or provisional, title)
            )
        near_index.add(provisional, item.band_keys)
        near_outlets[provisional] = outlet_id
        batch_roots[provisional] = root or provisional
        item.row["repost_of"] = root
        rows.append(item)
    _insert_rows(conn, rows, result, provisional_base)
    if copy_of_key:
        # Callers that follow each draft (the cluster eval) need the id of every duplicate.
        inserted = stored_ids_by_key(conn, sorted(set(copy_of_key.values())))
        for position, key in copy_of_key.items():
            if key in inserted:
                result.duplicate_of[position] = inserted[key]
    return result


def _insert_rows(
    conn: Connection, rows: list[PreparedArticle], result: AddResult, provisional_base: int
) -> None:
    """One multi-row INSERT; if a concurrent writer took one of the keys, row by row instead."""
    now = utcnow()
    params = []
    for item in rows:
        root = item.row["repost_of"]
        in_batch = root is not None and root >= provisional_base
        params.append({**item.row, "repost_of": None if in_batch else root, "ingested_at": now})
    try:
        with conn.begin_nested():
            # Plain executemany, then ids by key: RETURNING with ordered rows makes SQLite
            # fall back to one statement per row.
            conn.execute(insert(articles), params)
    except IntegrityError:
        _insert_rows_one_by_one(conn, rows, result, provisional_base)
        return
    by_key = stored_ids_by_key(conn, [item.key for item in rows])
    new_ids = [by_key[item.key] for item in rows]
    ids = {
        provisional_base + item.position: new_id for item, new_id in zip(rows, new_ids, strict=True)
    }
    copies = [
        {"b_id": ids[provisional_base + item.position], "b_root": ids[item.row["repost_of"]]}
        for item in rows
        if item.row["repost_of"] is not None and item.row["repost_of"] >= provisional_base
    ]
    if copies:
        conn.execute(
            update(articles)
            .where(articles.c.id == bindparam("b_id"))
            .values(repost_of=bindparam("b_root")),
            copies,
        )
    _insert_bands(conn, [(ids[provisional_base + item.position], item) for item in rows])
    result.added_ids.extend(new_ids)
    result.reposts += sum(1 for item in rows if item.row["repost_of"] is not None)


def _insert_bands(conn: Connection, stored: Sequence[tuple[int, PreparedArticle]]) -> None:
    bands = [(key, article_id) for article_id, item in stored for key in set(item.band_keys)]
    insert_many(conn, article_bands.name, ("band_key", "article_id"), bands)


def _insert_rows_one_by_one(
    conn: Connection, rows: list[PreparedArticle], result: AddResult, provisional_base: int
) -> None:
    now = utcnow()
    ids: dict[int, int] = {}  # provisional id -> real id
    for item in rows:
        root = item.row["repost_of"]
        if root is not None and root >= provisional_base:
            # A copy of an article earlier in this batch: it was inserted just before.
            item.row["repost_of"] = ids.get(root)
        try:
            with conn.begin_nested():
                new_id = int(
                    conn.execute(
                        insert(articles)
                        .values(**item.row, ingested_at=now)
                        .returning(articles.c.id)
                    ).scalar_one()
                )
        except IntegrityError:
            # Another writer stored the same URL between our lookup and this insert.
            existing = stored_ids_by_key(conn, [item.key]).get(item.key)
            result.duplicates += 1
            if existing is not None:
                result.duplicate_of[item.position] = existing
                ids[provisional_base + item.position] = existing
            continue
        ids[provisional_base + item.position] = new_id
        result.added_ids.append(new_id)
        if item.row["repost_of"] is not None:
            result.reposts += 1
        _insert_bands(conn, [(new_id, item)])


def add_articles(db: Database, drafts: Sequence[ArticleDraft], settings: Settings) -> AddResult:
    """Store drafts in one transaction; see the module docstring for what counts as a copy.

    ``settings`` is accepted so that every ingest stage has the same call shape; nothing in
    the current rules depends on it.
    """
    del settings
    with db.read() as conn:
        prepared = prepare_new_articles(conn, drafts)
    with db.write() as conn:
        return store_prepared(conn, prepared)


def stored_urls(conn: Connection, urls: Iterable[str]) -> set[str]:
    """Those of ``urls`` whose article is already stored (by canonical key): skip fetching them."""
    keyed: dict[str, list[str]] = {}
    for url in urls:
        try:
            keyed.setdefault(article_key(url), []).append(url)
        except InvalidURL:
            continue
    found = stored_ids_by_key(conn, sorted(keyed))
    return {url for key in found for url in keyed[key]}


def article_id_for_url(conn: Connection, url: str) -> int | None:
    try:
        key = article_key(url)
    except InvalidURL:
        return None
    return stored_ids_by_key(conn, [key]).get(key)


_RECORD_COLUMNS = (
    articles.c.id,
    articles.c.url,
    articles.c.title,
    articles.c.text,
    articles.c.published_at,
    articles.c.ingested_at,
    articles.c.language,
    articles.c.outlet_id,
    articles.c.repost_of,
    articles.c.story_id,
    articles.c.summary,
)


def load_articles(conn: Connection, ids: Iterable[int]) -> list[ArticleRecord]:
    """The articles with these ids, in the order given; ids not stored are left out."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    found: dict[int, ArticleRecord] = {}
    for chunk in _chunks(wanted):
        for row in conn.execute(select(*_RECORD_COLUMNS).where(articles.c.id.in_(chunk))):
            published: datetime | None = as_utc(row.published_at)
            found[row.id] = ArticleRecord(
                id=row.id,
                url=row.url,
                title=row.title,
                text=row.text or "",
                published_at=published,
                ingested_at=as_utc(row.ingested_at) or utcnow(),
                language=row.language,
                outlet_id=row.outlet_id,
                repost_of=row.repost_of,
                story_id=row.story_id,
                summary=row.summary,
            )
    return [found[i] for i in wanted if i in found]
