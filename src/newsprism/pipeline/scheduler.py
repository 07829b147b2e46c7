"""The scale-out scheduler: turns due feeds into ``poll_feed`` tasks, and sweeps the pipeline.

Several schedulers may run (one per machine, for availability): each tick takes the store lock
``scheduler`` without waiting, so exactly one of them enqueues, and leased feeds
(``store.dispatch.claim_due_feeds``) are not enqueued again by the next tick. The sweeps
(assignment and analysis) are a safety net: a worker that died between storing articles and
enqueueing their assignment loses nothing, the next sweep picks the articles up.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass
from types import FrameType

from kombu.utils.url import maybe_sanitize_url

from newsprism.config import Settings
from newsprism.errors import NewsprismError
from newsprism.store.database import Database
from newsprism.store.dispatch import claim_due_feeds, release_feeds
from newsprism.store.locks import exclusive
from newsprism.timeutil import utcnow

log = logging.getLogger(__name__)

SCHEDULER_LOCK = "scheduler"
# After failed ticks the scheduler waits longer each time, up to this.
MAX_RETRY_PAUSE_S = 300.0


@dataclass
class Tick:
    leader: bool  # False when another scheduler held the lock this tick
    feeds_enqueued: int = 0


def lease_seconds(settings: Settings) -> float:
    # A queued poll must have started well before its lease ends; twice the broker's redelivery
    # delay covers a poll that was redelivered once after a worker died.
    return float(max(settings.min_poll_interval_s, 2 * settings.broker_visibility_timeout_s))


def tick(db: Database, settings: Settings, *, sweep: bool = True) -> Tick:
    """One scheduling round: enqueue due feeds (if this scheduler leads) and the sweeps."""
    from newsprism.pipeline.celery_app import configure
    from newsprism.pipeline.tasks import analyze_stories, assign_stories, poll_feed

    configure(settings)
    with exclusive(db, SCHEDULER_LOCK, wait=False) as leader:
        if not leader:
            return Tick(leader=False)
        with db.write() as conn:
            feed_ids = claim_due_feeds(conn, utcnow(), lease_s=lease_seconds(settings))
        queued = 0
        try:
            for feed_id in feed_ids:
                poll_feed.delay(feed_id)
                queued += 1
            if sweep:
                assign_stories.delay()
                analyze_stories.delay()
        except Exception as exc:  # the broker is down or refused: kombu and redis errors alike
            # A claimed feed whose poll was never queued must not wait out its lease.
            with db.write() as conn:
                release_feeds(conn, feed_ids[queued:], utcnow())
            raise NewsprismError(
                f"cannot queue tasks on the broker {maybe_sanitize_url(settings.broker_url)} "
                f"({type(exc).__name__}: {' '.join(str(exc).split())}); "
                f"{len(feed_ids) - queued} feeds left due"
            ) from None
    if feed_ids:
        log.info("enqueued %d due feeds", len(feed_ids))
    return Tick(leader=True, feeds_enqueued=len(feed_ids))


def run_scheduler(
    db: Database, settings: Settings, *, interval_s: float = 15.0, once: bool = False
) -> None:
    """Tick every ``interval_s`` until SIGTERM or Ctrl-C (which end it after the current tick)."""
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, _stop)
    failures = 0
    try:
        while True:
            started = time.monotonic()
            pause = interval_s
            try:
                result = tick(db, settings)
                failures = 0
                if not result.leader:
                    log.debug("another scheduler holds the lock; standing by")
            except NewsprismError as exc:
                if once:
                    raise
                # A broker or store that is down for a moment must not end scheduling for good.
                failures += 1
                pause = min(MAX_RETRY_PAUSE_S, interval_s * 2 ** min(failures, 6))
                log.warning("%s; trying again in %.0f s", exc, pause)
            if once or stop.wait(max(0.0, pause - (time.monotonic() - started))):
                return
    except KeyboardInterrupt:
        return
    finally:
        signal.signal(signal.SIGTERM, previous)
