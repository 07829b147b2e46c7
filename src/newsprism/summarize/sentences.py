"""Sentence splitting, token counting and the verbatim check shared by every summarizer.

Rules rather than a trained splitter: nothing may be downloaded at run time, and news ledes are
regular enough that a boundary rule plus an abbreviation list gets them right.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# A boundary candidate is terminal punctuation (optionally closed by a quote or bracket) and
# whitespace; it is a boundary when what follows can start a sentence (see _starts_sentence).
# Pages that drop the space between two paragraphs glue their sentences ("…more than 22%.The
# S&P 500 plummeted"): a stop between a lower-case letter and a capitalised word is a boundary too.
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*\s+|(?<=[a-z%])\.(?=[A-Z][a-z])")
_OPENERS = "\"'“‘(["
# A period after these does not end a sentence ("Sen. Sanders", "the U.S. Senate").
_ABBREVIATION_LIST = """mr mrs ms dr sen sens rep reps gov govs lt col gen sgt capt cmdr adm st jr sr prof rev pres supt
    insp det u.s u.k u.n e.u d.c no nos vs inc corp co ltd dept est approx fig jan feb mar apr
    jun jul aug sep sept oct nov dec mt ft ave blvd"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")
_SPACE = re.compile(r"\s+")
# Where and by whom a report was filed, before its first sentence: "SEOUL, South Korea — ",
# "WASHINGTON (AP) — ", "NEW YORK/WASHINGTON (Reuters) - " (filed from two places), "(CNN) – ",
# "Washington (CNN) ". A place in capitals needs the dash; a place in mixed case needs a wire or
# network credit, so that "The Federal Reserve (Fed)" stays the subject it is.
_CREDIT = (
    r"(?:AP|AFP|CNN|CNN Business|CNN Politics|Reuters|UPI|Bloomberg|CNBC|NBC|NBC News|ABC|ABC News"
    r"|CBS|CBS News|BBC)"
)
DATELINE = re.compile(
    r"^\s*(?:"
    r"(?:[A-Z][A-Z.'’-]+(?:[\s/][A-Z][A-Z.'’-]+)*(?:,\s[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2})?\s*)?"
    r"(?:\([A-Za-z./ ]{2,20}\)\s*)?(?:[—–]|--?)\s+"
    rf"|(?:[A-Z][\w.'’-]*(?:,?\s[A-Z][\w.'’-]*){{0,5}}\s+)?\({_CREDIT}\)\s*(?:(?:[—–]|--?)\s*)?"
    r")"
)
_ROUGE_TOKEN = re.compile(r"[^a-z0-9]+")
# Porter stemming only changes tokens longer than three characters (as ROUGE does).
_MIN_STEM_LENGTH = 4


def _starts_sentence(text: str, index: int) -> bool:
    rest = text[index : index + 3].lstrip(_OPENERS)
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as they appear in it (each is a verbatim substring). A line
    break ends a sentence too: a heading, caption or byline has no final period, and without
    the break it would run into the next paragraph's first sentence."""
    return [s for line in text.splitlines() for s in _split_line(line)]


def _split_line(text: str) -> list[str]:
    text = text.strip()
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if not _starts_sentence(text, match.end()):
            continue
        head = text[start : match.end()].strip()
        last_word = head.rsplit(None, 1)[-1].rstrip(".").lower() if head else ""
        # "then-Sen. Joe Biden", "ex-Gov. Rick Perry": the title after the hyphen decides.
        title = last_word.rsplit("-", 1)[-1]
        # A lone letter is an initial ("John F. Kennedy"), and so are letters between periods
        # ("George H.W. Bush", "H.R. McMaster"); a lone digit ends a date ("November 3.").
        if (
            title in _ABBREVIATIONS
            or (len(last_word) == 1 and last_word.isalpha())
            or _INITIALS.fullmatch(last_word)
        ):
            continue
        sentences.append(head)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


# A line with at least this share of capitalized words is a headline or subheading.
TITLE_CASE_SHARE = 0.6


def is_title_case(text: str, min_words: int = 1) -> bool:
    """Headline style ("In A Bitterly Divided Nation, Will …"): most words capitalized, so the
    capitals say nothing about names, and the line is a headline rather than a sentence."""
    words = [w for w in text.split() if w[:1].isalpha()]
    if len(words) < max(1, min_words):
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= TITLE_CASE_SHARE


def normalize_space(text: str) -> str:
    """Whitespace and typographic quotes folded, so that a verbatim check ignores layout only."""
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return _SPACE.sub(" ", text).strip()


def is_verbatim(span: str, sources: list[str]) -> bool:
    """``span`` occurs in a source, case-sensitively except for its first character (a clause
    taken from mid-sentence is shown with a capital)."""
    needle = normalize_space(span)
    if not needle:
        return False
    variants = {needle, needle[0].swapcase() + needle[1:]}
    return any(v in normalize_space(source) for source in sources for v in variants)


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


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ASCII_RUN = re.compile(r"[A-Za-z0-9]+")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_A-Za-z]")


def _latin_script(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return not letters or len(_NON_ASCII_LETTER.findall(text)) / letters <= 0.5


@lru_cache(maxsize=8192)
def token_pairs(text: str) -> tuple[tuple[str, str], ...]:
    """(word as written, token) for each token of ``summary_tokens``, in order."""
    if _latin_script(text):
        return tuple((w, _stem(w.lower())) for w in _ASCII_RUN.findall(text))
    return tuple((w, w.lower()) for w in _WORD.findall(text))


def summary_tokens(text: str) -> list[str]:
    """ROUGE tokens for Latin-script text; lower-cased words for other scripts.

    ROUGE keeps only ASCII letters and digits, which would leave a Greek, Cyrillic or Chinese
    sentence with no tokens at all and its story without a summary.
    """
    return [token for _word, token in token_pairs(text)]
