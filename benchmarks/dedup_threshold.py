"""How many MinHash bands do copies share? The figures behind ``dedup.MIN_SHARED_BANDS``.

Reads the AllSides corpus, fingerprints every article with the production code, finds every
pair from different outlets that shares at least one LSH band, and prints, per number of shared
bands, how many pairs there are and their true Jaccard similarity (the 24-character shingles
of the fingerprinted opening). A threshold is good where true copies (high Jaccard) sit above it and
articles that merely share a quote or boilerplate sit below.

    python benchmarks/dedup_threshold.py [/path/to/allsides_articles.jsonl.gz] [--examples N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

from newsprism.domains import registrable_domain
from newsprism.ingest.dedup import (
    BANDS,
    MIN_SHARED_BANDS,
    MIN_WORDS,
    fingerprint,
    fingerprint_text,
    shingle_hashes,
)

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/corpus/allsides_articles.jsonl.gz"


def opening_shingles(text: str) -> set[int]:
    return set(shingle_hashes(fingerprint_text(text)).tolist())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--examples", type=int, default=0, help="print N pairs per band count")
    args = parser.parse_args()
    texts: list[str] = []
    titles: list[str] = []
    outlets: list[str] = []
    bands: dict[int, list[int]] = defaultdict(list)
    started = time.perf_counter()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = record.get("content_original") or record.get("content") or ""
            print_ = fingerprint(text)
            index = len(texts)
            texts.append(text)
            titles.append(record.get("title", ""))
            outlets.append(registrable_domain(record.get("source_url") or record.get("url", "")))
            for key in print_.band_keys:
                bands[key].append(index)
    elapsed = time.perf_counter() - started
    shared: Counter[tuple[int, int]] = Counter()
    for members in bands.values():
        if len(members) > 200:  # boilerplate shared by a whole outlet; never one copy family
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if outlets[a] != outlets[b]:
                    shared[(a, b)] += 1
    by_count: dict[int, list[float]] = defaultdict(list)
    examples: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    cache: dict[int, set[int]] = {}
    for (a, b), count in shared.items():
        sa = cache.setdefault(a, opening_shingles(texts[a]))
        sb = cache.setdefault(b, opening_shingles(texts[b]))
        jaccard = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
        by_count[count].append(jaccard)
        if len(examples[count]) < args.examples:
            examples[count].append((jaccard, a, b))
    print(f"articles: {len(texts)} fingerprinted in {elapsed:.1f} s (>= {MIN_WORDS} words)")
    print(f"cross-outlet pairs sharing >= 1 of {BANDS} bands: {len(shared)}")
    print("shared_bands  pairs  jaccard_min  jaccard_median  jaccard_max  pairs_J>=0.5")
    for count in sorted(by_count):
        values = by_count[count]
        high = sum(1 for v in values if v >= 0.5)
        marker = "  <- threshold" if count == MIN_SHARED_BANDS else ""
        print(
            f"{count:>12} {len(values):>6} {min(values):>12.2f} {statistics.median(values):>15.2f}"
            f" {max(values):>12.2f} {high:>13}{marker}"
        )
        for jaccard, a, b in examples[count]:
            print(f"      J={jaccard:.2f} [{outlets[a]}] {titles[a][:60]!r}")
            print(f"             [{outlets[b]}] {titles[b][:60]!r}")
    found = sum(len(v) for c, v in by_count.items() if c >= MIN_SHARED_BANDS)
    missed = sum(1 for c, v in by_count.items() if c < MIN_SHARED_BANDS for j in v if j >= 0.5)
    below = sum(1 for c, v in by_count.items() if c >= MIN_SHARED_BANDS for j in v if j < 0.3)
    print(f"pairs called copies (>= {MIN_SHARED_BANDS} bands): {found}")
    print(
        f"pairs with Jaccard >= 0.5 left out: {missed}; called copies with Jaccard < 0.3: {below}"
    )


if __name__ == "__main__":
    main()
