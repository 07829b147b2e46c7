"""Near-duplicate fingerprints: copies share many LSH bands, different texts share none."""

from __future__ import annotations

import random

from newsprism.ingest.dedup import (
    BANDS,
    MIN_SHARED_BANDS,
    NearDuplicateIndex,
    estimated_jaccard,
    fingerprint,
)

_rng = random.Random(11)
_VOCAB = [f"word{i}" for i in range(5000)]


def _text(words: int = 400) -> str:
    return " ".join(_rng.choice(_VOCAB) for _ in range(words))


def _shared(a: str, b: str) -> int:
    fa, fb = fingerprint(a), fingerprint(b)
    return sum(x == y for x, y in zip(fa.band_keys, fb.band_keys, strict=True))


def test_fingerprint_is_stable_and_ignores_case_spacing_and_punctuation() -> None:
    text = _text(150)  # short enough that the whole text is the fingerprinted opening
    shouted = text.upper().replace(" ", "  ,  ")
    assert fingerprint(text) == fingerprint(text)
    assert fingerprint(text).band_keys == fingerprint(shouted).band_keys
    assert len(fingerprint(text).band_keys) == BANDS


def test_wire_copy_with_new_intro_and_cut_ending_shares_most_bands() -> None:
    text = _text()
    words = text.split()
    copy = "By our correspondent with agency reports. " + " ".join(words[:300])
    assert _shared(text, copy) >= MIN_SHARED_BANDS


def test_unrelated_texts_share_no_bands() -> None:
    assert _shared(_text(), _text()) < 2


def test_short_texts_get_no_fingerprint() -> None:
    short = fingerprint("Breaking: markets fall sharply at the open.")
    assert short.content_hash is None and short.band_keys == ()


def test_index_finds_the_earliest_copy_and_respects_accept() -> None:
    text = _text()
    index = NearDuplicateIndex()
    index.add(5, fingerprint(text).band_keys)
    index.add(9, fingerprint(text + " and one more sentence at the end").band_keys)
    index.add(7, fingerprint(_text()).band_keys)
    keys = fingerprint(text).band_keys
    assert index.find(keys) == 5
    assert index.find(keys, accept=lambda i: i != 5) == 9
    assert index.find(fingerprint(_text()).band_keys) is None


def test_estimated_jaccard_grows_with_shared_bands() -> None:
    assert estimated_jaccard(0) == 0.0
    assert estimated_jaccard(BANDS) == 1.0
    assert 0.45 < estimated_jaccard(MIN_SHARED_BANDS) < 0.55
