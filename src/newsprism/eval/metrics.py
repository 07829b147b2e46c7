"""Clustering quality: B³ (Bagga & Baldwin 1998) and pairwise precision/recall/F1.

Both compare a predicted partition with the gold one over the same items. B³ averages, per item,
how much of its predicted cluster is truly its story (precision) and how much of its story landed
in its cluster (recall); pairwise counts item pairs put together. Computed from the contingency
table, so it is O(items), not O(items²).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass
from typing import TypeVar

Item = TypeVar("Item", bound=Hashable)


@dataclass(frozen=True)
class ClusterScores:
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    clusters: int
    gold_clusters: int
    articles: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_partition(
    predicted: Mapping[Item, Hashable], gold: Mapping[Item, Hashable]
) -> ClusterScores:
    """Scores for ``predicted`` (item -> cluster) against ``gold`` (item -> story).

    Both must label exactly the same items; a missing item is a bug in the caller, not a miss.
    """
    if set(predicted) != set(gold):
        missing = len(set(gold) - set(predicted))
        extra = len(set(predicted) - set(gold))
        raise ValueError(f"partitions differ: {missing} items unlabelled, {extra} unknown items")
    n = len(gold)
    if n == 0:
        return ClusterScores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0)
    joint = Counter((predicted[item], gold[item]) for item in gold)
    pred_sizes = Counter(predicted[item] for item in gold)
    gold_sizes = Counter(gold.values())

    # B³: an item in cell (c, g) has precision |c∩g|/|c| and recall |c∩g|/|g|.
    precision = sum(k * k / pred_sizes[c] for (c, _g), k in joint.items()) / n
    recall = sum(k * k / gold_sizes[g] for (_c, g), k in joint.items()) / n

    def pairs(size: int) -> int:
        return size * (size - 1) // 2

    together = sum(pairs(k) for k in joint.values())
    pred_pairs = sum(pairs(k) for k in pred_sizes.values())
    gold_pairs = sum(pairs(k) for k in gold_sizes.values())
    # With no pairs at all there is nothing to get wrong: count it as perfect.
    pair_p = together / pred_pairs if pred_pairs else 1.0
    pair_r = together / gold_pairs if gold_pairs else 1.0
    return ClusterScores(
        bcubed_precision=precision,
        bcubed_recall=recall,
        bcubed_f1=f1(precision, recall),
        pairwise_precision=pair_p,
        pairwise_recall=pair_r,
        pairwise_f1=f1(pair_p, pair_r),
        clusters=len(pred_sizes),
        gold_clusters=len(gold_sizes),
        articles=n,
    )
