"""The embedded pipeline loop of ``newsprism run``: poll due feeds, process, repeat, never die.

It runs in one background thread beside the web server. A failing cycle (no network, a bad
feed, a bug) is logged and retried with a growing pause; per-feed failures are recorded by the
poller itself and shown on the Sources and outlet pages.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from newsprism.config import Settings
from newsprism.store.database import Database

log = logging.getLogger("newsprism.run")

# Due feeds are looked for once a minute: the shortest poll interval is 5 min, so a feed is
# never more than a minute late, and an idle check costs one indexed query.
CYCLE_PAUSE_S = 60.0
# After a failed cycle wait longer each time (1, 2, 4 … min), up to 15 min.
MAX_FAILURE_PAUSE_S = 900.0


def run_cycle(db: Database, settings: Settings) -> str:
    """One poll + process cycle; returns a line for the log."""
    from newsprism.ingest.poll import poll_cycle
    from newsprism.pipeline.process import process_pending

    polled = poll_cycle(db, settings)
    processed = process_pending(db, settings)
    return (
        f"poll: {polled}; clustered {processed.clustered}, new stories {processed.stories_created}"
    )


class PipelineLoop:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        cycle: Callable[[Database, Settings], str] = run_cycle,
        pause_s: float = CYCLE_PAUSE_S,
    ) -> None:
        self.db = db
        self.settings = settings
        self.cycle = cycle
        self.pause_s = pause_s
        self.cycles = 0
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsprism-pipeline", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _run(self) -> None:
        consecutive = 0
        while not self._stop.is_set():
            try:
                line = self.cycle(self.db, self.settings)
                consecutive = 0
                log.info("%s", line)
            except Exception:  # the loop must outlive any failure; the next cycle retries
                consecutive += 1
                self.failures += 1
                log.exception("pipeline cycle failed (%d in a row); retrying", consecutive)
            self.cycles += 1
            pause = self.pause_s
            if consecutive:
                pause = min(MAX_FAILURE_PAUSE_S, self.pause_s * 2 ** (consecutive - 1))
            self._stop.wait(pause)
