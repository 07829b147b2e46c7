"""B³ and pairwise scores against values computed by hand."""

from __future__ import annotations

import pytest

from newsprism.eval.metrics import score_partition


def test_scores_match_a_hand_computed_example() -> None:
    # Gold: {a, b, c} and {d, e}. Predicted: {a, b} and {c, d, e}.
    gold = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    s = score_partition(predicted, gold)
    # B³ precision per item: 1, 1, 1/3, 2/3, 2/3 -> 11/15; recall: 2/3, 2/3, 1/3, 1, 1 -> 11/15.
    assert s.bcubed_precision == pytest.approx(11 / 15)
    assert s.bcubed_recall == pytest.approx(11 / 15)
    assert s.bcubed_f1 == pytest.approx(11 / 15)
    # Pairs predicted together: ab, cd, ce, de; gold: ab, ac, bc, de; shared: ab, de.
    assert s.pairwise_precision == pytest.approx(0.5)
    assert s.pairwise_recall == pytest.approx(0.5)
    assert s.pairwise_f1 == pytest.approx(0.5)
    assert (s.clusters, s.gold_clusters, s.articles) == (2, 2, 5)


def test_all_singletons_have_perfect_precision_and_low_recall() -> None:
    gold = {1: "s", 2: "s", 3: "s", 4: "t"}
    predicted = {1: 1, 2: 2, 3: 3, 4: 4}
    s = score_partition(predicted, gold)
    assert s.bcubed_precision == pytest.approx(1.0)
    assert s.bcubed_recall == pytest.approx((1 / 3 * 3 + 1) / 4)
    assert s.pairwise_recall == 0.0
    assert s.pairwise_f1 == 0.0


def test_one_big_cluster_has_perfect_recall() -> None:
    gold = {1: "s", 2: "s", 3: "t", 4: "t"}
    predicted = dict.fromkeys(gold, 0)
    s = score_partition(predicted, gold)
    assert s.bcubed_recall == pytest.approx(1.0)
    assert s.bcubed_precision == pytest.approx(0.5)
    assert s.pairwise_precision == pytest.approx(2 / 6)


def test_identical_partitions_score_one_whatever_the_labels() -> None:
    gold = {1: "a", 2: "a", 3: "b"}
    s = score_partition({1: 9, 2: 9, 3: 7}, gold)
    assert (s.bcubed_f1, s.pairwise_f1) == (1.0, 1.0)


def test_partitions_over_different_items_are_refused() -> None:
    with pytest.raises(ValueError, match="1 items unlabelled"):
        score_partition({1: 1}, {1: 1, 2: 1})
