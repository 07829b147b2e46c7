"""One polling cycle: due feeds → fetch → parse → new entries → article pages → stored articles.

Feeds are polled in parallel threads (one shared fetcher keeps per-host politeness across them);
article pages go through the extraction process pool with its hard per-page timeout. Whatever
goes wrong with one feed or one page is logged with the feed and the reason and the cycle goes
on, and the feed backs off: a document the parser had to recover from (malformed XML, a wrong
charset, feed items inside an HTML page) still gives its entries but counts as a failure, and a
feed whose server keeps answering 410 Gone (or 404 for a week) is switched off with the reason
in its ``last_error``. Nothing is lost: a feed's validators (ETag, Last-Modified) move forward
only after its new articles are stored, so a failure part-way means the next poll sees the same
entries again, and an article whose page cannot be fetched is kept with the feed's own title
and summary. So is one whose page would come after the feed's time for pages in this poll
(``PAGE_BUDGET_S``): a feed with slow pages or a long Crawl-delay cannot hold a cycle for hours.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from newsprism.config import Settings
from newsprism.domains import hostname
from newsprism.ingest.extract import Extracted, looks_like_stub
from newsprism.ingest.feeds import FeedEntry, FeedError, ParsedFeed, html_to_text, parse_feed
from newsprism.ingest.http import Fetcher, FetchResult
from newsprism.ingest.language import detect_language
from newsprism.ingest.schedule import after_failure, after_success, disable_reason
from newsprism.models import ArticleDraft
from newsprism.store.articles import add_articles, stored_urls
from newsprism.store.database import Database
from newsprism.store.feeds import (
    FeedRow,
    FetchLogEntry,
    disable_feed,
    due_feeds,
    log_fetches,
    move_feed,
    prune_fetch_log,
    recently_refused,
    record_failure,
    record_soft_failure,
    record_success,
    status_streak,
)
from newsprism.timeutil import utcnow

# Feeds polled at once. Most of a poll is waiting on the network (and on per-host pauses), so
# threads are cheap; more than this mostly queues on the extraction pool and the one writer.
POLL_THREADS = 16
# The fetch log is for diagnosis; a month shows every feed's recent history.
FETCH_LOG_DAYS = 30
# Media types of a page worth extracting, matched exactly: a type that merely mentions xml
# (image/svg+xml, application/rss+xml) is no article page.
PAGE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain"}
)
# The time one feed may spend fetching its article pages in one poll. Pages come one host turn
# at a time, and a slow site or a long robots.txt Crawl-delay makes each one cost seconds to a
# minute: without a bound, a feed of many new entries holds its polling thread, `poll --once`
# or a worker's task for as long as its pages take (hours for a thousand entries), past the
# broker's redelivery delay. When it has run out, the remaining new entries are stored from the
# feed alone (title, summary) with a note saying so. A page under way still finishes, within
# http_timeout_s and extract_timeout_s. At most a third of the broker's redelivery delay
# (broker_visibility_timeout_s), so a task finishes well before being handed out again, but
# never under a minute: a deployment that redelivers within seconds (tests do) has accepted
# redelivery, and a few slow pages must not turn a feed's articles into bare feed entries.
PAGE_BUDGET_S = 240.0
MIN_PAGE_BUDGET_S = 60.0
# An entry the store refused (no title and no text, an address it cannot read) is tried again
# after this long, not on every poll: its page may be fixed by then, and meanwhile it is
# neither fetched again nor counted as new (which would keep a quiet feed polled often).
REFUSED_ENTRY_RETRY = timedelta(days=1)

log = logging.getLogger(__name__)


class PageExtractor(Protocol):
    def extract(self, html: bytes, url: str, content_type: str | None = None) -> Extracted: ...


@dataclass
class PollReport:
    feeds: int = 0
    ok: int = 0
    not_modified: int = 0
    failed: int = 0
    entries: int = 0  # entries seen in the feeds that answered
    new_entries: int = 0  # entries not stored before
    new_articles: int = 0  # articles added (new entries minus duplicates and rejects)
    duplicates: int = 0
    reposts: int = 0
    pages_fetched: int = 0
    pages_failed: int = 0  # stored from the feed alone because the page could not be used
    errors: list[str] = field(default_factory=list)  # "feed URL: reason", one per failed feed

    def summary(self) -> str:
        return (
            f"{self.feeds} feeds polled: {self.ok} ok, {self.not_modified} not modified, "
            f"{self.failed} failed; {self.new_articles} new articles"
            f" ({self.pages_fetched} pages extracted, {self.pages_failed} kept from the feed only)"
        )

    def __str__(self) -> str:
        return self.summary()

    def add(self, outcome: FeedOutcome) -> None:
        self.feeds += 1
        if outcome.status == "ok":
            self.ok += 1
        elif outcome.status == "not_modified":
            self.not_modified += 1
        else:
            self.failed += 1
            self.errors.append(f"{outcome.feed_url}: {outcome.error}")
        self.entries += outcome.entries
        self.new_entries += outcome.new_entries
        self.new_articles += outcome.new_articles
        self.duplicates += outcome.duplicates
        self.reposts += outcome.reposts
        self.pages_fetched += outcome.pages_fetched
        self.pages_failed += outcome.pages_failed


@dataclass
class FeedOutcome:
    feed_id: int
    feed_url: str
    status: str  # ok | not_modified | error
    error: str | None = None
    entries: int = 0
    new_entries: int = 0
    new_articles: int = 0
    duplicates: int = 0
    reposts: int = 0
    pages_fetched: int = 0
    pages_failed: int = 0


class _LazyPool:
    """The extraction process pool, started only when a cycle has a page to extract."""

    def __init__(self, settings: Settings, given: PageExtractor | None) -> None:
        self.settings = settings
        self._pool: PageExtractor | None = given
        self._owned: object | None = None
        self._lock = threading.Lock()

    def get(self) -> PageExtractor:
        with self._lock:
            if self._pool is None:
                from newsprism.ingest.extract_pool import ExtractionPool

                pool = ExtractionPool(
                    self.settings.extract_workers, self.settings.extract_timeout_s
                )
                self._pool = self._owned = pool
            return self._pool

    def close(self) -> None:
        close = getattr(self._owned, "close", None)
        if close is not None:
            close()


@dataclass
class _Cycle:
    db: Database
    settings: Settings
    fetcher: Fetcher
    pool: _LazyPool
    stop: threading.Event


def poll_cycle(
    db: Database,
    settings: Settings,
    *,
    feed_ids: Iterable[int] | None = None,
    on_progress: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
    fetcher: Fetcher | None = None,
    extractor: PageExtractor | None = None,
) -> PollReport:
    """Poll every due feed once (or exactly ``feed_ids``, due or not).

    ``stop`` ends the cycle early: feeds not started yet stay due, started ones finish their
    write. ``fetcher`` and ``extractor`` let a long-running poller reuse its connections and
    worker processes across cycles.
    """
    now = utcnow()
    with db.read() as conn:
        feeds = due_feeds(conn, now, feed_ids=feed_ids)
    report = PollReport()
    if not feeds:
        return report
    # The language model loads lazily and without a lock: loaded here once, before the polling
    # threads would each load their own copy at the same time (seconds of CPU apiece).
    detect_language("newsprism polls the news feeds of many outlets")
    own_fetcher = fetcher is None
    cycle = _Cycle(
        db,
        settings,
        fetcher or Fetcher(settings),
        _LazyPool(settings, extractor),
        stop or threading.Event(),
    )
    try:
        with ThreadPoolExecutor(max_workers=min(POLL_THREADS, len(feeds))) as pool:
            futures = [
                pool.submit(_poll_feed_safely, cycle, feed) for feed in interleave_by_host(feeds)
            ]
            try:
                for future in as_completed(futures):
                    outcome = future.result()
                    if outcome is not None:
                        report.add(outcome)
                    if on_progress is not None:
                        on_progress(1)
            except BaseException:
                # Ctrl-C (KeyboardInterrupt) or any other way out: leaving the pool waits for
                # its threads, so they are told to stop first; they leave their unstarted pages
                # and store nothing half-done, and the pool is left within about one request.
                cycle.stop.set()
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        cycle.pool.close()
        if own_fetcher:
            cycle.fetcher.close()
    with db.write() as conn:
        prune_fetch_log(conn, utcnow() - timedelta(days=FETCH_LOG_DAYS))
    return report


def interleave_by_host(feeds: list[FeedRow]) -> list[FeedRow]:
    """Feeds reordered round-robin over their hosts, keeping each host's order.

    Twenty feeds of one broadcaster queue behind its politeness limit; polled in a row they
    would hold every thread waiting while other hosts sit idle.
    """
    by_host: dict[str, list[FeedRow]] = {}
    for feed in feeds:
        by_host.setdefault(hostname(feed.url), []).append(feed)
    queues = list(by_host.values())
    ordered: list[FeedRow] = []
    for round_ in range(max((len(q) for q in queues), default=0)):
        ordered.extend(q[round_] for q in queues if round_ < len(q))
    return ordered


def _poll_feed_safely(cycle: _Cycle, feed: FeedRow) -> FeedOutcome | None:
    if cycle.stop.is_set():
        return None
    try:
        return _poll_feed(cycle, feed)
    except Exception as exc:  # one feed's surprise must not end the cycle for the others
        reason = f"internal error while polling: {type(exc).__name__}: {exc}"
        now = utcnow()
        entry = FetchLogEntry(
            "feed", feed.url, now, "error", feed_id=feed.id, outlet_id=feed.outlet_id, error=reason
        )
        log.exception("polling %s failed", feed.url)
        # If the store itself is failing, the feed simply stays due.
        with contextlib.suppress(Exception):
            _fail(cycle, feed, now, reason, [entry], None)
        return FeedOutcome(feed.id, feed.url, "error", reason)


def _poll_feed(cycle: _Cycle, feed: FeedRow) -> FeedOutcome:
    result = cycle.fetcher.fetch(
        feed.url, "feed", etag=feed.etag, last_modified=feed.last_modified, cancel=cycle.stop
    )
    if result.gave_up:
        # Stopped while waiting for the host's turn: nothing was asked, the feed stays due.
        reason = "stopped before it was fetched; will be polled again"
        return FeedOutcome(feed.id, feed.url, "error", reason)
    entry = _log_entry("feed", feed, result)
    if result.outcome == "not_modified":
        return _succeed(cycle, feed, result, [entry], status="not_modified")
    if not result.ok:
        reason = result.error or "failed"
        return _fail(
            cycle,
            feed,
            result.started_at,
            reason,
            [entry],
            result.retry_after_s,
            status_code=result.status_code,
        )
    try:
        parsed = parse_feed(
            result.body,
            url=result.final_url,
            content_type=result.content_type,
            fetched_at=result.started_at,
        )
    except FeedError as exc:
        entry.outcome = "error"
        entry.error = str(exc)
        return _fail(cycle, feed, result.started_at, str(exc), [entry], None)
    return _store_entries(cycle, feed, result, parsed, entry)


def _store_entries(
    cycle: _Cycle, feed: FeedRow, result: FetchResult, parsed: ParsedFeed, feed_log: FetchLogEntry
) -> FeedOutcome:
    with cycle.db.read() as conn:
        known = stored_urls(conn, [entry.url for entry in parsed.entries])
        unknown = [entry.url for entry in parsed.entries if entry.url not in known]
        since = result.started_at - REFUSED_ENTRY_RETRY
        known |= recently_refused(conn, feed.id, unknown, since)
    new = [entry for entry in parsed.entries if entry.url not in known]
    logs = [feed_log]
    drafts: list[ArticleDraft] = []
    outcome = FeedOutcome(
        feed.id, feed.url, "ok", entries=len(parsed.entries), new_entries=len(new)
    )
    # Pages of one feed usually share a host: as many in flight as the host allows.
    budget = _PageBudget(page_budget_s(cycle.settings))
    with ThreadPoolExecutor(max_workers=max(1, cycle.settings.per_host_connections)) as pages:
        results = list(
            pages.map(lambda entry: _draft_for(cycle, feed, entry, result.started_at, budget), new)
        )
    if cycle.stop.is_set() and any(r is None for r in results):
        # Unstored entries are seen again next time: the validators are not advanced.
        return _interrupted(outcome)
    for item in results:
        assert item is not None
        draft, page_log = item
        drafts.append(draft)
        if page_log is not None:
            logs.append(page_log)
    notes = list(parsed.notes)
    if budget.skipped:
        notes.append(f"{budget.skipped} pages not fetched: {budget.reason}")
    if drafts:
        added = add_articles(cycle.db, drafts, cycle.settings)
        outcome.new_articles = len(added.added_ids)
        outcome.duplicates = added.duplicates
        outcome.reposts = added.reposts
        notes += [f"not stored: {line}" for line in added.rejected]
        logs += [
            _refusal_log(feed, drafts[position], result.started_at, reason)
            for position, reason in added.rejected_at.items()
        ]
        # Not new: a refused entry is no article, and must not keep a quiet feed polled often.
        outcome.new_entries -= len(added.rejected_at)
        drafts = [d for i, d in enumerate(drafts) if i not in added.rejected_at]
    outcome.pages_fetched = sum(1 for d in drafts if d.extraction_status == "extracted")
    outcome.pages_failed = len(drafts) - outcome.pages_fetched
    feed_log.new_items = outcome.new_articles
    if parsed.problems:
        kept = f"{len(parsed.entries)} entries read, {outcome.new_articles} new articles stored"
        feed_log.outcome = "error"
        feed_log.error = "; ".join([*parsed.problems, kept, *notes])
        return _soft_fail(cycle, feed, result, logs, outcome, parsed.title)
    if notes:
        feed_log.error = "; ".join(notes)
    return _succeed(
        cycle,
        feed,
        result,
        logs,
        status="ok",
        outcome=outcome,
        title=parsed.title,
        note=feed_log.error,
    )


def _refusal_log(feed: FeedRow, draft: ArticleDraft, at: datetime, reason: str) -> FetchLogEntry:
    return FetchLogEntry(
        kind="entry",
        url=draft.url,
        started_at=at,
        outcome="skipped",
        feed_id=feed.id,
        outlet_id=feed.outlet_id,
        error=f"not stored: {reason}; tried again after {REFUSED_ENTRY_RETRY}",
    )


def _interrupted(outcome: FeedOutcome) -> FeedOutcome:
    outcome.status = "error"
    outcome.error = "interrupted before its new entries were stored; will be polled again"
    return outcome


def page_budget_s(settings: Settings) -> float:
    """Seconds one feed may spend on its pages in one poll (see PAGE_BUDGET_S)."""
    return max(MIN_PAGE_BUDGET_S, min(PAGE_BUDGET_S, settings.broker_visibility_timeout_s / 3))


class _PageBudget:
    """The page-fetching time of one feed in one poll, shared by its page threads."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds
        self.skipped = 0
        self._lock = threading.Lock()

    @property
    def reason(self) -> str:
        return f"the feed's {self.seconds:g} s for fetching pages in one poll ran out"

    def spent(self) -> bool:
        return time.monotonic() >= self.ends_at

    def skip(self, draft: ArticleDraft) -> tuple[ArticleDraft, None]:
        with self._lock:
            self.skipped += 1
        draft.extraction_note = f"page not fetched: {self.reason}; kept from the feed"
        return draft, None


def _draft_for(
    cycle: _Cycle, feed: FeedRow, entry: FeedEntry, fetched_at: datetime, budget: _PageBudget
) -> tuple[ArticleDraft, FetchLogEntry | None] | None:
    """The entry as an article draft (with its page when it can be had); None once stopped."""
    if cycle.stop.is_set():
        return None
    draft = ArticleDraft(
        url=entry.url,
        title=entry.title,
        text=html_to_text(entry.content or entry.summary),
        summary=entry.summary,
        published_at=entry.published,
        date_note=entry.date_note,
        outlet_domain=feed.outlet_domain,
        source_name=feed.outlet_name,
        feed_id=feed.id,
        guid=entry.guid,
        author=entry.author,
        image_url=entry.image,
        extraction_status="feed_only",
    )
    settings = cycle.settings
    if not settings.fetch_pages:
        draft.extraction_note = "page not fetched: page fetching is off (fetch_pages = false)"
        return draft, None
    oldest = fetched_at - timedelta(days=settings.cluster_window_days)
    if entry.published is not None and entry.published < oldest:
        draft.extraction_note = (
            f"page not fetched: published before the {settings.cluster_window_days:g}-day window"
        )
        return draft, None
    if budget.spent():
        return budget.skip(draft)
    page = cycle.fetcher.fetch(entry.url, "page", give_up_at=budget.ends_at, cancel=cycle.stop)
    if page.gave_up:
        # No request was made: the host's turn would have come after the budget, or we stopped.
        return None if cycle.stop.is_set() else budget.skip(draft)
    page_log = _log_entry("page", feed, page)
    if not page.ok:
        draft.extraction_note = f"page not fetched: {page.error}"
        return draft, page_log
    kind = page.content_type.split(";", 1)[0].strip().lower()
    if kind and kind not in PAGE_TYPES:
        draft.extraction_note = f"page not extracted: it is {kind}, not HTML"
        page_log.error = draft.extraction_note
        return draft, page_log
    extracted = cycle.pool.get().extract(page.body, page.final_url, page.content_type)
    if extracted.text and looks_like_stub(extracted.text):
        extracted = Extracted(text="", note=f"the page only says {extracted.text[:80]!r}")
    if not extracted.text:
        draft.extraction_note = f"page not extracted: {extracted.note or 'no article text found'}"
        page_log.error = draft.extraction_note
        return draft, page_log
    _merge_extracted(draft, extracted)
    return draft, page_log


def _merge_extracted(draft: ArticleDraft, extracted: Extracted) -> None:
    """The page's text and metadata; the feed's own values win where both have one."""
    draft.text = extracted.text
    draft.extraction_status = "extracted"
    draft.extraction_note = extracted.note
    draft.title = draft.title or extracted.title or ""
    draft.author = draft.author or extracted.author
    draft.image_url = draft.image_url or extracted.image_url
    draft.language = extracted.language
    if draft.published_at is None and extracted.published_at is not None:
        draft.published_at = extracted.published_at
        feed_note = draft.date_note or "no date in feed"
        draft.date_note = "; ".join(
            filter(None, [f"{feed_note}; date from the page", extracted.date_note])
        )


def _log_entry(kind: str, feed: FeedRow, result: FetchResult) -> FetchLogEntry:
    return FetchLogEntry(
        kind=kind,
        url=result.url,
        started_at=result.started_at,
        outcome=result.outcome,
        feed_id=feed.id,
        outlet_id=feed.outlet_id,
        duration_ms=result.elapsed_ms,
        status_code=result.status_code,
        error=result.error,
        bytes=len(result.body) if result.body else None,
    )


def _succeed(
    cycle: _Cycle,
    feed: FeedRow,
    result: FetchResult,
    logs: list[FetchLogEntry],
    *,
    status: str,
    outcome: FeedOutcome | None = None,
    title: str | None = None,
    note: str | None = None,
) -> FeedOutcome:
    outcome = outcome or FeedOutcome(feed.id, feed.url, status)
    now = result.started_at
    nxt = after_success(feed.interval_s, outcome.new_entries, now, cycle.settings)
    with cycle.db.write() as conn:
        if result.moved_permanently and result.final_url != feed.url:
            # Registries are full of http:// feeds that now live at https://; following the
            # redirect on every poll costs a round trip and a robots.txt per old host.
            if move_feed(conn, feed.id, result.final_url):
                moved = f"feed moved permanently to {result.final_url}; its URL was updated"
            else:
                moved = f"feed moved permanently to {result.final_url}, a URL another feed has"
            note = "; ".join(filter(None, [note, moved]))
            logs[0].error = note
        record_success(
            conn,
            feed.id,
            now=now,
            status=status,
            interval_s=nxt.interval_s,
            next_poll_at=nxt.next_poll_at,
            new_items=outcome.new_entries,
            etag=result.etag,
            last_modified=result.last_modified,
            title=title,
            note=note,
        )
        log_fetches(conn, logs)
    return outcome


def _soft_fail(
    cycle: _Cycle,
    feed: FeedRow,
    result: FetchResult,
    logs: list[FetchLogEntry],
    outcome: FeedOutcome,
    title: str | None,
) -> FeedOutcome:
    """A broken document that still yielded entries: they are stored, the feed backs off."""
    reason = logs[0].error or "the feed document is broken"
    now = result.started_at
    failures = feed.consecutive_failures + 1
    nxt = after_failure(feed.interval_s, failures, now, cycle.settings)
    with cycle.db.write() as conn:
        record_soft_failure(
            conn,
            feed.id,
            now=now,
            error=reason,
            failures=failures,
            next_poll_at=nxt.next_poll_at,
            new_items=outcome.new_entries,
            title=title,
        )
        log_fetches(conn, logs)
    outcome.status = "error"
    outcome.error = reason
    return outcome


def _fail(
    cycle: _Cycle,
    feed: FeedRow,
    now: datetime,
    reason: str,
    logs: list[FetchLogEntry],
    retry_after_s: float | None,
    *,
    status_code: int | None = None,
) -> FeedOutcome:
    failures = feed.consecutive_failures + 1
    nxt = after_failure(feed.interval_s, failures, now, cycle.settings, retry_after_s)
    with cycle.db.write() as conn:
        record_failure(
            conn, feed.id, now=now, error=reason, failures=failures, next_poll_at=nxt.next_poll_at
        )
        log_fetches(conn, logs)
        if status_code is not None:
            streak = status_streak(conn, feed.id)
            disabled = disable_reason(streak, now) if streak else None
            if disabled is not None:
                disabled += f"; `newsprism sources enable {feed.outlet_domain or feed.url}`"
                disabled += " polls it again"
                disable_feed(conn, feed.id, reason=disabled, now=now)
                log.warning("feed %s switched off: %s", feed.url, disabled)
                reason = disabled
    return FeedOutcome(feed.id, feed.url, "error", reason)
