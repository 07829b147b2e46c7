"""Adaptive polling intervals, backoff and Retry-After as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsprism.config import Settings
from newsprism.ingest.schedule import (
    GONE_POLLS,
    MISSING_DAYS,
    MISSING_POLLS,
    FailureStreak,
    after_failure,
    after_success,
    backoff_delay,
    disable_reason,
)

NOW = datetime(2030, 1, 1, tzinfo=UTC)
S = Settings(min_poll_interval_s=300, default_poll_interval_s=1800, max_poll_interval_s=86400)


def test_busy_feed_is_polled_sooner() -> None:
    nxt = after_success(1800, new_items=4, now=NOW, settings=S)
    assert nxt.interval_s == 900
    assert nxt.next_poll_at == NOW + timedelta(seconds=900)


def test_one_new_item_keeps_the_interval() -> None:
    assert after_success(1800, new_items=1, now=NOW, settings=S).interval_s == 1800


def test_quiet_feed_is_polled_later() -> None:
    assert after_success(1800, new_items=0, now=NOW, settings=S).interval_s == 2700


def test_interval_stays_within_bounds() -> None:
    fast = 1800
    slow = 1800
    for _ in range(50):
        fast = after_success(fast, new_items=100, now=NOW, settings=S).interval_s
        slow = after_success(slow, new_items=0, now=NOW, settings=S).interval_s
    assert fast == S.min_poll_interval_s
    assert slow == S.max_poll_interval_s


def test_unset_interval_starts_from_the_default() -> None:
    assert after_success(0, new_items=1, now=NOW, settings=S).interval_s == 1800


def test_failures_back_off_exponentially_up_to_the_maximum() -> None:
    delays = [backoff_delay(1800, n, S) for n in range(1, 8)]
    assert delays[:4] == [3600, 7200, 14400, 28800]
    assert delays[-1] == S.max_poll_interval_s
    assert delays == sorted(delays)


def test_failure_keeps_the_regular_interval() -> None:
    nxt = after_failure(1800, failures=3, now=NOW, settings=S)
    assert nxt.interval_s == 1800
    assert nxt.delay_s == 14400
    assert nxt.next_poll_at == NOW + timedelta(seconds=14400)


def test_retry_after_longer_than_backoff_is_honoured() -> None:
    nxt = after_failure(300, failures=1, now=NOW, settings=S, retry_after_s=5000)
    assert nxt.delay_s == 5000


def test_retry_after_shorter_than_backoff_does_not_shorten_it() -> None:
    assert after_failure(1800, failures=2, now=NOW, settings=S, retry_after_s=60).delay_s == 7200


def test_absurd_retry_after_is_capped_at_a_week() -> None:
    nxt = after_failure(1800, failures=1, now=NOW, settings=S, retry_after_s=10**9)
    assert nxt.delay_s == 7 * 86400


def test_410_on_three_polls_in_a_row_switches_a_feed_off() -> None:
    since = NOW - timedelta(hours=3)
    assert disable_reason(FailureStreak(410, GONE_POLLS - 1, since), NOW) is None
    reason = disable_reason(FailureStreak(410, GONE_POLLS, since), NOW)
    assert reason == "disabled: HTTP 410 Gone on the last 3 polls (since 2029-12-31 21:00 UTC)"


def test_404_needs_many_polls_over_a_week() -> None:
    week = timedelta(days=MISSING_DAYS)
    assert disable_reason(FailureStreak(404, 50, NOW - timedelta(days=2)), NOW) is None
    assert disable_reason(FailureStreak(404, MISSING_POLLS - 1, NOW - 2 * week), NOW) is None
    reason = disable_reason(FailureStreak(404, MISSING_POLLS, NOW - week), NOW)
    assert reason is not None and "HTTP 404 Not Found on the last 10 polls" in reason


def test_other_answers_never_switch_a_feed_off() -> None:
    for status in (200, 403, 429, 500, 503):
        assert disable_reason(FailureStreak(status, 40, NOW - timedelta(days=30)), NOW) is None
