"""Per-process state of a scale-out worker, shared by its tasks.

One store connection pool, one HTTP fetcher (so per-host politeness holds across the tasks a
process runs at once) and one extraction process pool (started once, not per task).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from newsprism.config import Settings, load_settings
from newsprism.store.database import Database

if TYPE_CHECKING:
    from newsprism.ingest.extract_pool import ExtractionPool
    from newsprism.ingest.http import Fetcher

_lock = threading.Lock()
_settings: Settings | None = None
_database: Database | None = None
_fetcher: Fetcher | None = None
_extractor: ExtractionPool | None = None


def set_settings(settings: Settings) -> None:
    global _settings, _database
    with _lock:
        if _database is not None and _settings is not None and _settings.db_url != settings.db_url:
            _database.dispose()
            _database = None
        _settings = settings


def settings() -> Settings:
    global _settings
    with _lock:
        if _settings is None:
            # A worker started by ``celery -A newsprism.pipeline.celery_app worker`` directly.
            _settings = load_settings()
        return _settings


def database() -> Database:
    """The store of this process, opened (and migrated) on first use."""
    global _database
    current = settings()
    with _lock:
        if _database is None:
            _database = Database(current.db_url)
        return _database


def fetcher() -> Fetcher:
    global _fetcher
    current = settings()
    with _lock:
        if _fetcher is None:
            from newsprism.ingest.http import Fetcher

            _fetcher = Fetcher(current)
        return _fetcher


def extractor() -> ExtractionPool:
    global _extractor
    current = settings()
    with _lock:
        if _extractor is None:
            from newsprism.ingest.extract_pool import ExtractionPool

            _extractor = ExtractionPool(current.extract_workers, current.extract_timeout_s)
        return _extractor


def close() -> None:
    """Stop the extraction processes and close connections (worker shutdown)."""
    global _fetcher, _extractor, _database
    with _lock:
        if _extractor is not None:
            _extractor.close()
        if _fetcher is not None:
            _fetcher.close()
        if _database is not None:
            _database.dispose()
        _fetcher = _extractor = _database = None


def forget_database() -> None:
    """Drop a store inherited through fork() without closing the parent's connections."""
    global _database
    with _lock:
        if _database is not None:
            # dispose(close=False) leaves the parent's sockets alone and gives this process a
            # fresh pool.
            _database.engine.dispose(close=False)
