"""Feeds parsed per second, and feeds polled per second over loopback HTTP.

    python benchmarks/bench_feeds.py [--seconds 5] [--items 50] [--feeds 200]

1. Parsing: ``newsprism.ingest.feeds.parse_feed`` on the hand-made test feeds and on generated
   RSS 2.0, RSS 1.0, Atom and JSON Feed documents of ``--items`` entries each (a typical news
   feed holds 20–100), each format timed for ``--seconds``.
2. Polling: ``poll_cycle`` over ``--feeds`` feeds served by a local HTTP server (page fetching
   off, so the figure is fetch + parse + store per feed; politeness delay 0 because every feed
   shares one host here).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from newsprism.config import Settings
from newsprism.ingest.feeds import parse_feed
from newsprism.ingest.poll import poll_cycle
from newsprism.store.database import Database
from newsprism.store.outlets import add_feed, get_or_create_outlet

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "feeds"
START = datetime(2030, 1, 10, tzinfo=UTC)
WORDS = [
    "council",
    "harbor",
    "budget",
    "vote",
    "ferry",
    "storm",
    "minister",
    "election",
    "court",
    "ruling",
    "market",
    "shares",
    "rail",
    "strike",
    "union",
    "hospital",
    "school",
    "police",
    "fire",
    "river",
    "bridge",
    "festival",
    "museum",
]


def _sentence(i: int, n: int = 28) -> str:
    # Seeded, so runs are comparable; distinct per entry, so the store keeps every article.
    rng = random.Random(i)
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def rss20(items: int, seed: int = 0) -> bytes:
    body = "".join(
        f"<item><title>{_sentence(seed + i, 9)}</title>"
        f"<link>https://gen{seed}.example.com/news/{i}</link><guid>gen-{seed}-{i}</guid>"
        f"<pubDate>{(START - timedelta(minutes=i)).strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
        f"<description><![CDATA[<p>{_sentence(seed * 100_000 + i)}</p>"
        f"<p>{_sentence(seed * 100_000 + i + 50_000)}</p>]]></description>"
        "</item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Generated {seed}</title><link>https://gen{seed}.example.com/</link>{body}"
        "</channel></rss>"
    ).encode()


def rss10(items: int) -> bytes:
    body = "".join(
        f'<item rdf:about="https://rdf.example.net/{i}"><title>{_sentence(i, 9)}</title>'
        f"<link>https://rdf.example.net/{i}</link><description>{_sentence(i)}</description>"
        f"<dc:date>{(START - timedelta(minutes=i)).isoformat()}</dc:date></item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://rdf.example.net/">'
        f"<title>RDF</title><link>https://rdf.example.net/</link></channel>{body}</rdf:RDF>"
    ).encode()


def atom(items: int) -> bytes:
    body = "".join(
        f"<entry><title>{_sentence(i, 9)}</title><link href='https://atom.example.com/{i}'/>"
        f"<id>urn:x:{i}</id><updated>{(START - timedelta(minutes=i)).isoformat()}</updated>"
        f"<summary>{_sentence(i)}</summary></entry>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Atom</title><id>urn:x</id><updated>{START.isoformat()}</updated>{body}</feed>"
    ).encode()


def json_feed(items: int) -> bytes:
    import json

    doc: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON",
        "items": [
            {
                "id": str(i),
                "url": f"https://json.example.com/{i}",
                "title": _sentence(i, 9),
                "content_html": f"<p>{_sentence(i)}</p>",
                "date_published": (START - timedelta(minutes=i)).isoformat(),
            }
            for i in range(items)
        ],
    }
    return json.dumps(doc).encode()


def time_parse(name: str, body: bytes, seconds: float) -> tuple[str, int, float, float, int]:
    """(name, entries, feeds per wall second, feeds per CPU second, bytes).

    CPU seconds are reported beside wall seconds because the machine is shared: other
    processes stretch the wall clock, much less the CPU time this process gets.
    """
    count = 0
    entries = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    while time.perf_counter() - started < seconds:
        parsed = parse_feed(body, url="https://bench.example.com/feed", fetched_at=START)
        entries = len(parsed.entries)
        count += 1
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return name, entries, count / elapsed, count / cpu, len(body)


def parse_benchmark(items: int, seconds: float) -> None:
    cases = [(f"fixture {p.name}", p.read_bytes()) for p in sorted(FIXTURES.glob("*"))]
    cases = [(n, b) for n, b in cases if "bomb" not in n and "entity" not in n and "html" not in n]
    per_fixture = max(0.2, seconds / 5)
    rates = [time_parse(n, b, per_fixture) for n, b in cases]
    wall = len(rates) / sum(1 / r[2] for r in rates)
    cpu = len(rates) / sum(1 / r[3] for r in rates)
    print(
        f"hand-made fixtures ({len(cases)} feeds, 0-5 entries): "
        f"{wall:,.0f} feeds/s wall, {cpu:,.0f} feeds per CPU-second (harmonic means)"
    )
    print(
        f"{'generated feed':<16}{'entries':>8}{'bytes':>9}{'feeds/s':>9}"
        f"{'feeds/CPU-s':>13}{'entries/CPU-s':>15}"
    )
    for name, body in (
        ("RSS 2.0", rss20(items)),
        ("RSS 1.0 / RDF", rss10(items)),
        ("Atom 1.0", atom(items)),
        ("JSON Feed 1.1", json_feed(items)),
    ):
        _, entries, rate, cpu_rate, size = time_parse(name, body, seconds)
        print(
            f"{name:<16}{entries:>8}{size:>9,}{rate:>9,.1f}{cpu_rate:>13,.1f}"
            f"{cpu_rate * entries:>15,.0f}"
        )


class _FeedServer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    documents: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.documents.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def poll_benchmark(feeds: int, items: int) -> None:
    _FeedServer.documents = {f"/feed/{i}.xml": rss20(items, seed=i) for i in range(feeds)}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FeedServer)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(
            Settings(db=str(Path(tmp) / "bench.db")),
            allow_private_networks=True,
            per_host_delay_s=0.0,
            per_host_connections=16,
            fetch_pages=False,
        )
        db = Database(settings.db_url)
        with db.write() as conn:
            for i in range(feeds):
                outlet = get_or_create_outlet(conn, f"gen{i}.example.com", f"Generated {i}")
                assert outlet is not None
                add_feed(conn, outlet, f"http://127.0.0.1:{port}/feed/{i}.xml", settings=settings)
        started = time.perf_counter()
        report = poll_cycle(db, settings)
        elapsed = time.perf_counter() - started
        db.dispose()
    server.shutdown()
    print(
        f"poll cycle over loopback: {report.feeds} feeds × {items} entries, "
        f"{report.new_articles:,} articles stored in {elapsed:.1f} s: "
        f"{report.feeds / elapsed:,.1f} feeds/s, {report.new_articles / elapsed:,.0f} articles/s "
        f"({report.failed} failed)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="time per parse case")
    parser.add_argument("--items", type=int, default=50, help="entries per generated feed")
    parser.add_argument("--feeds", type=int, default=200, help="feeds in the poll benchmark")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}")
    parse_benchmark(args.items, args.seconds)
    poll_benchmark(args.feeds, args.items)


if __name__ == "__main__":
    main()
