"""Opening the store: URL handling, SQLite pragmas, one writer, and schema migration on open."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from newsprism.errors import NewsprismError

# SQLite waits this long for a lock before failing; long enough for a big import batch to commit.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalize_url(db: str) -> str:
    """A plain path means SQLite at that path; anything with ``://`` is a SQLAlchemy URL."""
    if "://" not in db:
        path = Path(db).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        # psycopg 3 is the driver we support; spare users the driver suffix.
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how transactions start (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB of page cache (default 2 MiB), allocated as used: inserts land at random places
    # in the URL-key and band indexes, which thrash a small cache (import of the corpus with
    # 2,000-line batches: 979 -> 1,114 articles/s).
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # Writers take the lock up front (BEGIN IMMEDIATE) so two writers queue on busy_timeout
    # instead of deadlocking on a read-to-write upgrade; readers stay deferred.
    if conn.get_execution_options().get("newsprism_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class Database:
    """One store. ``write()`` yields the single writer's transaction; ``read()`` a reader's."""

    def __init__(self, url: str, *, migrate: bool = True, echo: bool = False) -> None:
        try:
            self.url = normalize_url(url)
            parsed = make_url(self.url)
        except ArgumentError:
            raise NewsprismError(f"--db: not a database path or URL: {url!r}") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise NewsprismError(
                f"--db: unsupported database {self.dialect!r} (use SQLite or PostgreSQL)"
            )
        self._write_lock = threading.RLock()
        self.engine: Engine = self._make_engine(echo)
        if migrate:
            from newsprism.store.migrate import upgrade

            try:
                upgrade(self)
            except DBAPIError as exc:
                # "file is not a database", a refused connection: one line, without a password.
                reason = " ".join(str(exc.orig if exc.orig is not None else exc).split())
                raise NewsprismError(
                    f"cannot open database {parsed.render_as_string()}: {reason}"
                ) from None

    def _make_engine(self, echo: bool) -> Engine:
        if self.dialect == "sqlite":
            engine = create_engine(
                self.url,
                echo=echo,
                connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            )
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(self.url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction; within this process writers take turns (SQLite has one writer)."""
        with self._write_lock, self.engine.connect() as conn:
            conn = conn.execution_options(newsprism_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    return Database(url, migrate=migrate)
