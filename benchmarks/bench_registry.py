"""Registry and ratings speed: first-start load, OPML round trip, rater imports, outlet profiles.

    python benchmarks/bench_registry.py [--data ../shared/data] [--repeat 20]

Uses a fresh SQLite file in a temporary folder; rater imports run only when the data is there.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from newsprism.config import Settings
from newsprism.registry.load import load_registry
from newsprism.registry.profiles import outlet_profiles
from newsprism.registry.ratings import import_ratings
from newsprism.registry.sources import export_opml, import_opml
from newsprism.store.database import Database
from newsprism.store.schema import ratings

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[1]
RATER_FILES = [
    ("mbfc", "mbfcext_v5_combined.json"),
    ("mbfc", "idiap_mbfc_2024.csv"),
    ("allsides", "lmeynent_allsides_2022-09.csv"),
    ("adfontes", "mrdevs_adfontes_2022-01-17.csv"),
    ("wikipedia-rsp", "idiap_wikipedia_perennial_sources.json"),
]


def timed(label: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    # CPU time is what this process got: on a shared machine it is steadier than wall time.
    print(f"{label:<56} {elapsed * 1000:>8.0f} ms wall {used * 1000:>8.0f} ms CPU")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="newsprism-bench-"))
    settings = Settings(db=str(folder / "bench.db"))
    db = Database(settings.db_url)

    report = timed("registry first load", load_registry, db, settings)
    print(f"  {report.outlets_added} outlets, {report.feeds_added} feeds")
    timed("registry load again (already current)", load_registry, db, settings)

    data = timed("OPML export (all outlets)", export_opml, db)
    opml = folder / "all.opml"
    opml.write_bytes(data)
    print(f"  {len(data) / 1e6:.2f} MB")
    fresh = Database(str(folder / "fresh.db"))
    imported = timed("OPML import into a fresh store", import_opml, fresh, settings, opml)
    print(f"  {imported.feeds_added} feeds, {imported.outlets_added} outlets")
    fresh.dispose()

    rater_dir = args.data / "ratings"
    if rater_dir.is_dir():
        for provider, name in RATER_FILES:
            result = timed(
                f"ratings import {provider} {name}", import_ratings, db, provider, rater_dir / name
            )
            print(f"  {result.as_json()}")
    else:
        print(f"(no rater files in {rater_dir}: imports skipped)")

    with db.read() as conn:
        rated = [r[0] for r in conn.execute(select(ratings.c.outlet_id).distinct().limit(500))]
    samples, cpu_samples = [], []
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        with db.read() as conn:
            profiles = outlet_profiles(conn, rated)
        samples.append((time.perf_counter() - start) * 1000)
        cpu_samples.append((time.process_time() - cpu) * 1000)
    print(
        f"outlet_profiles for {len(profiles)} outlets: median {statistics.median(samples):.1f} ms "
        f"wall, {statistics.median(cpu_samples):.1f} ms CPU ({args.repeat} runs)"
    )
    db.dispose()


if __name__ == "__main__":
    main()
