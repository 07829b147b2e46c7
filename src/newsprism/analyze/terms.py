"""Words and two-word phrases of a headline and lede, the units framing compares."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from newsprism.analyze.stopwords import stopwords_for
from newsprism.ingest.page_furniture import without_page_furniture

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# The same words in a lower-cased text whose only letters are ASCII (most English news; curly
# quotes and dashes aside): a plain character class is read twice as fast as a Unicode one.
_ASCII_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)*")
_WORD_CHAR = re.compile(r"[^\W\d_]")
# Framing reads what a reader meets first; beyond the lede, word choice says less about angle.
FRAMING_CHARS = 400


def framing_text(title: str, lede: str) -> str:
    # Photo credits and player labels would make "getty" or "enlarge" an outlet's framing.
    return f"{title}\n{without_page_furniture(lede[: 2 * FRAMING_CHARS])[:FRAMING_CHARS]}"


@lru_cache(maxsize=64)
def _stopwords(language: str | None) -> frozenset[str]:
    return stopwords_for(language)


def framing_terms(text: str, language: str | None = None) -> list[str]:
    """Content words (≥ 3 letters) and adjacent content-word pairs, lower-cased."""
    stop = _stopwords(language)
    found: list[str] = []
    previous: str | None = None
    text = text.lower()
    for word in _words(text):
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if len(word) < 3 or word in stop:
            previous = None
            continue
        found.append(word)
        if previous is not None:
            found.append(f"{previous} {word}")
        previous = word
    return found


def _words(lowered: str) -> list[str]:
    if not lowered.isascii() and any(_WORD_CHAR.match(c) for c in set(lowered) if not c.isascii()):
        return _WORD.findall(lowered)
    return _ASCII_WORD.findall(lowered)


def count_terms(texts: Iterable[str], language: str | None = None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(framing_terms(text, language))
    return counts
