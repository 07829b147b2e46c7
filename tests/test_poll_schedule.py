"""Adaptive polling intervals, backoff and Retry-After as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsprism.config import Settings
from newsprism.ingest.schedule import after_failure, after_success, backoff_delay

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
