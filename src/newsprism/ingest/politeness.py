"""Per-host politeness: a cap on parallel connections and a pause between requests to one host."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# How often a wait for a free connection looks at its cancel flag.
CANCEL_POLL_S = 0.2


class NoTurn(Exception):
    """The host's turn would come too late (or the wait was cancelled); no request was made."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
    def slot(
        self,
        host: str,
        *,
        give_up_at: float | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[None]:
        """Holds one of the host's connections, once its turn has come.

        ``give_up_at`` (a ``time.monotonic()`` value): raise ``NoTurn`` instead of waiting past
        it. ``cancel``: raise ``NoTurn`` as soon as it is set while waiting. Giving up takes no
        turn from the host.
        """
        state = self._state(host)
        self._acquire(state, host, give_up_at, cancel)
        try:
            with state.lock:
                now = time.monotonic()
                start = max(now, state.next_start)
                if give_up_at is not None and start > give_up_at:
                    raise NoTurn(
                        f"not fetched: the time allowed ran out before the next turn at {host} "
                        f"(in {start - now:.0f} s)"
                    )
                state.next_start = start + state.delay_s
            if start > now:
                if cancel is None:
                    time.sleep(start - now)
                elif cancel.wait(start - now):
                    raise NoTurn(f"not fetched: stopped while waiting for a turn at {host}")
            yield
        finally:
            state.slots.release()

    @staticmethod
    def _acquire(
        state: _HostState, host: str, give_up_at: float | None, cancel: threading.Event | None
    ) -> None:
        if give_up_at is None and cancel is None:
            state.slots.acquire()
            return
        while True:
            step = CANCEL_POLL_S
            if give_up_at is not None:
                left = give_up_at - time.monotonic()
                if left <= 0:
                    raise NoTurn(
                        f"not fetched: the time allowed ran out while waiting for a connection "
                        f"to {host}"
                    )
                step = min(step, left)
            if cancel is not None and cancel.is_set():
                raise NoTurn(f"not fetched: stopped while waiting for a connection to {host}")
            if state.slots.acquire(timeout=step):
                return
