"""Refresh changed stories: headline, summary, coverage analysis, blindspot and rank.

A story is re-analysed only when its article set changed (``analysis_key`` fingerprints ids,
repost links and outlets) or when this release analyses stories differently from the one that
stored its page (``ANALYSIS_VERSION``). The summary is written again when the story's independent
reports grew by ``summary_rewrite_growth``, an article it cites left, or it predates the current
analysis version; earlier versions are kept in ``story_summaries``. Reading, computing and
writing are separate steps, so an LLM call never holds the write lock, and a story that changed
meanwhile stays dirty for the next round.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsprism.analyze.framing import CorpusCounts
from newsprism.analyze.opinion import reports_first
from newsprism.analyze.story_analysis import analyze_story, article_sides
from newsprism.config import Settings
from newsprism.models import OutletProfile
from newsprism.registry.profiles import outlet_profiles
from newsprism.store.database import Database
from newsprism.store.story_pages import (
    StoryArticle,
    add_summary,
    clear_dirty,
    dirty_story_ids,
    fingerprint,
    latest_summary,
    mark_all_for_analysis,
    meta_value,
    save_analysis,
    set_meta_value,
    story_articles,
    story_row,
)
from newsprism.summarize.extractive import SourceArticle
from newsprism.summarize.service import StorySummary, summarize_story
from newsprism.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

BATCH = 100
EMPTY_ANALYSIS: dict[str, Any] = {"analysis": None, "blindspot_side": None, "rank_score": None}
# Summaries read the earliest reports of a very large story (they carry the core facts) and
# stay fast: the greedy pick is linear in candidate sentences.
SUMMARY_MAX_ARTICLES = 80
# Raise by one whenever a change to headlines, summaries, tags, coverage figures or blindspot
# rules would show a stored page differently. The first refresh after an upgrade then analyses
# every live story again and writes its summary anew, instead of leaving old pages as they were
# until their stories happen to change.
ANALYSIS_VERSION = 6
VERSION_KEY = "analysis_version"  # meta value: {"version": int, "since": ISO time of the upgrade}


def current_analysis_since(db: Database) -> datetime:
    """When the stored analyses were last invalidated by a new ``ANALYSIS_VERSION``; marks every
    live story for analysis the first time a new version runs."""
    with db.read() as conn:
        value = meta_value(conn, VERSION_KEY)
    if not _is_current(value):
        with db.write() as conn:
            value = meta_value(conn, VERSION_KEY)  # another worker may have done it meanwhile
            if not _is_current(value):
                marked = mark_all_for_analysis(conn)
                value = {"version": ANALYSIS_VERSION, "since": utcnow().isoformat()}
                set_meta_value(conn, VERSION_KEY, value)
                if marked:
                    log.info(
                        "analysis version %s: %s stories will be analysed again",
                        ANALYSIS_VERSION,
                        marked,
                    )
    return datetime.fromisoformat(value["since"])


def _is_current(value: Any) -> bool:
    return isinstance(value, dict) and value.get("version") == ANALYSIS_VERSION


def _needs_new_summary(
    previous: Any | None,
    independent: Sequence[StoryArticle],
    growth: float,
    valid_since: datetime | None = None,
) -> bool:
    if previous is None:
        return bool(independent)
    written = as_utc(previous.created_at)
    if valid_since is not None and written is not None and written < valid_since:
        return bool(independent)
    ids = {a.id for a in independent}
    cited = {i for bullet in previous.bullets or [] for i in bullet.get("article_ids", [])}
    if not cited <= ids:
        return True
    grown_by = len(independent) - int(previous.article_count)
    return grown_by >= max(1, math.ceil(growth * int(previous.article_count)))


def _summary_sources(
    articles: Sequence[StoryArticle], sides: dict[int, str]
) -> list[SourceArticle]:
    independent = sorted(reports_first(articles), key=lambda a: (a.when, a.id))
    return [
        SourceArticle(a.id, a.title, a.lede, None if sides[a.id] == "unrated" else sides[a.id])
        for a in independent[:SUMMARY_MAX_ARTICLES]
    ]


def refresh_story(
    db: Database,
    settings: Settings,
    story_id: int,
    corpus: CorpusCounts,
    summaries_valid_since: datetime | None = None,
) -> bool:
    """Re-analyse one dirty story; False when it needed nothing (unchanged, merged or empty).
    A summary written before ``summaries_valid_since`` is written again."""
    with db.read() as conn:
        row = story_row(conn, story_id)
        if row is None:
            return False
        articles = story_articles(conn, story_id)
        key = fingerprint((a.id, a.repost_of, a.outlet_id) for a in articles)
        if (
            row.merged_into is not None
            or not articles
            or (row.analysis_key == key and row.analysis)
        ):
            unchanged = True
        else:
            unchanged = False
            profiles: dict[int, OutletProfile] = outlet_profiles(
                conn, {a.outlet_id for a in articles if a.outlet_id is not None}
            )
            previous_summary = latest_summary(conn, story_id)
    if unchanged:
        with db.write() as conn:
            if articles or row.merged_into is not None:
                clear_dirty(conn, story_id)
            else:
                # Every article left: nothing to show, nor to rank or flag.
                save_analysis(conn, story_id, EMPTY_ANALYSIS, expected_key=key)
        return False
    previous_headline = (row.analysis or {}).get("headline") if row.analysis else None
    result = analyze_story(
        articles,
        profiles,
        corpus,
        settings,
        previous_headline=previous_headline,
        language=row.language,
    )
    sides = article_sides(articles, profiles)
    sources = _summary_sources(articles, sides)
    summary: StorySummary | None = None
    independent = [a for a in articles if a.repost_of is None]
    if _needs_new_summary(
        previous_summary, independent, settings.summary_rewrite_growth, summaries_valid_since
    ):
        summary = summarize_story(sources, settings)
    values: dict[str, Any] = {
        "analysis": result.analysis or None,
        "analyzed_at": utcnow(),
        "blindspot_side": result.blindspot_side,
        "rank_score": result.rank_score,
    }
    if result.headline is not None:
        values["headline"] = result.headline.text
        values["headline_article_id"] = result.headline.article_id
    with db.write() as conn:
        if summary is not None and summary.bullets:
            add_summary(
                conn,
                story_id,
                method=summary.method,
                bullets=[b.as_dict() for b in summary.bullets],
                article_count=len(independent),
                created_at=utcnow(),
            )
        if not save_analysis(conn, story_id, values, expected_key=key):
            log.info("story %s changed while it was analysed; it stays dirty", story_id)
    return True


def refresh_dirty_stories(db: Database, settings: Settings) -> int:
    """Analyse every dirty story once; returns how many were (re-)analysed."""
    from newsprism.analyze.corpus import corpus_counts, stored_corpus_counts

    with db.read() as conn:
        corpus = stored_corpus_counts(conn, settings)
    if corpus is None:
        with db.write() as conn:
            corpus = corpus_counts(conn, settings)
    valid_since = current_analysis_since(db)
    analysed = 0
    last_id = 0
    while True:
        with db.read() as conn:
            ids = dirty_story_ids(conn, BATCH, after_id=last_id)
        if not ids:
            return analysed
        for story_id in ids:
            try:
                analysed += refresh_story(db, settings, story_id, corpus, valid_since)
            except Exception:
                # One broken story must not block every other story's page; it stays dirty.
                log.exception("analysis of story %s failed", story_id)
        last_id = ids[-1]
