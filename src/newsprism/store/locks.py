"""Named locks shared by every process (and, on PostgreSQL, every machine) using one store.

Scale-out runs several workers and schedulers at once; a few steps must still run one at a time:
story assignment (so two workers never create the same story twice), story analysis, and the
scheduler's "enqueue due feeds". On PostgreSQL the lock is a session-level advisory lock on a
connection of its own; on SQLite (workers on one machine) it is an ``flock`` on a file beside the
database. Both are released by the server or the kernel when the holder dies, even by SIGKILL,
so a killed worker never leaves a lock behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from newsprism.store.database import Database

# How often a waiting process asks again; locks are held for seconds, so this costs nothing.
_POLL_S = 0.05
_memory_locks: dict[str, threading.Lock] = {}


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` (Python's hash() differs per process)."""
    digest = hashlib.sha256(f"newsprism:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class LockTimeout(TimeoutError):
    pass


def _deadline(timeout_s: float | None) -> float | None:
    return None if timeout_s is None else time.monotonic() + timeout_s


def _expired(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


@contextmanager
def _pg_lock(db: Database, name: str, wait: bool, timeout_s: float | None) -> Iterator[bool]:
    deadline = _deadline(timeout_s)
    with db.engine.connect() as conn:
        # Advisory locks are per database; stores in different schemas must not share them.
        schema = conn.execute(text("SELECT current_schema()")).scalar()
        key = lock_key(f"{schema}:{name}")
        acquired = False
        try:
            while True:
                acquired = bool(
                    conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
                )
                # Commit so this connection does not sit "idle in transaction" while holding.
                conn.commit()
                if acquired or not wait:
                    break
                if _expired(deadline):
                    raise LockTimeout(f"lock {name!r} still held after {timeout_s} s")
                time.sleep(_POLL_S)
            yield acquired
        finally:
            if acquired:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


def _sqlite_lock_path(db: Database, name: str) -> Path | None:
    database = make_url(db.url).database
    if not database or database == ":memory:":
        return None
    return Path(f"{database}.{name}.lock")


@contextmanager
def _file_lock(path: Path, name: str, wait: bool, timeout_s: float | None) -> Iterator[bool]:
    deadline = _deadline(timeout_s)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    acquired = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                acquired = True
                break
            except BlockingIOError:
                if not wait:
                    break
                if _expired(deadline):
                    raise LockTimeout(f"lock {name!r} still held after {timeout_s} s") from None
                time.sleep(_POLL_S)
        yield acquired
    finally:
        if acquired:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextmanager
def _memory_lock(name: str, wait: bool, timeout_s: float | None) -> Iterator[bool]:
    lock = _memory_locks.setdefault(name, threading.Lock())
    acquired = lock.acquire(blocking=wait, timeout=-1 if timeout_s is None else timeout_s)
    if wait and not acquired:
        raise LockTimeout(f"lock {name!r} still held after {timeout_s} s")
    try:
        yield acquired
    finally:
        if acquired:
            lock.release()


@contextmanager
def exclusive(
    db: Database, name: str, *, wait: bool = True, timeout_s: float | None = None
) -> Iterator[bool]:
    """Hold the lock ``name`` for the block; yields whether it was acquired.

    ``wait=False`` yields False at once when another holder has it (the caller skips its work);
    with ``wait=True`` it waits, up to ``timeout_s`` when given (then LockTimeout).
    """
    if db.dialect == "postgresql":
        with _pg_lock(db, name, wait, timeout_s) as acquired:
            yield acquired
        return
    path = _sqlite_lock_path(db, name)
    if path is None:
        with _memory_lock(name, wait, timeout_s) as acquired:
            yield acquired
        return
    with _file_lock(path, name, wait, timeout_s) as acquired:
        yield acquired
