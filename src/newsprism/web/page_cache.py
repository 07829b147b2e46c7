"""Rendered story pages for anonymous readers, kept until the story changes or five minutes pass.

A story page costs tens of milliseconds to assemble and render, and most readers see the same
bytes; checking a story's version is one primary-key lookup (``story_versions``), and
``story_cache`` answers kept pages before the routing stack. Signed-in readers (whose pages
carry their name and record their reading) always get a fresh page.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

# Bounded memory: ~50 KB a page, so at most ~25 MB.
MAX_PAGES = 512
# Ratings re-imported or an outlet renamed change a page without changing its story's version;
# five minutes is how stale such a rare change may look on a story page.
MAX_AGE_S = 300.0
# Listings and totals change with every polling cycle: they may be a minute old.
MEMO_MAX_AGE_S = 60.0


class PageCache:
    def __init__(self, max_pages: int = MAX_PAGES, max_age_s: float = MAX_AGE_S) -> None:
        self.max_pages = max_pages
        self.max_age_s = max_age_s
        self._pages: OrderedDict[Hashable, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        now = time.monotonic()
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or now - entry[0] > self.max_age_s:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: Hashable, body: bytes) -> None:
        with self._lock:
            self._pages[key] = (time.monotonic(), body)
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


class Memo:
    """Values that are costly to compute and fine a minute stale: store totals, the country
    list, story listings (ranking a whole store's stories takes a while on a big one)."""

    def __init__(self, max_age_s: float = MEMO_MAX_AGE_S, max_entries: int = MAX_PAGES) -> None:
        self.max_age_s = max_age_s
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        now = time.monotonic()
        with self._lock:
            entry = self._values.get(key)
            if entry is not None and now - entry[0] <= self.max_age_s:
                self._values.move_to_end(key)
                return entry[1]
        value = compute()
        with self._lock:
            self._values[key] = (time.monotonic(), value)
            self._values.move_to_end(key)
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)
        return value
