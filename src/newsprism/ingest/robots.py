"""robots.txt rules per origin (RFC 9309), cached so that each host is asked once a day."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

# RFC 9309 §2.4: caches should not be kept longer than 24 hours.
CACHE_TTL_S = 24 * 3600
# After a server error we assume "disallow all" (RFC 9309 §2.3.1.4) but ask again soon; when the
# host could not be reached at all, sooner still (it may be a blip).
ERROR_TTL_S = 15 * 60
UNREACHABLE_TTL_S = 60
# RFC 9309 §2.5: parse at least 500 KiB. A longer file is read this far and that part is
# parsed (up to its last whole line); the rest is ignored, it does not make the site disallowed.
MAX_ROBOTS_BYTES = 500 * 1024
# A Crawl-delay above this is not honoured as such; the feed is still fetched, just slowly.
MAX_CRAWL_DELAY_S = 60.0


@dataclass(frozen=True, slots=True)
class RobotsAnswer:
    """What robots.txt let us fetch: status code and error text come from fetching the file."""

    status: int | None
    error: str | None
    body: bytes
    refused: bool = False  # the address check refused the host: no request was made
    url: str | None = None  # the robots.txt asked for
    final_url: str | None = None  # where the last request went (after redirects)
    redirects: int = 0  # redirects followed


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str
    unreachable: bool  # the host gave no answer: an error of the fetch, not a robots rule


@dataclass(slots=True)
class _Rules:
    parser: RobotFileParser | None  # None: everything allowed
    disallow_all_reason: str | None  # set when the file could not be read (server error)
    unreachable: bool  # no HTTP answer at all: the host itself is down or refused
    expires: float
    crawl_delay: float | None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _parse(body: bytes, user_agent: str) -> tuple[RobotFileParser, float | None]:
    parser = RobotFileParser()
    parser.parse(body.decode("utf-8", errors="replace").splitlines())
    delay = parser.crawl_delay(user_agent)
    return parser, (float(delay) if delay is not None else None)


def rules_from_answer(answer: RobotsAnswer, user_agent: str, now: float) -> _Rules:
    if answer.error is None and answer.status is not None and 200 <= answer.status < 300:
        parser, delay = _parse(answer.body, user_agent)
        return _Rules(parser, None, False, now + CACHE_TTL_S, delay)
    if answer.status is not None and 400 <= answer.status < 500:
        # "Unavailable" (RFC 9309 §2.3.1.3): no rules, everything may be fetched.
        return _Rules(None, None, False, now + CACHE_TTL_S, None)
    if answer.refused:
        reason = answer.error
        if answer.redirects:
            # The site itself was let through; its robots.txt points somewhere we may not go.
            reason = (
                f"robots.txt of {origin_of(answer.url or '')} could not be read: "
                f"it redirects to {answer.final_url}, {answer.error}"
            )
        return _Rules(None, reason, False, now + UNREACHABLE_TTL_S, None)
    if answer.status is not None and 300 <= answer.status < 400 and answer.status != 304:
        # A redirect we could not follow to its end: a loop, more hops than allowed, no
        # Location. RFC 9309 §2.3.1.2 lets that count as unavailable, like a 4xx.
        return _Rules(None, None, False, now + CACHE_TTL_S, None)
    if answer.status is None:
        reason = f"{answer.error} (while fetching robots.txt)"
        return _Rules(None, reason, True, now + UNREACHABLE_TTL_S, None)
    reason = f"robots.txt unreachable ({answer.error or f'HTTP {answer.status}'})"
    return _Rules(None, reason, False, now + ERROR_TTL_S, None)


class RobotsCache:
    """Answers "may we fetch this URL?" for our user agent, fetching robots.txt when needed.

    ``fetch_robots(url)`` is the fetcher's own raw fetch (guarded, size-capped, no robots check).
    """

    def __init__(self, user_agent: str, fetch_robots: Callable[[str], RobotsAnswer]) -> None:
        self.user_agent = user_agent
        self._fetch = fetch_robots
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _origin_lock(self, origin: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(origin, threading.Lock())

    def rules(self, url: str) -> _Rules:
        origin = origin_of(url)
        # One fetch per origin even when many threads ask at once.
        with self._origin_lock(origin):
            now = time.monotonic()
            cached = self._rules.get(origin)
            if cached is not None and cached.expires > now:
                return cached
            answer = self._fetch(origin + "/robots.txt")
            rules = rules_from_answer(answer, self.user_agent, time.monotonic())
            self._rules[origin] = rules
            return rules

    def refusal(self, url: str) -> Refusal | None:
        """None when allowed, else why the URL may not be fetched."""
        rules = self.rules(url)
        if rules.disallow_all_reason:
            return Refusal(rules.disallow_all_reason, rules.unreachable)
        if rules.parser is not None and not rules.parser.can_fetch(self.user_agent, url):
            path = urlsplit(url).path or "/"
            return Refusal(f"robots.txt of {origin_of(url)} disallows {path}", False)
        return None

    def crawl_delay(self, url: str) -> float | None:
        delay = self.rules(url).crawl_delay
        return None if delay is None else min(delay, MAX_CRAWL_DELAY_S)
