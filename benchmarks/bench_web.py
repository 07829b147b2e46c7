"""Story page latency and throughput of ``newsprism serve`` under concurrent load on loopback.

Usage:
    python benchmarks/bench_web.py --db STORE.db [--scale 10] [--seconds 20] [--concurrency 32]

STORE.db is a store with articles imported and processed into stories (see BENCHMARKS.md).
With ``--scale N`` the store is first copied and grown N-fold with synthetic copies of every
article and story, dates shifted by whole weeks, so the same pages are served from an N-times
larger database (``--scaled-db PATH`` keeps that copy for later runs). The server runs as a separate process (``newsprism serve``). The load comes
from ``wrk`` (a C load generator: it takes little of the cores the server needs) cycling over
the story pages for ``--seconds``; without wrk on the PATH, or with ``--client python``, from a
small asyncio HTTP/1.1 keep-alive client sending ``--requests`` requests. Readers are anonymous
first-time visitors (no cookies). Prints one JSON document with the figures, including the
server's CPU time per request, which depends far less on other load on the machine than latency.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Dates as SQLAlchemy stores them on SQLite ("YYYY-MM-DD HH:MM:SS.ffffff"), shifted by whole
# days so the fraction of a second carries over unchanged.
def _shifted(column: str, days: int) -> str:
    return (
        f"CASE WHEN {column} IS NULL THEN NULL ELSE "
        f"strftime('%Y-%m-%d %H:%M:%S', {column}, '-{days} days') || substr({column}, 20) END"
    )


def grow_store(source: Path, target: Path, scale: int) -> dict[str, int]:
    """Copy the store and add ``scale - 1`` shifted copies of every article and story.

    Each copy is one INSERT … SELECT per table inside SQLite (the full-text index is kept up
    by its triggers), which takes minutes where row-by-row inserts from Python took tens.
    """
    import sqlite3

    from newsprism.store.database import Database
    from newsprism.store.schema import articles, stories, story_summaries

    shutil.copyfile(source, target)
    Database(str(target)).dispose()  # bring the copy's schema up to date first
    conn = sqlite3.connect(target, isolation_level=None)
    conn.create_function(
        "copy_hash",
        2,
        lambda copy, url_hash: hashlib.sha1(f"{copy}:{url_hash}".encode()).hexdigest(),
        deterministic=True,
    )
    max_article = int(conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0)
    max_story = int(conn.execute("SELECT max(id) FROM stories").fetchone()[0] or 0)
    story_dates = ("first_published", "last_updated", "created_at", "updated_at")
    for copy in range(1, scale):
        days = copy * 60 * 7  # 60 weeks, beyond the corpus span: copies never interleave
        story_values = {c.name: c.name for c in stories.c}
        story_values["id"] = f"id + {copy * max_story}"
        story_values["merged_into"] = f"merged_into + {copy * max_story}"
        story_values.update({name: _shifted(name, days) for name in story_dates})
        summary_values = {c.name: c.name for c in story_summaries.c if c.name != "id"}
        summary_values["story_id"] = f"story_id + {copy * max_story}"
        article_values = {c.name: c.name for c in articles.c}
        article_values.update(
            id=f"id + {copy * max_article}",
            url_hash=f"copy_hash({copy}, url_hash)",
            url=f"url || '#copy{copy}'",
            story_id=f"story_id + {copy * max_story}",
            repost_of=f"repost_of + {copy * max_article}",
            published_at=_shifted("published_at", days),
        )
        conn.execute("BEGIN")
        # Merged stories point at survivors that may come later in id order: no FK check
        # until the whole copy is in.
        conn.execute("PRAGMA defer_foreign_keys=ON")
        for table, values, where in (
            ("stories", story_values, f"id <= {max_story}"),
            ("story_summaries", summary_values, f"story_id <= {max_story}"),
            ("articles", article_values, f"id <= {max_article}"),
        ):
            conn.execute(
                f"INSERT INTO {table} ({', '.join(values)}) "
                f"SELECT {', '.join(values.values())} FROM {table} WHERE {where}"
            )
        conn.execute("COMMIT")
        print(f"copy {copy}/{scale - 1} written", file=sys.stderr)
    # Keep the copies' analysis keyed to their own articles: analysis is recomputed lazily.
    conn.execute("UPDATE stories SET dirty = 0")
    counts = {
        "articles": int(conn.execute("SELECT count(*) FROM articles").fetchone()[0]),
        "stories": int(conn.execute("SELECT count(*) FROM stories").fetchone()[0]),
    }
    conn.close()
    return counts


async def fetch(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
) -> tuple[int, int]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        size = 0
        while True:
            size_line = await reader.readuntil(b"\r\n")
            chunk = int(size_line.strip(), 16)
            await reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                return status, size
    await reader.readexactly(length)
    return status, length


async def load(
    port: int, paths: list[str], requests: int, concurrency: int
) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(requests))

    async def worker(offset: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for i in counter:
                path = paths[(i + offset) % len(paths)]
                start = time.perf_counter()
                try:
                    status, _size = await fetch(reader, writer, path)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    continue
                latencies.append(time.perf_counter() - start)
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker(k * 7) for k in range(concurrency)))
    return latencies, errors, time.perf_counter() - began


WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  -- Threads start at different pages so they do not ask for the same page in step.
  counter = id * 7
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %%d, "duration_us": %%d, "errors": %%d, "non_2xx_3xx": %%d, '
    .. '"p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
"""


def run_wrk(
    wrk: str, port: int, paths: list[str], seconds: int, concurrency: int, threads: int
) -> dict[str, Any]:
    """Load from wrk over the paths; its latency percentiles, requests/s and error counts."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)})
    try:
        completed = subprocess.run(
            [
                wrk,
                f"--threads={threads}",
                f"--connections={concurrency}",
                f"--duration={seconds}s",
                "--timeout=10s",
                f"--script={script.name}",
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    line = next(ln for ln in completed.stdout.splitlines() if ln.startswith("WRK "))
    raw = json.loads(line[4:])
    return {
        "requests": raw["requests"],
        "errors": raw["errors"] + raw["non_2xx_3xx"],
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p90_ms": round(raw["p90_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "requests_per_second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
    }


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument(
        "--scaled-db",
        type=Path,
        help="keep the grown store here and reuse it when it exists (growing takes minutes)",
    )
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk when installed (auto), or the asyncio client",
    )
    parser.add_argument("--seconds", type=int, default=20, help="wrk: length of the load")
    parser.add_argument("--threads", type=int, default=1, help="wrk: client threads")
    parser.add_argument("--requests", type=int, default=6000, help="python client: requests")
    parser.add_argument("--stories", type=int, default=200, help="distinct story pages hit")
    args = parser.parse_args()
    wrk = shutil.which("wrk") if args.client in ("auto", "wrk") else None
    if args.client == "wrk" and wrk is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    store = args.db
    grown: dict[str, int] = {}
    if args.scale > 1:
        store = args.scaled_db or workdir / "scaled.db"
        if not store.exists():
            began = time.perf_counter()
            grown = grow_store(args.db, store, args.scale)
            grown["build_seconds"] = round(time.perf_counter() - began)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "serve", "--port", str(port), "--db", str(store)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(base + "/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("server did not start") from None
                time.sleep(0.2)
        ids: list[int] = []
        offset = 0
        while len(ids) < args.stories:
            page = httpx.get(f"{base}/api/stories?limit=100&offset={offset}", timeout=60).json()
            ids += [item["id"] for item in page["items"]]
            if page["next_offset"] is None:
                break
            offset = page["next_offset"]
        ids = ids[: args.stories]
        if not ids:
            raise SystemExit("the store has no stories: import and process a corpus first")
        paths = [f"/stories/{i}" for i in ids]
        # First view of each page: assembled and rendered (nothing cached yet), one at a time.
        cold: list[float] = []
        for path in paths:
            start = time.perf_counter()
            response = httpx.get(base + path, timeout=60)
            cold.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
        cpu_before = cpu_seconds(server.pid)
        if wrk is not None:
            loaded = run_wrk(wrk, port, paths, args.seconds, args.concurrency, args.threads)
        else:
            latencies, errors, seconds = asyncio.run(
                load(port, paths, args.requests, args.concurrency)
            )
            loaded = {
                "requests": len(latencies),
                "errors": errors,
                "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
                "p90_ms": round(percentile(latencies, 0.90) * 1000, 1),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
                "max_ms": round(max(latencies) * 1000, 1),
                "requests_per_second": round(len(latencies) / seconds, 1),
            }
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    result = {
        "store": str(args.db),
        "scale": args.scale,
        **({"grown": grown} if grown else {}),
        "story_pages": len(paths),
        "cold_render_ms": {
            "p50": round(statistics.median(cold) * 1000, 1),
            "p99": round(percentile(cold, 0.99) * 1000, 1),
        },
        "client": "wrk" if wrk is not None else "python",
        "concurrency": args.concurrency,
        **loaded,
        "server_cpu_ms_per_request": round(server_cpu * 1000 / max(1, loaded["requests"]), 3),
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
