"""The fetcher for outside URLs (feeds, article pages, robots.txt).

Every request goes through the same guards: only http(s); the address check of
``netguard`` on every connection (redirect hops included); per-host politeness; robots.txt;
one total deadline for the whole fetch (every redirect hop) on top of connect/read timeouts;
a byte cap on the decoded body while streaming, with Content-Encoding decoded here in bounded
steps so that a compression bomb never expands past the cap in memory; a redirect limit with
loop detection; conditional GET. Nothing raises for a bad response: the result says what
happened in one line (``error``), so polling can log it and move on.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from itertools import chain
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsprism.config import Settings
from newsprism.domains import hostname
from newsprism.errors import UnsafeURLError
from newsprism.ingest.netguard import GuardedBackend, set_deadline
from newsprism.ingest.politeness import HostGate, NoTurn
from newsprism.ingest.robots import MAX_ROBOTS_BYTES, RobotsAnswer, RobotsCache
from newsprism.timeutil import utcnow

Kind = Literal["feed", "page", "robots"]
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Connect and per-read timeouts never exceed this, so one stalled read cannot eat the budget.
MAX_SOCKET_TIMEOUT_S = 10.0
# Shared pool across all polling threads; per-host limits are enforced by HostGate.
POOL_CONNECTIONS = 64
READ_CHUNK = 64 * 1024
# Content-Encodings decoded on one response. Two covers a proxy that compresses an already
# compressed body; more is a broken server or a bomb in layers, and is refused.
MAX_ENCODINGS = 2

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
    # Time spent on the request itself (every hop), and apart from it the time spent waiting
    # for the host's turn (politeness, Crawl-delay) and for robots.txt.
    elapsed_ms: int = 0
    waited_ms: int = 0
    # The body is the first ``max_bytes`` of a longer one (only when the caller asked for that).
    truncated: bool = False
    # No request was made because the caller's ``give_up_at`` came first or ``cancel`` was set.
    gave_up: bool = False

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


@dataclass(slots=True)
class _Budget:
    """The limits of one fetch: its time limit shared by every hop, and the caller's own."""

    total_s: float
    give_up_at: float | None = None  # don't wait for a host's turn past this (monotonic)
    cancel: threading.Event | None = None
    used_s: float = 0.0  # time spent in requests so far, all hops together

    def timed_out(self) -> _Stop:
        return _Stop(f"timed out: no complete response within {self.total_s:g} s")


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
            # Only what _Decoder decodes within the byte cap is offered.
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
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
        give_up_at: float | None = None,
        cancel: threading.Event | None = None,
    ) -> FetchResult:
        """One URL, redirects followed, within ``http_timeout_s`` for all hops together.

        ``give_up_at`` (a ``time.monotonic()`` value) and ``cancel`` concern the wait for the
        host's turn: past the one or once the other is set, no request is made and the result
        is ``skipped`` with ``gave_up`` set. A request under way is not cut short by them.
        """
        if max_bytes is None:
            max_bytes = (
                self.settings.max_feed_bytes if kind == "feed" else self.settings.max_page_bytes
            )
        headers = {"Accept": FEED_ACCEPT if kind == "feed" else PAGE_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        budget = _Budget(self.total_timeout_s, give_up_at, cancel)
        return self._fetch(url, headers, max_bytes, check_robots, budget)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------------

    def _fetch_robots(self, url: str) -> RobotsAnswer:
        # RFC 9309 §2.5: a longer file is read up to the limit and that much of it is parsed.
        budget = _Budget(self.total_timeout_s)
        result = self._fetch(
            url, {"Accept": "text/plain"}, MAX_ROBOTS_BYTES, False, budget, truncate=True
        )
        refused = result.outcome == "skipped"
        body = result.body
        if result.truncated:
            body = body[: body.rfind(b"\n") + 1]  # a line cut in two is not a rule
        return RobotsAnswer(
            result.status_code,
            result.error,
            body,
            refused,
            url=url,
            final_url=result.final_url,
            redirects=len(result.redirects),
        )

    def _fetch(
        self,
        url: str,
        headers: dict[str, str],
        max_bytes: int,
        check_robots: bool,
        budget: _Budget,
        *,
        truncate: bool = False,
    ) -> FetchResult:
        result = FetchResult(url=url, final_url=url, outcome="error")
        started = time.monotonic()
        try:
            self._follow(result, headers, max_bytes, check_robots, budget, truncate)
        except _Stop as stop:
            result.outcome = stop.outcome
            result.error = stop.reason
        finally:
            set_deadline(None)
            total_s = time.monotonic() - started
            result.elapsed_ms = int(budget.used_s * 1000)
            result.waited_ms = int(max(0.0, total_s - budget.used_s) * 1000)
        return result

    def _follow(
        self,
        result: FetchResult,
        headers: dict[str, str],
        max_bytes: int,
        check_robots: bool,
        budget: _Budget,
        truncate: bool,
    ) -> None:
        url = result.url
        seen = {url}
        for _hop in range(self.settings.max_redirects + 1):
            result.final_url = url
            _check_scheme(url)
            if check_robots:
                self._check_robots(url)
            response_location = self._request(result, url, headers, max_bytes, budget, truncate)
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
        budget: _Budget,
        truncate: bool,
    ) -> str | None:
        """Performs one hop; returns the redirect target, or None when the result is final."""
        # A status is this hop's answer: a redirect to a host that never answers has none.
        result.status_code = None
        try:
            with self.gate.slot(hostname(url), give_up_at=budget.give_up_at, cancel=budget.cancel):
                return self._timed_exchange(result, url, headers, max_bytes, budget, truncate)
        except NoTurn as no_turn:
            result.gave_up = True
            raise _Stop(no_turn.reason, outcome="skipped") from None

    def _timed_exchange(
        self,
        result: FetchResult,
        url: str,
        headers: dict[str, str],
        max_bytes: int,
        budget: _Budget,
        truncate: bool,
    ) -> str | None:
        # The clock runs only once the host lets us in: waiting our turn is not the server's
        # fault. What earlier hops used is gone: the limit is for the whole fetch.
        hop_started = time.monotonic()
        left = budget.total_s - budget.used_s
        if left <= 0:
            raise budget.timed_out()
        deadline = hop_started + left
        set_deadline(deadline)
        try:
            return self._exchange(result, url, headers, max_bytes, truncate)
        except UnsafeURLError as exc:
            raise _Stop(str(exc), outcome="skipped") from None
        except httpx.TimeoutException as exc:
            if time.monotonic() >= deadline or "total time limit" in str(exc):
                raise budget.timed_out() from None
            raise _Stop(f"timed out ({type(exc).__name__}) fetching {url}") from None
        except (httpx.InvalidURL, ValueError) as exc:
            raise _Stop(f"invalid URL {url}: {exc}") from None
        except httpx.HTTPError as exc:
            raise _Stop(f"network error ({type(exc).__name__}): {exc or 'no detail'}") from None
        finally:
            set_deadline(None)
            budget.used_s += time.monotonic() - hop_started

    def _exchange(
        self,
        result: FetchResult,
        url: str,
        headers: dict[str, str],
        max_bytes: int,
        truncate: bool,
    ) -> str | None:
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
            if not 200 <= status < 300:
                # 300 Multiple Choices (and any other 3xx that is not a redirect we follow) is
                # no more the document than a 404 is.
                result.retry_after_s = parse_retry_after(response.headers.get("retry-after"))
                raise _Stop(_reason(status))
            result.body, result.truncated = _read_capped(response, max_bytes, truncate=truncate)
            result.outcome = "ok"
            return None


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _Stop(f"unsupported URL scheme {parts.scheme!r} in {url} (only http and https)")
    if not parts.hostname:
        raise _Stop(f"URL without a host: {url}")


def _read_capped(
    response: httpx.Response, max_bytes: int, *, truncate: bool = False
) -> tuple[bytes, bool]:
    """The decoded body, at most ``max_bytes``; and whether it was cut there.

    Over the cap, the fetch fails, or with ``truncate`` the first ``max_bytes`` are kept and
    the rest is not read. The raw bytes are decoded here, never more than one read chunk at a
    time per layer, so memory stays near the cap whatever the compression ratio.
    """
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        raise _Stop(
            f"response too large: Content-Length {int(declared):,} bytes exceeds the "
            f"{max_bytes:,}-byte limit"
        )
    decoder = _Decoder(response.headers.get_list("content-encoding", split_commas=True), max_bytes)
    chunks: list[bytes] = []
    size = 0
    for piece in decoder.decode(response.iter_raw(READ_CHUNK)):
        size += len(piece)
        if size > max_bytes:
            if truncate:
                chunks.append(piece[: len(piece) - (size - max_bytes)])
                return b"".join(chunks), True
            raise _Stop(f"response too large: more than the {max_bytes:,}-byte limit")
        chunks.append(piece)
    return b"".join(chunks), False


# -- Content-Encoding ---------------------------------------------------------------------------


def _bounded_brotli() -> Callable[[], _Layer] | None:
    """Brotli, when the installed module can bound each step's output (brotli 1.2 or newer)."""
    try:
        import brotli  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    if not hasattr(brotli, "Decompressor"):
        return None
    if not hasattr(brotli.Decompressor(), "can_accept_more_data"):
        return None
    return lambda: _BrotliLayer(brotli)


class _Layer:
    """One Content-Encoding; each ``feed``/``finish`` step yields at most about READ_CHUNK."""

    name = "identity"

    def feed(self, data: bytes) -> Iterator[bytes]:
        raise NotImplementedError

    def finish(self) -> Iterator[bytes]:
        return iter(())

    def corrupt(self, exc: Exception) -> _Stop:
        return _Stop(f"undecodable response: the {self.name} data is corrupt ({exc})")


class _ZlibLayer(_Layer):
    """gzip (members one after another, as gzip(1) reads them) or deflate (zlib or raw)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._gzip = name != "deflate"
        self._obj = self._new()
        self._fresh = True  # nothing decoded yet: deflate may still turn out to be raw
        self._ended = False  # the stream ended; what follows is ignored, as browsers do

    def _new(self, raw: bool = False) -> zlib._Decompress:
        if self._gzip:
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        pending = data
        while not self._ended:
            try:
                out = self._obj.decompress(pending, READ_CHUNK)
            except zlib.error as exc:
                if self._fresh and not self._gzip and pending is data:
                    # "deflate" is zlib-wrapped by the standard, raw deflate by many servers.
                    self._fresh = False
                    self._obj = self._new(raw=True)
                    continue
                raise self.corrupt(exc) from None
            self._fresh = False
            if out:
                yield out
            if self._obj.eof:
                rest = self._obj.unused_data
                if self._gzip and rest.startswith(b"\x1f\x8b"):
                    self._obj = self._new()
                    pending = rest
                    continue
                self._ended = True
                return
            pending = self._obj.unconsumed_tail
            # A full step may leave output inside zlib although all input was taken.
            if not pending and len(out) < READ_CHUNK:
                return

    def finish(self) -> Iterator[bytes]:
        # Whatever feed() left inside zlib comes out in bounded steps before the final flush.
        yield from self.feed(b"")
        if not self._ended:
            try:
                tail = self._obj.flush()
            except zlib.error as exc:
                raise self.corrupt(exc) from None
            if tail:
                yield tail


class _BrotliLayer(_Layer):
    name = "br"

    def __init__(self, module: object) -> None:
        self._module: object = module
        self._obj = module.Decompressor()  # type: ignore[attr-defined]
        self._error: type[Exception] = module.error  # type: ignore[attr-defined]

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._obj.is_finished():
            return  # data after the end of the stream is ignored
        try:
            out = self._obj.process(data, output_buffer_limit=READ_CHUNK)
            while out:
                yield out
                if self._obj.is_finished():
                    return
                out = self._obj.process(b"", output_buffer_limit=READ_CHUNK)
        except self._error as exc:
            raise self.corrupt(exc) from None


_LAYERS: dict[str, Callable[[], _Layer]] = {
    "gzip": lambda: _ZlibLayer("gzip"),
    "x-gzip": lambda: _ZlibLayer("gzip"),
    "deflate": lambda: _ZlibLayer("deflate"),
}
_brotli = _bounded_brotli()
if _brotli is not None:
    _LAYERS["br"] = _brotli
ACCEPT_ENCODING = ", ".join(name for name in _LAYERS if name != "x-gzip")


class _Decoder:
    """Content-Encoding layers decoded one step at a time, from the last applied to the first.

    A step of each layer feeds the next before the next step is taken, so at most one read
    chunk per layer is ever held, whatever the ratio; a layer other than the last that grows
    well past the cap ends the fetch as too large. Names not known (``identity``, a charset
    sent by mistake) pass the bytes through unchanged, as HTTP clients commonly do.
    """

    def __init__(self, encodings: list[str], max_bytes: int) -> None:
        names = [name.strip().lower() for name in encodings]
        known = [name for name in names if name in _LAYERS]
        if len(known) > MAX_ENCODINGS:
            raise _Stop(
                f"refused: {len(known)} stacked Content-Encodings ({', '.join(known)}); "
                f"at most {MAX_ENCODINGS} are decoded"
            )
        self._layers = [_LAYERS[name]() for name in reversed(known)]
        self._sizes = [0] * len(self._layers)
        # An intermediate layer is the next one's compressed data: about the size of the
        # result, a little over it for incompressible data.
        self._inner_limit = max_bytes + max_bytes // 16 + READ_CHUNK
        self._max_bytes = max_bytes

    def decode(self, raw: Iterator[bytes]) -> Iterator[bytes]:
        for data in raw:
            yield from self._push(0, data, final=False)
        yield from self._push(0, b"", final=True)

    def _push(self, index: int, data: bytes, *, final: bool) -> Iterator[bytes]:
        if index == len(self._layers):
            if data:
                yield data
            return
        layer = self._layers[index]
        # Generators: finish() starts only once feed() is exhausted, and may drain what it left.
        for piece in chain(layer.feed(data), layer.finish() if final else ()):
            self._sizes[index] += len(piece)
            if index < len(self._layers) - 1 and self._sizes[index] > self._inner_limit:
                raise _Stop(f"response too large: more than the {self._max_bytes:,}-byte limit")
            yield from self._push(index + 1, piece, final=False)
        if final:
            yield from self._push(index + 1, b"", final=True)
