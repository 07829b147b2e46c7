"""Celery tasks: the embedded pipeline's own stage functions, one task per stage.

poll_feed ─► (articles stored) ─► assign_stories ─► (stories dirty) ─► analyze_stories

Each task is idempotent: polling a feed twice stores each article once (unique canonical URL),
assignment only touches articles with ``clustered_at IS NULL``, analysis only dirty stories.
Assignment (with the merge pass) and analysis hold the store lock ``stories`` so that only one
process in the whole deployment changes story membership at a time: two workers can never create
the same story twice, and an analysis never clears the dirty flag of a story that gained an
article while it ran. Transient failures (database, broker, network) are retried with
exponential backoff; bad input is not retried, it is recorded by the stage itself.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from sqlalchemy.exc import DBAPIError, OperationalError

from newsprism.pipeline import worker_state
from newsprism.pipeline.celery_app import app
from newsprism.store.locks import LockTimeout, exclusive

log = logging.getLogger(__name__)

# Story-changing steps wait this long for the lock before the task is retried later.
STORIES_LOCK_TIMEOUT_S = 120.0
STORIES_LOCK = "stories"

RETRYABLE: tuple[type[BaseException], ...] = (
    OperationalError,
    DBAPIError,
    LockTimeout,
    ConnectionError,
    TimeoutError,
)

_TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": RETRYABLE,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@app.task(name="newsprism.poll_feed", **_TASK_OPTIONS)
def poll_feed(self: Task, feed_id: int) -> dict[str, int]:
    """Fetch one feed, fetch and extract its new article pages, store them; then cluster."""
    from newsprism.ingest.poll import poll_cycle

    db, settings = worker_state.database(), worker_state.settings()
    report = poll_cycle(db, settings, feed_ids=[feed_id])
    added = int(getattr(report, "new_articles", 0) or 0)
    if added:
        assign_stories.delay()
    return {"feed_id": feed_id, "new_articles": added}


@app.task(name="newsprism.store_articles", **_TASK_OPTIONS)
def store_articles(self: Task, drafts: list[dict[str, Any]]) -> dict[str, int]:
    """Store already extracted articles (JSON-encoded drafts); then cluster."""
    from newsprism.pipeline.drafts import draft_from_json
    from newsprism.store.articles import add_articles

    db, settings = worker_state.database(), worker_state.settings()
    result = add_articles(db, [draft_from_json(d) for d in drafts], settings)
    if result.added_ids:
        assign_stories.delay()
    return {"added": len(result.added_ids), "duplicates": result.duplicates}


@app.task(name="newsprism.assign_stories", **_TASK_OPTIONS)
def assign_stories(self: Task) -> dict[str, int]:
    """Assign every unclustered article to a story and run the merge pass, like embedded mode."""
    from newsprism.pipeline.process import process_pending

    db, settings = worker_state.database(), worker_state.settings()
    with exclusive(db, STORIES_LOCK, timeout_s=STORIES_LOCK_TIMEOUT_S):
        report = process_pending(db, settings, merge=True, refresh=False)
    if report.clustered or report.stories_merged:
        analyze_stories.delay()
    return {
        "clustered": report.clustered,
        "stories_created": report.stories_created,
        "stories_merged": report.stories_merged,
    }


@app.task(name="newsprism.analyze_stories", **_TASK_OPTIONS)
def analyze_stories(self: Task) -> dict[str, int]:
    """Headline, summary and coverage analysis for every story that changed."""
    from newsprism.analyze.refresh import refresh_dirty_stories

    db, settings = worker_state.database(), worker_state.settings()
    with exclusive(db, STORIES_LOCK, timeout_s=STORIES_LOCK_TIMEOUT_S):
        refreshed = refresh_dirty_stories(db, settings)
    return {"refreshed": refreshed}
