"""Corpus term counts for the framing prior: counted from recent articles, kept in ``meta``.

Counting the whole store on every analysis would cost more than the analysis itself; a sample of
the newest articles, recounted once a day, reflects today's vocabulary well enough for a prior.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from newsprism.analyze.framing import CorpusCounts
from newsprism.analyze.terms import count_terms
from newsprism.config import Settings
from newsprism.store.story_pages import meta_value, recent_article_texts, set_meta_value
from newsprism.timeutil import iso, utcnow

META_KEY = "framing_corpus_counts"
# The prior needs the common vocabulary, not the long tail: the most frequent terms suffice.
MAX_TERMS = 20_000


def _fresh(value: object, max_age_h: float, now: datetime) -> bool:
    if not isinstance(value, dict) or "counts" not in value or "built_at" not in value:
        return False
    try:
        built = datetime.fromisoformat(str(value["built_at"]).replace("Z", "+00:00"))
    except ValueError:
        return False
    return now - built < timedelta(hours=max_age_h)


def build_corpus_counts(conn: Connection, settings: Settings) -> dict[str, object]:
    texts = recent_article_texts(conn, settings.framing_corpus_sample)
    counts = count_terms(texts)
    kept = dict(counts.most_common(MAX_TERMS))
    return {
        "built_at": iso(utcnow()),
        "documents": len(texts),
        "total": sum(counts.values()),
        "counts": kept,
    }


def stored_corpus_counts(conn: Connection, settings: Settings) -> CorpusCounts | None:
    """The stored counts while they are fresh, else None."""
    value = meta_value(conn, META_KEY)
    if not _fresh(value, settings.framing_corpus_max_age_h, utcnow()):
        return None
    return CorpusCounts(counts=dict(value["counts"]), total=int(value["total"]))


def corpus_counts(conn: Connection, settings: Settings, *, rebuild: bool = False) -> CorpusCounts:
    """The stored counts, rebuilt (in this write transaction) when missing or stale."""
    value = meta_value(conn, META_KEY)
    if rebuild or not _fresh(value, settings.framing_corpus_max_age_h, utcnow()):
        value = build_corpus_counts(conn, settings)
        set_meta_value(conn, META_KEY, value)
    assert isinstance(value, dict)
    return CorpusCounts(counts=dict(value["counts"]), total=int(value["total"]))
