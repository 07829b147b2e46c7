"""Scoring article extraction the way scrapinghub/article-extraction-benchmark does.

Per page, the extracted and the true body are cut into 4-token shingles (``\\w+`` tokens);
true positives, false positives and false negatives are counted over the shingle multisets
and normalized by their sum, so long pages weigh no more than short ones. Precision and recall
are averaged over pages and F1 is taken of those two means, as the benchmark reports it.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from newsprism import jsontext
from newsprism.errors import InputError
from newsprism.ingest.extract_pool import ExtractionPool, PageJob

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE_TOKENS = 4


@dataclass(frozen=True)
class PageScore:
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


def shingles(text: str, size: int = SHINGLE_TOKENS) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)) if tokens
    )


def score_page(true: str, predicted: str) -> PageScore:
    truth, guess = shingles(true), shingles(predicted)
    tp = fp = fn = 0.0
    for key in truth.keys() | guess.keys():
        t, p = truth.get(key, 0), guess.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


@dataclass
class ExtractionScores:
    precision: float
    recall: float
    f1: float
    pages: int
    pages_per_second: float
    failures: list[str]

    def as_dict(self) -> dict[str, object]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "pages": self.pages,
            "pages_per_second": round(self.pages_per_second, 2),
            "failures": self.failures,
        }


def combine(scores: list[PageScore]) -> tuple[float, float, float]:
    precision = statistics.fmean(s.precision for s in scores) if scores else 0.0
    recall = statistics.fmean(s.recall for s in scores) if scores else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _read_page(folder: Path, key: str) -> bytes:
    plain = folder / "html" / f"{key}.html"
    if plain.is_file():
        return plain.read_bytes()
    packed = folder / "html" / f"{key}.html.gz"
    if packed.is_file():
        try:
            return gzip.decompress(packed.read_bytes())
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{packed}: damaged gzip data ({exc})") from None
    raise InputError(
        f"{folder}: ground-truth.json names page {key!r} but html/{key}.html is missing"
    )


def load_benchmark(folder: Path) -> dict[str, dict[str, str]]:
    truth_file = folder / "ground-truth.json"
    if not truth_file.is_file():
        raise InputError(f"{folder}: no ground-truth.json (expected the scrapinghub layout)")
    try:
        truth = jsontext.loads(truth_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{truth_file}: not readable UTF-8 JSON: {exc}") from None
    if not isinstance(truth, dict) or not truth:
        raise InputError(f"{truth_file}: expected an object of pages keyed by id")
    for key, item in truth.items():
        if not isinstance(item, dict) or not isinstance(item.get("articleBody"), str):
            raise InputError(f"{truth_file}: page {key!r} has no 'articleBody' text")
    return truth


def evaluate_folder(folder: Path, *, workers: int, timeout_s: float) -> ExtractionScores:
    """Extract every page with the production pool and score it against the truth."""
    truth = load_benchmark(folder)
    keys = sorted(truth)
    jobs = [PageJob(k, _read_page(folder, k), truth[k].get("url") or f"https://{k}/") for k in keys]
    with ExtractionPool(workers=workers, timeout_s=timeout_s) as pool:
        pool.extract(b"<html></html>", "https://warm.up/")  # worker start-up is not extraction
        started = time.perf_counter()
        results = pool.extract_many(jobs)
        elapsed = time.perf_counter() - started
    scores: list[PageScore] = []
    failures: list[str] = []
    for key, result in zip(keys, results, strict=True):
        text = result.extracted.text if result.extracted else ""
        if result.error:
            failures.append(f"{key}: {result.error}")
        scores.append(score_page(truth[key]["articleBody"], text))
    precision, recall, f1 = combine(scores)
    return ExtractionScores(
        precision, recall, f1, len(scores), len(scores) / elapsed if elapsed else 0.0, failures
    )
