"""Streaming assignment in memory: an inverted index over active stories and the decision rule.

No SQL here. The service feeds articles in order and writes the decisions; the training script
and the tests drive the same class directly, so what is tuned is exactly what runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, islice

import numpy as np

from newsprism.cluster.documents import ArticleDoc, StoryState
from newsprism.cluster.features import FEATURES, candidate_rows
from newsprism.cluster.model import ClusterModel

# Stories scored per article, ranked by shared query-term weight. On the training split's windows
# 15 candidates hold the true story 97% of the time (10 candidates from 20 terms: 95%).
MAX_CANDIDATES = 15
# Stories kept per term in the index: the most recently active ones. Bounds the work per article
# however many stories a busy window holds on a common word.
POSTING_CAP = 400
# Of those, the most recently active stories that a query term votes for. A common word's
# older stories rarely win, and this keeps the lookup at a fixed cost per article.
VOTERS_PER_TERM = 100
# Members of a story re-scored by the merge pass: its latest articles speak for it.
MERGE_MEMBERS = 8
# How often (in assigned articles) stories that left the time window are dropped.
EVICT_EVERY = 500


@dataclass(slots=True)
class Scored:
    story: StoryState
    row: list[float]
    probability: float


@dataclass(slots=True)
class Decision:
    """Where an article goes: ``best`` when it joins, otherwise it starts a new story."""

    best: Scored | None
    joins: bool
    candidates: int


class Clusterer:
    def __init__(
        self, model: ClusterModel, window: timedelta, span: timedelta | None = None
    ) -> None:
        self.model = model
        self.window = window
        # A story stops taking articles once its first one is this old (None: no limit).
        self.span = span
        self.stories: dict[int, StoryState] = {}
        # language -> term -> story ids in order of last activity, most recent last. Dicts used
        # as ordered sets (values None): moving a story to the end, dropping the oldest and
        # forgetting an expired story are O(1) whatever the list's length, and a dict of ints
        # and None holds no reference the garbage collector has to follow, so a full index
        # costs the collector nothing to scan.
        self._postings: dict[str, dict[str, dict[int, None]]] = {}
        # story id -> every term it was posted under (again a dict of None, untracked by the
        # collector, rather than a set).
        self._story_terms: dict[int, dict[str, None]] = {}
        self._watermark: datetime | None = None
        self._since_evict = 0
        # Stories that gained articles since the last merge pass: the only ones it re-examines.
        self.touched: set[int] = set()
        # Member probabilities computed during a merge pass (None outside one).
        self._pass_cache: dict[int, list[dict[int, float]]] | None = None

    # --- decisions ------------------------------------------------------------------------

    def candidates(self, doc: ArticleDoc) -> list[StoryState]:
        postings = self._postings.get(_lang_key(doc.language))
        if not postings:
            return []
        voters: list[list[int]] = []
        weights: list[float] = []
        body = doc.body
        for term in doc.query_terms:
            ids = postings.get(term)
            if ids:
                # The most recently active ones; their order within a term does not matter.
                if len(ids) > VOTERS_PER_TERM:
                    voters.append(list(islice(reversed(ids), VOTERS_PER_TERM)))
                else:
                    voters.append(list(ids))
                weights.append(body.get(term, 0.0))
        if not voters:
            return []
        best = _top_voted(voters, weights, MAX_CANDIDATES)
        out = []
        for story_id in best:
            story = self.stories.get(story_id)
            if story is not None and self._open_to(story, doc):
                out.append(story)
        return out

    def _open_to(self, story: StoryState, doc: ArticleDoc) -> bool:
        return self._open_at(story, doc.time)

    def _open_at(self, story: StoryState, time: datetime) -> bool:
        if abs(time - story.last_time) > self.window:
            return False
        return self.span is None or time - story.first_time <= self.span

    def takes_copy(self, story_id: int, time: datetime) -> bool:
        """Whether a repost dated ``time`` may go with its original into this story: the story
        is live here and open at that time (a copy months later is news of its own day)."""
        story = self.stories.get(story_id)
        return story is not None and self._open_at(story, time)

    def decide(self, doc: ArticleDoc) -> Decision:
        stories = self.candidates(doc)
        if not stories:
            return Decision(None, False, 0)
        scored = [
            Scored(s, row, self.model.probability(row, _gap_days(doc, s)))
            for s, row in candidate_rows(doc, stories)
        ]
        # Ties go to the older story so that the outcome does not depend on dict order.
        best = max(scored, key=lambda c: (c.probability, -c.story.story_id))
        return Decision(best, best.probability >= self.model.join_threshold, len(scored))

    def feature_rows(self, doc: ArticleDoc) -> list[tuple[int, list[float]]]:
        """(story id, features) of every candidate: what the training script learns from."""
        return [(s.story_id, row) for s, row in candidate_rows(doc, self.candidates(doc))]

    # --- state changes --------------------------------------------------------------------

    def start_story(self, story_id: int, doc: ArticleDoc) -> StoryState:
        story = StoryState(story_id, doc.language, first_time=doc.time, last_time=doc.time)
        self.stories[story_id] = story
        self.join(story_id, doc)
        return story

    def join(self, story_id: int, doc: ArticleDoc) -> StoryState:
        story = self._add(story_id, doc)
        self._advance(doc.time)
        return story

    def _add(self, story_id: int, doc: ArticleDoc) -> StoryState:
        story = self.stories[story_id]
        story.add(doc)
        self.touched.add(story_id)
        postings = self._postings.setdefault(_lang_key(story.language), {})
        terms = self._story_terms.get(story_id)
        if terms is None:
            terms = self._story_terms[story_id] = {}
        for term in doc.query_terms:
            ids = postings.get(term)
            if ids is None:
                postings[term] = {story_id: None}
                continue
            if next(reversed(ids)) != story_id:
                ids.pop(story_id, None)
                ids[story_id] = None  # most recently active last
                if len(ids) > POSTING_CAP:
                    del ids[next(iter(ids))]
        terms.update(dict.fromkeys(doc.query_terms))
        return story

    def merge(self, survivor_id: int, merged_id: int) -> None:
        survivor = self.stories[survivor_id]
        merged = self.stories.pop(merged_id)
        survivor.absorb(merged)
        postings = self._postings.setdefault(_lang_key(survivor.language), {})
        terms = self._story_terms.setdefault(survivor_id, {})
        for term in self._story_terms.pop(merged_id, {}):
            ids = postings.get(term)
            if ids is None:
                continue
            ids.pop(merged_id, None)
            ids.pop(survivor_id, None)
            ids[survivor_id] = None
            terms[term] = None

    def merge_pass(self) -> list[tuple[int, int, float]]:
        """Merge stories that turned out to be one event; returns (survivor, merged, probability).

        For each story touched since the last pass, its recent members are scored against the
        other stories as if they were arriving now, with the same model that assigns articles;
        the story they would join most is the merge candidate, and the merge scorer decides with
        the evidence of both directions (see ``merge_row``). This is how a story split by arrival
        order (the bridging article came last) is healed. The survivor is the larger story (the
        older on a tie), so the id most readers already have keeps working and the other
        redirects to it.
        """
        merges: list[tuple[int, int, float]] = []
        # A story's member probabilities serve as its own evidence and as the other side's for
        # the stories it is compared with; a merge changes them, so the cache lives until one.
        self._pass_cache = {}
        try:
            for story_id in sorted(self.touched):
                story = self.stories.get(story_id)
                if story is None:
                    continue
                best = self._merge_target(story)
                if best is None:
                    continue
                probability, other = best
                survivor, merged = sorted(
                    (story, other), key=lambda s: (-s.size, s.first_time, s.story_id)
                )
                self.merge(survivor.story_id, merged.story_id)
                self._pass_cache.clear()
                merges.append((survivor.story_id, merged.story_id, probability))
        finally:
            self._pass_cache = None
        self.touched.clear()
        return merges

    def merge_row(self, story: StoryState) -> tuple[StoryState, list[float]] | None:
        """The story ``story``'s members would join most, with its MERGE_FEATURES row."""
        forward = self._member_probabilities(story)
        totals: dict[int, float] = {}
        for probabilities in forward:
            for other_id, p in probabilities.items():
                totals[other_id] = totals.get(other_id, 0.0) + p
        if not totals:
            return None
        other_id, _total = max(totals.items(), key=lambda kv: (kv[1], -kv[0]))
        other = self.stories[other_id]
        to_other = [p.get(other_id, 0.0) for p in forward]
        back = [p.get(story.story_id, 0.0) for p in self._member_probabilities(other)]
        return other, [
            sum(to_other) / len(to_other),
            max(to_other),
            sum(back) / len(back) if back else 0.0,
            max(back, default=0.0),
            story.body.cosine_with(other.body),
            story.title.cosine_with(other.title),
        ]

    def _member_probabilities(self, story: StoryState) -> list[dict[int, float]]:
        """For each recent member: the probability of joining each other candidate story."""
        cache = self._pass_cache
        if cache is not None and story.story_id in cache:
            return cache[story.story_id]
        out = []
        for member in list(story.members)[-MERGE_MEMBERS:]:
            others = [s for s in self.candidates(member) if s.story_id != story.story_id]
            out.append(
                {
                    other.story_id: self.model.probability(row, _gap_days(member, other))
                    for other, row in candidate_rows(member, others)
                }
            )
        if cache is not None:
            cache[story.story_id] = out
        return out

    def _merge_target(self, story: StoryState) -> tuple[float, StoryState] | None:
        found = self.merge_row(story)
        if found is None:
            return None
        other, row = found
        # Weights without a merge scorer: the members' mean probability of joining decides.
        probability = self.model.merge_probability(row) if self.model.merge_coef else row[0]
        if probability < self.model.merge_threshold:
            return None
        return probability, other

    def load(self, stories: Iterable[tuple[int, list[ArticleDoc]]]) -> None:
        """Add stored stories (members in assignment order); ids already here are skipped.

        Loading does not move the stream's clock: a backfill loads the stories around the
        articles it is about to place, which may be far older than the newest story here.
        """
        for story_id, docs in stories:
            if not docs or story_id in self.stories:
                continue
            first = docs[0]
            self.stories[story_id] = StoryState(
                story_id, first.language, first_time=first.time, last_time=first.time
            )
            for doc in docs:
                self._add(story_id, doc)

    @property
    def horizon(self) -> datetime | None:
        """Stories last active before this may have been forgotten (None: nothing was)."""
        return None if self._watermark is None else self._watermark - self.window

    def _advance(self, time: datetime) -> None:
        # The newest article placed by the stream, not by ``load``: eviction follows the stream.
        if self._watermark is None or time > self._watermark:
            self._watermark = time
        self._since_evict += 1
        if self._since_evict >= EVICT_EVERY:
            self.evict()

    def evict(self) -> int:
        """Forget stories whose last article is older than the window, or whose first is older
        than the span (they stay in the store)."""
        self._since_evict = 0
        if self._watermark is None:
            return 0
        horizon = self._watermark - self.window
        born = self._watermark - self.span if self.span is not None else None
        old = [
            sid
            for sid, s in self.stories.items()
            if s.last_time < horizon or (born is not None and s.first_time < born)
        ]
        for story_id in old:
            story = self.stories.pop(story_id)
            postings = self._postings.get(_lang_key(story.language), {})
            for term in self._story_terms.pop(story_id, {}):
                ids = postings.get(term)
                if ids is not None:
                    ids.pop(story_id, None)
                    if not ids:
                        del postings[term]
        return len(old)


def _top_voted(voters: list[list[int]], weights: list[float], limit: int) -> list[int]:
    """The ``limit`` stories with the largest summed weight of the terms voting for them.

    Ties go to the older (smaller) id. bincount adds each story's weights one by one in term
    order, so the sums are exactly those of a plain loop, without a dict update per vote.
    """
    ids = np.array(list(chain.from_iterable(voters)), dtype=np.int64)
    per_vote = np.repeat(np.asarray(weights), [len(v) for v in voters])
    stories, which = np.unique(ids, return_inverse=True)
    votes = np.bincount(which, weights=per_vote)
    if len(stories) > limit:
        # Only the candidates' neighbourhood needs the full (votes, id) ordering.
        cut = np.partition(-votes, limit - 1)[limit - 1]
        keep = np.flatnonzero(-votes <= cut)
        stories, votes = stories[keep], votes[keep]
    order = np.lexsort((stories, -votes))[:limit]
    return [int(s) for s in stories[order]]


def _lang_key(language: str | None) -> str:
    # Separate indexes per language: an English article never even meets a German story.
    return (language or "und").split("-")[0].lower()


def _gap_days(doc: ArticleDoc, story: StoryState) -> float:
    if story.first_time <= doc.time <= story.last_time:
        return 0.0
    nearest = story.last_time if doc.time > story.last_time else story.first_time
    return abs((doc.time - nearest).total_seconds()) / 86400.0


__all__ = ["FEATURES", "Clusterer", "Decision", "Scored"]
