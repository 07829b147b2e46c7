"""Duplicate and near-duplicate articles: exact content hashes and MinHash with LSH banding.

Wire stories (AP, Reuters, AFP) are republished by many outlets with edits: a new headline, a
trimmed ending, a local intro, a correction. Such copies share most of their word shingles, so
the Jaccard similarity of the shingle sets is high while two different articles on one event
share few. MinHash (Broder 1997) estimates Jaccard from 64 minimum hashes; locality-sensitive
banding (Indyk & Motwani; Leskovec et al., *Mining of Massive Datasets* ch. 3) cuts the 64 values
into 32 bands of 2: each band of a pair agrees with probability J², so an index on band keys finds
the candidates of a new text without scanning the others, and the share of agreeing bands
estimates J² for the decision. (A 64-bit SimHash with a 3-bit radius, tried first, missed copies
with a trimmed ending: 8 % fewer words moved it 9 bits.)
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)

# Below this many words a text (a teaser, "read more", a photo caption) says too little to
# call two articles copies of each other.
MIN_WORDS = 50
# Copies share their opening; the first words decide, and hashing more costs import speed
# (each word is hashed in Python).
FINGERPRINT_WORDS = 250
# Word 3-grams: long enough that two unrelated articles share few, short enough that an edited
# sentence changes only three shingles.
SHINGLE_WORDS = 3
NUM_PERM = 64
ROWS_PER_BAND = 2
BANDS = NUM_PERM // ROWS_PER_BAND
# Two texts are copies when at least this many of the 32 bands agree (estimated Jaccard ≥ ~0.5).
# Chosen on the AllSides corpus: see BENCHMARKS.md, "near-duplicate threshold".
MIN_SHARED_BANDS = 8

_U64 = np.uint64
_BIN_BITS = 6  # 2**6 == NUM_PERM bins
_VALUE_MASK = _U64((1 << (64 - _BIN_BITS)) - 1)
_EMPTY = _U64((1 << 64) - 1)
# Offset per densification step: above every bin value, so borrowed values never collide with
# a bin's own minimum.
_ROTATION = _U64(1 << (64 - _BIN_BITS))
_BAND_BITS = 56  # the band number goes above these bits; the key stays a positive int64


@dataclass(frozen=True, slots=True)
class Fingerprint:
    content_hash: str | None  # sha1 of the normalized words; None for texts too short
    band_keys: tuple[int, ...]  # LSH band keys; empty for texts too short
    words: int


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: spreads every input bit over all 64 output bits."""
    with np.errstate(over="ignore"):
        x = x + _U64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
        return x ^ (x >> _U64(31))


def shingle_hashes(words: Sequence[str], size: int = SHINGLE_WORDS) -> np.ndarray:
    """Stable 64-bit hashes of the distinct word ``size``-grams (the same in every process)."""
    if len(words) < size:
        return np.zeros(0, dtype=_U64)
    token = np.fromiter(
        (zlib.crc32(w.encode("utf-8")) for w in words), dtype=_U64, count=len(words)
    )
    token = _mix64(token)
    n = len(words) - size + 1
    combined = token[:n].copy()
    with np.errstate(over="ignore"):
        for offset in range(1, size):
            combined = _mix64(combined * _U64(0x100000001B3) ^ token[offset : offset + n])
    return np.unique(combined)


def minhash(words: Sequence[str]) -> np.ndarray:
    """``NUM_PERM`` MinHash values by one-permutation hashing with rotation densification.

    One hash per shingle, its top 6 bits choose one of 64 bins and each bin keeps its minimum
    (Li, Owen & Zhang 2012): O(shingles) instead of O(shingles × 64), which keeps import fast.
    Empty bins borrow from the next non-empty bin to the right plus an offset per step
    (Shrivastava & Li 2014), so two similar texts still agree on them with probability ~J.
    """
    hashes = shingle_hashes(words)
    signature = np.full(NUM_PERM, _EMPTY, dtype=_U64)
    if hashes.size == 0:
        return signature
    bins = (hashes >> _U64(64 - _BIN_BITS)).astype(np.intp)
    np.minimum.at(signature, bins, hashes & _VALUE_MASK)
    empty = signature == _EMPTY
    if empty.any() and not empty.all():
        filled = np.flatnonzero(~empty)
        for i in np.flatnonzero(empty).tolist():
            # The nearest filled bin to the right, wrapping around.
            j = int(filled[np.searchsorted(filled, i) % filled.size])
            steps = (j - i) % NUM_PERM
            signature[i] = signature[j] + _U64(steps) * _ROTATION
    return signature


def lsh_band_keys(signature: np.ndarray) -> tuple[int, ...]:
    rows = signature.reshape(BANDS, ROWS_PER_BAND)
    with np.errstate(over="ignore"):
        mixed = _mix64(rows[:, 0] * _U64(0x100000001B3) ^ rows[:, 1])
    mask = (1 << _BAND_BITS) - 1
    return tuple((band << _BAND_BITS) | (int(v) & mask) for band, v in enumerate(mixed.tolist()))


def word_count(text: str) -> int:
    return len(text.split())


def fingerprint(text: str) -> Fingerprint:
    """Exact hash of the whole text (case and spacing ignored) and LSH bands of its opening."""
    count = word_count(text)
    if count < MIN_WORDS:
        return Fingerprint(None, (), count)
    normalized = " ".join(text.lower().split())
    digest = hashlib.sha1(normalized.encode("utf-8")).hexdigest()
    # ~8 characters per word: enough text for FINGERPRINT_WORDS words without scanning it all.
    words = words_of(normalized[: FINGERPRINT_WORDS * 12])[:FINGERPRINT_WORDS]
    return Fingerprint(digest, lsh_band_keys(minhash(words)), count)


def estimated_jaccard(shared_bands: int) -> float:
    return float((shared_bands / BANDS) ** (1 / ROWS_PER_BAND))


class NearDuplicateIndex:
    """Band-key index: finds the earliest item sharing at least ``min_shared`` bands."""

    def __init__(self, min_shared: int = MIN_SHARED_BANDS) -> None:
        self.min_shared = min_shared
        self._bands: dict[int, list[int]] = {}

    def add(self, item_id: int, keys: Iterable[int]) -> None:
        for key in keys:
            self._bands.setdefault(key, []).append(item_id)

    def shared_bands(self, keys: Iterable[int]) -> Counter[int]:
        counts: Counter[int] = Counter()
        for key in keys:
            counts.update(set(self._bands.get(key, ())))
        return counts

    def find(self, keys: Iterable[int]) -> int | None:
        """The lowest id with enough shared bands (the first copy seen), or None."""
        matches = [i for i, n in self.shared_bands(keys).items() if n >= self.min_shared]
        return min(matches) if matches else None
