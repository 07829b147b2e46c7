"""Per-host pauses and robots.txt Crawl-delay, on a fake clock (no timing assertions)."""

from __future__ import annotations

import pytest

from loopback import LoopbackServer
from newsprism.config import Settings
from newsprism.ingest import politeness
from newsprism.ingest.http import Fetcher
from newsprism.ingest.politeness import HostGate


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(politeness.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(politeness.time, "sleep", fake.sleep)
    return fake


def test_requests_to_one_host_are_spaced_by_the_delay(clock: FakeClock) -> None:
    gate = HostGate(connections=2, delay_s=10.0)
    for _ in range(3):
        with gate.slot("a.example.com"):
            pass
    assert clock.sleeps == [10.0, 10.0]


def test_other_hosts_do_not_wait(clock: FakeClock) -> None:
    gate = HostGate(connections=2, delay_s=10.0)
    for host in ("a.example.com", "b.example.com", "c.example.com"):
        with gate.slot(host):
            pass
    assert clock.sleeps == []


def test_time_already_passed_counts_towards_the_delay(clock: FakeClock) -> None:
    gate = HostGate(connections=2, delay_s=10.0)
    with gate.slot("a.example.com"):
        clock.now += 4.0  # the request itself took 4 s
    with gate.slot("a.example.com"):
        pass
    assert clock.sleeps == [6.0]


def test_slow_down_never_goes_below_the_configured_delay() -> None:
    gate = HostGate(connections=2, delay_s=5.0)
    gate.slow_down("a.example.com", 30.0)
    gate.slow_down("b.example.com", 1.0)
    assert gate.delay_for("a.example.com") == 30.0
    assert gate.delay_for("b.example.com") == 5.0


def test_robots_crawl_delay_slows_the_host_down(server: LoopbackServer) -> None:
    server.route(
        "/robots.txt", "User-agent: *\nCrawl-delay: 7\nAllow: /\n", content_type="text/plain"
    )
    url = server.route("/feed.xml", "<rss version='2.0'><channel/></rss>")
    with Fetcher(Settings(allow_private_networks=True, per_host_delay_s=0.0)) as fetcher:
        assert fetcher.fetch(url, "feed").ok
        assert fetcher.gate.delay_for("127.0.0.1") == 7.0
