"""Extraction in worker processes with a hard per-page timeout.

lxml and trafilatura can spin for minutes on a pathological page, and a thread cannot be
stopped. Each worker here is a process with its own pipe: a page that runs past the timeout is
killed together with its worker, a fresh worker takes its place, and every other page goes on.
(``concurrent.futures`` cannot do this: killing one of its workers breaks the whole executor.)
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from newsprism.ingest.extract import DEFAULT_MAX_BYTES, Extracted, extract_page

Extractor = Callable[..., Extracted]
# Start-up (imports) of a worker process; generous, since it is not page work.
WORKER_START_TIMEOUT_S = 120.0


@dataclass(slots=True)
class PageJob:
    key: Any  # the caller's handle (an entry id, a URL): returned with the result
    html: bytes
    url: str
    content_type: str | None = None


@dataclass(slots=True)
class PageResult:
    key: Any
    extracted: Extracted | None
    error: str | None = None  # one line: timeout, crash or extraction error


def _worker_main(conn: Connection, max_bytes: int, extractor: Extractor) -> None:
    # Runs in the child: say it is ready (imports done), then one page at a time until the
    # parent closes the pipe.
    try:
        conn.send(("ready", None))
    except (BrokenPipeError, OSError):
        return
    while True:
        try:
            html, url, content_type = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result: tuple[str, Any] = (
                "ok",
                extractor(html, url, content_type=content_type, max_bytes=max_bytes),
            )
        except Exception as exc:  # reported to the parent as this page's error
            result = ("error", f"extraction failed: {type(exc).__name__}: {exc}"[:500])
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection


class ExtractionPool:
    """``workers`` extraction processes shared by any number of calling threads.

    Workers start with ``spawn``: forking a process that runs threads (the web server, the
    poller) can copy locks held by another thread into the child, which then hangs.
    """

    def __init__(
        self,
        workers: int = 2,
        timeout_s: float = 15.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        *,
        extractor: Extractor = extract_page,
    ) -> None:
        """``extractor`` must be a module-level function (workers import it by name)."""
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.extractor = extractor
        self.killed = 0  # workers killed for running past the timeout or crashing
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._running = 0  # workers alive, idle or busy
        self._closed = False
        self._cond = threading.Condition()

    # --- workers ---------------------------------------------------------------------------

    def _start_worker(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(child, self.max_bytes, self.extractor),
            daemon=True,
            name="newsprism-extract",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        # A fresh worker spends seconds importing lxml and trafilatura (more on a busy
        # machine); that time must not count against the first page's timeout.
        try:
            ready = parent.poll(WORKER_START_TIMEOUT_S) and parent.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._stop(worker, kill=True)
            raise RuntimeError("an extraction worker did not start")
        return worker

    @staticmethod
    def _stop(worker: _Worker, *, kill: bool) -> None:
        worker.conn.close()
        if kill:
            worker.process.kill()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)

    def _checkout(self) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise RuntimeError("extraction pool is closed")
                if self._idle:
                    return self._idle.pop()
                if self._running < self.workers:
                    self._running += 1
                    break
                self._cond.wait()
        try:
            return self._start_worker()
        except BaseException:
            with self._cond:
                self._running -= 1
                self._cond.notify()
            raise

    def _checkin(self, worker: _Worker) -> None:
        with self._cond:
            if not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._running -= 1
        self._stop(worker, kill=False)

    def _discard(self, worker: _Worker) -> None:
        self.killed += 1
        self._stop(worker, kill=True)
        with self._cond:
            self._running -= 1
            self._cond.notify()

    # --- pages -----------------------------------------------------------------------------

    def run(self, job: PageJob) -> PageResult:
        """One page in a worker; a timeout or crash costs that worker, never the caller."""
        try:
            worker = self._checkout()
        except RuntimeError as exc:  # closed pool, or a worker that would not start
            return PageResult(job.key, None, str(exc))
        try:
            worker.conn.send((job.html, job.url, job.content_type))
            if not worker.conn.poll(self.timeout_s):
                self._discard(worker)
                return PageResult(
                    job.key,
                    None,
                    f"extraction took longer than {self.timeout_s:g} s; worker killed",
                )
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._discard(worker)
            return PageResult(job.key, None, "extraction worker crashed on this page")
        except BaseException:
            self._discard(worker)
            raise
        self._checkin(worker)
        if status == "ok":
            return PageResult(job.key, payload)
        return PageResult(job.key, None, str(payload))

    def extract(self, html: bytes, url: str, content_type: str | None = None) -> Extracted:
        """The page's article; on timeout or crash an empty text whose ``note`` says why."""
        result = self.run(PageJob(url, html, url, content_type))
        if result.extracted is not None:
            return result.extracted
        return Extracted(text="", note=result.error)

    def extract_many(self, jobs: Iterable[PageJob]) -> list[PageResult]:
        """Results in the order of ``jobs``, all workers busy at once."""
        with ThreadPoolExecutor(max_workers=self.workers) as threads:
            return list(threads.map(self.run, jobs))

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._running -= len(idle)
            self._cond.notify_all()
        for worker in idle:
            self._stop(worker, kill=False)

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
