"""Per-host politeness: a cap on parallel connections and a pause between requests to one host."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class _HostState:
    __slots__ = ("delay_s", "lock", "next_start", "slots")

    def __init__(self, connections: int, delay_s: float) -> None:
        self.slots = threading.BoundedSemaphore(max(1, connections))
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.delay_s = delay_s


class HostGate:
    """At most ``connections`` requests in flight per host, starts spaced by ``delay_s``.

    Thread-safe: the fetcher is shared by every polling thread, and two feeds of one outlet
    must queue behind each other rather than double the load on its server.
    """

    def __init__(self, connections: int, delay_s: float) -> None:
        self.connections = connections
        self.delay_s = delay_s
        self._hosts: dict[str, _HostState] = {}
        self._lock = threading.Lock()

    def _state(self, host: str) -> _HostState:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                state = self._hosts[host] = _HostState(self.connections, self.delay_s)
            return state

    def slow_down(self, host: str, delay_s: float) -> None:
        """Raise a host's pause (robots.txt Crawl-delay); never below the configured one."""
        state = self._state(host)
        with state.lock:
            state.delay_s = max(self.delay_s, delay_s)

    def delay_for(self, host: str) -> float:
        return self._state(host).delay_s

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        state = self._state(host)
        with state.slots:
            with state.lock:
                now = time.monotonic()
                start = max(now, state.next_start)
                state.next_start = start + state.delay_s
            if start > now:
                time.sleep(start - now)
            yield
