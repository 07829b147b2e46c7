"""Chart and text helpers of the pages: bar shares, distributions, timeline SVG, framing, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.web.present import (
    ago,
    distribution,
    framing_columns,
    rounded_shares,
    side_segments,
    timeline_points,
    timeline_svg,
    web_link,
)
from newsprism.web.reading import summarize_history

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8))
def test_rounded_shares_add_up_to_100_unless_equal_counts_forbid_it(counts: list[int]) -> None:
    shares = rounded_shares(counts)
    assert sum(shares) <= (100 if sum(counts) else 0)  # a bar never overflows
    assert all(0 <= s <= 100 for s in shares)
    positive = [c for c in counts if c]
    if len(set(positive)) == len(positive):
        assert sum(shares) == (100 if sum(counts) else 0)


def test_side_segments_leave_unrated_outlets_out_of_the_percentages() -> None:
    segments = side_segments({"left": 1, "center": 2, "right": 1, "unrated": 6})
    assert [(s.key, s.count, s.pct) for s in segments] == [
        ("left", 1, 25),
        ("center", 2, 50),
        ("right", 1, 25),
    ]
    assert segments[1].width_class == "w-50"


def test_factuality_distribution_follows_the_scale_not_the_counts() -> None:
    bars = distribution({"Mixed": 5, "Very High": 1, "Unrated": 2, "High": 3}, "factuality")
    assert [b.label for b in bars] == ["Very High", "High", "Mixed", "Unrated"]
    ownership = distribution({"public_broadcaster": 1, "unknown": 2}, "ownership")
    assert [b.label for b in ownership] == ["Public broadcaster", "Unknown"]


def test_timeline_stacks_sides_per_bin_and_labels_itself() -> None:
    articles = [
        {"published": (NOW + timedelta(minutes=10 * i)).isoformat(), "side": side}
        for i, side in enumerate(["left", "left", "right", "center", "unrated", "left"])
    ]
    svg = str(timeline_svg(timeline_points(articles), "Articles <by side>"))
    assert (
        svg.startswith('<svg class="timeline"')
        and '<title id="tl-title">Articles &lt;by side&gt;' in svg
    )
    assert svg.count('class="tl-left"') == 1 and svg.count('class="tl-right"') == 1  # one bin
    assert "6 articles, one bar per 1 hour" in svg
    week = [{"published": (NOW + timedelta(days=d)).isoformat(), "side": "left"} for d in range(7)]
    assert "one bar per 6 hours" in str(timeline_svg(timeline_points(week)))
    assert str(timeline_svg([])) == ""


def test_framing_columns_read_the_analysis_shape() -> None:
    framing = {
        "method": "log-odds",
        "words": {"left": [{"term": "workers", "z": 3.1}], "right": []},
    }
    heads = {"right": [{"id": 5, "title": "Spending spree", "outlet": "Right Herald"}]}
    columns = framing_columns(framing, heads)
    assert [c["side"] for c in columns] == ["left", "center", "right"]
    assert columns[0]["words"] == ["workers"]
    assert columns[2]["headlines"][0]["outlet"] == "Right Herald"
    assert framing_columns({"method": None, "words": {}}, {}) == []


def test_relative_times_read_naturally() -> None:
    assert ago(NOW - timedelta(minutes=5), NOW) == "5 min ago"
    assert ago(NOW - timedelta(hours=1), NOW) == "1 hour ago"
    assert ago(NOW - timedelta(days=3), NOW) == "3 days ago"
    assert ago(None, NOW) == "date unknown"
    assert ago("not a date", NOW) == "date unknown"


def test_reading_history_counts_each_story_once_split_by_side() -> None:
    rows = [
        {"story_id": 1, "opened_at": NOW, "snapshot": {"bias": {"left": 3, "right": 1}}},
        {"story_id": 2, "opened_at": NOW, "snapshot": {"bias": {"center": 2}}},
        {"story_id": 3, "opened_at": NOW - timedelta(days=8), "snapshot": {"bias": {}}},
    ]
    summary = summarize_history(rows)
    assert summary["reads"] == 3 and summary["unrated_reads"] == 1
    assert summary["side_reads"] == {"left": 0.8, "center": 1.0, "right": 0.2}  # 0.75 → 0.8
    assert [s.pct for s in summary["sides"]] == [38, 50, 12]
    assert len(summary["periods"]) == 2 and summary["periods"][0].reads == 2


@given(st.floats(min_value=-3.5, max_value=3.5, allow_nan=False))
def test_an_outlets_lean_label_agrees_with_the_side_it_is_counted_on(score: float) -> None:
    from newsprism.models import bias_step_label, side_for_bias

    label = bias_step_label(score)
    side = side_for_bias(score)
    assert (side == "center") == (label == "Center")
    assert (side == "left") == label.endswith("Left")
    assert bias_step_label(-0.5) == "Lean Left" and bias_step_label(0.5) == "Lean Right"
    assert bias_step_label(2.5) == "Far Right" and bias_step_label(0.49) == "Center"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("HTTP://Example.com", "HTTP://Example.com"),
        ("javascript:alert(1)", ""),
        ("data:text/html,<b>x</b>", ""),
        ("//example.com/a", ""),
        ("http://", ""),
        ("http://[::1", ""),
        (None, ""),
        (7, ""),
    ],
)
def test_pages_link_only_to_web_addresses(url: object, shown: str) -> None:
    assert web_link(url) == shown
