"""Sentence splitting, token counting and the verbatim check shared by every summarizer.

Rules rather than a trained splitter: nothing may be downloaded at run time, and news ledes are
regular enough that a boundary rule plus an abbreviation list gets them right.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# A boundary is terminal punctuation (optionally closed by a quote or bracket), whitespace, then
# something that can start a sentence.
_BOUNDARY = re.compile(r"([.!?…][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
# A period after these does not end a sentence ("Sen. Sanders", "the U.S. Senate").
_ABBREVIATION_LIST = """mr mrs ms dr sen rep reps gov lt col gen sgt capt cmdr adm st jr sr prof rev pres supt
    insp det u.s u.k u.n e.u d.c no nos vs inc corp co ltd dept est approx fig jan feb mar apr
    jun jul aug sep sept oct nov dec mt ft ave blvd"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
_SPACE = re.compile(r"\s+")
_ROUGE_TOKEN = re.compile(r"[^a-z0-9]+")
# Porter stemming only changes tokens longer than three characters (as ROUGE does).
_MIN_STEM_LENGTH = 4


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as they appear in it (each is a verbatim substring)."""
    text = text.strip()
    if not text:
        return []
    parts = _BOUNDARY.split(text)
    sentences: list[str] = []
    current = ""
    for index in range(0, len(parts), 2):
        current += parts[index]
        is_last = index + 1 >= len(parts)
        if not is_last:
            current += parts[index + 1]
        last_word = current.rsplit(None, 1)[-1].rstrip(".").lower() if current.strip() else ""
        if not is_last and (last_word in _ABBREVIATIONS or len(last_word) == 1):
            current += " "
            continue
        sentence = current.strip()
        if sentence:
            sentences.append(sentence)
        current = ""
    if current.strip():
        sentences.append(current.strip())
    return sentences


def normalize_space(text: str) -> str:
    """Whitespace and typographic quotes folded, so that a verbatim check ignores layout only."""
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return _SPACE.sub(" ", text).strip()


def is_verbatim(span: str, sources: list[str]) -> bool:
    needle = normalize_space(span)
    return bool(needle) and any(needle in normalize_space(source) for source in sources)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from nltk.stem import porter

    return porter.PorterStemmer()


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    return _stemmer().stem(token) if len(token) >= _MIN_STEM_LENGTH else token


def rouge_tokens(text: str) -> list[str]:
    """Lower-cased, stemmed alphanumeric tokens: the units ROUGE-1 counts."""
    return [_stem(t) for t in _ROUGE_TOKEN.sub(" ", text.lower()).split()]
