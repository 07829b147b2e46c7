"""``newsprism poll [--once]``: polling cycles without the web server."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType

import click

from newsprism.cli.common import app_context, db_option, err_console, progress_bar
from newsprism.config import Settings
from newsprism.ingest.extract_pool import ExtractionPool
from newsprism.ingest.http import Fetcher
from newsprism.ingest.poll import PollReport, poll_cycle
from newsprism.store.database import Database
from newsprism.store.feeds import due_feeds, next_poll_time
from newsprism.timeutil import utcnow

# Between cycles the poller sleeps until the next feed is due, but wakes at least this often to
# notice feeds added meanwhile (``sources add`` from another shell).
MAX_SLEEP_S = 60.0
MIN_SLEEP_S = 1.0
# Failed feeds listed after a cycle; the rest are in the fetch log and ``sources list``.
SHOW_FAILURES = 10


@click.command("poll")
@click.option("--once", is_flag=True, help="Run one cycle over the due feeds, then exit.")
@click.option(
    "--no-process",
    is_flag=True,
    help="Only fetch and store articles; leave clustering and story pages for later.",
)
@db_option
def poll(once: bool, no_process: bool) -> None:
    """Poll due feeds, fetch and extract new articles, then update stories.

    Without --once, polls forever, sleeping until the next feed is due; Ctrl-C lets the
    current writes finish and exits (a second Ctrl-C stops at once).
    """
    app = app_context()
    db, settings = app.db, app.settings
    if once:
        _cycle(db, settings, None, None, None, process=not no_process)
        return
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, _stop_handler(stop))
    try:
        # Connections and extraction workers live across cycles: starting a worker process
        # (and trafilatura in it) every minute would cost more than the polling itself.
        with Fetcher(settings) as fetcher, _extraction_pool(settings) as extractor:
            while not stop.is_set():
                try:
                    _cycle(db, settings, stop, fetcher, extractor, process=not no_process)
                    pause = _sleep_seconds(db)
                except Exception as exc:  # a long-running poller outlives a bad cycle
                    err_console.print(
                        f"newsprism poll: cycle failed: {type(exc).__name__}: {exc}; "
                        f"retrying in {MAX_SLEEP_S:g} s",
                        markup=False,
                    )
                    pause = MAX_SLEEP_S
                stop.wait(pause)
    finally:
        signal.signal(signal.SIGINT, previous)
    err_console.print("newsprism poll: stopped")


def _extraction_pool(settings: Settings) -> ExtractionPool:
    return ExtractionPool(
        settings.extract_workers, settings.extract_timeout_s, settings.max_page_bytes
    )


def _stop_handler(stop: threading.Event) -> Callable[[int, FrameType | None], None]:
    def handle(_signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        err_console.print("newsprism poll: finishing the current writes (Ctrl-C again to abort)")

    return handle


def _no_feeds(db: Database) -> bool:
    with db.read() as conn:
        return next_poll_time(conn) is None


def _sleep_seconds(db: Database) -> float:
    with db.read() as conn:
        upcoming = next_poll_time(conn)
    if upcoming is None:
        return MAX_SLEEP_S
    wait = (upcoming - utcnow()).total_seconds()
    return min(MAX_SLEEP_S, max(MIN_SLEEP_S, wait))


def _cycle(
    db: Database,
    settings: Settings,
    stop: threading.Event | None,
    fetcher: Fetcher | None,
    extractor: ExtractionPool | None,
    *,
    process: bool,
) -> PollReport:
    with db.read() as conn:
        due = len(due_feeds(conn, utcnow()))
    with progress_bar("Polling feeds", total=due or None) as advance:
        report = poll_cycle(
            db, settings, on_progress=advance, stop=stop, fetcher=fetcher, extractor=extractor
        )
    click.echo(report.summary())
    if report.feeds == 0 and _no_feeds(db):
        err_console.print(
            "  no enabled feeds: add one with `newsprism sources add URL`, or start "
            "`newsprism run` once to load the bundled outlet registry",
            markup=False,
        )
    for line in report.errors[:SHOW_FAILURES]:
        err_console.print(f"  failed: {line}", markup=False)
    if len(report.errors) > SHOW_FAILURES:
        err_console.print(
            f"  … and {len(report.errors) - SHOW_FAILURES} more (see `newsprism sources list`)"
        )
    if process and report.new_articles:
        from newsprism.pipeline.process import process_pending

        processed = process_pending(db, settings)
        click.echo(
            f"{processed.clustered} articles clustered, {processed.stories_created} new stories, "
            f"{processed.stories_merged} merged, {processed.stories_refreshed} story pages refreshed"
        )
    elif process:
        # Nothing new, but stories may wait for analysis (new ratings, a new analysis version).
        from newsprism.analyze.refresh import refresh_dirty_stories

        refreshed = refresh_dirty_stories(db, settings)
        if refreshed:
            click.echo(f"{refreshed} story pages refreshed")
    return report
