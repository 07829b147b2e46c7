"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a canned or scripted response.

    with LoopbackServer() as server:
        server.route("/feed.xml", body=b"<rss>…</rss>", content_type="application/rss+xml")
        server.route("/slow", handler=lambda req: time.sleep(5))
        url = server.url("/feed.xml")

Every request is recorded (path and headers) so tests can assert what the client sent.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FEEDS = Path(__file__).with_name("fixtures") / "feeds"


@dataclass
class Request:
    path: str
    headers: dict[str, str]


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Custom behaviour: called with the live handler; it writes the whole response itself.
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.server.requests.append(
            Request(self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        route = self.server.routes.get(self.path) or self.server.routes.get(
            self.path.split("?", 1)[0]
        )
        if route is None:
            route = Route(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
        try:
            if route.handler is not None:
                route.handler(self)
                return
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if "content-length" not in {k.lower() for k in route.headers}:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    requests: list[Request]


class LoopbackServer:
    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.routes = {}
        self._server.requests = []
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def requests(self) -> list[Request]:
        return self._server.requests

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str | None = "application/rss+xml",
        headers: dict[str, str] | None = None,
        handler: Callable[[BaseHTTPRequestHandler], None] | None = None,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = dict(headers or {})
        if content_type and "Content-Type" not in all_headers:
            all_headers["Content-Type"] = content_type
        self._server.routes[path] = Route(status, data, all_headers, handler)
        return self.url(path)

    def fixture(self, path: str, name: str, content_type: str = "application/rss+xml") -> str:
        return self.route(path, (FEEDS / name).read_bytes(), content_type=content_type)

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# -- scripted misbehaviour ---------------------------------------------------------------------


def dripping(total_s: float = 5.0, step_s: float = 0.1) -> Callable[[BaseHTTPRequestHandler], None]:
    """Sends headers, then one byte every ``step_s`` for up to ``total_s`` (a slow-loris server)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        end = time.monotonic() + total_s
        while time.monotonic() < end:
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(step_s)

    return handle


def stalling(seconds: float) -> Callable[[BaseHTTPRequestHandler], None]:
    """Accepts the request and says nothing for ``seconds``."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        h.close_connection = True

    return handle


def huge(size: int, *, declare_length: bool) -> Callable[[BaseHTTPRequestHandler], None]:
    """Streams ``size`` bytes, with or without a Content-Length header (chunked when without)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        chunk = b"x" * 65536
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        if declare_length:
            h.send_header("Content-Length", str(size))
        else:
            h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        sent = 0
        while sent < size:
            part = chunk[: size - sent]
            if declare_length:
                h.wfile.write(part)
            else:
                h.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            sent += len(part)
        if not declare_length:
            h.wfile.write(b"0\r\n\r\n")

    return handle
