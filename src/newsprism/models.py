"""Plain values passed between pipeline stages (no SQL, no HTTP in here)."""

from __future__ import annotations

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
BIAS_LABELS = {-3: "Far Left", -2: "Left", -1: "Lean Left", 0: "Center", 1: "Lean Right", 2: "Right", 3: "Far Right"}


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
