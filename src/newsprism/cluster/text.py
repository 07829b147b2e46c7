"""Per-language text analysis for clustering: terms, capitalized phrases (entities) and numbers.

Deliberately light (regexes and stopword lists, no models): it runs on every incoming article,
so the per-token work is done by the regex engine and set lookups, never a Python state machine.
Stopword lists (``data/stopwords.json``) exist for the languages most feeds use; other languages
still tokenize on Unicode word boundaries and rely on IDF weighting alone.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newsprism.ingest.page_furniture import content_lines, is_promotion

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A sentence ends at a stop followed by (quotes and) white space.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
# Capitals in Latin, Greek and Cyrillic script; a run is capitalized words separated by spaces.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽΑ-ΩА-Я"
_CAPITAL_RUN = re.compile(
    rf"(?<![^\W_])[{_UPPER}][^\W_]*(?:['’][^\W_]+)?(?:[ \t]+[{_UPPER}][^\W_]*(?:['’][^\W_]+)?)*"
)
# Thousands separators and decimals stay in one number; years and counts are strong event clues.
_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[,.]\d{3})+(?:\.\d+)?(?!\w)|(?<![\w.,])\d+(?:\.\d+)?(?!\w)"
)
# What may stand before a sentence's first word: its opening quotes and brackets.
_OPENERS = "\"'“‘([«"

# Ledes name the event; beyond the first paragraphs an article adds background, and the cost of
# analysing it would make long pages the throughput bottleneck. (The training texts, first
# paragraphs, are all shorter than this, so the weights saw the same view of an article.)
MAX_BODY_CHARS = 1000
LEDE_SENTENCES = 2


@lru_cache(maxsize=1)
def _stopword_lists() -> dict[str, frozenset[str]]:
    raw = resources.files("newsprism.cluster").joinpath("data/stopwords.json").read_text("utf-8")
    return {lang: frozenset(words) for lang, words in json.loads(raw).items()}


@lru_cache(maxsize=64)
def stopwords_for(language: str | None) -> frozenset[str]:
    lists = _stopword_lists()
    if not language:
        # Unknown language: the union of the big European lists, harmless for any of them.
        return lists["en"] | lists["de"] | lists["fr"] | lists["es"]
    return lists.get(language.split("-")[0].lower(), frozenset())


_stems: dict[bool, dict[str, str]] = {True: {}, False: {}}


def _stem(token: str, english: bool) -> str:
    table = _stems[english]
    stem = table.get(token)
    if stem is None:
        if len(table) > _TERM_TABLE_SIZE:
            table.clear()
        stem = table[token] = _fold(token, english)
    return stem


def _fold(token: str, english: bool) -> str:
    # A minimal English plural/possessive fold: "Democrats" ~ "Democrat", "Trump's" ~ "Trump".
    # Real stemmers over-merge names and did not cluster the training split better.
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    if english and len(token) > 4 and token.endswith("s"):
        if token.endswith("ies"):
            return token[:-3] + "y"
        if not token.endswith(("ss", "us", "is")):
            return token[:-1]
    return token


@dataclass(slots=True)
class AnalyzedText:
    """One article reduced to what the clustering features need."""

    title_terms: Counter[str]
    lede_terms: Counter[str]
    body_terms: Counter[str]
    entities: dict[str, str]  # normalized key -> surface form as written
    numbers: frozenset[str]


def _is_english(language: str | None) -> bool:
    return language is None or language.split("-")[0].lower() == "en"


def terms(text: str, language: str | None) -> list[str]:
    """Lower-case words minus stopwords, one-letter words and bare numbers, lightly folded."""
    known = _term_table(language)
    words = _WORD.findall(text.lower())
    new = set(words).difference(known)
    if new:
        if len(known) + len(new) > _TERM_TABLE_SIZE:
            known.clear()
            new = set(words)
        _learn_terms(new, language, known)
    return [t for t in map(known.__getitem__, words) if t]


# Words seen per language -> their term, or "" when dropped: one dict lookup per token instead
# of the stopword, digit and folding checks. Bounded: cleared when a language's table is full.
_TERM_TABLE_SIZE = 500_000
_term_tables: dict[str | None, dict[str, str]] = {}


def _term_table(language: str | None) -> dict[str, str]:
    table = _term_tables.get(language)
    if table is None:
        table = _term_tables[language] = {}
    return table


def _learn_terms(words: set[str], language: str | None, known: dict[str, str]) -> None:
    stop = stopwords_for(language)
    english = _is_english(language)
    for w in words:
        keep = len(w) > 1 and w not in stop and not w.isdigit()
        known[w] = _stem(w, english) if keep else ""


def lede_end(text: str, sentences: int = LEDE_SENTENCES) -> int:
    """Where the first ``sentences`` sentences of ``text`` end."""
    for n, match in enumerate(_SENTENCE_END.finditer(text), 1):
        if n == sentences:
            return match.end()
    return len(text)


def entities(text: str, language: str | None) -> dict[str, str]:
    """Capitalized words and runs of them ("Bernie Sanders", "NATO"), minus sentence openers.

    A capital at a sentence start says nothing, so a run that opens a sentence counts only when
    it is an acronym or several words long ("Yesterday" does not, "White House" does), or when
    the same word is capitalized elsewhere. Stopwords split runs ("The", "Der"). German
    capitalizes all nouns, which is one reason entities never cross the language gate.
    """
    known = _run_table(language)
    found: dict[str, str] = {}
    openers: dict[str, str] = {}
    for match in _CAPITAL_RUN.finditer(text):
        at_start = _opens_sentence(text, match.start())
        seen = (match.group(), at_start)
        steps = known.get(seen)
        if steps is None:
            if len(known) > _TERM_TABLE_SIZE:
                known.clear()
            steps = known[seen] = _run_steps(seen[0], at_start, language)
        for to_found, key, surface in steps:
            (found if to_found else openers).setdefault(key, surface)
    for key, surface in openers.items():
        if key not in found and (surface.isupper() or " " in surface):
            found[key] = surface
    return found


# (capitalized run, opens a sentence) per language -> its _run_steps; names recur across
# articles, so most runs are analysed once.
_run_tables: dict[str | None, dict[tuple[str, bool], tuple[tuple[bool, str, str], ...]]] = {}


def _run_table(language: str | None) -> dict[tuple[str, bool], tuple[tuple[bool, str, str], ...]]:
    table = _run_tables.get(language)
    if table is None:
        table = _run_tables[language] = {}
    return table


def _run_steps(
    match: str, at_start: bool, language: str | None
) -> tuple[tuple[bool, str, str], ...]:
    """What one capitalized run adds: (to the names rather than the openers, key, surface)."""
    stop = stopwords_for(language)
    english = _is_english(language)
    steps: list[tuple[bool, str, str]] = []
    for run in _split_at_stopwords(match.split(), stop):
        _add_run(run, at_start, english, steps)
        at_start = False
    return tuple(steps)


def _opens_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in ".!?…:"


def _split_at_stopwords(words: list[str], stop: frozenset[str]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for word in words:
        if word.lower() in stop or len(word) < 2:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(word)
    return [r for r in runs if r]


def _add_run(
    run: list[str], at_start: bool, english: bool, steps: list[tuple[bool, str, str]]
) -> None:
    def add(to_found: bool, surface: str) -> None:
        steps.append((to_found, _stem(surface.lower(), english), surface))

    if at_start and len(run) > 1:
        # Only the opening word is in doubt: "Moderate Democrats" still names "Democrats".
        for word in run[1:]:
            add(True, word)
        add(False, run[0])
    else:
        for word in run:
            add(not at_start, word)
    if len(run) > 1:
        add(not at_start, " ".join(run))


def numbers(text: str) -> frozenset[str]:
    # 1-digit numbers ("3 people", "2 sides") are everywhere; longer ones identify events.
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text) if len(n) >= 2)


# A paragraph this short that calls the reader to act is a site's newsletter or donation box.
_PROMOTION_LINE_CHARS = 500


def opening(text: str) -> str:
    """The first MAX_BODY_CHARS of the article's own words. Photo credits, players and the
    site's calls to action ("Sign up for Take Action Now and get three actions in your inbox")
    are left out: pages of one site that share such boxes are not one event."""
    lines = [
        line
        for line in content_lines(text[: MAX_BODY_CHARS * 3])
        if len(line) > _PROMOTION_LINE_CHARS or not is_promotion(line)
    ]
    return "\n".join(lines)[:MAX_BODY_CHARS]


def analyze(title: str, text: str, language: str | None) -> AnalyzedText:
    body = opening(text)
    title_terms = terms(title, language)
    lede_cut = lede_end(body)
    lede_terms = terms(body[:lede_cut], language)
    rest_terms = terms(body[lede_cut:], language)
    found = entities(body, language)
    if not _is_title_case(title):
        for key, surface in entities(title, language).items():
            found.setdefault(key, surface)
    return AnalyzedText(
        title_terms=Counter(title_terms),
        lede_terms=Counter(lede_terms),
        body_terms=Counter(title_terms + lede_terms + rest_terms),
        entities=found,
        numbers=numbers(f"{title} {body}"),
    )


def _is_title_case(title: str) -> bool:
    # Title Case headlines ("Japan Braces As North Korea Threatens…") capitalize every word, so
    # their capitals say nothing; sentence-case headlines keep their names.
    words = [w for w in _WORD.findall(title) if len(w) > 3]
    if len(words) < 3:
        return False
    capitals = sum(1 for w in words if w[0].isupper())
    return capitals / len(words) > 0.6
