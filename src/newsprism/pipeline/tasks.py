"""Celery tasks: the embedded pipeline's own stage functions, one task per stage.

poll_feed ─► (articles stored) ─► assign_stories ─► (stories dirty) ─► analyze_stories

``poll_feed`` fetches and extracts the feed's new pages itself (in the worker's extraction
process pool) rather than fanning out one task per page: the feed's validators (ETag,
Last-Modified) then move forward only once its articles are stored, so no article depends on a
queued message surviving a broker restart. Feeds, not pages, are the unit of parallelism.
Vectors are computed inside assignment (sparse TF-IDF, cheap next to extraction).

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

from newsprism.config import Settings
from newsprism.pipeline import worker_state
from newsprism.pipeline.celery_app import app
from newsprism.store.database import Database
from newsprism.store.dispatch import unclustered_arrivals
from newsprism.store.locks import exclusive
from newsprism.timeutil import utcnow

log = logging.getLogger(__name__)

STORIES_LOCK = "stories"
# A holder of the story lock goes round again while new work keeps arriving, but hands the lock
# on after this many passes, so a busy deployment's analysis is not starved by assignment.
MAX_PASSES = 20

RETRYABLE: tuple[type[BaseException], ...] = (
    OperationalError,
    DBAPIError,
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
    report = poll_cycle(
        db,
        settings,
        feed_ids=[feed_id],
        fetcher=worker_state.fetcher(),
        extractor=worker_state.extractor(),
    )
    if report.new_articles:
        assign_stories.delay()
    return {"feed_id": feed_id, "new_articles": report.new_articles, "failed": report.failed}


def _arrivals_settled(db: Database, settings: Settings) -> bool:
    with db.read() as conn:
        oldest, newest = unclustered_arrivals(conn)
    if oldest is None or newest is None:
        return True
    now = utcnow()
    quiet = (now - newest).total_seconds() >= settings.assign_quiet_s
    overdue = (now - oldest).total_seconds() >= settings.assign_max_delay_s
    return quiet or overdue


@app.task(name="newsprism.assign_stories", **_TASK_OPTIONS)
def assign_stories(self: Task) -> dict[str, int]:
    """Assign every unclustered article to a story and run the merge pass, like embedded mode.

    It waits for arrivals to settle (``assign_quiet_s``, at most ``assign_max_delay_s``), so a
    burst of polls is assigned as one batch in publication order, as embedded mode assigns one
    polling cycle. When another process holds the lock this task ends at once: the holder runs
    again until no article is left unclustered, and the scheduler's sweep takes what arrived
    after its last look. Many poll tasks thus cost one assignment pass, not one each.
    """
    from newsprism.pipeline.process import process_pending

    db, settings = worker_state.database(), worker_state.settings()
    totals = {"clustered": 0, "stories_created": 0, "stories_merged": 0, "skipped": 0}
    if not _arrivals_settled(db, settings):
        # Articles are still coming in: a later task (at the latest the scheduler's next
        # sweep) takes them all as one batch.
        totals["skipped"] = 1
        return totals
    with exclusive(db, STORIES_LOCK, wait=False) as acquired:
        if not acquired:
            totals["skipped"] = 1
            return totals
        for _ in range(MAX_PASSES):
            report = process_pending(db, settings, merge=True, refresh=False)
            totals["clustered"] += report.clustered
            totals["stories_created"] += report.stories_created
            totals["stories_merged"] += report.stories_merged
            if not report.clustered:
                break
    if totals["clustered"] or totals["stories_merged"]:
        analyze_stories.delay()
    return totals


@app.task(name="newsprism.analyze_stories", **_TASK_OPTIONS)
def analyze_stories(self: Task) -> dict[str, int]:
    """Headline, summary and coverage analysis for every story that changed."""
    db, settings = worker_state.database(), worker_state.settings()
    refreshed = 0
    with exclusive(db, STORIES_LOCK, wait=False) as acquired:
        if not acquired:
            # The holder is assigning (it enqueues analysis when done) or analysing already.
            return {"refreshed": 0, "skipped": 1}
        from newsprism.analyze.refresh import refresh_dirty_stories

        for _ in range(MAX_PASSES):
            done = refresh_dirty_stories(db, settings)
            refreshed += done
            if not done:
                break
    return {"refreshed": refreshed, "skipped": 0}
