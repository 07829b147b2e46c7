"""Fetcher limits against real servers on 127.0.0.1: decoded size and memory, one time budget per
fetch across redirects, non-2xx answers, and robots.txt edge cases (size, redirects, refusals)."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from loopback import LoopbackServer
from newsprism.config import Settings
from newsprism.ingest import netguard
from newsprism.ingest.http import Fetcher

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
CAP = 1024 * 1024


def _settings(**overrides: object) -> Settings:
    base: dict[str, object] = {
        "allow_private_networks": True,
        "per_host_delay_s": 0.0,
        "http_timeout_s": 1.0,
        "max_feed_bytes": CAP,
        "max_page_bytes": CAP,
    }
    base.update(overrides)
    return Settings(**base)  # type: ignore[arg-type]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(_settings()) as f:
        yield f


def _gzip_zeros(size: int) -> bytes:
    """gzip of ``size`` zero bytes, built without holding them in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    parts.append(packer.flush())
    return b"".join(parts)


def _peak_allocation(action: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = action()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


# -- decoding under the cap -------------------------------------------------------------------


@pytest.mark.parametrize("layers", [1, 2])
def test_compression_bomb_is_cut_with_memory_near_the_cap(
    server: LoopbackServer, fetcher: Fetcher, layers: int
) -> None:
    body = _gzip_zeros(128 << 20)
    for _ in range(layers - 1):
        body = gzip.compress(body, 9)
    url = server.route(
        "/feed.xml", body, headers={"Content-Encoding": ", ".join(["gzip"] * layers)}
    )
    result, peak = _peak_allocation(lambda: fetcher.fetch(url, "feed"))
    assert result.outcome == "error"  # type: ignore[attr-defined]
    assert result.error == "response too large: more than the 1,048,576-byte limit"  # type: ignore[attr-defined]
    # A whole layer expanded at once would be 128 MiB; a few times the cap is the budget.
    assert peak < 8 * CAP, f"peak allocation {peak:,} bytes"


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", lambda data: gzip.compress(data)),
        ("deflate", lambda data: zlib.compress(data)),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
        ("gzip, gzip", lambda data: gzip.compress(gzip.compress(data))),
        ("deflate, gzip", lambda data: gzip.compress(zlib.compress(data))),
        ("identity", lambda data: data),
        ("x-gzip", lambda data: gzip.compress(data)),
        ("utf-8", lambda data: data),  # a common misconfiguration: passed through as is
    ],
)
def test_encoded_responses_are_decoded(
    server: LoopbackServer, fetcher: Fetcher, encoding: str, encode: Callable[[bytes], bytes]
) -> None:
    text = RSS + b"<!-- " + b"news " * 50_000 + b"-->"
    url = server.route("/feed.xml", encode(text), headers={"Content-Encoding": encoding})
    result = fetcher.fetch(url, "feed")
    assert result.ok, result.error
    assert result.body == text


def test_concatenated_gzip_members_are_all_decoded(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    url = server.route(
        "/feed.xml",
        gzip.compress(RSS[:30]) + gzip.compress(RSS[30:]),
        headers={"Content-Encoding": "gzip"},
    )
    result = fetcher.fetch(url, "feed")
    assert result.ok, result.error
    assert result.body == RSS


def test_decoded_size_exactly_at_the_cap_is_accepted(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    text = b"a" * CAP
    url = server.route("/feed.xml", gzip.compress(text), headers={"Content-Encoding": "gzip"})
    result = fetcher.fetch(url, "feed")
    assert result.ok, result.error
    assert result.body == text


def test_more_than_two_stacked_encodings_are_refused(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    body = gzip.compress(gzip.compress(gzip.compress(RSS)))
    url = server.route("/feed.xml", body, headers={"Content-Encoding": "gzip, gzip, gzip"})
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.error == (
        "refused: 3 stacked Content-Encodings (gzip, gzip, gzip); at most 2 are decoded"
    )


def test_corrupt_compressed_body_is_an_error_naming_the_encoding(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    url = server.route("/feed.xml", b"not gzip at all", headers={"Content-Encoding": "gzip"})
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.error is not None
    assert result.error.startswith("undecodable response: the gzip data is corrupt")


def test_accept_encoding_offers_only_what_is_decoded(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    url = server.route("/feed.xml", RSS)
    assert fetcher.fetch(url, "feed").ok
    offered = {p.strip() for p in server.requests[-1].headers["accept-encoding"].split(",")}
    assert {"gzip", "deflate"} <= offered
    assert "zstd" not in offered


def test_brotli_bomb_is_cut_with_memory_near_the_cap(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    brotli = pytest.importorskip("brotli")
    if not hasattr(brotli.Decompressor(), "can_accept_more_data"):
        pytest.skip("this brotli cannot bound its output; br is not offered")
    body = brotli.compress(b"\0" * (64 << 20))
    url = server.route("/feed.xml", body, headers={"Content-Encoding": "br"})
    result, peak = _peak_allocation(lambda: fetcher.fetch(url, "feed"))
    assert result.error == "response too large: more than the 1,048,576-byte limit"  # type: ignore[attr-defined]
    assert peak < 8 * CAP
    small = server.route("/small.xml", brotli.compress(RSS), headers={"Content-Encoding": "br"})
    assert fetcher.fetch(small, "feed").body == RSS


# -- one time budget per fetch ----------------------------------------------------------------


def _slow_redirect(delay_s: float, location: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def handle(h: BaseHTTPRequestHandler) -> None:
        time.sleep(delay_s)
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return handle


def test_redirect_chain_shares_one_time_budget(server: LoopbackServer, fetcher: Fetcher) -> None:
    # Each hop answers within the 1 s limit; the chain as a whole does not.
    for i in range(4):
        server.route(f"/hop{i}", handler=_slow_redirect(0.45, f"/hop{i + 1}"))
    server.route("/hop4", RSS)
    result = fetcher.fetch(server.url("/hop0"), "feed")
    assert result.outcome == "error"
    assert result.error == "timed out: no complete response within 1 s"
    assert server.hits("/hop4") == 0


def test_redirect_chain_within_the_budget_is_followed(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.route("/a", handler=_slow_redirect(0.2, "/b"))
    server.route("/b", handler=_slow_redirect(0.2, "/c"))
    server.route("/c", RSS)
    result = fetcher.fetch(server.url("/a"), "feed")
    assert result.ok
    assert result.body == RSS


def test_fetch_time_excludes_the_politeness_wait(server: LoopbackServer) -> None:
    url = server.route("/feed.xml", RSS)
    with Fetcher(_settings(per_host_delay_s=1.2)) as polite:
        # robots.txt takes the host's first turn, so the feed waits out the pause.
        result = polite.fetch(url, "feed")
    assert result.ok
    assert result.waited_ms >= 900
    assert result.elapsed_ms < result.waited_ms


# -- answers that are not 2xx -----------------------------------------------------------------


def test_multiple_choices_is_an_error_not_a_document(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    url = server.route("/feed.xml", RSS, status=300)
    result = fetcher.fetch(url, "feed")
    assert result.outcome == "error"
    assert result.status_code == 300
    assert result.error == "HTTP 300 Multiple Choices"
    assert result.body == b""


# -- robots.txt ---------------------------------------------------------------------------------


def _huge_robots(declare_length: bool) -> Callable[[BaseHTTPRequestHandler], None]:
    head = b"User-agent: *\nDisallow: /private/\n"
    padding = b"# a comment line that pads the file out well past the limit\n" * 12_000
    tail = b"User-agent: *\nDisallow: /late/\n"
    body = head + padding + tail

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        if declare_length:
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for start in range(0, len(body), 65536):
            part = body[start : start + 65536]
            h.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")

    return handle


@pytest.mark.parametrize("declare_length", [True, False])
def test_oversized_robots_txt_is_parsed_up_to_the_limit(
    server: LoopbackServer, fetcher: Fetcher, declare_length: bool
) -> None:
    server.route("/robots.txt", handler=_huge_robots(declare_length))
    public = server.route("/public/feed.xml", RSS)
    server.route("/private/feed.xml", RSS)
    server.route("/late/feed.xml", RSS)
    result = fetcher.fetch(public, "feed")
    assert result.ok, result.error
    private = fetcher.fetch(server.url("/private/feed.xml"), "feed")
    assert private.outcome == "skipped"
    assert private.error == f"robots.txt of {server.url('')} disallows /private/feed.xml"
    # Rules after the first 500 KiB are not read.
    assert fetcher.fetch(server.url("/late/feed.xml"), "feed").ok


@pytest.mark.parametrize("kind", ["loop", "long chain"])
def test_robots_txt_redirect_loop_means_unavailable(
    server: LoopbackServer, fetcher: Fetcher, kind: str
) -> None:
    if kind == "loop":
        server.route("/robots.txt", status=302, headers={"Location": "/robots.txt"})
    else:
        server.route("/robots.txt", status=302, headers={"Location": "/r1"})
        for i in range(1, 8):
            server.route(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    url = server.route("/feed.xml", RSS)
    result = fetcher.fetch(url, "feed")
    assert result.ok, result.error
    assert fetcher.fetch(url, "feed").ok
    assert server.hits("/robots.txt") == 1


def test_robots_txt_redirect_within_five_hops_is_followed(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.route("/robots.txt", status=301, headers={"Location": "/rules.txt"})
    server.route("/rules.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    result = fetcher.fetch(server.route("/feed.xml", RSS), "feed")
    assert result.outcome == "skipped"
    assert result.error == f"robots.txt of {server.url('')} disallows /feed.xml"


def test_robots_txt_redirect_to_a_refused_address_names_robots_txt(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 127.0.0.1 stands in for a public host; 127.0.0.2 stays a refused one.
    monkeypatch.setattr(netguard, "is_public_address", lambda ip: str(ip) == "127.0.0.1")
    target = server.url("/robots.txt", host="127.0.0.2")
    server.route("/robots.txt", status=302, headers={"Location": target})
    url = server.route("/feed.xml", RSS)
    with Fetcher(_settings(allow_private_networks=False)) as strict:
        result = strict.fetch(url, "feed")
    assert result.outcome == "skipped"
    assert result.error is not None
    assert result.error.startswith(
        f"robots.txt of {server.url('')} could not be read: it redirects to {target}, refused: "
        "127.0.0.2 resolves to non-public address"
    )
    assert server.hits("/feed.xml") == 0
