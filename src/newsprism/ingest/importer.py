"""Offline import of articles from JSON Lines (``.jsonl`` or gzip-compressed ``.jsonl.gz``).

One article a line with at least ``url``, ``title`` and ``text`` (or ``content_original`` /
``content``); optional ``published``/``date``, ``source_url``/``outlet`` (domain), ``source``
(name), ``authors``/``author``, ``language``, ``summary``. Every other field is kept in the
article's ``extra`` (the AllSides corpus' ``topic``, ``bias``, ``bias_text``, ``ID``).

Lines are committed in batches, one transaction each, and the article key is unique: a second
import adds nothing, and an import killed mid-way resumes on rerun without duplicates or holes
(committed batches are skipped by key, the rest is added). With worker processes, each worker
prepares a batch (language, fingerprints) and then stores it, the workers taking turns so that
batches commit in file order; the main process only reads the file. Writing in the workers
keeps both cores busy: a single writing process was the bottleneck (``_Turns``).
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
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

from sqlalchemy import Connection

from newsprism import jsontext
from newsprism.config import Settings
from newsprism.errors import InputError, require_regular_file
from newsprism.ingest.canonical import key_of_canonical
from newsprism.ingest.dates import normalize_date
from newsprism.models import ArticleDraft
from newsprism.store.articles import (
    AddResult,
    KnownArticle,
    Prepared,
    draft_canonicals,
    prepare_article,
    store_prepared,
    stored_ids_by_key,
)
from newsprism.store.database import Database
from newsprism.store.imports import add_import_progress, finish_import_run, start_import_run
from newsprism.timeutil import utcnow

# 1,000 lines a transaction: big enough that commit costs vanish and that a worker taking its
# turn re-reads the store's pages seldom (500: 1,014 articles/s, 1,000: 1,078/s on the corpus),
# small enough that a kill loses about a second of work.
BATCH_LINES = 1000
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

    def count_read(
        self, lines: int, problems: Sequence[tuple[int, str]], dates: Counter[str]
    ) -> None:
        """A batch as read: its lines, the lines rejected and how their dates were read."""
        self.lines += lines
        for line_no, reason in problems:
            self.problem(line_no, reason)
        self.dates_fixed += dates["fixed"]
        self.dates_dropped += dates["dropped"]
        self.dates_missing += dates["missing"]

    def count_stored(self, added: int, duplicates: int, reposts: int) -> None:
        """A batch as committed."""
        self.added += added
        self.duplicates += duplicates
        self.reposts += reposts

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


# Fields read as one piece of text; dates may also be numbers (a Unix time), authors a list.
_SCALAR_TEXT_FIELDS = ("url", "title", "summary", "source", *_TEXT_FIELDS, *_DOMAIN_FIELDS)


def _wrong_field(record: dict[str, Any]) -> str | None:
    """Why a field the import reads cannot be read as what it is, if one cannot."""
    for name in (*_SCALAR_TEXT_FIELDS, *_LANGUAGE_FIELDS):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return f"field {name!r} must be text, not {type(value).__name__}"
    for name in _DATE_FIELDS:
        value = record.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
            return f"field {name!r} must be a date (text or a number), not {type(value).__name__}"
    for name in _AUTHOR_FIELDS:
        value = record.get(name)
        if isinstance(value, list) and not all(isinstance(v, str | None) for v in value):
            return f"field {name!r} must be text or a list of names"
    for name in (*_SCALAR_TEXT_FIELDS, *_LANGUAGE_FIELDS, *_AUTHOR_FIELDS):
        value = record.get(name)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not _encodable(text):
                # JSON may spell half of a UTF-16 pair ("\ud800"): no text a store can hold.
                return f"field {name!r} holds a lone surrogate code point (a broken \\u escape)"
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
        record = jsontext.loads(line)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    wrong = _wrong_field(record)
    if wrong:
        return wrong
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
        if line_no == 1:
            line = line.removeprefix("\ufeff")  # a byte order mark some editors write
        if not line.strip():
            continue
        work.lines += 1
        result = parse_line(line_no, line, now)
        if isinstance(result, str):
            work.problems.append((line_no, result))
        else:
            parsed.append(result)
    if not parsed:
        return work
    canonicals = draft_canonicals([p.draft for p in parsed])
    keys = [c and key_of_canonical(c) for c in canonicals]
    with _reader(db).read() as conn:
        stored = stored_ids_by_key(conn, sorted({k for k in keys if k}))
    for position, (item, key) in enumerate(zip(parsed, keys, strict=True)):
        if key is not None and key in stored:
            work.prepared.append(KnownArticle(position, stored[key]))
        else:
            prepared = prepare_article(position, item.draft, canonicals[position])
            if isinstance(prepared, str):
                # A rejected line's date is not counted: the report's date figures describe
                # the lines taken.
                work.problems.append((item.line_no, prepared))
                continue
            work.prepared.append(prepared)
        work.dates[item.date_outcome] += 1
    return work


@dataclass
class _BatchOutcome:
    """What a worker reports of a batch it prepared and stored."""

    lines: int
    problems: list[tuple[int, str]]
    dates: Counter[str]
    added: int
    duplicates: int
    reposts: int


class ImportAborted(RuntimeError):
    """An earlier batch failed, so this one was not written (an import stops at its first hole)."""


class _Turns:
    """Batch commits in file order across worker processes.

    Batch ``seq`` is written only after batch ``seq - 1`` committed; once a batch fails, no
    later batch is written. Workers take tasks in submission order, so the batch whose turn it
    is has always been taken by a worker: waiting cannot deadlock.
    """

    def __init__(self, context: Any) -> None:
        self.condition = context.Condition()
        self.next = context.Value("q", 0, lock=False)
        self.failed = context.Value("b", 0, lock=False)
        self.parent = os.getpid()

    def wait(self, seq: int) -> None:
        with self.condition:
            while self.next.value != seq and not self.failed.value:
                # A worker whose import process was killed stops instead of waiting for a
                # turn that a dead sibling held; the timeout lets it notice.
                if os.getppid() != self.parent and os.getpid() != self.parent:
                    raise ImportAborted(f"batch {seq} not written: the import process ended")
                self.condition.wait(1.0)
            if self.failed.value:
                raise ImportAborted(f"batch {seq} not written: an earlier batch failed")

    def done(self, seq: int, ok: bool) -> None:
        with self.condition:
            if ok:
                self.next.value = seq + 1
            else:
                self.failed.value = 1
            self.condition.notify_all()

    def abort(self) -> None:
        self.done(-1, ok=False)


_worker_turns: _Turns | None = None


def _init_worker(turns: _Turns) -> None:
    global _worker_turns
    _worker_turns = turns


def _prepare_and_store(
    db_url: str, seq: int, first_line: int, raw_lines: list[bytes], now: datetime, import_id: int
) -> _BatchOutcome:
    """A worker's whole share of a batch: prepare it, wait for its turn, commit it."""
    turns = _worker_turns
    if turns is None:
        raise RuntimeError("import worker started without its turn keeper")
    ok = False
    try:
        db = _reader(db_url)
        work = _work_batch(db, first_line, raw_lines, now)
        turns.wait(seq)
        with db.write() as conn:
            result = _store_batch(conn, work, import_id)
        ok = True
        return _BatchOutcome(
            work.lines,
            work.problems,
            work.dates,
            len(result.added_ids),
            result.duplicates,
            result.reposts,
        )
    finally:
        turns.done(seq, ok)


def _store_batch(conn: Connection, work: _BatchWork, import_id: int) -> AddResult:
    """Store a prepared batch and count it in the import's progress, in one transaction."""
    result = store_prepared(conn, work.prepared)
    add_import_progress(
        conn,
        import_id,
        lines_read=work.lines,
        added=len(result.added_ids),
        skipped=result.duplicates,
    )
    return result


class _WorkerPool:
    """Worker processes that prepare and store batches, committing in file order."""

    def __init__(self, db: Database, workers: int, import_id: int, now: datetime) -> None:
        context = multiprocessing.get_context("spawn")
        self._turns = _Turns(context)
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self._turns,),
        )
        self._args = (db.url, import_id, now)
        self._seq = 0

    def submit(self, first_line: int, lines: list[bytes]) -> Future[_BatchOutcome]:
        db_url, import_id, now = self._args
        # Workers open the store themselves: an engine does not cross processes.
        future = self._executor.submit(
            _prepare_and_store, db_url, self._seq, first_line, lines, now, import_id
        )
        self._seq += 1
        return future

    def close(self, failed: bool) -> None:
        if failed:
            # Workers waiting for a turn that will never come give up instead of blocking.
            self._turns.abort()
        self._executor.shutdown(wait=True, cancel_futures=True)


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

    Batches are committed one transaction each, in file order: by worker processes that
    prepare and store them in turn, or (one worker) in this process, with the writes on a
    thread of their own so that reading and preparing the next batch overlaps them.
    """
    path = Path(path)
    require_regular_file(path)
    if workers is None:
        # Starting worker processes costs seconds; below a few MB one process is faster.
        small = path.stat().st_size < SMALL_FILE_BYTES
        workers = 1 if small else max(1, settings.extract_workers)
    report = ImportReport(source=str(path))
    started = time.monotonic()
    import_id = _start_import(db, report)
    raw, lines = _open_lines(path)
    batches = _Batches(path, raw, lines, batch_lines)
    now = utcnow()
    try:
        if workers > 1:
            _import_in_workers(db, batches, report, import_id, now, workers, on_progress)
        else:
            _import_in_process(db, batches, report, import_id, now, on_progress)
        if batches.damaged:
            raise InputError(batches.damaged)
    finally:
        raw.close()
        report.seconds = time.monotonic() - started
        _finish_import(db, import_id, report)
    return report


class _Batches:
    """The file's lines in batches of ``size``: (first line number, lines, bytes read so far).

    A damaged compressed file ends the batches at the damage; ``damaged`` then says where, and
    the caller raises it once everything before the damage is stored.
    """

    def __init__(self, path: Path, raw: BinaryIO, lines: Iterator[bytes], size: int) -> None:
        self._path, self._raw, self._lines, self._size = path, raw, lines, size
        self.damaged: str | None = None

    def __iter__(self) -> Iterator[tuple[int, list[bytes], int]]:
        batch: list[bytes] = []
        line_no = 0
        try:
            for line_no, line in enumerate(self._lines, start=1):
                batch.append(line)
                if len(batch) >= self._size:
                    yield line_no - len(batch) + 1, batch, self._raw.tell()
                    batch = []
        except (EOFError, OSError, zlib.error) as exc:
            self.damaged = f"{self._path}: file is damaged after line {line_no}: {exc}"
        if batch:
            yield line_no - len(batch) + 1, batch, self._raw.tell()


def _import_in_workers(
    db: Database,
    batches: _Batches,
    report: ImportReport,
    import_id: int,
    now: datetime,
    workers: int,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    pool = _WorkerPool(db, workers, import_id, now)
    # Batches in flight, oldest first: a few ahead keep every worker busy during a write.
    queue: deque[tuple[Future[_BatchOutcome], int]] = deque()
    failed = True
    try:
        for first_line, lines, bytes_read in batches:
            queue.append((pool.submit(first_line, lines), bytes_read))
            while len(queue) > workers + 1:
                _count(report, *queue.popleft(), on_progress)
        while queue:
            _count(report, *queue.popleft(), on_progress)
        failed = False
    finally:
        pool.close(failed)


def _count(
    report: ImportReport,
    done: Future[_BatchOutcome],
    bytes_read: int,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    outcome = done.result()
    report.count_read(outcome.lines, outcome.problems, outcome.dates)
    report.count_stored(outcome.added, outcome.duplicates, outcome.reposts)
    if on_progress is not None:
        on_progress(outcome.lines, bytes_read)


def _import_in_process(
    db: Database,
    batches: _Batches,
    report: ImportReport,
    import_id: int,
    now: datetime,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    writer = _Writer(db, report, import_id, on_progress)
    try:
        for first_line, lines, bytes_read in batches:
            writer.commit(_work_batch(db, first_line, lines, now), bytes_read)
        writer.drain()
    finally:
        writer.close()


# Batches handed to the writer thread and not yet committed: one being written, one waiting.
MAX_PENDING_COMMITS = 2


class _Writer:
    """Commits batches in file order on one thread of its own (the one-process import).

    SQLite releases the GIL while it inserts and indexes, which is most of a commit, so this
    process reads and prepares the next batch meanwhile. After a failed commit no later batch
    is written: an import stops at its first hole.
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

    def commit(self, work: _BatchWork, bytes_read: int) -> None:
        self._pending.append(self._executor.submit(self._commit, work, bytes_read))
        while len(self._pending) > MAX_PENDING_COMMITS:
            self._pending.popleft().result()

    def _commit(self, work: _BatchWork, bytes_read: int) -> None:
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
    work: _BatchWork,
    bytes_read: int,
    report: ImportReport,
    import_id: int,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    report.count_read(work.lines, work.problems, work.dates)
    with db.write() as conn:
        result = _store_batch(conn, work, import_id)
    report.count_stored(len(result.added_ids), result.duplicates, result.reposts)
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
