"""Response shapes of the JSON API, published in /openapi.json.

Story objects carry the contract's keys (CONTRACT.md) and may carry more analysis keys; those
are allowed through so the API shows the same data as the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    error: str = Field(description="What was wrong, in one line.")


class BiasCounts(Open):
    left: int = 0
    center: int = 0
    right: int = 0
    unrated: int = 0


class Blindspot(Open):
    side: str
    reason: str


class StoryBrief(Open):
    id: int
    headline: str | None = None
    articles: int
    outlets: int
    bias: BiasCounts
    factuality: dict[str, int] = Field(default_factory=dict)
    ownership: dict[str, int] = Field(default_factory=dict)
    blindspot: Blindspot | None = None
    first_published: datetime | None = None
    last_updated: datetime | None = None


class Bullet(Open):
    text: str
    article_ids: list[int]


class StoryArticle(Open):
    id: int
    url: str
    title: str
    outlet: Any = None
    published: datetime | None = None
    date_known: bool = Field(
        True, description="False when the source gave no date: 'published' is when it was found."
    )
    bias: Any = None
    factuality: Any = None
    ownership: Any = None
    repost_of: int | None = None
    opinion: bool = False  # a column, op-ed or editorial rather than a report


class StoryDetail(Open):
    id: int
    headline: str | None = None
    outlets: int
    bias: BiasCounts
    factuality: dict[str, int] = Field(default_factory=dict)
    ownership: dict[str, int] = Field(default_factory=dict)
    blindspot: Blindspot | None = None
    first_published: datetime | None = None
    last_updated: datetime | None = None
    summary: list[Bullet]
    articles: list[StoryArticle]
    coverage: dict[str, Any]


class Page(BaseModel):
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last one.")


class StoryPage(Page):
    items: list[StoryBrief]


class Rating(BaseModel):
    provider: str
    bias_label: str | None = None
    bias_score: float | None = None
    factuality_label: str | None = None
    factuality_score: float | None = None
    url: str | None = None
    rated_at: str | None = None


class OutletOut(BaseModel):
    id: int
    domain: str
    name: str
    homepage: str | None = None
    country: str | None = None
    language: str | None = None
    ownership: str | None = None
    owner: str | None = None
    articles: int
    bias_score: float | None = None
    bias_spread: float | None = None
    side: str | None = None
    factuality_score: float | None = None
    factuality_label: str | None = None
    ratings: list[Rating]


class FeedOut(BaseModel):
    id: int
    url: str
    title: str | None = None
    enabled: bool
    interval_s: int
    last_status: str | None = None
    last_error: str | None = None
    consecutive_failures: int
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    next_poll_at: datetime | None = None


class StoryRef(BaseModel):
    id: int
    headline: str | None = None
    articles: int
    outlets: int
    first_published: datetime | None = None
    last_updated: datetime | None = None
    blindspot_side: str | None = None


class OutletDetail(OutletOut):
    feeds: list[FeedOut]
    recent_stories: list[StoryRef]


class OutletPage(Page):
    items: list[OutletOut]


class SearchArticle(BaseModel):
    id: int
    title: str
    url: str
    snippet: str
    published: datetime | None = None
    story_id: int | None = None
    outlet_id: int | None = None
    outlet: str | None = None


class SearchStory(StoryRef):
    matches: list[SearchArticle]


class SearchPage(Page):
    query: str
    stories: list[SearchStory]
    articles: list[SearchArticle] = Field(description="Matching articles not yet in a story.")
