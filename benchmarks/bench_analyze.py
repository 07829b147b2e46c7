"""Story analysis speed: coverage, blindspot, framing, tags and headline of a 100-article story.

Real articles (one AllSides topic of ../shared/data/corpus/allsides_articles.jsonl.gz, spread
over 30 outlets with ratings across the spectrum) form one story. The benchmark times, each as
the median of repeated runs:

- ``analyze_story`` (the analysis whose target is under 50 ms for 100 articles), first with
  nothing cached (the story's first analysis in a fresh process), then as when the story grew by
  one article (the names read from its other articles are remembered),
- the extractive summary of the same story,
- one whole ``refresh_story`` on a SQLite file (reads, analysis, summary, writes).

    python benchmarks/bench_analyze.py [--articles 100] [--repeat 20]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "allsides_articles.jsonl.gz"


def load_articles(n: int, topic: str) -> list[dict[str, str]]:
    found = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("topic") == topic and row.get("content"):
                found.append(row)
                if len(found) == n:
                    break
    if len(found) < n:
        raise SystemExit(f"only {len(found)} articles on {topic!r} in {CORPUS}")
    return found


def timed(func, repeat: int, before=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall-clock and CPU milliseconds; CPU time is what a shared, busy machine
    distorts least (waiting for a core is not counted). ``before`` runs untimed each time."""
    wall, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--topic", default="elections")
    args = parser.parse_args()

    from newsprism.analyze.corpus import corpus_counts
    from newsprism.analyze.refresh import _summary_sources, refresh_story
    from newsprism.analyze.story_analysis import analyze_story, article_sides, clear_caches
    from newsprism.config import Settings
    from newsprism.registry.profiles import outlet_profiles
    from newsprism.store.database import Database
    from newsprism.store.story_pages import story_articles
    from newsprism.summarize.extractive import SummaryOptions, summarize_extractive
    from storydata import Outlet, add_article, add_outlets, add_story, set_story_counts

    rows = load_articles(args.articles, args.topic)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=f"{tmp}/bench.db")
        db = Database(settings.db_url)
        specs = [
            Outlet(f"outlet{i}.com", bias=(i % 7) - 3, factuality=i % 6, country="us")
            for i in range(30)
        ]
        outlet_ids = list(add_outlets(db, specs).values())
        story = add_story(db)
        for i, row in enumerate(rows):
            # One article every 17 minutes, round-robin over the outlets.
            add_article(
                db, story, outlet_ids[i % 30], row["title"], row["content"], hours=i * 17 / 60
            )
        set_story_counts(db, story, len(rows), 30)
        with db.write() as conn:
            corpus = corpus_counts(conn, settings)
        with db.read() as conn:
            articles = story_articles(conn, story)
            profiles = outlet_profiles(conn, outlet_ids)
        sources = _summary_sources(articles, article_sides(articles, profiles))

        # The bullet counts the pipeline uses (three to five by default).
        options = SummaryOptions(
            max_bullets=settings.summary_max_bullets, min_bullets=settings.summary_min_bullets
        )
        summarize_extractive(sources, options)  # load the token model and stemmer once
        analysis_ms = timed(
            lambda: analyze_story(articles, profiles, corpus, settings),
            args.repeat,
            before=clear_caches,
        )
        grown_ms = timed(
            lambda: analyze_story(articles, profiles, corpus, settings),
            args.repeat,
            before=lambda: (
                clear_caches(),
                analyze_story(articles[:-1], profiles, corpus, settings),
            ),
        )
        summary_ms = timed(lambda: summarize_extractive(sources, options), max(3, args.repeat // 4))
        refresh_ms = timed(
            lambda: (
                refresh_story(db, settings, story, corpus)
                or (_ for _ in ()).throw(SystemExit("story was not analysed"))
            ),
            1,
        )
        db.dispose()
    print(f"articles in story       : {len(rows)} (topic {args.topic!r}, 30 outlets)")
    print(f"analyze_story, median   : {analysis_ms[0]:.1f} ms wall, {analysis_ms[1]:.1f} ms CPU")
    print(f"  after one new article : {grown_ms[0]:.1f} ms wall, {grown_ms[1]:.1f} ms CPU")
    print(f"extractive summary      : {summary_ms[0]:.1f} ms wall, {summary_ms[1]:.1f} ms CPU")
    print(
        f"refresh_story on SQLite : {refresh_ms[0]:.1f} ms wall, {refresh_ms[1]:.1f} ms CPU"
        " (one run: reads, analysis, summary, writes)"
    )


if __name__ == "__main__":
    main()
