"""Offline import of articles from JSON Lines (``.jsonl`` or gzip-compressed ``.jsonl.gz``).

One article a line with at least ``url``, ``title`` and ``text`` (or ``content_original`` /
``content``); optional ``published``/``date``, ``source_url``/``outlet`` (domain), ``source``
(name), ``authors``/``author``, ``language``, ``summary``. Every other field is kept in the
article's ``extra`` (the AllSides corpus' ``topic``, ``bias``, ``bias_text``, ``ID``).

Lines are committed in batches, one transaction each, and the article key is unique: a second
import adds nothing, and an import killed mid-way resumes on rerun without duplicates or holes
(committed batches are skipped by key, the rest is added). Preparing articles (language,
fingerprints) is the costly part, so it runs in worker processes while the main process reads
and writes.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.ingest.canonical import key_of_canonical
from newsprism.ingest.dates import normalize_date
from newsprism.models import ArticleDraft
from newsprism.store.articles import (
    KnownArticle,
    Prepared,
    draft_canonicals,
    prepare_article,
    store_prepared,
    stored_ids_by_key,
)
from newsprism.store.database import Database
from newsprism.store.imports import finish_import_run, record_import_progress, start_import_run
from newsprism.timeutil import utcnow

# 500 lines a transaction: big enough that commit costs vanish, small enough that a kill
# loses at most a few seconds of work.
BATCH_LINES = 500
SMALL_FILE_BYTES = 2_000_000
# Lines reported one by one; beyond this the report says how many more.
MAX_PROBLEMS = 100
_TEXT_FIELDS = ("text", "content_original", "content")
_DATE_FIELDS = ("published", "published_at", "date")
_DOMAIN_FIELDS = ("source_url", "outlet", "domain")
_AUTHOR_FIELDS = ("authors", "author")
_LANGUAGE_FIELDS = ("language", "lang")
_CONSUMED = frozenset(
    {
        "url",
        "title",
        "summary",
        "source",
        *_TEXT_FIELDS,
        *_DATE_FIELDS,
        *_DOMAIN_FIELDS,
        *_AUTHOR_FIELDS,
        *_LANGUAGE_FIELDS,
    }
)


@dataclass
class ImportReport:
    source: str
    lines: int = 0
    added: int = 0
    duplicates: int = 0
    reposts: int = 0
    rejected: int = 0
    dates_fixed: int = 0  # read in a non-standard way (7/23/17, a timestamp, no zone)
    dates_dropped: int = 0  # present but implausible (0001-…, 2050-…) or unreadable
    dates_missing: int = 0  # empty or absent
    problems: list[str] = field(default_factory=list)  # "line N: reason", the first 100
    seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        return self.lines / self.seconds if self.seconds > 0 else 0.0

    def problem(self, line_no: int, reason: str) -> None:
        self.rejected += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"line {line_no}: {reason}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "lines": self.lines,
            "added": self.added,
            "duplicates": self.duplicates,
            "reposts": self.reposts,
            "rejected": self.rejected,
            "dates_fixed": self.dates_fixed,
            "dates_dropped": self.dates_dropped,
            "dates_missing": self.dates_missing,
            "problems": self.problems,
            "seconds": round(self.seconds, 2),
            "articles_per_second": round(self.articles_per_second, 1),
        }


def _first(record: dict[str, Any], names: Sequence[str]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v) or None
    return str(value)


@dataclass(slots=True)
class ParsedLine:
    line_no: int
    draft: ArticleDraft
    date_outcome: str  # clean | fixed | dropped | missing


def parse_line(line_no: int, line: str, now: datetime) -> ParsedLine | str:
    """A draft for one line, or the reason it cannot become one."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    url = record.get("url")
    if not isinstance(url, str) or not url.strip():
        return "missing field 'url'"
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        return "missing field 'title'"
    text = _first(record, _TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        return "missing field 'text' (or 'content')"
    date = normalize_date(_as_text(_first(record, _DATE_FIELDS)), now=now)
    raw_date = _first(record, _DATE_FIELDS)
    if date.value is None:
        outcome = "missing" if raw_date is None else "dropped"
    else:
        outcome = "fixed" if date.note else "clean"
    # Unknown fields are the source's own metadata (topic, bias label, its id): keep them.
    extra = {k: v for k, v in record.items() if k not in _CONSUMED}
    draft = ArticleDraft(
        url=url.strip(),
        title=title,
        text=text,
        summary=_as_text(record.get("summary")),
        published_at=date.value,
        date_note=date.note,
        outlet_domain=_as_text(_first(record, _DOMAIN_FIELDS)),
        source_name=_as_text(record.get("source")),
        author=_as_text(_first(record, _AUTHOR_FIELDS)),
        language=_as_text(_first(record, _LANGUAGE_FIELDS)),
        extraction_status="imported",
        extra=extra,
    )
    return ParsedLine(line_no, draft, outcome)


def _open_lines(path: Path) -> tuple[BinaryIO, Iterator[bytes]]:
    """The raw file (for progress by bytes) and its lines; gzip told by magic bytes."""
    raw = path.open("rb")
    compressed = raw.read(2) == b"\x1f\x8b"
    raw.seek(0)
    stream: BinaryIO = gzip.GzipFile(fileobj=raw) if compressed else raw  # type: ignore[assignment]
    return raw, iter(stream)


@dataclass
class _BatchWork:
    """What a worker made of a batch of lines: everything but the write."""

    lines: int = 0
    prepared: list[Prepared] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    dates: Counter[str] = field(default_factory=Counter)


_worker_db: dict[str, Database] = {}


def _reader(db: Database | str) -> Database:
    # A worker process opens one handle per store on its first batch and keeps it.
    if isinstance(db, Database):
        return db
    if db not in _worker_db:
        _worker_db[db] = Database(db, migrate=False)
    return _worker_db[db]


def _work_batch(
    db: Database | str, first_line: int, raw_lines: list[bytes], now: datetime
) -> _BatchWork:
    """Parse, check which articles are stored, and prepare the rest (runs in a worker)."""
    work = _BatchWork()
    parsed: list[ParsedLine] = []
    for line_no, raw in enumerate(raw_lines, start=first_line):
        line = raw.decode("utf-8", errors="replace")
        if not line.strip():
            continue
        work.lines += 1
        result = parse_line(line_no, line, now)
        if isinstance(result, str):
            work.problems.append((line_no, result))
        else:
            parsed.append(result)
            work.dates[result.date_outcome] += 1
    if not parsed:
        return work
    canonicals = draft_canonicals([p.draft for p in parsed])
    keys = [c and key_of_canonical(c) for c in canonicals]
    with _reader(db).read() as conn:
        stored = stored_ids_by_key(conn, sorted({k for k in keys if k}))
    for position, (item, key) in enumerate(zip(parsed, keys, strict=True)):
        if key is not None and key in stored:
            work.prepared.append(KnownArticle(position, stored[key]))
            continue
        prepared = prepare_article(position, item.draft, canonicals[position])
        if isinstance(prepared, str):
            work.problems.append((item.line_no, prepared))
        else:
            work.prepared.append(prepared)
    return work


class _Workers:
    """Runs batches in worker processes (or in-process for one worker)."""

    def __init__(self, workers: int) -> None:
        self._executor: ProcessPoolExecutor | None = None
        if workers > 1:
            self._executor = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn")
            )

    def submit(
        self, db: Database, first_line: int, lines: list[bytes], now: datetime
    ) -> Future[_BatchWork]:
        if self._executor is not None:
            # Workers open the store themselves: an engine does not cross processes.
            return self._executor.submit(_work_batch, db.url, first_line, lines, now)
        done: Future[_BatchWork] = Future()
        done.set_result(_work_batch(db, first_line, lines, now))
        return done

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)


def import_file(
    db: Database,
    settings: Settings,
    path: str | Path,
    *,
    batch_lines: int = BATCH_LINES,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a JSON Lines file; ``on_progress(lines, bytes)`` after each committed batch.

    Workers parse and prepare batches while this process reads the file and writes, one
    transaction per batch, in file order.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if workers is None:
        # Starting worker processes costs seconds; below a few MB one process is faster.
        small = path.stat().st_size < SMALL_FILE_BYTES
        workers = 1 if small else max(1, settings.extract_workers)
    report = ImportReport(source=str(path))
    started = time.monotonic()
    import_id = _start_import(db, report)
    raw, lines = _open_lines(path)
    pool = _Workers(workers)
    now = utcnow()
    # Batches in flight, oldest first: a few ahead keep every worker busy during a write.
    queue: deque[tuple[Future[_BatchWork], int]] = deque()
    writer = _Writer(db, report, import_id, on_progress)
    line_no = 0
    try:
        batch: list[bytes] = []
        damaged: str | None = None
        try:
            for line_no, line in enumerate(lines, start=1):
                batch.append(line)
                if len(batch) >= batch_lines:
                    first = line_no - len(batch) + 1
                    queue.append((pool.submit(db, first, batch, now), raw.tell()))
                    batch = []
                    while len(queue) > workers + 1:
                        writer.commit(*queue.popleft())
        except (EOFError, OSError, zlib.error) as exc:
            damaged = f"{path}: file is damaged after line {line_no}: {exc}"
        if batch:
            queue.append((pool.submit(db, line_no - len(batch) + 1, batch, now), raw.tell()))
        while queue:
            writer.commit(*queue.popleft())
        writer.drain()
        if damaged:
            raise InputError(damaged)
    finally:
        writer.close()
        pool.close()
        raw.close()
        report.seconds = time.monotonic() - started
        _finish_import(db, import_id, report)
    return report


# Batches handed to the writer thread and not yet committed: one being written, one waiting.
MAX_PENDING_COMMITS = 2


class _Writer:
    """Commits batches in file order on one thread of its own.

    SQLite releases the GIL while it inserts and indexes, which is most of a commit, so this
    process reads and decompresses the file and collects the workers' results meanwhile. After
    a failed commit no later batch is written: an import stops at its first hole.
    """

    def __init__(
        self,
        db: Database,
        report: ImportReport,
        import_id: int,
        on_progress: Callable[[int, int], None] | None,
    ) -> None:
        self._args = (report, import_id, on_progress)
        self._db = db
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self._pending: deque[Future[None]] = deque()
        self._failed = threading.Event()

    def commit(self, work: Future[_BatchWork], bytes_read: int) -> None:
        self._pending.append(self._executor.submit(self._commit, work, bytes_read))
        while len(self._pending) > MAX_PENDING_COMMITS:
            self._pending.popleft().result()

    def _commit(self, work: Future[_BatchWork], bytes_read: int) -> None:
        if self._failed.is_set():
            return
        try:
            _commit(self._db, work, bytes_read, *self._args)
        except BaseException:
            self._failed.set()
            raise

    def drain(self) -> None:
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        # Commits already handed over finish (each is one transaction); later ones are dropped.
        self._executor.shutdown(wait=True, cancel_futures=True)


def _commit(
    db: Database,
    pending: Future[_BatchWork],
    bytes_read: int,
    report: ImportReport,
    import_id: int,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    work = pending.result()
    report.lines += work.lines
    for line_no, reason in work.problems:
        report.problem(line_no, reason)
    report.dates_fixed += work.dates["fixed"]
    report.dates_dropped += work.dates["dropped"]
    report.dates_missing += work.dates["missing"]
    with db.write() as conn:
        result = store_prepared(conn, work.prepared)
        report.added += len(result.added_ids)
        report.duplicates += result.duplicates
        report.reposts += result.reposts
        record_import_progress(
            conn,
            import_id,
            lines_read=report.lines,
            added=report.added,
            skipped=report.duplicates,
        )
    if on_progress is not None:
        on_progress(work.lines, bytes_read)


def _start_import(db: Database, report: ImportReport) -> int:
    with db.write() as conn:
        return start_import_run(conn, report.source)


def _finish_import(db: Database, import_id: int, report: ImportReport) -> None:
    notes = report.as_dict()
    notes["problems"] = report.problems[:20]
    with db.write() as conn:
        finish_import_run(
            conn,
            import_id,
            lines_read=report.lines,
            added=report.added,
            skipped=report.duplicates + report.rejected,
            notes=notes,
        )
