"""Import speed: ``newsprism import CORPUS --no-process`` into a fresh SQLite store, then again.

Prints articles/s of the first import (everything new) and of the second (everything a
duplicate), as the command itself reports them, the wall time including start-up, and the CPU
time of the command and its workers (articles per CPU-second does not depend on other load).

    python benchmarks/bench_import.py [CORPUS] [--workers N] [--limit LINES]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/corpus/allsides_articles.jsonl.gz"


def run_import(
    corpus: Path, db: Path, workers: int | None
) -> tuple[dict[str, object], float, float]:
    command = [sys.executable, "-m", "newsprism", "import", str(corpus), "--no-process", "--json"]
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "NEWSPRISM_DB": str(db)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the command and its worker processes: on a machine shared with other
    # jobs this says more than wall time.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(done.stdout), wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--limit", type=int, default=0, help="import only the first LINES lines")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if args.limit:
            corpus = Path(tmp) / "head.jsonl"
            with gzip.open(args.corpus, "rt", encoding="utf-8") as src, corpus.open("w") as out:
                for i, line in enumerate(src):
                    if i >= args.limit:
                        break
                    out.write(line)
        db = Path(tmp) / "bench.db"
        for label in ("first import", "second import"):
            report, wall, cpu = run_import(corpus, db, args.workers)
            lines = int(str(report["lines"]))
            print(
                f"{label}: {lines} lines, {report['added']} added, "
                f"{report['duplicates']} duplicates, {report['reposts']} reposts, "
                f"{report['rejected']} rejected; {report['seconds']} s "
                f"({report['articles_per_second']} articles/s; {wall:.1f} s wall with start-up); "
                f"{cpu:.1f} CPU-s in all processes ({lines / cpu:.0f} articles per CPU-second)"
            )
        print(f"store size: {db.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
