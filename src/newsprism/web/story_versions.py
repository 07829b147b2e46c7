"""A story's version, the key under which its rendered page is kept (see ``story_cache``)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Hashable
from typing import Any

from newsprism.store.database import Database
from newsprism.store.web_queries import story_version

# The event loop asks this connection: a read that would wait longer for a lock (WAL readers
# almost never wait) gives up, and the page is then rendered afresh on a worker thread.
RAW_BUSY_TIMEOUT_MS = 100

# The columns of store.web_queries.story_version, read raw on SQLite.
_VERSION_SQL = (
    "SELECT merged_into, updated_at, analyzed_at, last_updated, article_count "
    "FROM stories WHERE id = ?"
)


class StoryVersions:
    """What changes whenever a story's page would (``store.web_queries.story_version``).

    Both the route that keeps pages and the layer that serves them ask here, so their keys
    agree. On SQLite the read goes through one plain connection of its own: a single
    autocommit SELECT on the primary key, where a pooled SQLAlchemy connection adds a
    checkout, BEGIN and ROLLBACK costing several times the query itself.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._raw: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        path = db.engine.url.database if db.is_sqlite else None
        if path and path != ":memory:" and not path.startswith("file:"):
            raw = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            raw.execute(f"PRAGMA busy_timeout={RAW_BUSY_TIMEOUT_MS}")
            raw.execute("PRAGMA query_only=ON")
            self._raw = raw

    @property
    def inline(self) -> bool:
        """Cheap enough to ask from the event loop (SQLite in WAL mode: readers never wait)."""
        return self._raw is not None

    def get(self, story_id: int) -> tuple[Any, ...] | None:
        """The story's version; None for an unknown story, or when the store was busy."""
        if self._raw is None:
            with self.db.read() as conn:
                return story_version(conn, story_id)
        try:
            with self._lock:
                row = self._raw.execute(_VERSION_SQL, (story_id,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return tuple(row) if row is not None else None

    def page_key(self, story_id: int, side: str, show_all: bool) -> Hashable | None:
        """The cache key of an anonymous reader's story page, or None when it is not to be
        kept (unknown story, merged into another, or the store too busy to say)."""
        version = self.get(story_id)
        if version is None or version[0] is not None:
            return None
        return (story_id, side, show_all, version)

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
            self._raw = None
