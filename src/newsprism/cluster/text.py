"""Per-language text analysis for clustering: terms, capitalized phrases (entities) and numbers.

Deliberately light (regexes and stopword lists, no models): it runs on every incoming article and
must stay well under a millisecond per article. Stopword lists exist for the languages most feeds
use; other languages still tokenize on Unicode word boundaries and rely on IDF weighting alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# Words, and sentence ends (a stop followed by space or the end), in one scan.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[.!?…](?=[\"'”’)\]]*(?:\s|$))", re.UNICODE)
# Thousands separators and decimals stay in one number; years and counts are strong event clues.
_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[,.]\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])"
)

# Bodies longer than this add little about *which* event an article covers (the lede names it)
# and would make vectorizing long feature pieces the throughput bottleneck.
MAX_BODY_CHARS = 3000
LEDE_SENTENCES = 2

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "a",
            "about",
            "above",
            "after",
            "again",
            "against",
            "all",
            "also",
            "am",
            "an",
            "and",
            "any",
            "are",
            "as",
            "at",
            "be",
            "because",
            "been",
            "before",
            "being",
            "below",
            "between",
            "both",
            "but",
            "by",
            "can",
            "could",
            "did",
            "do",
            "does",
            "doing",
            "down",
            "during",
            "each",
            "few",
            "for",
            "from",
            "further",
            "had",
            "has",
            "have",
            "having",
            "he",
            "her",
            "here",
            "hers",
            "herself",
            "him",
            "himself",
            "his",
            "how",
            "i",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "itself",
            "just",
            "me",
            "more",
            "most",
            "my",
            "myself",
            "no",
            "nor",
            "not",
            "now",
            "of",
            "off",
            "on",
            "once",
            "only",
            "or",
            "other",
            "our",
            "ours",
            "ourselves",
            "out",
            "over",
            "own",
            "same",
            "she",
            "should",
            "so",
            "some",
            "such",
            "than",
            "that",
            "the",
            "their",
            "theirs",
            "them",
            "themselves",
            "then",
            "there",
            "these",
            "they",
            "this",
            "those",
            "through",
            "to",
            "too",
            "under",
            "until",
            "up",
            "very",
            "was",
            "we",
            "were",
            "what",
            "when",
            "where",
            "which",
            "while",
            "who",
            "whom",
            "why",
            "will",
            "with",
            "would",
            "you",
            "your",
            "yours",
            "yourself",
            "yourselves",
            "said",
            "says",
            "say",
            "told",
            "according",
            "new",
            "one",
            "two",
            "may",
            "might",
            "must",
            "us",
            "via",
            "per",
            "mr",
            "mrs",
            "ms",
            "since",
            "among",
            "amid",
            "within",
            "without",
            "upon",
            "across",
            "would've",
            "it's",
            "that's",
            "there's",
            "he's",
            "she's",
            "they're",
            "we're",
            "i'm",
            "don't",
            "doesn't",
            "didn't",
            "isn't",
            "aren't",
            "wasn't",
            "weren't",
            "won't",
            "can't",
            "according",
            "like",
            "get",
            "got",
            "make",
            "made",
            "many",
            "much",
            "even",
            "still",
            "well",
            "back",
            "first",
            "last",
            "year",
            "years",
            "week",
            "day",
            "time",
            "people",
            "way",
            "going",
            "new",
            "says",
            "news",
            "report",
            "reports",
            "i’ve",
            "i've",
            "i’m",
            "i'll",
            "i’ll",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "den",
            "dem",
            "des",
            "ein",
            "eine",
            "einer",
            "eines",
            "einem",
            "einen",
            "und",
            "oder",
            "aber",
            "auch",
            "als",
            "an",
            "auf",
            "aus",
            "bei",
            "bis",
            "durch",
            "für",
            "gegen",
            "hat",
            "haben",
            "hatte",
            "ich",
            "ihr",
            "ihm",
            "ihn",
            "im",
            "in",
            "ist",
            "ja",
            "kein",
            "mit",
            "nach",
            "nicht",
            "noch",
            "nur",
            "ob",
            "sich",
            "sie",
            "so",
            "über",
            "um",
            "und",
            "uns",
            "unter",
            "vom",
            "von",
            "vor",
            "war",
            "waren",
            "wie",
            "wir",
            "wird",
            "werden",
            "wurde",
            "zu",
            "zum",
            "zur",
            "es",
            "er",
            "sind",
            "sein",
            "seine",
            "dass",
            "mehr",
            "man",
            "am",
            "beim",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "un",
            "une",
            "des",
            "du",
            "de",
            "d",
            "l",
            "et",
            "ou",
            "mais",
            "en",
            "au",
            "aux",
            "ce",
            "ces",
            "cet",
            "cette",
            "il",
            "elle",
            "ils",
            "elles",
            "est",
            "sont",
            "a",
            "ont",
            "été",
            "être",
            "avoir",
            "par",
            "pour",
            "sur",
            "dans",
            "avec",
            "sans",
            "sous",
            "qui",
            "que",
            "quoi",
            "dont",
            "où",
            "ne",
            "pas",
            "plus",
            "se",
            "sa",
            "son",
            "ses",
            "leur",
            "leurs",
            "nous",
            "vous",
            "je",
            "tu",
            "y",
            "lui",
            "on",
            "comme",
            "aussi",
            "après",
            "avant",
            "entre",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "un",
            "una",
            "unos",
            "unas",
            "de",
            "del",
            "y",
            "o",
            "pero",
            "en",
            "a",
            "al",
            "con",
            "por",
            "para",
            "sin",
            "sobre",
            "entre",
            "que",
            "quien",
            "cual",
            "es",
            "son",
            "fue",
            "ser",
            "ha",
            "han",
            "había",
            "se",
            "su",
            "sus",
            "lo",
            "le",
            "les",
            "nos",
            "como",
            "más",
            "muy",
            "ya",
            "este",
            "esta",
            "estos",
            "estas",
            "ese",
            "esa",
            "también",
            "tras",
            "desde",
            "hasta",
            "según",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "lo",
            "la",
            "i",
            "gli",
            "le",
            "un",
            "uno",
            "una",
            "di",
            "del",
            "della",
            "dei",
            "delle",
            "e",
            "o",
            "ma",
            "in",
            "a",
            "al",
            "alla",
            "con",
            "per",
            "su",
            "tra",
            "fra",
            "che",
            "chi",
            "è",
            "sono",
            "stato",
            "essere",
            "ha",
            "hanno",
            "si",
            "suo",
            "sua",
            "suoi",
            "non",
            "più",
            "come",
            "anche",
            "dopo",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "um",
            "uma",
            "uns",
            "umas",
            "de",
            "do",
            "da",
            "dos",
            "das",
            "e",
            "ou",
            "mas",
            "em",
            "no",
            "na",
            "nos",
            "nas",
            "com",
            "por",
            "para",
            "sem",
            "sobre",
            "entre",
            "que",
            "quem",
            "é",
            "são",
            "foi",
            "ser",
            "tem",
            "têm",
            "se",
            "seu",
            "sua",
            "seus",
            "não",
            "mais",
            "como",
            "também",
            "após",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "of",
            "maar",
            "in",
            "op",
            "aan",
            "met",
            "voor",
            "van",
            "door",
            "over",
            "bij",
            "naar",
            "uit",
            "als",
            "dat",
            "die",
            "dit",
            "deze",
            "is",
            "zijn",
            "was",
            "waren",
            "wordt",
            "worden",
            "heeft",
            "hebben",
            "niet",
            "ook",
            "nog",
            "er",
            "zich",
            "hij",
            "zij",
            "ze",
            "we",
        ]
    ),
}


def stopwords_for(language: str | None) -> frozenset[str]:
    if not language:
        return _ANY_STOPWORDS
    return _STOPWORDS.get(language.split("-")[0].lower(), frozenset())


_ANY_STOPWORDS = _STOPWORDS["en"] | _STOPWORDS["de"] | _STOPWORDS["fr"] | _STOPWORDS["es"]


@lru_cache(maxsize=262_144)
def _stem(token: str, english: bool) -> str:
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


@dataclass(slots=True)
class _Scan:
    terms: list[str]
    sentence_of_term: list[int]
    entities: dict[str, str]
    openers: dict[str, str]


def _scan(text: str, language: str | None, *, entities: bool) -> _Scan:
    """Terms (lower case, stopwords out, folded) and capitalized runs, in one regex pass.

    A capital at a sentence start says nothing, so sentence-opening runs are kept apart and
    count only when they are acronyms or several words long ("Yesterday" does not,
    "White House" does). Works for every Latin-script language; German capitalizes all nouns,
    which is why entities never cross the language gate.
    """
    stop = stopwords_for(language)
    english = language in (None, "en")
    out = _Scan([], [], {}, {})
    sentence = 0
    at_start = True
    run: list[str] = []
    run_at_start = False
    for match in _TOKEN.finditer(text):
        word = match.group()
        if len(word) == 1 and not word.isalnum():
            if run:
                _add_run(run, run_at_start, out, english)
                run = []
            sentence += 1
            at_start = True
            continue
        lower = word.lower()
        stopword = lower in stop
        if entities:
            if word[0].isupper() and not stopword and len(word) > 1:
                if not run:
                    run_at_start = at_start
                run.append(word)
            elif run:
                _add_run(run, run_at_start, out, english)
                run = []
        at_start = False
        if len(lower) < 2 or stopword or lower.isdigit():
            continue
        out.terms.append(_stem(lower, english))
        out.sentence_of_term.append(sentence)
    if run:
        _add_run(run, run_at_start, out, english)
    return out


def _add_run(run: list[str], at_start: bool, scan: _Scan, english: bool) -> None:
    target = scan.openers if at_start else scan.entities
    for word in run:
        target.setdefault(_stem(word.lower(), english), word)
    if len(run) > 1:
        phrase = " ".join(run)
        target.setdefault(_stem(phrase.lower(), english), phrase)


def terms(text: str, language: str | None) -> list[str]:
    return _scan(text, language, entities=False).terms


def entities(text: str, language: str | None) -> dict[str, str]:
    """Capitalized words and runs of them ("Bernie Sanders", "NATO"), minus sentence openers."""
    return _entities_of(_scan(text, language, entities=True))


def _entities_of(scan: _Scan) -> dict[str, str]:
    found = dict(scan.entities)
    for key, surface in scan.openers.items():
        if key not in found and (surface.isupper() or " " in surface):
            found[key] = surface
    return found


def numbers(text: str) -> frozenset[str]:
    # 1-digit numbers ("3 people", "2 sides") are everywhere; longer ones identify events.
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text) if len(n) >= 2)


def analyze(title: str, text: str, language: str | None) -> AnalyzedText:
    body = text[:MAX_BODY_CHARS]
    title_scan = _scan(title, language, entities=not _is_title_case(title))
    body_scan = _scan(body, language, entities=True)
    lede = [
        t
        for t, s in zip(body_scan.terms, body_scan.sentence_of_term, strict=True)
        if s < LEDE_SENTENCES
    ]
    found = _entities_of(body_scan)
    for key, surface in _entities_of(title_scan).items():
        found.setdefault(key, surface)
    return AnalyzedText(
        title_terms=Counter(title_scan.terms),
        lede_terms=Counter(lede),
        body_terms=Counter(title_scan.terms + body_scan.terms),
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
