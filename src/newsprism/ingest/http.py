"""The fetcher for outside URLs (feeds, article pages, robots.txt).

Every request goes through the same guards: only http(s); the address check of
``netguard`` on every connection (redirect hops included); per-host politeness; robots.txt;
a total deadline on top of connect/read timeouts; a byte cap while streaming; a redirect limit
with loop detection; conditional GET. Nothing raises for a bad response: the result says what
happened in one line (``error``), so polling can log it and move on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsprism.config import Settings
from newsprism.domains import hostname
from newsprism.errors import UnsafeURLError
from newsprism.ingest.netguard import GuardedBackend, set_deadline
from newsprism.ingest.politeness import HostGate
from newsprism.ingest.robots import MAX_ROBOTS_BYTES, RobotsAnswer, RobotsCache
from newsprism.timeutil import utcnow

Kind = Literal["feed", "page", "robots"]
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Connect and per-read timeouts never exceed this, so one stalled read cannot eat the budget.
MAX_SOCKET_TIMEOUT_S = 10.0
# Shared pool across all polling threads; per-host limits are enforced by HostGate.
POOL_CONNECTIONS = 64
READ_CHUNK = 64 * 1024

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(slots=True)
class FetchResult:
    """One fetch, successful or not. ``outcome``: ok | not_modified | error | skipped.

    ``skipped`` means no request was made for the URL itself (robots.txt, address refused).
    """

    url: str
    final_url: str
    outcome: str
    status_code: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    retry_after_s: float | None = None
    redirects: list[str] = field(default_factory=list)
    # True when every redirect followed was permanent (301/308): the URL itself has moved.
    moved_permanently: bool = False
    started_at: datetime = field(default_factory=utcnow)
    elapsed_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or utcnow())).total_seconds())


def _reason(status: int) -> str:
    try:
        phrase = httpx.codes(status).get_reason_phrase(status)
    except ValueError:
        phrase = ""
    return f"HTTP {status} {phrase}".strip()


class _Stop(Exception):
    """Ends one fetch early with a one-line reason (never leaves the fetcher)."""

    def __init__(self, reason: str, outcome: str = "error") -> None:
        super().__init__(reason)
        self.reason = reason
        self.outcome = outcome


class Fetcher:
    """Thread-safe: one instance is shared by all polling threads of a cycle."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.total_timeout_s = settings.http_timeout_s
        socket_timeout = min(settings.http_timeout_s, MAX_SOCKET_TIMEOUT_S)
        # trust_env=False: an environment proxy would connect on our behalf and bypass the
        # address check, which must see the real destination.
        transport = httpx.HTTPTransport(
            limits=httpx.Limits(max_connections=POOL_CONNECTIONS),
            trust_env=False,
        )
        # httpx has no public hook for the network backend; the pool is rebuilt with ours so
        # that the address check happens on the socket that is actually used.
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=POOL_CONNECTIONS,
            max_keepalive_connections=20,
            keepalive_expiry=30.0,
            network_backend=GuardedBackend(settings.allow_private_networks),
        )
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(socket_timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": settings.user_agent},
        )
        self.gate = HostGate(settings.per_host_connections, settings.per_host_delay_s)
        self.robots = RobotsCache(settings.user_agent, self._fetch_robots)

    # -- public ------------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        kind: Kind = "page",
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        check_robots: bool = True,
    ) -> FetchResult:
        if max_bytes is None:
            max_bytes = (
                self.settings.max_feed_bytes if kind == "feed" else self.settings.max_page_bytes
            )
        headers = {"Accept": FEED_ACCEPT if kind == "feed" else PAGE_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._fetch(url, headers, max_bytes, check_robots)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------------

    def _fetch_robots(self, url: str) -> RobotsAnswer:
        result = self._fetch(url, {"Accept": "text/plain"}, MAX_ROBOTS_BYTES, False)
        refused = result.outcome == "skipped"
        return RobotsAnswer(result.status_code, result.error, result.body, refused)

    def _fetch(
        self, url: str, headers: dict[str, str], max_bytes: int, check_robots: bool
    ) -> FetchResult:
        result = FetchResult(url=url, final_url=url, outcome="error")
        started = time.monotonic()
        try:
            self._follow(result, headers, max_bytes, check_robots)
        except _Stop as stop:
            result.outcome = stop.outcome
            result.error = stop.reason
        finally:
            set_deadline(None)
            result.elapsed_ms = int((time.monotonic() - started) * 1000)
        return result

    def _follow(
        self,
        result: FetchResult,
        headers: dict[str, str],
        max_bytes: int,
        check_robots: bool,
    ) -> None:
        url = result.url
        seen = {url}
        for _hop in range(self.settings.max_redirects + 1):
            result.final_url = url
            _check_scheme(url)
            if check_robots:
                self._check_robots(url)
            response_location = self._request(result, url, headers, max_bytes)
            if response_location is None:
                return
            url = urljoin(url, response_location)
            if url in seen:
                chain = " -> ".join([*result.redirects, url])
                raise _Stop(f"redirect loop: {chain}")
            seen.add(url)
        raise _Stop(
            f"too many redirects (more than {self.settings.max_redirects}) from {result.url}"
        )

    def _check_robots(self, url: str) -> None:
        refusal = self.robots.refusal(url)
        if refusal:
            raise _Stop(refusal.reason, outcome="error" if refusal.unreachable else "skipped")
        delay = self.robots.crawl_delay(url)
        if delay is not None:
            self.gate.slow_down(hostname(url), delay)

    def _request(
        self,
        result: FetchResult,
        url: str,
        headers: dict[str, str],
        max_bytes: int,
    ) -> str | None:
        """Performs one hop; returns the redirect target, or None when the result is final."""
        with self.gate.slot(hostname(url)):
            # The clock starts once the host lets us in: waiting our turn is not the server's fault.
            deadline = time.monotonic() + self.total_timeout_s
            set_deadline(deadline)
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    result.status_code = response.status_code
                    result.headers = {k.lower(): v for k, v in response.headers.items()}
                    status = response.status_code
                    if status in REDIRECT_CODES:
                        location = response.headers.get("location")
                        if not location:
                            raise _Stop(f"{_reason(status)} without a Location header")
                        first = not result.redirects
                        permanent = status in (301, 308)
                        result.moved_permanently = permanent and (first or result.moved_permanently)
                        result.redirects.append(url)
                        return location
                    if status == 304:
                        result.outcome = "not_modified"
                        return None
                    if status >= 400:
                        result.retry_after_s = parse_retry_after(
                            response.headers.get("retry-after")
                        )
                        raise _Stop(_reason(status))
                    result.body = _read_capped(response, max_bytes)
                    result.outcome = "ok"
                    return None
            except UnsafeURLError as exc:
                raise _Stop(str(exc), outcome="skipped") from None
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline or "total time limit" in str(exc):
                    raise _Stop(
                        f"timed out: no complete response within {self.total_timeout_s:g} s"
                    ) from None
                raise _Stop(f"timed out ({type(exc).__name__}) fetching {url}") from None
            except (httpx.InvalidURL, ValueError) as exc:
                raise _Stop(f"invalid URL {url}: {exc}") from None
            except httpx.HTTPError as exc:
                raise _Stop(f"network error ({type(exc).__name__}): {exc or 'no detail'}") from None
            finally:
                set_deadline(None)


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _Stop(f"unsupported URL scheme {parts.scheme!r} in {url} (only http and https)")
    if not parts.hostname:
        raise _Stop(f"URL without a host: {url}")


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _Stop(
            f"response too large: Content-Length {int(declared):,} bytes exceeds the "
            f"{max_bytes:,}-byte limit"
        )
    chunks: list[bytes] = []
    size = 0
    # iter_bytes decodes Content-Encoding, so the cap also stops a gzip bomb.
    for chunk in response.iter_bytes(READ_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _Stop(f"response too large: more than the {max_bytes:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)
