"""Plain values passed between pipeline stages (no SQL, no HTTP in here)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Ownership categories shared by the registry, analysis and web (DESIGN.md).
OWNERSHIP_CATEGORIES = (
    "independent",
    "corporation",
    "private_equity",
    "individual",
    "government",
    "public_broadcaster",
    "non_profit",
    "other",
)

# Factuality steps, index = score 0..5.
FACTUALITY_LABELS = ("Very Low", "Low", "Mixed", "Mostly Factual", "High", "Very High")

# Bias -3..+3 in words.
BIAS_LABELS = {
    -3: "Far Left",
    -2: "Left",
    -1: "Lean Left",
    0: "Center",
    1: "Lean Right",
    2: "Right",
    3: "Far Right",
}


@dataclass(slots=True)
class ArticleDraft:
    """An article as ingest found it (a feed entry plus its page, or an import line)."""

    url: str
    title: str
    text: str = ""
    summary: str | None = None
    published_at: datetime | None = None
    date_note: str | None = None  # why published_at is a guess, when it is
    outlet_domain: str | None = None
    source_name: str | None = None
    feed_id: int | None = None
    guid: str | None = None
    author: str | None = None
    image_url: str | None = None
    language: str | None = None
    extraction_status: str = "imported"  # extracted | feed_only | imported | failed
    extraction_note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ArticleRecord:
    """A stored article as the clustering, summary and analysis stages see it."""

    id: int
    url: str
    title: str
    text: str
    published_at: datetime | None
    ingested_at: datetime
    language: str | None
    outlet_id: int | None
    repost_of: int | None = None
    story_id: int | None = None
    summary: str | None = None


def bias_step_label(score: float) -> str:
    """The label of the step nearest to ``score``, halves away from zero (−0.5 is Lean Left), as
    ``side_for_bias`` counts it: Python's round() takes halves to even and would call it Center."""
    step = math.floor(abs(score) + 0.5) * (1 if score >= 0 else -1)
    return BIAS_LABELS[max(-3, min(3, step))]


def side_for_bias(score: float | None) -> str | None:
    """Collapse the −3…+3 scale to the three sides shown on story bars.

    Far Left, Left and Lean Left (≤ −1) read as left; Lean Right and beyond as right. A combined
    score between the steps rounds to the nearest step, so −0.5 < score < 0.5 is center.
    """
    if score is None:
        return None
    if score <= -0.5:
        return "left"
    if score >= 0.5:
        return "right"
    return "center"


@dataclass(slots=True)
class ProviderRating:
    provider: str
    bias_label: str | None
    bias_score: float | None
    factuality_label: str | None
    factuality_score: float | None
    url: str | None
    rated_at: str | None


@dataclass(slots=True)
class OutletProfile:
    """An outlet with its combined rating: what story analysis and the web show per outlet."""

    id: int
    domain: str
    name: str
    country: str | None = None
    language: str | None = None
    ownership: str | None = None  # one of OWNERSHIP_CATEGORIES
    owner: str | None = None
    bias_score: float | None = None  # mean over providers, −3…+3
    bias_spread: float | None = None  # max − min over providers
    factuality_score: float | None = None  # mean over providers, 0…5
    ratings: list[ProviderRating] = field(default_factory=list)

    @property
    def side(self) -> str | None:
        return side_for_bias(self.bias_score)

    @property
    def factuality_label(self) -> str | None:
        if self.factuality_score is None:
            return None
        # Halves round up, all alike: round() sends 2.5 down to "Mixed" but 3.5 up to "High".
        step = math.floor(self.factuality_score + 0.5)
        return FACTUALITY_LABELS[max(0, min(5, step))]


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 article", "3 articles", "2 stories": a number with its noun in agreement."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
