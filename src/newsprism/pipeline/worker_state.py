"""Per-process state of a scale-out worker: its settings and its one store connection pool."""

from __future__ import annotations

import threading

from newsprism.config import Settings, load_settings
from newsprism.store.database import Database

_lock = threading.Lock()
_settings: Settings | None = None
_database: Database | None = None


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


def forget_database() -> None:
    """Drop a store inherited through fork() without closing the parent's connections."""
    global _database
    with _lock:
        if _database is not None:
            # dispose(close=False) leaves the parent's sockets alone and gives this process a
            # fresh pool.
            _database.engine.dispose(close=False)
