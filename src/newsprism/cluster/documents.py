"""Articles and stories as the clusterer holds them in memory (vectors, entities, counters)."""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from newsprism.cluster.text import analyze
from newsprism.cluster.vectors import Centroid, IdfTable, Vector, normalize, tfidf

# Terms an article is looked up by in the inverted index: its highest-weighted ones. Thirty
# covers the event's names and topic words; more only adds posting lists of common words.
QUERY_TERMS = 30
# Members kept per story for the nearest-member features; a story's last dozens of articles
# represent it well, and the cap keeps the cost per comparison flat for huge stories.
MEMBERS_KEPT = 32
# Terms kept per body vector. A lede names its event in far fewer words; the cap keeps the dot
# products of long articles (and the centroids of big stories) cheap.
BODY_TERMS = 60
# Summed IDF of a title's distinct terms from which a match on it can count in full. A title of
# two everyday words ("Live updates", "Morning briefing": about 11) names a format that an outlet
# reuses every day rather than an event; 95% of the training split's headlines reach 25.
TITLE_MASS = 25.0


@dataclass(slots=True)
class ArticleDoc:
    """One article, vectorized once on arrival."""

    article_id: int
    time: datetime
    language: str | None
    outlet_id: int | None
    title: Vector
    lede: Vector
    body: Vector
    entities: dict[str, float]  # normalized key -> IDF weight
    surfaces: dict[str, str]  # normalized key -> surface form, for explanations
    numbers: frozenset[str]
    query_terms: tuple[str, ...]
    # How much a match on the title can tell, 0…1: its terms' summed IDF over TITLE_MASS, at most 1.
    title_weight: float = 1.0
    # Unit sentence vector (float32), set only when the cluster_embeddings setting is on.
    dense: np.ndarray | None = None


def vectorize(
    article_id: int,
    title: str,
    text: str,
    *,
    time: datetime,
    language: str | None,
    outlet_id: int | None,
    idf: IdfTable,
) -> ArticleDoc:
    analyzed = analyze(title, text, language)
    body = tfidf(analyzed.body_terms, idf)
    # Heaviest first, ties by term: (weight, term) pairs sort in C without a key function.
    ranked = sorted([(w, t) for t, w in body.items()], reverse=True)
    if len(body) > BODY_TERMS:
        ranked = ranked[:BODY_TERMS]
        body = normalize({t: w for w, t in ranked})
        ranked = sorted([(w, t) for t, w in body.items()], reverse=True)
    weights, unseen = idf.weights, idf.unseen
    entity_weights = {
        key: _entity_idf(key, idf) if " " in key else weights.get(key, unseen)
        for key in analyzed.entities
    }
    return ArticleDoc(
        article_id=article_id,
        time=time,
        language=language,
        outlet_id=outlet_id,
        title=tfidf(analyzed.title_terms, idf),
        lede=tfidf(analyzed.lede_terms, idf),
        body=body,
        entities=entity_weights,
        surfaces=analyzed.entities,
        numbers=analyzed.numbers,
        query_terms=tuple(sorted(t for _, t in ranked[:QUERY_TERMS])),
        title_weight=min(1.0, sum(map(idf.idf, analyzed.title_terms)) / TITLE_MASS),
    )


def _entity_idf(key: str, idf: IdfTable) -> float:
    # A phrase is as specific as its rarest word ("South Carolina" ~ "carolina").
    return max(idf.idf(word) for word in key.split(" "))


@dataclass(slots=True)
class StoryState:
    """A story's running summary: centroids, entity and number counts, recent members."""

    story_id: int
    language: str | None
    first_time: datetime
    last_time: datetime
    size: int = 0
    title: Centroid = field(default_factory=Centroid)
    lede: Centroid = field(default_factory=Centroid)
    body: Centroid = field(default_factory=Centroid)
    entities: Counter[str] = field(default_factory=Counter)
    entity_weights: dict[str, float] = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)
    numbers: Counter[str] = field(default_factory=Counter)
    outlets: Counter[int] = field(default_factory=Counter)
    members: deque[ArticleDoc] = field(default_factory=lambda: deque(maxlen=MEMBERS_KEPT))
    _core: tuple[tuple[str, ...], float] | None = None
    # Sum of the members' title weights (ArticleDoc.title_weight); see ``title_weight``.
    title_weight_total: float = 0.0
    # Sum of the members' sentence vectors (cluster_embeddings only); its direction is the mean.
    dense_total: np.ndarray | None = None

    @property
    def title_weight(self) -> float:
        """How much a match on the story's titles can tell: its members' mean title weight."""
        return self.title_weight_total / self.size if self.size else 0.0

    def core_entities(self) -> tuple[tuple[str, ...], float]:
        """Names used by at least half the story's articles (all of them while it is small),
        with their summed IDF weight; cached until the story changes."""
        if self._core is None:
            need = max(1, math.ceil(self.size / 2))
            core = tuple(sorted(k for k, c in self.entities.items() if c >= need))
            self._core = (core, sum(self.entity_weights[k] for k in core))
        return self._core

    def add(self, doc: ArticleDoc) -> None:
        self._core = None
        self.size += 1
        self.title.add(doc.title)
        self.title_weight_total += doc.title_weight
        self.lede.add(doc.lede)
        self.body.add(doc.body)
        self.entities.update(doc.entities.keys())
        self.entity_weights.update(doc.entities)
        for key, surface in doc.surfaces.items():
            self.surfaces.setdefault(key, surface)
        self.numbers.update(doc.numbers)
        if doc.outlet_id is not None:
            self.outlets[doc.outlet_id] += 1
        self.members.append(doc)
        if doc.dense is not None:
            self.dense_total = _plus(self.dense_total, doc.dense)
        self.first_time = min(self.first_time, doc.time)
        self.last_time = max(self.last_time, doc.time)

    def absorb(self, other: StoryState) -> None:
        """Take in a story merged into this one."""
        self._core = None
        self.size += other.size
        self.title.absorb(other.title)
        self.title_weight_total += other.title_weight_total
        self.lede.absorb(other.lede)
        self.body.absorb(other.body)
        self.entities.update(other.entities)
        self.entity_weights.update(other.entity_weights)
        for key, surface in other.surfaces.items():
            self.surfaces.setdefault(key, surface)
        self.numbers.update(other.numbers)
        self.outlets.update(other.outlets)
        merged = sorted([*self.members, *other.members], key=lambda d: (d.time, d.article_id))
        self.members = deque(merged, maxlen=MEMBERS_KEPT)
        if other.dense_total is not None:
            self.dense_total = _plus(self.dense_total, other.dense_total)
        self.first_time = min(self.first_time, other.first_time)
        self.last_time = max(self.last_time, other.last_time)


def _plus(total: np.ndarray | None, vector: np.ndarray) -> np.ndarray:
    # A new array rather than in place: a story's first total must not alias its article's vector.
    return vector.copy() if total is None else total + vector
