"""A story's summary: the LLM backend when configured and its answer passes the checks, else
the extractive summary. Returns the bullets and the method that wrote them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsprism.config import Settings
from newsprism.summarize.extractive import (
    Bullet,
    SourceArticle,
    SummaryOptions,
    summarize_extractive,
)

log = logging.getLogger(__name__)


@dataclass
class StorySummary:
    method: str  # extractive | llm
    bullets: list[Bullet]
    notes: list[str] = field(default_factory=list)


def summarize_story(articles: Sequence[SourceArticle], settings: Settings) -> StorySummary:
    notes: list[str] = []
    if settings.llm_base_url and settings.llm_model:
        from newsprism.summarize.llm import LLMUnavailable, summarize_llm

        try:
            result = summarize_llm(articles, settings)
            return StorySummary("llm", result.bullets, result.dropped)
        except LLMUnavailable as exc:
            log.warning("extractive summary instead: %s", exc)
            notes.append(str(exc))
        except Exception as exc:  # an answer of a shape no check foresaw: still a summary
            log.exception("extractive summary instead: the LLM answer could not be read")
            notes.append(f"LLM answer not readable: {type(exc).__name__}")
    options = SummaryOptions(
        max_bullets=settings.summary_max_bullets, min_bullets=settings.summary_min_bullets
    )
    return StorySummary("extractive", summarize_extractive(articles, options), notes)
