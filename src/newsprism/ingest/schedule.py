"""When to poll a feed next: adaptive intervals, exponential backoff, Retry-After. Pure functions.

The interval aims at about one new item per poll: a feed that had several new items is polled
sooner next time, one with none later, always between the configured minimum and maximum. A
failing feed keeps its interval but waits ``interval × 2^failures`` (capped) before the next try,
and never less than a server's Retry-After. A feed whose server keeps saying it is gone (410,
or 404 for a week) is switched off instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newsprism.config import Settings

# Multipliers per poll: halving at most keeps one burst of news from pinning a feed at the
# minimum, and ×1.5 on a quiet poll reaches the one-day ceiling from 30 min in ~9 quiet polls.
FASTEST_STEP = 0.5
QUIET_STEP = 1.5
# Items per poll we aim for.
TARGET_NEW_ITEMS = 1.0
# A Retry-After beyond a week is a misconfigured server, not a plan; ask again then.
RETRY_AFTER_CAP_S = 7 * 86400
# 2^10 × 5 min already exceeds a day: more doublings change nothing but risk overflow.
MAX_DOUBLINGS = 10


@dataclass(frozen=True, slots=True)
class NextPoll:
    interval_s: int  # the feed's regular interval from now on
    next_poll_at: datetime
    delay_s: int  # next_poll_at - now


def clamp_interval(seconds: float, settings: Settings) -> int:
    return int(min(settings.max_poll_interval_s, max(settings.min_poll_interval_s, seconds)))


def after_success(interval_s: int, new_items: int, now: datetime, settings: Settings) -> NextPoll:
    """A successful poll (``new_items`` = 0 for 304 Not Modified or nothing new)."""
    current = clamp_interval(interval_s or settings.default_poll_interval_s, settings)
    if new_items <= 0:
        factor = QUIET_STEP
    else:
        factor = max(FASTEST_STEP, min(QUIET_STEP, TARGET_NEW_ITEMS / new_items))
    interval = clamp_interval(current * factor, settings)
    return NextPoll(interval, now + timedelta(seconds=interval), interval)


def backoff_delay(interval_s: int, failures: int, settings: Settings) -> int:
    """Seconds until the next try after ``failures`` consecutive failures (≥ 1)."""
    base = clamp_interval(interval_s or settings.default_poll_interval_s, settings)
    doublings = min(max(failures, 1), MAX_DOUBLINGS)
    return int(min(settings.max_poll_interval_s, base * 2**doublings))


def after_failure(
    interval_s: int,
    failures: int,
    now: datetime,
    settings: Settings,
    retry_after_s: float | None = None,
) -> NextPoll:
    """A failed poll; ``failures`` counts this one. The regular interval is kept for recovery."""
    interval = clamp_interval(interval_s or settings.default_poll_interval_s, settings)
    delay = backoff_delay(interval, failures, settings)
    if retry_after_s is not None and retry_after_s > 0:
        delay = max(delay, int(min(retry_after_s, RETRY_AFTER_CAP_S)))
    return NextPoll(interval, now + timedelta(seconds=delay), delay)


# A feed is switched off only when its server says, again and again, that it is gone for good.
# 410 Gone is that statement; three polls in a row (hours apart, with the backoff) rule out
# a deploy accident. 404 is also what a broken CMS or a moved site answers for a while, so it
# takes a long streak: every poll for a week, and at least ten of them.
GONE_STATUS = 410
GONE_POLLS = 3
MISSING_STATUS = 404
MISSING_POLLS = 10
MISSING_DAYS = 7


@dataclass(frozen=True, slots=True)
class FailureStreak:
    """The newest feed fetches that all answered the same HTTP status."""

    status_code: int
    polls: int
    since: datetime  # when the first of them started


def disable_reason(streak: FailureStreak, now: datetime) -> str | None:
    """Why a feed with this streak of answers is switched off; None to keep polling it."""
    since = streak.since.strftime("%Y-%m-%d %H:%M UTC")
    if streak.status_code == GONE_STATUS and streak.polls >= GONE_POLLS:
        return f"disabled: HTTP 410 Gone on the last {streak.polls} polls (since {since})"
    long_enough = now - streak.since >= timedelta(days=MISSING_DAYS)
    if streak.status_code == MISSING_STATUS and streak.polls >= MISSING_POLLS and long_enough:
        return f"disabled: HTTP 404 Not Found on the last {streak.polls} polls (since {since})"
    return None
