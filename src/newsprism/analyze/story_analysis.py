"""One story's analysis from its articles and outlet profiles: pure computation, no SQL.

``analyze_story`` returns the JSON stored in ``stories.analysis`` (shape in ``views.py``), the
headline choice and the ranking score. It is what the analysis benchmark times.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsprism.analyze.blindspots import BlindspotRules, find_blindspot
from newsprism.analyze.coverage import SIDES, coverage_details, outlet_side
from newsprism.analyze.framing import CorpusCounts, article_terms, framing, headlines_by_side
from newsprism.analyze.opinion import reports_first
from newsprism.analyze.tags import story_tags
from newsprism.analyze.terms import framing_terms, framing_text
from newsprism.config import Settings
from newsprism.models import OutletProfile
from newsprism.store.story_pages import StoryArticle
from newsprism.summarize.headline import HeadlineCandidate, HeadlineChoice, choose_headline

# Ranking: twice the outlets weighs as much as 12 hours of recency (the "hot" ordering of link
# aggregators): scores of stories analysed at different times stay comparable without decay.
RANK_HOURS_PER_DOUBLING = 12.0
RANK_SIDE_BONUS = 0.5


@dataclass
class StoryAnalysis:
    analysis: dict[str, Any]
    headline: HeadlineChoice | None
    blindspot_side: str | None
    rank_score: float | None


def clear_caches() -> None:
    """Forget what was read from single articles (names, terms, headlines, opinion labels), as a
    fresh process would; for measuring a story's first analysis."""
    from newsprism.analyze import framing, opinion, tags
    from newsprism.summarize import headline

    tags.clear_name_caches()
    framing._terms_of.cache_clear()
    headline._read_title.cache_clear()
    opinion._is_opinion.cache_clear()


def rank_score(independent_outlets: int, sides_covered: int, last_updated: datetime) -> float:
    hours = last_updated.timestamp() / 3600
    return (
        math.log2(1 + independent_outlets)
        + RANK_SIDE_BONUS * sides_covered
        + hours / RANK_HOURS_PER_DOUBLING
    )


def article_sides(
    articles: Sequence[StoryArticle], profiles: Mapping[int, OutletProfile]
) -> dict[int, str]:
    return {
        a.id: outlet_side(profiles.get(a.outlet_id) if a.outlet_id is not None else None)
        for a in articles
    }


def _headline(
    articles: Sequence[StoryArticle],
    profiles: Mapping[int, OutletProfile],
    previous: Mapping[str, Any] | None,
    terms: Mapping[int, list[str]],
) -> HeadlineChoice | None:
    independent = reports_first(articles)
    candidates = []
    for a in independent:
        profile = profiles.get(a.outlet_id) if a.outlet_id is not None else None
        candidates.append(
            HeadlineCandidate(
                a.id,
                a.title,
                profile.factuality_score if profile else None,
                profile.name if profile else a.source_name,
            )
        )
    previous = previous or {}
    return choose_headline(
        candidates,
        [terms.get(a.id) or framing_terms(framing_text(a.title, a.lede)) for a in independent],
        previous_article_id=previous.get("article_id"),
        previous_article_count=previous.get("article_count"),
        article_count=len(articles),
    )


def analyze_story(
    articles: Sequence[StoryArticle],
    profiles: Mapping[int, OutletProfile],
    corpus: CorpusCounts,
    settings: Settings,
    *,
    previous_headline: Mapping[str, Any] | None = None,
    language: str | None = None,
) -> StoryAnalysis:
    if not articles:
        return StoryAnalysis({}, None, None, None)
    coverage = coverage_details(articles, profiles)
    blindspot = find_blindspot(articles, profiles, BlindspotRules.from_settings(settings))
    sides = article_sides(articles, profiles)
    names = {oid: p.name for oid, p in profiles.items()}
    terms = article_terms(articles, language)
    headline = _headline(articles, profiles, previous_headline, terms)
    if (
        headline is not None
        and previous_headline
        and (previous_headline.get("article_id") == headline.article_id)
    ):
        chosen_at = int(previous_headline.get("article_count") or len(articles))
    else:
        chosen_at = len(articles)
    analysis = {
        "coverage": coverage,
        "blindspot": blindspot,
        "framing": framing(
            articles,
            sides,
            corpus,
            min_z=settings.framing_min_z,
            max_terms=settings.framing_max_terms,
            language=language,
            terms=terms,
        ),
        "headlines_by_side": headlines_by_side(articles, sides, names),
        "tags": story_tags(articles),
        "headline": (
            {"article_id": headline.article_id, "score": headline.score, "article_count": chosen_at}
            if headline
            else None
        ),
    }
    independent_outlets = len(
        {a.outlet_id for a in articles if a.repost_of is None and a.outlet_id is not None}
    )
    covered = sum(1 for side in SIDES if coverage["bias"][side])
    last = max(a.when for a in articles)
    return StoryAnalysis(
        analysis=analysis,
        headline=headline,
        blindspot_side=blindspot["side"] if blindspot else None,
        rank_score=rank_score(independent_outlets, covered, last),
    )
