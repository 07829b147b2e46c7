"""Article text and metadata from a fetched page: encoding detection, then trafilatura.

``extract_page`` runs in-process; ``ExtractionPool`` runs it in worker processes with a hard
per-page timeout (a runaway page is killed with its worker, which is replaced). Both return plain text (nothing HTML is stored
from a page), so the web layer only ever escapes it.
"""

from __future__ import annotations

import codecs
import multiprocessing
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

import trafilatura
from charset_normalizer import from_bytes

from newsprism.ingest.dates import normalize_date
from newsprism.ingest.language import detect_language

# trafilatura settings measured on the article-extraction benchmark (BENCHMARKS.md): the
# defaults give F1 0.949; favouring precision and leaving reader comments out gives 0.966,
# because news pages carry related-article teasers and comment threads around the body.
FAVOR_PRECISION = True
INCLUDE_COMMENTS = False
# Real article pages are < 5 MB; lxml's cost grows with size and a 50 MB page is abuse.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
# Charset declarations live in the first bytes of a page (the HTML spec says 1024; some CMSs
# put them after long comments).
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-:.]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    date_note: str | None = None
    image_url: str | None = None
    language: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    encoding: str = "utf-8"
    note: str | None = None  # what went wrong or was guessed, for the fetch log and the article


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_charset(html: bytes, content_type: str | None) -> str | None:
    """The charset the server (Content-Type) or the page (meta) declares, if it is a codec."""
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match and _codec(match.group(1)):
            return _codec(match.group(1))
    meta = _META_CHARSET.search(html[:_SNIFF_BYTES])
    if meta:
        return _codec(meta.group(1).decode("ascii", "ignore"))
    return None


def decode_html(html: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: BOM, valid UTF-8, the declaration, detection, then cp1252.

    Valid UTF-8 wins over a declaration: servers often send UTF-8 pages labelled ISO-8859-1,
    and non-ASCII text in a legacy charset is almost never valid UTF-8 by accident.
    """
    for bom, name in _BOMS:
        if html.startswith(bom):
            return html.decode(name, errors="replace"), name
    try:
        return html.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(html, content_type)
    if declared and declared != "utf-8":
        try:
            return html.decode(declared), declared
        except UnicodeDecodeError:
            pass
    best = from_bytes(html[:200_000]).best()
    if best is not None and best.encoding:
        return html.decode(best.encoding, errors="replace"), best.encoding
    # WHATWG's fallback for legacy pages without a declaration.
    return html.decode("cp1252", errors="replace"), "cp1252"


def _text_or_none(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def extract_page(
    html: bytes,
    url: str,
    *,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Extracted:
    """The article in a page. Empty ``text`` with a ``note`` when the page holds none."""
    notes: list[str] = []
    if len(html) > max_bytes:
        notes.append(f"page of {len(html)} bytes cut to {max_bytes}")
        html = html[:max_bytes]
    markup, encoding = decode_html(html, content_type)
    document = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        favor_precision=FAVOR_PRECISION,
        include_comments=INCLUDE_COMMENTS,
    )
    if document is None:
        notes.append("no article text found in the page")
        return Extracted(text="", encoding=encoding, note="; ".join(notes))
    text = (getattr(document, "text", None) or "").strip()
    if not text:
        notes.append("no article text found in the page")
    date = normalize_date(_text_or_none(getattr(document, "date", None)))
    page_language = _text_or_none(getattr(document, "language", None))
    return Extracted(
        text=text,
        title=_text_or_none(getattr(document, "title", None)),
        author=_text_or_none(getattr(document, "author", None)),
        published_at=date.value,
        date_note=date.note if date.value is not None else None,
        image_url=_text_or_none(getattr(document, "image", None)),
        language=detect_language(text) or (page_language or "").split("-")[0] or None,
        description=_text_or_none(getattr(document, "description", None)),
        canonical_url=_text_or_none(getattr(document, "url", None)),
        encoding=encoding,
        note="; ".join(notes) or None,
    )


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


Extractor = Callable[..., Extracted]


def _worker_main(conn: Connection, max_bytes: int, extractor: Extractor) -> None:
    # Runs in the child: one job at a time, until the parent closes the pipe.
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        html, url, content_type = job
        try:
            result: tuple[str, Any] = (
                "ok",
                extractor(html, url, content_type=content_type, max_bytes=max_bytes),
            )
        except Exception as exc:  # reported to the parent as this page's error
            result = ("error", f"{type(exc).__name__}: {exc}"[:500])
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job_index: int | None = None
    started: float = 0.0


class ExtractionPool:
    """Extraction in ``workers`` processes; a page running past ``timeout_s`` is killed.

    ``concurrent.futures`` cannot kill one task: a killed worker breaks the whole executor.
    Here each worker has its own pipe, so the pool kills the one stuck on a runaway page,
    starts a fresh one and goes on. Workers start with ``spawn``: forking a process that runs
    threads (the web server, the poller) can copy held locks into the child.
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
        self._context = multiprocessing.get_context("spawn")
        self._pool: list[_Worker] = []
        self._lock = threading.Lock()
        self.killed = 0  # workers killed for running past the timeout

    def _start_worker(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self.max_bytes, self.extractor), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _stop_worker(self, worker: _Worker, *, kill: bool) -> None:
        worker.conn.close()
        if kill:
            worker.process.kill()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)

    def extract(self, html: bytes, url: str, content_type: str | None = None) -> PageResult:
        return self.extract_many([PageJob(url, html, url, content_type)])[0]

    def extract_many(self, jobs: Iterable[PageJob]) -> list[PageResult]:
        """Results in the order of ``jobs``; every job gets a result, failed ones an error."""
        queue: Sequence[PageJob] = list(jobs)
        results: list[PageResult | None] = [None] * len(queue)
        with self._lock:
            while len(self._pool) < min(self.workers, max(1, len(queue))):
                self._pool.append(self._start_worker())
            next_job = 0
            busy: dict[Connection, _Worker] = {}
            while next_job < len(queue) or busy:
                for worker in self._pool:
                    if worker.job_index is None and next_job < len(queue):
                        job = queue[next_job]
                        worker.job_index, worker.started = next_job, time.monotonic()
                        try:
                            worker.conn.send((job.html, job.url, job.content_type))
                        except (BrokenPipeError, OSError):
                            worker.started = 0.0  # dead before it started: replaced below
                        busy[worker.conn] = worker
                        next_job += 1
                soonest = min(w.started for w in busy.values()) + self.timeout_s
                ready = wait(list(busy), timeout=max(0.0, soonest - time.monotonic()))
                for conn in ready:
                    worker = busy.pop(conn)  # type: ignore[call-overload]
                    index = worker.job_index
                    assert index is not None
                    worker.job_index = None
                    try:
                        status, payload = worker.conn.recv()
                    except (EOFError, OSError):
                        results[index] = PageResult(
                            queue[index].key, None, "extraction worker crashed on this page"
                        )
                        self._replace(worker, kill=True)
                        continue
                    if status == "ok":
                        results[index] = PageResult(queue[index].key, payload)
                    else:
                        results[index] = PageResult(queue[index].key, None, payload)
                now = time.monotonic()
                for conn, worker in list(busy.items()):
                    if now - worker.started >= self.timeout_s:
                        index = worker.job_index
                        assert index is not None
                        del busy[conn]
                        results[index] = PageResult(
                            queue[index].key,
                            None,
                            f"extraction took longer than {self.timeout_s:g} s; worker killed",
                        )
                        self.killed += 1
                        self._replace(worker, kill=True)
        return [r for r in results if r is not None]

    def _replace(self, worker: _Worker, *, kill: bool) -> None:
        self._stop_worker(worker, kill=kill)
        self._pool[self._pool.index(worker)] = self._start_worker()

    def close(self) -> None:
        with self._lock:
            for worker in self._pool:
                self._stop_worker(worker, kill=False)
            self._pool.clear()

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
