"""Story page latency and throughput of ``newsprism serve`` under concurrent load on loopback.

Usage:
    python benchmarks/bench_web.py --db STORE.db [--scale 10] [--requests 6000] [--concurrency 32]

STORE.db is a store with articles imported and processed into stories (see BENCHMARKS.md).
With ``--scale N`` the store is first copied and grown N-fold with synthetic copies of every
article and story, dates shifted by whole weeks, so the same pages are served from an N-times
larger database. The server runs as a separate process (``newsprism serve``); the load
generator is a small asyncio HTTP/1.1 keep-alive client, so it costs the shared cores little.
Prints one JSON document with the figures.
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
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def grow_store(source: Path, target: Path, scale: int) -> dict[str, int]:
    """Copy the store and add ``scale - 1`` shifted copies of every article and story."""
    from sqlalchemy import func, insert, select, update

    from newsprism.store.database import Database
    from newsprism.store.schema import articles, stories, story_summaries

    shutil.copyfile(source, target)
    db = Database(str(target))
    with db.read() as conn:
        max_article = int(conn.execute(select(func.max(articles.c.id))).scalar_one() or 0)
        max_story = int(conn.execute(select(func.max(stories.c.id))).scalar_one() or 0)
    story_cols = [c for c in stories.c if c.name != "id"]
    article_cols = [c for c in articles.c if c.name != "id"]
    for copy in range(1, scale):
        shift = timedelta(weeks=copy * 60)  # beyond the corpus span: copies never interleave
        merges: list[tuple[int, int]] = []
        with db.write() as conn:
            for row in conn.execute(select(stories)).mappings().all():
                if row["id"] > max_story:
                    continue
                values = {c.name: row[c.name] for c in story_cols}
                values["id"] = row["id"] + copy * max_story
                if values["merged_into"] is not None:
                    # Survivors may come later in id order: point at them once all exist.
                    merges.append((values["id"], values["merged_into"] + copy * max_story))
                    values["merged_into"] = None
                for key in ("first_published", "last_updated", "created_at", "updated_at"):
                    if values[key] is not None:
                        values[key] = values[key] - shift
                conn.execute(insert(stories).values(**values))
            for story_id, survivor in merges:
                conn.execute(
                    update(stories).where(stories.c.id == story_id).values(merged_into=survivor)
                )
            summary_rows = conn.execute(select(story_summaries)).mappings().all()
            for row in summary_rows:
                if row["story_id"] > max_story:
                    continue
                values = {c.name: row[c.name] for c in story_summaries.c if c.name != "id"}
                values["story_id"] = row["story_id"] + copy * max_story
                conn.execute(insert(story_summaries).values(**values))
            batch: list[dict[str, Any]] = []
            rows = conn.execute(select(articles).where(articles.c.id <= max_article))
            for row in rows.mappings():
                values = {c.name: row[c.name] for c in article_cols}
                values["id"] = row["id"] + copy * max_article
                values["url_hash"] = hashlib.sha1(f"{copy}:{row['url_hash']}".encode()).hexdigest()
                values["url"] = f"{row['url']}#copy{copy}"
                for key in ("story_id",):
                    if values[key] is not None:
                        values[key] += copy * max_story
                if values["repost_of"] is not None:
                    values["repost_of"] += copy * max_article
                if values["published_at"] is not None:
                    values["published_at"] = values["published_at"] - shift
                batch.append(values)
                if len(batch) >= 5000:
                    conn.execute(insert(articles), batch)
                    batch = []
            if batch:
                conn.execute(insert(articles), batch)
        print(f"copy {copy}/{scale - 1} written", file=sys.stderr)
    with db.write() as conn:
        # Keep the copies' analysis keyed to their own articles: analysis is recomputed lazily.
        conn.execute(update(stories).values(dirty=False))
        counts = {
            "articles": int(conn.execute(select(func.count()).select_from(articles)).scalar_one()),
            "stories": int(conn.execute(select(func.count()).select_from(stories)).scalar_one()),
        }
    db.dispose()
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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--stories", type=int, default=200, help="distinct story pages hit")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    store = args.db
    grown: dict[str, int] = {}
    if args.scale > 1:
        store = workdir / "scaled.db"
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
        latencies, errors, seconds = asyncio.run(load(port, paths, args.requests, args.concurrency))
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
        "concurrency": args.concurrency,
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "requests_per_second": round(len(latencies) / seconds, 1),
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
