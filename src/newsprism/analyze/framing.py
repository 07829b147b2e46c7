"""Framing: the words that set each side's coverage of a story apart, and its headlines.

Each side's terms are compared with the rest of the story's coverage by the log-odds ratio with
an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 16–22).
The prior is the whole corpus' term distribution, so words every article of the day uses are
shrunk towards nothing and a side is credited only for what it says unusually often. Corpus
counts come from a sample of recent articles kept in the ``meta`` table (see ``corpus.py``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsprism.analyze.terms import framing_terms, framing_text
from newsprism.store.story_pages import StoryArticle

SIDES = ("left", "center", "right")
METHOD = "log-odds ratio with informative Dirichlet prior (Monroe et al. 2008)"
# Pseudo-counts the corpus prior contributes; about one large story's worth of terms, so the
# prior steadies rare words without drowning the story's own counts.
PRIOR_STRENGTH = 1000.0
# Every term also gets one pseudo-count (a uniform Dirichlet under the corpus one): a word the
# sample never saw would otherwise get a near-zero prior whose variance swamps any evidence.
PRIOR_FLOOR = 1.0
# A framing term must be used at least this often by the side (one use is an accident).
MIN_SIDE_COUNT = 2


@dataclass(frozen=True)
class CorpusCounts:
    counts: Mapping[str, int]
    total: int

    def frequency(self, term: str) -> float:
        # Add-half smoothing: a term absent from the sample still gets a small prior mass.
        return (self.counts.get(term, 0) + 0.5) / (self.total + 0.5 * (len(self.counts) + 1))


def unseen_terms(total: Counter[str], corpus: CorpusCounts) -> int:
    return sum(1 for t in total if t not in corpus.counts)


def log_odds_z(
    own: Counter[str],
    total: Counter[str],
    corpus: CorpusCounts,
    prior_strength: float,
    *,
    min_count: int = 1,
    unseen: int | None = None,
) -> dict[str, float]:
    """z-score of each term ``own`` uses at least ``min_count`` times, for being used more by
    ``own`` than by the rest of ``total`` (``total`` includes ``own``). ``unseen``: how many
    terms of ``total`` the corpus lacks, when the caller has counted them already."""
    n_own = sum(own.values())
    n_rest = sum(total.values()) - n_own
    if unseen is None:
        unseen = unseen_terms(total, corpus)
    alpha_0 = prior_strength + PRIOR_FLOOR * (len(corpus.counts) + unseen)
    scores = {}
    for term, y_own in own.items():
        if y_own < min_count:
            continue
        alpha = prior_strength * corpus.frequency(term) + PRIOR_FLOOR
        y_rest = total[term] - y_own
        delta = math.log((y_own + alpha) / (n_own + alpha_0 - y_own - alpha)) - math.log(
            (y_rest + alpha) / (n_rest + alpha_0 - y_rest - alpha)
        )
        variance = 1.0 / (y_own + alpha) + 1.0 / (y_rest + alpha)
        scores[term] = delta / math.sqrt(variance)
    return scores


def article_terms(
    articles: Sequence[StoryArticle], language: str | None = None
) -> dict[int, list[str]]:
    """Each independent report's framing terms (headline and lede), computed once per story."""
    return {
        a.id: list(_terms_of(a.title, a.lede, language)) for a in articles if a.repost_of is None
    }


# A story is analysed again each time it grows: the terms of a few thousand recent articles are
# kept (about 5 KB each) rather than read again from their text.
@lru_cache(maxsize=2048)
def _terms_of(title: str, lede: str, language: str | None) -> tuple[str, ...]:
    return tuple(framing_terms(framing_text(title, lede), language))


def framing(
    articles: Sequence[StoryArticle],
    sides: Mapping[int, str],
    corpus: CorpusCounts,
    *,
    min_z: float,
    max_terms: int,
    language: str | None = None,
    terms: Mapping[int, list[str]] | None = None,
) -> dict[str, Any]:
    """Distinctive terms per side (``sides``: article id → side) over independent reports."""
    terms = terms if terms is not None else article_terms(articles, language)
    per_side: dict[str, Counter[str]] = {side: Counter() for side in (*SIDES, "unrated")}
    for article_id, found in terms.items():
        per_side[sides.get(article_id, "unrated")].update(found)
    story_total: Counter[str] = Counter()
    for counts in per_side.values():
        story_total.update(counts)
    n_total = sum(story_total.values())
    unseen = unseen_terms(story_total, corpus)  # the same for every side
    words: dict[str, list[dict[str, Any]]] = {}
    for side in SIDES:
        own = per_side[side]
        if not own or n_total == sum(own.values()):
            words[side] = []  # nothing to contrast: no coverage from this side, or only this side
            continue
        z = log_odds_z(
            own, story_total, corpus, PRIOR_STRENGTH, min_count=MIN_SIDE_COUNT, unseen=unseen
        )
        ranked = sorted(
            (t for t, score in z.items() if score >= min_z and own[t] >= MIN_SIDE_COUNT),
            key=lambda t: (-z[t], t),
        )
        words[side] = _without_nested(ranked, max_terms, z, own)
    return {"method": METHOD, "words": words}


def _without_nested(
    ranked: list[str], limit: int, z: Mapping[str, float], own: Counter[str]
) -> list[dict[str, Any]]:
    """Top terms, skipping a word already shown inside a phrase (and the reverse)."""
    chosen: list[str] = []
    for term in ranked:
        parts = set(term.split())
        overlapping = [c for c in chosen if (" " in c) != (" " in term) and parts & set(c.split())]
        if not overlapping:
            if len(chosen) < limit:
                chosen.append(term)
            continue
        # A phrase replaces the words it is made of when they occur only inside it.
        if " " in term and all(own[c] <= own[term] for c in overlapping):
            chosen = [c for c in chosen if c not in overlapping]
            chosen.append(term)
    chosen.sort(key=lambda t: (-z[t], t))
    return [{"term": t, "z": round(z[t], 2), "count": own[t]} for t in chosen]


def headlines_by_side(
    articles: Sequence[StoryArticle],
    sides: Mapping[int, str],
    outlet_names: Mapping[int, str],
    per_side: int = 5,
) -> dict[str, list[dict[str, Any]]]:
    """Each side's headlines, earliest first, reposts left out."""
    found: dict[str, list[dict[str, Any]]] = {side: [] for side in (*SIDES, "unrated")}
    for article in sorted(articles, key=lambda a: (a.when, a.id)):
        side = sides.get(article.id, "unrated")
        if article.repost_of is not None or len(found[side]) >= per_side:
            continue
        name = outlet_names.get(article.outlet_id) if article.outlet_id is not None else None
        found[side].append(
            {"id": article.id, "title": article.title, "outlet": name or article.source_name}
        )
    return found
