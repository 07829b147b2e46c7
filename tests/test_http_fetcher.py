"""The outside-URL fetcher against real servers on 127.0.0.1: every bad case ends as a clear result."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from loopback import LoopbackServer, dripping, huge, stalling
from newsprism.config import Settings
from newsprism.ingest.http import Fetcher, parse_retry_after
from newsprism.ingest.netguard import is_public_address

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


def _settings(**overrides: object) -> Settings:
    base: dict[str, object] = {
        "allow_private_networks": True,
        "per_host_delay_s": 0.0,
        "http_timeout_s": 1.0,
        "max_feed_bytes": 1024 * 1024,
        "max_page_bytes": 1024 * 1024,
    }
    base.update(overrides)
    return Settings(**base)  # type: ignore[arg-type]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(_settings()) as f:
        yield f


def test_fetch_returns_body_headers_and_status(server: LoopbackServer, fetcher: Fetcher) -> None:
    url = server.route("/feed.xml", RSS, headers={"ETag": '"v1"'})
    result = fetcher.fetch(url, "feed")
    assert result.ok
    assert result.status_code == 200
    assert result.body == RSS
    assert result.etag == '"v1"'
    assert result.error is None
    assert server.requests[-1].headers["user-agent"].startswith("newsprism/")


def test_conditional_get_sends_validators_and_reports_not_modified(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    url = server.route("/feed.xml", b"", status=304)
    result = fetcher.fetch(url, "feed", etag='"v1"', last_modified="Tue, 01 Jan 2030 00:00:00 GMT")
    assert result.outcome == "not_modified"
    sent = server.requests[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Tue, 01 Jan 2030 00:00:00 GMT"


@pytest.mark.parametrize(
    ("status", "reason"),
    [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"), (500, "HTTP 500 Internal Server Error")],
)
def test_error_status_ends_as_error_with_reason(
    server: LoopbackServer, fetcher: Fetcher, status: int, reason: str
) -> None:
    url = server.route("/feed.xml", b"nope", status=status)
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.status_code == status
    assert result.error == reason
    assert result.body == b""


def test_429_carries_retry_after_seconds(server: LoopbackServer, fetcher: Fetcher) -> None:
    url = server.route("/feed.xml", b"slow down", status=429, headers={"Retry-After": "120"})
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.error == "HTTP 429 Too Many Requests"
    assert result.retry_after_s == 120.0


def test_retry_after_accepts_http_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2030, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Tue, 01 Jan 2030 00:10:00 GMT", now) == 600.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_stalled_server_times_out(server: LoopbackServer, fetcher: Fetcher) -> None:
    url = server.route("/feed.xml", handler=stalling(3.0))
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.error is not None and "timed out" in result.error


def test_dripping_server_is_cut_off_by_total_deadline(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    # One byte every 0.1 s never trips the read timeout; only the total deadline stops it.
    url = server.route("/feed.xml", handler=dripping(total_s=6.0, step_s=0.1))
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.error == "timed out: no complete response within 1 s"


def test_declared_oversize_response_is_refused_before_reading(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    url = server.route("/feed.xml", handler=huge(50 * 1024 * 1024, declare_length=True))
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.error is not None
    assert "Content-Length 52,428,800 bytes exceeds the 1,048,576-byte limit" in result.error


def test_undeclared_oversize_response_is_cut_at_the_cap(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    url = server.route("/feed.xml", handler=huge(50 * 1024 * 1024, declare_length=False))
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.error == "response too large: more than the 1,048,576-byte limit"
    assert result.body == b""


def test_redirect_is_followed_and_recorded(server: LoopbackServer, fetcher: Fetcher) -> None:
    server.route("/old", status=301, headers={"Location": "/new"}, content_type=None)
    target = server.route("/new", RSS)
    result = fetcher.fetch(server.url("/old"), "feed")
    assert result.ok
    assert result.final_url == target
    assert result.redirects == [server.url("/old")]


def test_redirect_loop_is_detected(server: LoopbackServer, fetcher: Fetcher) -> None:
    server.route("/a", status=302, headers={"Location": "/b"}, content_type=None)
    server.route("/b", status=302, headers={"Location": "/a"}, content_type=None)
    result = fetcher.fetch(server.url("/a"), "feed")
    assert result.outcome == "error"
    assert result.error == (
        f"redirect loop: {server.url('/a')} -> {server.url('/b')} -> {server.url('/a')}"
    )
    assert server.hits("/a") == 1


def test_redirect_chain_longer_than_limit_is_refused(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    for i in range(10):
        server.route(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"}, content_type=None)
    result = fetcher.fetch(server.url("/r0"), "feed")
    assert result.outcome == "error"
    assert result.error == f"too many redirects (more than 5) from {server.url('/r0')}"


def test_robots_disallow_is_honoured_without_requesting_the_url(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.route(
        "/robots.txt",
        "User-agent: newsprism\nDisallow: /private/\n",
        content_type="text/plain",
    )
    server.route("/private/feed.xml", RSS)
    allowed = server.route("/public/feed.xml", RSS)
    result = fetcher.fetch(server.url("/private/feed.xml"), "feed")
    assert result.outcome == "skipped"
    assert result.error == f"robots.txt of {server.url('')} disallows /private/feed.xml"
    assert server.hits("/private/feed.xml") == 0
    assert fetcher.fetch(allowed, "feed").ok
    # robots.txt is fetched once per origin and cached.
    assert server.hits("/robots.txt") == 1


def test_robots_rules_for_other_agents_do_not_apply(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.route("/robots.txt", "User-agent: OtherBot\nDisallow: /\n", content_type="text/plain")
    assert fetcher.fetch(server.route("/feed.xml", RSS), "feed").ok


def test_robots_server_error_means_disallow(server: LoopbackServer, fetcher: Fetcher) -> None:
    server.route("/robots.txt", "oops", status=503, content_type="text/plain")
    server.route("/feed.xml", RSS)
    result = fetcher.fetch(server.url("/feed.xml"), "feed")
    assert result.outcome == "skipped"
    assert result.error == "robots.txt unreachable (HTTP 503 Service Unavailable)"
    assert server.hits("/feed.xml") == 0


def test_private_address_is_refused_unless_allowed(server: LoopbackServer) -> None:
    url = server.route("/feed.xml", RSS)
    with Fetcher(_settings(allow_private_networks=False)) as strict:
        for candidate in (url, server.url("/feed.xml", host="localhost")):
            result = strict.fetch(candidate, "feed")
            assert result.outcome == "skipped"
            assert result.error is not None
            assert "resolves to non-public address" in result.error
            assert "NEWSPRISM_ALLOW_PRIVATE_NETWORKS" in result.error
    assert server.requests == []


def test_unsupported_scheme_is_refused(fetcher: Fetcher) -> None:
    result = fetcher.fetch("file:///etc/passwd", "feed")
    assert result.outcome == "error"
    assert (
        result.error == "unsupported URL scheme 'file' in file:///etc/passwd (only http and https)"
    )


def test_connection_refused_is_a_network_error(fetcher: Fetcher) -> None:
    with LoopbackServer() as gone:
        url = gone.url("/feed.xml")
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.error is not None and result.error.startswith("network error (ConnectError)")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_address_classification(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_per_host_connections_are_capped(server: LoopbackServer) -> None:
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def slow(h: BaseHTTPRequestHandler) -> None:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.2)
        with lock:
            in_flight -= 1
        h.send_response(200)
        h.send_header("Content-Length", str(len(RSS)))
        h.end_headers()
        h.wfile.write(RSS)

    server.route("/feed.xml", handler=slow)
    with Fetcher(_settings(per_host_connections=2)) as f:
        threads = [
            threading.Thread(target=f.fetch, args=(server.url("/feed.xml"), "feed"))
            for _ in range(6)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert server.hits("/feed.xml") == 6
    assert peak == 2


def test_gzip_bomb_is_cut_at_the_decoded_size(server: LoopbackServer, fetcher: Fetcher) -> None:
    import gzip

    packed = gzip.compress(b"\0" * (8 * 1024 * 1024))
    url = server.route("/feed.xml", packed, headers={"Content-Encoding": "gzip"})
    result = fetcher.fetch(url, "feed")
    assert len(packed) < 1024 * 1024
    assert result.outcome == "error"
    assert result.error == "response too large: more than the 1,048,576-byte limit"


def test_redirect_to_another_scheme_is_refused(server: LoopbackServer, fetcher: Fetcher) -> None:
    server.route("/feed.xml", status=302, headers={"Location": "ftp://example.com/x"})
    result = fetcher.fetch(server.url("/feed.xml"), "feed")
    assert result.outcome == "error"
    assert (
        result.error == "unsupported URL scheme 'ftp' in ftp://example.com/x (only http and https)"
    )


def test_redirect_to_a_malformed_address_is_an_error_not_a_crash(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.route("/feed.xml", status=302, headers={"Location": "http://[::1/x"})
    result = fetcher.fetch(server.url("/feed.xml"), "feed")
    assert result.outcome == "error"
    assert result.error is not None and "location header" in result.error


def test_hanging_name_lookup_times_out(monkeypatch: pytest.MonkeyPatch, fetcher: Fetcher) -> None:
    import socket

    from newsprism.ingest import netguard

    real = socket.getaddrinfo

    def hanging_resolver(host: str, *args: object, **kwargs: object) -> object:
        if host == "dead-resolver.example.com":
            time.sleep(3)
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(netguard.socket, "getaddrinfo", hanging_resolver)
    result = fetcher.fetch("http://dead-resolver.example.com/feed.xml", "feed")
    assert result.outcome == "error"
    assert result.error is not None and result.error.startswith("timed out")
