"""Sparse TF-IDF vectors as plain dicts, and the IDF table shipped as package data.

Dicts beat scipy.sparse here: an article touches a few dozen terms and a story's centroid a few
hundred, and streaming assignment does one small dot product at a time.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

Vector = dict[str, float]


@dataclass(frozen=True)
class IdfTable:
    """Document frequencies from the training corpus (English news ledes).

    Shipped rather than counted from the store: IDF from a few thousand stories is stable, the
    same article then always gets the same vector (deterministic, restart-proof), and a fresh
    install with ten articles still knows that "said" is common and "Kursk" is not. Terms it has
    never seen, including every term of languages it was not fitted on, get the highest weight,
    which makes the vectors of those languages plain TF, the best one can do without statistics.
    """

    documents: int
    frequencies: dict[str, int]
    weights: dict[str, float] = field(init=False, repr=False, compare=False)
    unseen: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Smoothed IDF as scikit-learn computes it, looked up once per term thereafter.
        n = self.documents + 1
        weights = {t: math.log(n / (df + 1)) + 1.0 for t, df in self.frequencies.items()}
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "unseen", math.log(n) + 1.0)

    def idf(self, term: str) -> float:
        return self.weights.get(term, self.unseen)


@lru_cache(maxsize=1)
def default_idf() -> IdfTable:
    raw = resources.files("newsprism.cluster").joinpath("data/idf.json").read_text("utf-8")
    data = json.loads(raw)
    return IdfTable(documents=int(data["documents"]), frequencies=data["frequencies"])


# 1 + log(count) for the counts a text of MAX_BODY_CHARS can reach, looked up not recomputed.
_SUBLINEAR = [0.0] + [1.0 + math.log(c) for c in range(1, 512)]


def tfidf(counts: Counter[str], idf: IdfTable) -> Vector:
    """Sublinear TF times IDF, L2-normalized (the usual choice for short news texts)."""
    get, unseen = idf.weights.get, idf.unseen
    if counts and max(counts.values()) < len(_SUBLINEAR):
        tf = _SUBLINEAR
        vector = {t: tf[c] * get(t, unseen) for t, c in counts.items()}
    else:
        vector = {t: (1.0 + math.log(c)) * get(t, unseen) for t, c in counts.items()}
    return normalize(vector)


def normalize(vector: Vector) -> Vector:
    norm = math.sqrt(sum([w * w for w in vector.values()]))
    if norm == 0.0:
        return {}
    return {t: w / norm for t, w in vector.items()}


def dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return _dot_into(a, b)


class Centroid:
    """Running sum of unit vectors with its squared norm, so cosine stays O(len(article))."""

    __slots__ = ("norm_sq", "total")

    def __init__(self) -> None:
        self.total: Vector = {}
        self.norm_sq = 0.0

    def cosine(self, vector: Vector) -> float:
        if not vector or self.norm_sq <= 0.0:
            return 0.0
        return _dot_into(vector, self.total) / math.sqrt(self.norm_sq)

    def add(self, vector: Vector) -> None:
        total = self.total
        own = sum([w * w for w in vector.values()])
        if not total:
            # A story's first article (most articles start one): the sum is a copy.
            self.total = dict(vector)
            self.norm_sq += own
            return
        cross = _dot_into(vector, total)
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
        self.norm_sq += 2.0 * cross + own

    def absorb(self, other: Centroid) -> None:
        cross = _dot_into(other.total, self.total)
        for term, weight in other.total.items():
            self.total[term] = self.total.get(term, 0.0) + weight
        self.norm_sq += 2.0 * cross + other.norm_sq

    def cosine_with(self, other: Centroid) -> float:
        if self.norm_sq <= 0.0 or other.norm_sq <= 0.0:
            return 0.0
        small, large = sorted((self.total, other.total), key=len)
        return _dot_into(small, large) / math.sqrt(self.norm_sq * other.norm_sq)


def _dot_into(small: Vector, large: Vector) -> float:
    # A list comprehension with a membership test is the fastest pure-Python sparse dot here.
    return sum([w * large[t] for t, w in small.items() if t in large])
