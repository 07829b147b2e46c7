"""Clustering throughput, cost per article as history grows, and peak memory.

    python benchmarks/bench_cluster.py [--corpus PATH] [--history 300000] [--per-day 2000]

1. End to end on the real corpus (37,554 AllSides articles): ``import_file`` into a fresh SQLite
   store, then ``assign_pending`` + ``merge_stories``, exactly as ``newsprism import`` and the
   pipeline run them. Prints articles/s for import, for clustering, and for both together.
2. Flat cost: the corpus's article vectors are replayed through the in-memory ``Clusterer`` with
   synthetic dates, ``--per-day`` articles a day (a large install polling ~1,000 feeds), until
   ``--history`` articles have been assigned; the cost of 2,000 articles is timed after 10k and
   after the full history, in CPU time of this process. The time window keeps the live index the same size however long the
   history, which is what the ratio checks.
3. Peak resident memory of the process (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsprism.cluster.documents import ArticleDoc, vectorize
from newsprism.cluster.engine import Clusterer
from newsprism.cluster.model import default_model
from newsprism.cluster.service import assign_pending, forget_index, merge_stories
from newsprism.cluster.vectors import default_idf
from newsprism.config import Settings
from newsprism.ingest.importer import import_file
from newsprism.store.database import Database

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared/data/corpus/allsides_articles.jsonl.gz"
SAMPLE = 2000


def end_to_end(corpus: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=str(Path(tmp) / "bench.db"))
        db = Database(settings.db_url)
        try:
            started = time.perf_counter()
            report = import_file(db, settings, corpus)
            imported = time.perf_counter()
            cpu_before = time.process_time()
            assigned = assign_pending(db, settings)
            merged = merge_stories(db, settings)
            done = time.perf_counter()
            cluster_cpu = time.process_time() - cpu_before
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
        "cluster_per_cpu_s": round(n / cluster_cpu, 1),
        "end_to_end_per_s": round(n / (done - started), 1),
    }


def corpus_documents(corpus: Path) -> list[ArticleDoc]:
    idf = default_idf()
    docs = []
    epoch = datetime(2020, 1, 1, tzinfo=UTC)
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            row = json.loads(line)
            text = row.get("content") or row.get("content_original") or ""
            docs.append(
                vectorize(
                    i,
                    row.get("title") or "",
                    text,
                    time=epoch,
                    language="en",
                    outlet_id=None,
                    idf=idf,
                )
            )
    return docs


def flat_cost(docs: list[ArticleDoc], history: int, per_day: int) -> dict[str, float]:
    model = default_model()
    settings = Settings()
    clusterer = Clusterer(model, timedelta(days=settings.cluster_window_days))
    start = datetime(2030, 1, 1, tzinfo=UTC)
    step = timedelta(seconds=86400 / per_day)
    next_story = 1
    timings: dict[str, float] = {}
    checkpoints = {10_000: "at_10k", history - SAMPLE: "at_full"}
    began: float | None = None
    label = ""
    for n in range(history):
        if n in checkpoints:
            # CPU time of this process: wall time on a shared machine measures the neighbours.
            began, label = time.process_time(), checkpoints[n]
        base = docs[n % len(docs)]
        doc = dataclasses.replace(base, article_id=n, time=start + step * n)
        decision = clusterer.decide(doc)
        if decision.joins and decision.best is not None:
            clusterer.join(decision.best.story.story_id, doc)
        else:
            clusterer.start_story(next_story, doc)
            next_story += 1
        if n % 20_000 == 0:
            clusterer.merge_pass()
        if n % 50_000 == 0:
            print(f"  {n} articles, {len(clusterer.stories)} live stories", file=sys.stderr)
        if began is not None and n + 1 - SAMPLE in checkpoints:
            timings[label] = (time.process_time() - began) / SAMPLE * 1000
            began = None
    return {
        "history": history,
        "per_day": per_day,
        "live_stories": len(clusterer.stories),
        "cpu_ms_per_article_at_10k": round(timings["at_10k"], 3),
        "cpu_ms_per_article_at_full": round(timings["at_full"], 3),
        "ratio": round(timings["at_full"] / timings["at_10k"], 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--history", type=int, default=300_000)
    parser.add_argument("--per-day", type=int, default=2000)
    parser.add_argument("--skip-end-to-end", action="store_true")
    parser.add_argument("--skip-flat-cost", action="store_true")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    results: dict[str, object] = {}
    if not args.skip_end_to_end:
        results["end_to_end"] = end_to_end(args.corpus)
        print(json.dumps(results["end_to_end"]), flush=True)
    if not args.skip_flat_cost:
        docs = corpus_documents(args.corpus)
        results["flat_cost"] = flat_cost(docs, args.history, args.per_day)
        print(json.dumps(results["flat_cost"]), flush=True)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_rss_mib": round(peak_mib, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
