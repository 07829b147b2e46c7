"""Extraction speed on real article pages: pages/s in one process, and through the pool.

python benchmarks/bench_extract.py [BENCHMARK_DIR] [--rounds N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsprism.ingest.extract import extract_page
from newsprism.ingest.extract_pool import ExtractionPool, PageJob

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/eval/extraction"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    truth = json.loads((args.folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [
        ((args.folder / "html" / f"{key}.html").read_bytes(), item["url"])
        for key, item in sorted(truth.items())
    ]
    size = sum(len(html) for html, _ in pages)
    print(f"{len(pages)} pages, {size / len(pages) / 1024:.0f} KiB on average")
    extract_page(*pages[0])  # imports and caches are not extraction
    started = time.process_time()
    wall = time.perf_counter()
    for _ in range(args.rounds):
        for html, url in pages:
            extract_page(html, url)
    cpu = time.process_time() - started
    wall = time.perf_counter() - wall
    count = len(pages) * args.rounds
    print(f"one process: {count / cpu:.1f} pages per CPU-second ({count / wall:.1f} pages/s wall)")
    jobs = [PageJob(i, html, url) for i, (html, url) in enumerate(pages)] * args.rounds
    with ExtractionPool(workers=args.workers, timeout_s=60) as pool:
        pool.extract_many(jobs[: args.workers])  # start the workers
        wall = time.perf_counter()
        results = pool.extract_many(jobs)
        wall = time.perf_counter() - wall
    failed = sum(1 for r in results if r.error)
    print(f"pool of {args.workers}: {len(jobs) / wall:.1f} pages/s wall, {failed} failed")


if __name__ == "__main__":
    main()
