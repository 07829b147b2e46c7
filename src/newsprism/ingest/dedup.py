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
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)

# Below this many words a text (a teaser, "read more", a photo caption) says too little to
# call two articles copies of each other.
MIN_WORDS = 50
# Copies share their opening; its first ~2,000 characters (~330 words) decide, and hashing
# more only costs import speed.
FINGERPRINT_CHARS = 2000
# 24-character windows of the normalized text (about four words): long enough that two
# unrelated articles share few, short enough that an edited word changes only a few.
SHINGLE_CHARS = 24
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
_P = 0x100000001B3  # FNV's 64-bit prime: odd, so invertible modulo 2^64
_MAX_BYTES = FINGERPRINT_CHARS * 4  # UTF-8 needs at most 4 bytes a character


def _power_table(base: int, count: int) -> np.ndarray:
    table = np.empty(count, dtype=_U64)
    value = 1
    for i in range(count):
        table[i] = value
        value = (value * base) & 0xFFFFFFFFFFFFFFFF
    return table


_POWERS = _power_table(_P, _MAX_BYTES + 1)
_INVERSE_POWERS = _power_table(pow(_P, -1, 1 << 64), _MAX_BYTES + 1)
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


# Every ASCII byte that is not a letter or digit becomes a space; bytes of multi-byte UTF-8
# characters (all >= 0x80) pass unchanged.
_ASCII_SEPARATORS = bytes(b if b >= 0x80 or chr(b).isalnum() else 0x20 for b in range(256))


def _opening_words(lowered_opening: str) -> str:
    """Letter and digit runs of a lower-cased opening, joined by single spaces.

    The same as replacing every run of characters that are not letters or digits by one
    space, but byte-wise: a regular expression over a news text stored as UCS-2 (curly
    quotes make it one) cost more than the whole MinHash.
    """
    text = lowered_opening
    if not text.isascii():
        # The few distinct non-ASCII separators (’ “ ” — NBSP) are replaced one by one.
        for char in set(text):
            if char > "\x7f" and not char.isalnum():
                text = text.replace(char, " ")
    return b" ".join(text.encode("utf-8").translate(_ASCII_SEPARATORS).split()).decode("utf-8")


def fingerprint_text(text: str) -> str:
    """The opening of the text as lower-case words separated by single spaces."""
    # A little more than needed is cleaned: punctuation runs collapse to one space.
    opening = text[: FINGERPRINT_CHARS + FINGERPRINT_CHARS // 4].lower()
    return _opening_words(opening)[:FINGERPRINT_CHARS]


def shingle_hashes(normalized: str, size: int = SHINGLE_CHARS) -> np.ndarray:
    """Stable 64-bit hashes of every ``size``-byte window (the same in every process).

    A polynomial hash of all windows at once from prefix sums: window i is
    (C[i+size] - C[i]) * P^-i with C[m] = sum of byte[k] * P^k for k < m, all modulo 2^64
    (P is odd, so it has an inverse). Hashing word by word in Python cost several times more,
    and import speed is bound by this step.
    """
    data = np.frombuffer(normalized.encode("utf-8"), dtype=np.uint8)[:_MAX_BYTES]
    n = data.size - size + 1
    if n <= 0:
        return np.zeros(0, dtype=_U64)
    with np.errstate(over="ignore"):
        prefix = np.zeros(data.size + 1, dtype=_U64)
        np.cumsum(data.astype(_U64) * _POWERS[: data.size], out=prefix[1:])
        windows = (prefix[size : size + n] - prefix[:n]) * _INVERSE_POWERS[:n]
    return _mix64(windows)


def minhash(normalized: str) -> np.ndarray:
    """``NUM_PERM`` MinHash values by one-permutation hashing with rotation densification.

    One hash per shingle, its top 6 bits choose one of 64 bins and each bin keeps its minimum
    (Li, Owen & Zhang 2012): O(shingles) instead of O(shingles × 64), which keeps import fast.
    Empty bins borrow from the next non-empty bin to the right plus an offset per step
    (Shrivastava & Li 2014), so two similar texts still agree on them with probability ~J.
    """
    hashes = shingle_hashes(normalized)
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
    # Lower-casing never makes or removes whitespace, so the lowered text's words are the
    # text's words: one split serves the count and the hash.
    lowered = text.lower()
    words = lowered.split()
    if len(words) < MIN_WORDS:
        return Fingerprint(None, (), len(words))
    digest = hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
    signature = minhash(fingerprint_text(text))
    return Fingerprint(digest, lsh_band_keys(signature), len(words))


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
            ids = self._bands.get(key)
            # Most keys of a new text match nothing: skip them without building a set.
            if ids:
                counts.update(set(ids) if len(ids) > 1 else ids)
        return counts

    def find(self, keys: Iterable[int], accept: Callable[[int], bool] | None = None) -> int | None:
        """The lowest accepted id with enough shared bands (the first copy seen), or None."""
        matches = [
            i
            for i, n in self.shared_bands(keys).items()
            if n >= self.min_shared and (accept is None or accept(i))
        ]
        return min(matches) if matches else None
