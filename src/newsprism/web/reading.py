"""'My news bias': a reader's history of opened stories as side and factuality shares over time."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from newsprism.models import FACTUALITY_LABELS
from newsprism.web.present import SIDE_LABELS, SIDES, Segment, distribution, rounded_shares


@dataclass
class Period:
    start: datetime
    label: str
    reads: int
    sides: list[Segment]


def _count(value: Any) -> Fraction:
    try:
        return max(Fraction(value or 0), Fraction(0))
    except (TypeError, ValueError, OverflowError):  # not a number, NaN or infinite
        return Fraction(0)


def _shares(counts: dict[str, Any], keys: tuple[str, ...] | list[str]) -> dict[str, Fraction]:
    """One story read counts once, split over its sides by their share of rated outlets.

    Shares are exact fractions, so that sums of them stay exact and equal sums stay equal."""
    values = {k: _count(counts.get(k)) for k in keys}
    total = sum(values.values())
    return {k: v / total for k, v in values.items()} if total else {}


def _whole(weights: list[Fraction]) -> list[int]:
    """Integers in exactly the proportions of ``weights``: what ``rounded_shares`` rounds."""
    scale = math.lcm(*(w.denominator for w in weights)) if weights else 1
    return [int(w * scale) for w in weights]


def _segments(weights: dict[str, Fraction]) -> list[Segment]:
    counts = [weights.get(side, Fraction(0)) for side in SIDES]
    shares = rounded_shares(_whole(counts))
    return [
        Segment(side, SIDE_LABELS[side], round(c), pct)
        for side, c, pct in zip(SIDES, counts, shares, strict=True)
    ]


def _week_start(when: datetime) -> datetime:
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def summarize_history(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-week side shares, factuality shares and the latest reads."""
    overall: dict[str, Fraction] = defaultdict(Fraction)
    factuality: dict[str, Fraction] = defaultdict(Fraction)
    weeks: dict[datetime, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    week_reads: dict[datetime, int] = defaultdict(int)
    unrated_reads = 0
    for row in rows:
        snapshot = row.get("snapshot") or {}
        sides = _shares(snapshot.get("bias") or {}, SIDES)
        if not sides:
            unrated_reads += 1
        week = _week_start(row["opened_at"])
        week_reads[week] += 1
        for side, share in sides.items():
            overall[side] += share
            weeks[week][side] += share
        facts = snapshot.get("factuality") or {}
        for label, share in _shares(facts, list(facts)).items():
            factuality[label] += share
    periods = [
        Period(
            start=week,
            label=f"Week of {week.strftime('%d %b %Y')}",
            reads=week_reads[week],
            sides=_segments(weeks[week]),
        )
        for week in sorted(week_reads, reverse=True)
    ]
    # Exact proportions, rounded to whole percentages as every other share on the site.
    fact_counts = dict(zip(factuality, _whole(list(factuality.values())), strict=True))
    return {
        "reads": len(rows),
        "unrated_reads": unrated_reads,
        "sides": _segments(overall),
        "side_reads": {side: round(float(overall.get(side, 0)), 1) for side in SIDES},
        "factuality": distribution(fact_counts, "factuality"),
        "factuality_known": any(label in FACTUALITY_LABELS for label in factuality),
        "periods": periods[:26],
        "recent": list(reversed(rows[-20:])),
    }


def export_document(username: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "username": username,
        "reads": [
            {
                "story_id": row["story_id"],
                "opened_at": row["opened_at"].isoformat().replace("+00:00", "Z"),
                "snapshot": row["snapshot"],
            }
            for row in rows
        ],
    }
