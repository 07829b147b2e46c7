"""Scale-out throughput: the full pipeline on real articles with 1 and 2 Celery worker processes.

Articles of ../shared/data/corpus/allsides_articles.jsonl.gz are served from 127.0.0.1 as their
outlets' RSS feeds and HTML pages (dates moved into the last two days, keeping their order, so
that pages are fetched and stories are live). For each worker count, a fresh PostgreSQL schema
gets one feed per outlet; then ``newsprism scheduler`` and N ``newsprism worker`` processes run
until every article is stored, clustered and analysed, and articles/s is reported.

The per-stage costs are measured in this process, one stage at a time, on the same articles:
feed parsing, page extraction, storing, story assignment and story analysis; plus the
PostgreSQL bytes per stored article. They feed the capacity model in BENCHMARKS.md.

    python benchmarks/bench_scaleout.py --articles 2000 --workers 1 2
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from newsprism.config import Settings  # noqa: E402
from newsprism.store import schema  # noqa: E402
from newsprism.store.database import Database  # noqa: E402
from newsprism.store.outlets import add_feed, get_or_create_outlet  # noqa: E402
from newsroom import StaticSite  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "allsides_articles.jsonl.gz"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


def load_corpus(limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` usable articles (a title, a domain, 50+ words), newest date last."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            text = row.get("content_original") or row.get("content") or ""
            domain = (row.get("source_url") or "").strip().lower()
            if not row.get("title") or not domain or len(text.split()) < 50:
                continue
            if row["url"] in seen:
                continue
            seen.add(row["url"])
            rows.append({**row, "text": text, "domain": domain})
            if len(rows) >= limit:
                break
    rows.sort(key=lambda r: (r.get("date") or "", r["url"]))
    return rows


def build_site(site: StaticSite, rows: list[dict[str, Any]]) -> dict[str, str]:
    """Serve pages and one feed per outlet; returns domain -> feed URL."""
    now = datetime.now(UTC)
    span = timedelta(hours=48)
    by_domain: dict[str, list[str]] = defaultdict(list)
    for i, row in enumerate(rows):
        published = now - span + span * (i / max(1, len(rows)))
        path = f"/{row['domain']}/a{i}.html"
        paragraphs = "".join(
            f"<p>{html.escape(p.strip())}</p>" for p in row["text"].split("\n") if p.strip()
        )
        title = html.escape(row["title"])
        page = (
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            "</head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>(c)</footer></body></html>"
        )
        url = site.add(path, "text/html; charset=utf-8", page.encode())
        by_domain[row["domain"]].append(
            f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
            f"<pubDate>{format_datetime(published)}</pubDate></item>"
        )
    feeds = {}
    for domain, items in by_domain.items():
        body = (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>{domain}</title><link>https://{domain}/</link><description>d</description>"
            f"{''.join(items)}</channel></rss>"
        )
        feeds[domain] = site.add(f"/{domain}/rss.xml", "application/rss+xml", body.encode())
    return feeds


@contextmanager
def pg_schema() -> Iterator[str]:
    admin = sa.create_engine(PG_SERVER)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


def register(db: Database, feeds: dict[str, str], settings: Settings) -> None:
    with db.write() as conn:
        for domain, url in feeds.items():
            outlet_id = get_or_create_outlet(conn, domain)
            assert outlet_id is not None
            add_feed(conn, outlet_id, url, settings=settings)


def progress(db: Database) -> tuple[int, int, int]:
    a, s = schema.articles, schema.stories
    with db.read() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(a)).scalar_one()
        pending = conn.execute(
            sa.select(sa.func.count()).where(a.c.clustered_at.is_(None))
        ).scalar_one()
        dirty = conn.execute(
            sa.select(sa.func.count()).where(s.c.dirty.is_(True), s.c.merged_into.is_(None))
        ).scalar_one()
    return int(total), int(pending), int(dirty)


def database_bytes(db: Database) -> int:
    with db.read() as conn:
        return int(
            conn.execute(
                sa.text(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                )
            ).scalar_one()
        )


def run_workers(
    feeds: dict[str, str], expected: int, workers: int, concurrency: int, settings: Settings
) -> dict[str, Any]:
    with pg_schema() as url:
        db = Database(url)
        register(db, feeds, replace(settings, db=url))
        prefix = f"bench-{uuid.uuid4().hex[:8]}:"
        env = {
            **os.environ,
            "NEWSPRISM_DB": url,
            "NEWSPRISM_BROKER_URL": REDIS_URL,
            "NEWSPRISM_BROKER_KEY_PREFIX": prefix,
            "NEWSPRISM_ALLOW_PRIVATE_NETWORKS": "1",
            "NEWSPRISM_PER_HOST_DELAY_S": "0",
            # Every page is on one loopback host here; real outlets are spread over many.
            "NEWSPRISM_PER_HOST_CONNECTIONS": str(concurrency * 2),
            "NEWSPRISM_EXTRACT_WORKERS": str(max(1, 2 // workers)),
        }
        procs = []
        started = time.perf_counter()
        try:
            for i in range(workers):
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "newsprism", "worker", "-c", str(concurrency),
                         "-l", "WARNING", "-n", f"bench{i}@%h"],
                        env=env, start_new_session=True,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    )
                )  # fmt: skip
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "newsprism", "scheduler", "--interval", "1", "--no-registry"],
                    env=env, start_new_session=True,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
            stored_at = None
            while True:
                total, pending, dirty = progress(db)
                if stored_at is None and total >= expected:
                    stored_at = time.perf_counter()
                if total >= expected and pending == 0 and dirty == 0:
                    break
                if time.perf_counter() - started > 3600:
                    raise SystemExit(f"timed out: {total} stored, {pending} unclustered")
                time.sleep(0.25)
            elapsed = time.perf_counter() - started
        finally:
            for proc in procs:
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
            _drop_broker_keys(prefix)
        size = database_bytes(db)
        db.dispose()
    return {
        "workers": workers,
        "articles": total,
        "seconds": round(elapsed, 1),
        "articles_per_second": round(total / elapsed, 1),
        "stored_seconds": round((stored_at or time.perf_counter()) - started, 1),
        "db_bytes_per_article": round(size / max(1, total)),
    }


def _drop_broker_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def stage_costs(
    site: StaticSite, feeds: dict[str, str], rows: list[dict[str, Any]], settings: Settings
) -> dict[str, Any]:
    """Milliseconds per unit of each stage, one stage at a time, in this process."""
    import httpx

    from newsprism.analyze.refresh import refresh_dirty_stories
    from newsprism.ingest.extract import extract_page
    from newsprism.ingest.feeds import parse_feed
    from newsprism.models import ArticleDraft
    from newsprism.pipeline.process import process_pending
    from newsprism.store.articles import add_articles

    costs: dict[str, Any] = {}
    bodies = {d: httpx.get(u).content for d, u in feeds.items()}
    started = time.perf_counter()
    entries = 0
    for domain, body in bodies.items():
        entries += len(parse_feed(body, url=feeds[domain]).entries)
    costs["feed_parse_ms_per_feed"] = round(1000 * (time.perf_counter() - started) / len(bodies), 2)
    pages = [(u, httpx.get(u).content) for u in _page_urls(bodies)[:300]]
    started = time.perf_counter()
    extracted = [extract_page(body, url) for url, body in pages]
    costs["extract_ms_per_page"] = round(1000 * (time.perf_counter() - started) / len(pages), 1)
    assert all(e.text for e in extracted)

    with pg_schema() as url:
        db = Database(url)
        drafts = [
            ArticleDraft(
                url=f"https://{r['domain']}/a{i}",
                title=r["title"],
                text=r["text"],
                outlet_domain=r["domain"],
                published_at=datetime.now(UTC) - timedelta(hours=48) + timedelta(seconds=60 * i),
                extraction_status="extracted",
            )
            for i, r in enumerate(rows)
        ]
        started = time.perf_counter()
        for start in range(0, len(drafts), 50):  # about one feed's worth per call
            add_articles(db, drafts[start : start + 50], settings)
        costs["store_ms_per_article"] = round(
            1000 * (time.perf_counter() - started) / len(drafts), 2
        )
        started = time.perf_counter()
        report = process_pending(db, replace(settings, db=url), merge=True, refresh=False)
        costs["assign_ms_per_article"] = round(
            1000 * (time.perf_counter() - started) / max(1, report.clustered), 2
        )
        costs["stories"] = report.stories_created
        started = time.perf_counter()
        refreshed = refresh_dirty_stories(db, replace(settings, db=url))
        costs["analyze_ms_per_story"] = round(
            1000 * (time.perf_counter() - started) / max(1, refreshed), 2
        )
        costs["db_bytes_per_article_stored_only"] = round(database_bytes(db) / len(drafts))
        db.dispose()
    return costs


def _page_urls(bodies: dict[str, bytes]) -> list[str]:
    import re

    urls: list[str] = []
    for body in bodies.values():
        urls += re.findall(r"<link>(http://127\.0\.0\.1[^<]+)</link>", body.decode())
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, default=8, help="threads per worker")
    parser.add_argument("--skip-stages", action="store_true")
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"corpus not found: {CORPUS}")
    rows = load_corpus(args.articles)
    settings = Settings(allow_private_networks=True, per_host_delay_s=0.0)
    results: dict[str, Any] = {"articles": len(rows), "runs": []}
    with StaticSite() as site:
        feeds = build_site(site, rows)
        results["feeds"] = len(feeds)
        print(f"{len(rows)} articles from {len(feeds)} outlets' feeds", flush=True)
        if not args.skip_stages:
            results["stages"] = stage_costs(site, feeds, rows, settings)
            print(json.dumps(results["stages"]), flush=True)
        for workers in args.workers:
            run = run_workers(feeds, len(rows), workers, args.concurrency, settings)
            results["runs"].append(run)
            print(json.dumps(run), flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
