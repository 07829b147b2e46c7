"""Clustering throughput, cost per article as history grows, and peak memory.

    python benchmarks/bench_cluster.py [--corpus PATH] [--history 300000] [--per-day 2000]
                                       [--checkpoints 10000,50000,100000,200000]
                                       [--skip-end-to-end] [--skip-flat-cost]

1. End to end on the real corpus (37,554 AllSides articles): ``import_file`` into a fresh SQLite
   store, then ``assign_pending`` + ``merge_stories``, exactly as ``newsprism import`` runs them.
   Prints articles/s for import, for clustering and for both together, and the CPU time of all
   processes (this one and its workers) per article for each step.
2. Flat cost: each corpus article is vectorized once (in worker processes) and the vectors are
   replayed, re-dated, through the in-memory ``Clusterer``: ``--per-day`` articles a day (a
   large install polling ~1,000 feeds) until ``--history`` articles have been assigned. The CPU
   time of 2,000 assignments is taken at 10k, 50k, 100k and 200k of history (``--checkpoints``)
   and just before the end; the time window keeps the live index the same size however long the
   history, which is what the ratio of the last to the first checks. The window (7 days) fills
   at 14,000 articles, so the 10k sample is of an index that has not yet reached its size.
3. Peak resident memory of this process (``ru_maxrss``) after each part, and the load average
   before and after (wall-clock rates on a shared machine measure the neighbours too).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

from newsprism.cluster.documents import ArticleDoc, vectorize
from newsprism.cluster.engine import Clusterer
from newsprism.cluster.model import default_model
from newsprism.cluster.service import assign_pending, forget_index, merge_stories
from newsprism.cluster.vectors import default_idf
from newsprism.config import load_settings
from newsprism.ingest.importer import import_file
from newsprism.store.database import Database

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared/data/corpus/allsides_articles.jsonl.gz"
SAMPLE = 2000
# Where the cost per article is sampled, besides just before the end of the history.
CHECKPOINTS = (10_000, 50_000, 100_000, 200_000)


def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def end_to_end(corpus: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(load_settings(), db=str(Path(tmp) / "bench.db"))
        db = Database(settings.db_url)
        try:
            started, cpu_started = time.perf_counter(), _cpu()
            report = import_file(db, settings, corpus)
            imported, cpu_imported = time.perf_counter(), _cpu()
            assigned = assign_pending(db, settings)
            merged = merge_stories(db, settings)
            done, cpu_done = time.perf_counter(), _cpu()
        finally:
            forget_index(db)
            db.dispose()
    n = assigned.articles
    return {
        "articles": n,
        "stories": assigned.stories_created - merged,
        "import_s": round(imported - started, 1),
        "cluster_s": round(done - imported, 1),
        "import_per_s": round(report.added / (imported - started), 1),
        "cluster_per_s": round(n / (done - imported), 1),
        "end_to_end_per_s": round(n / (done - started), 1),
        # CPU of all processes (this one and its workers) per article.
        "import_cpu_ms": round((cpu_imported - cpu_started) / max(1, report.added) * 1000, 3),
        "cluster_cpu_ms": round((cpu_done - cpu_imported) / max(1, n) * 1000, 3),
        "peak_rss_mib_main": _peak_mib(),
    }


def _corpus_text(line: str) -> tuple[str, str]:
    row = json.loads(line)
    return row.get("title") or "", row.get("content") or row.get("content_original") or ""


def _vectorize_lines(corpus: Path, first: int, count: int) -> list[ArticleDoc]:
    """Lines ``first`` to ``first + count`` of the corpus, vectorized (runs in a worker)."""
    idf = default_idf()
    epoch = datetime(2020, 1, 1, tzinfo=UTC)
    out = []
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for i, line in enumerate(islice(handle, first, first + count), start=first):
            title, text = _corpus_text(line)
            out.append(
                vectorize(i, title, text, time=epoch, language="en", outlet_id=None, idf=idf)
            )
    return out


def corpus_documents(corpus: Path, workers: int = 2) -> list[ArticleDoc]:
    """Each corpus article vectorized once (in worker processes); the replay re-dates copies."""
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        total = sum(1 for _ in handle)
    chunk = 5000
    starts = range(0, total, chunk)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = pool.map(_vectorize_lines, [corpus] * len(starts), starts, [chunk] * len(starts))
        return [doc for part in parts for doc in part]


def flat_cost(
    docs: list[ArticleDoc],
    history: int,
    per_day: int,
    checkpoints: tuple[int, ...] = CHECKPOINTS,
) -> dict[str, object]:
    model = default_model()
    # The user's settings (NEWSPRISM_CLUSTER_WINDOW_DAYS, …_STORY_SPAN_DAYS) apply, as in `run`.
    settings = load_settings()
    clusterer = Clusterer(
        model,
        timedelta(days=settings.cluster_window_days),
        timedelta(days=settings.cluster_story_span_days),
    )
    start = datetime(2030, 1, 1, tzinfo=UTC)
    step = timedelta(seconds=86400 / per_day)
    next_story = 1
    # CPU ms per article of SAMPLE assignments starting at each checkpoint.
    starts = sorted({c for c in checkpoints if c + SAMPLE <= history} | {history - SAMPLE})
    timings: dict[int, float] = {}
    live: dict[int, int] = {}
    began: float | None = None
    sampling = -1
    replay_started = time.process_time()
    for n in range(history):
        if n in starts:
            # CPU time of this process: wall time on a shared machine measures the neighbours.
            began, sampling = time.process_time(), n
        base = docs[n % len(docs)]
        doc = dataclasses.replace(base, article_id=n, time=start + step * n)
        decision = clusterer.decide(doc)
        if decision.joins and decision.best is not None:
            clusterer.join(decision.best.story.story_id, doc)
        else:
            clusterer.start_story(next_story, doc)
            next_story += 1
        if n % 20_000 == 0:
            merge_started = time.process_time()
            clusterer.merge_pass()
            if began is not None:
                # The periodic merge pass is not the cost of an article: keep it out of samples.
                began += time.process_time() - merge_started
        if n % 50_000 == 0:
            print(f"  {n} articles, {len(clusterer.stories)} live stories", file=sys.stderr)
        if began is not None and n + 1 == sampling + SAMPLE:
            timings[sampling] = (time.process_time() - began) / SAMPLE * 1000
            live[sampling] = len(clusterer.stories)
            began = None
    first, last = starts[0], starts[-1]
    return {
        "history": history,
        "per_day": per_day,
        "replay_cpu_s": round(time.process_time() - replay_started, 1),
        "live_stories": {str(k): v for k, v in live.items()},
        "cpu_ms_per_article": {str(k): round(v, 3) for k, v in timings.items()},
        "ratio_last_to_first": round(timings[last] / timings[first], 3),
        "peak_rss_mib": _peak_mib(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--history", type=int, default=300_000)
    parser.add_argument("--per-day", type=int, default=2000)
    parser.add_argument(
        "--checkpoints",
        type=lambda text: tuple(int(x) for x in text.split(",") if x),
        default=CHECKPOINTS,
        help="histories at which the cost per article is sampled, besides the end",
    )
    parser.add_argument("--skip-end-to-end", action="store_true")
    parser.add_argument("--skip-flat-cost", action="store_true")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    results: dict[str, object] = {"load_average": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(results), flush=True)
    if not args.skip_end_to_end:
        results["end_to_end"] = end_to_end(args.corpus)
        print(json.dumps(results["end_to_end"]), flush=True)
    if not args.skip_flat_cost:
        docs = corpus_documents(args.corpus)
        results["flat_cost"] = flat_cost(docs, args.history, args.per_day, args.checkpoints)
        print(json.dumps(results["flat_cost"]), flush=True)
    after = {"load_average": [round(x, 2) for x in os.getloadavg()], "peak_rss_mib": _peak_mib()}
    print(json.dumps(after))
    return 0


if __name__ == "__main__":
    sys.exit(main())
