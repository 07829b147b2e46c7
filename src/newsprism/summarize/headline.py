"""The story's headline: the most representative and least loaded of its articles' headlines.

Representative = its words are the words most of the story's reports use (cosine to the story's
term profile). Loaded = shouting capitals, exclamation, teaser questions, clickbait formulas and
combat verbs ("slams", "destroys"). Headlines of outlets rated for high factuality are preferred
where ratings exist. Once chosen, a headline stays until the story changes substantially, so a
story's title does not flicker as articles trickle in.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsprism.analyze.terms import framing_terms

# Factuality 0…5; an unrated outlet sits between Mixed and Mostly Factual (no evidence either way).
UNRATED_FACTUALITY = 2.5
# Keep the current headline while it scores at least this share of the best, and the story has
# not more than doubled since it was chosen.
KEEP_SHARE = 0.8
REGROWTH_FACTOR = 2.0
MIN_WORDS, MAX_WORDS = 5, 20

# Both are matched against the case-folded title: several times faster than re.IGNORECASE.
_CLICKBAIT = re.compile(
    r"you won'?t believe|here'?s (why|what|how)|this is (why|what|how)|what happens next|"
    r"\b\d+ (things|ways|reasons|photos)\b|must[- ]see|jaw[- ]dropping|mind[- ]blowing|"
    r"^(watch|breaking|exclusive|opinion|analysis|live|video|photos?|update)\b\s*[:|\-–—]"
)
_LOADED = re.compile(
    r"\b(slams?|slammed|blasts?|blasted|rips?|ripped|destroys?|destroyed|eviscerates?|"
    r"shreds?|torches?|humiliates?|meltdown|outrage(ous)?|disgrace(ful)?|furious|insane|"
    r"bombshell|shocking|stunning|epic|owned|unhinged|radical|chaos)\b"
)
# The writer speaking ("…will hear my case today", "Why I left the party"); a quoted speaker
# after a colon ("Trump: My administration…") is a quote, penalised as one above or not at all.
_FIRST_PERSON = re.compile(
    r"(?<![:\"“‘'] )(?<![:\"“‘'])\b(?:I|I'm|I’m|I've|I’ve|[Mm]y|me|[Ww]e|[Oo]ur|us)\b(?!\.)"
)
# "Headline - Outlet" or "Headline | Outlet": the outlet's name is not part of the news.
_SITE_SUFFIX = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{2,60}$")
# "(+video)", "[VIDEO]", "(photos)", NPR's "Listen · 5:05": what the page carries, not what
# happened.
_MEDIA_SUFFIX = re.compile(
    r"\s*(?:[(\[]\+?\s*(?:video|videos|photos?|pictures|audio|graphic|watch|live)\s*[)\]]"
    r"|Listen\s?·\s?\d{1,2}:\d\d(?:\s+\d{1,2}:\d\d)?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class HeadlineCandidate:
    article_id: int
    title: str
    factuality: float | None = None  # the outlet's, 0…5
    outlet_name: str | None = None


@dataclass(frozen=True)
class HeadlineChoice:
    article_id: int
    text: str
    score: float


def clean_title(title: str, outlet_name: str | None = None) -> str:
    title = _MEDIA_SUFFIX.sub("", " ".join(title.split()))
    match = _SITE_SUFFIX.search(title)
    if match and (
        outlet_name is None
        or outlet_name.lower() in match.group().lower()
        or len(match.group().split()) <= 4
    ):
        trimmed = title[: match.start()].strip()
        if len(trimmed.split()) >= 3:
            return trimmed
    return title


def loaded_penalty(title: str) -> float:
    """0 for a plain headline; larger for every sign of shouting, teasing or clickbait."""
    penalty = 0.0
    words = [w.strip("\"'“”‘’.,:;!?()") for w in title.split()]
    shouting = [w for w in words if len(w) >= 4 and w.isalpha() and w.isupper()]
    if shouting and (len(shouting) >= 2 or len(shouting[0]) >= 6 or title.isupper()):
        penalty += 0.6
    if "!" in title:
        penalty += 0.4
    if title.rstrip().endswith("?"):
        penalty += 0.3
    folded = title.casefold()
    if _CLICKBAIT.search(folded):
        penalty += 0.6
    penalty += 0.25 * len(_LOADED.findall(folded))
    if title.lstrip()[:1] in "\"“‘'":
        penalty += 0.2  # a quote as headline speaks for one side
    if _FIRST_PERSON.search(title):
        penalty += 0.4  # "Trump will not win on my case": a personal essay, not the news
    n_words = len(words)
    if n_words < MIN_WORDS or n_words > MAX_WORDS:
        penalty += 0.3
    return penalty


@dataclass(frozen=True)
class _Profile:
    """Document frequency of each content word over the story's reports, and its norm."""

    counts: Counter[str]
    norm: float

    @classmethod
    def of(cls, term_lists: Sequence[Sequence[str]]) -> _Profile:
        counts: Counter[str] = Counter()
        for terms in term_lists:
            counts.update({t for t in terms if " " not in t})
        return cls(counts, math.sqrt(sum(v * v for v in counts.values())))


def _centrality(terms: frozenset[str], profile: _Profile) -> float:
    if not terms or not profile.norm:
        return 0.0
    return sum(profile.counts.get(t, 0) for t in terms) / (math.sqrt(len(terms)) * profile.norm)


# What a headline says of itself, apart from the story: kept for the headlines of a few thousand
# recent articles, since a story is scored again each time it grows.
@lru_cache(maxsize=4096)
def _read_title(title: str, outlet_name: str | None) -> tuple[str, frozenset[str], float]:
    text = clean_title(title, outlet_name)
    words = frozenset(t for t in framing_terms(text) if " " not in t)
    return text, words, loaded_penalty(text)


def score_headline(candidate: HeadlineCandidate, profile: _Profile) -> tuple[str, float]:
    text, words, penalty = _read_title(candidate.title, candidate.outlet_name)
    factuality = candidate.factuality if candidate.factuality is not None else UNRATED_FACTUALITY
    weight = 0.6 + 0.4 * max(0.0, min(5.0, factuality)) / 5
    return text, _centrality(words, profile) * weight - 0.3 * penalty


def choose_headline(
    candidates: Sequence[HeadlineCandidate],
    story_terms: Sequence[Sequence[str]],
    *,
    previous_article_id: int | None = None,
    previous_article_count: int | None = None,
    article_count: int = 0,
) -> HeadlineChoice | None:
    """The best headline; the previous one when it is still good and the story grew little.

    ``story_terms``: each report's framing terms (``newsprism.analyze.terms.framing_terms``).
    """
    usable = [c for c in candidates if c.title.strip()]
    if not usable:
        return None
    profile = _Profile.of(story_terms)
    scored = [(c, *score_headline(c, profile)) for c in sorted(usable, key=lambda c: c.article_id)]
    best = max(scored, key=lambda item: item[2])
    if previous_article_id is not None and previous_article_count:
        previous = next(
            (item for item in scored if item[0].article_id == previous_article_id), None
        )
        grew_a_lot = article_count > REGROWTH_FACTOR * previous_article_count
        if previous is not None and not grew_a_lot:
            scale = abs(best[2]) or 1.0
            if previous[2] >= best[2] - (1 - KEEP_SHARE) * scale:
                best = previous
    return HeadlineChoice(best[0].article_id, best[1], round(best[2], 4))
