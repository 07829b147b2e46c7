"""Tags: the people, organisations and places a story is about, each a link to search.

Names are capitalized runs found in headlines and ledes (``names.py``, no model download); a name counts once per article and becomes a tag when several independent
reports use it. Its kind comes from a place list, organisation words and the phrase's shape.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from newsprism.analyze.gazetteer import (
    AFFILIATIONS,
    BOILERPLATE,
    DAY_NAMING,
    DESCRIPTIVE,
    HONORIFICS,
    NOT_NAMES,
    NOT_PERSON_WORDS,
    ORGANISATION_WORDS,
    PLACE_WORDS,
    PLACES,
    SHORT_GIVEN_NAMES,
    SURNAME_TITLES,
    WEEKDAYS,
)
from newsprism.analyze.names import names, place_cues
from newsprism.ingest.page_furniture import without_page_furniture
from newsprism.store.story_pages import StoryArticle
from newsprism.summarize.sentences import DATELINE, is_title_case

MAX_TAGS = 10
# Names that matter are in the headline and first sentences; reading further costs time per
# article and adds names mentioned in passing.
TAG_CHARS = 320


def tag_kind(name: str) -> str:
    """person | organisation | place | other."""
    lowered = name.lower()
    words = lowered.replace(".", " ").split()
    if lowered in PLACES or (len(words) > 1 and words[-1] in PLACE_WORDS):
        return "place"
    if (name.isupper() and len(name.replace(".", "")) >= 2) or any(
        w in ORGANISATION_WORDS for w in words
    ):
        return "organisation"
    # "Alexandria Ocasio-Cortez", "Beto O'Rourke", "Abu Bakr al-Baghdadi" are people too.
    if (
        2 <= len(words) <= 3
        and all(w.replace("-", "").replace("'", "").isalpha() for w in words)
        and not any(w in NOT_PERSON_WORDS for w in words)
    ):
        return "person"
    return "other"


def _title_word(word: str) -> bool:
    # "President-elect", "Secretary-designate", "Vice-President": a hyphenated title is a title.
    word = word.lower().rstrip(".").removesuffix("-elect").removesuffix("-designate")
    return all(part in HONORIFICS for part in word.split("-"))


def _is_office(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is an office. A title that is also a surname ("Steve King") is one only
    after a body or another title ("Supreme Court Justice Brett Kavanaugh", "Chief Justice")."""
    word = words[i]
    if not _title_word(word):
        return False
    if word.lower().rstrip(".") not in SURNAME_TITLES:
        return True
    return i > 0 and (words[i - 1].lower() in ORGANISATION_WORDS or _title_word(words[i - 1]))


def _cut_day(words: list[str]) -> bool:
    """A weekday after a name is when it happened ("President Trump Tuesday"), except after a word
    that names a day with it ("Black Monday", "Super Tuesday")."""
    return words[-1].lower() in WEEKDAYS and words[-2].lower() not in DAY_NAMING


# A handle in an embedded post ("@TuckerCarlson") is an account, not a name in the story.
_HANDLE = re.compile(r"(?<![\w@])@\w+")
# A photo credit left inside the text ("Chip Somodevilla/Getty Images", "REUTERS/Kevin Lamarque"):
# a photographer and an agency in capitals. After a caption's bar, the rest of the line is the
# page's heading ("… | M. Scott Mahaskey/POLITICO Congress House Dems authorize subpoena …"),
# where a section's name runs into the headline. "CNN/ORC" and "CNN/Washington Post" (a poll's
# sponsors) are names.
_PHOTOGRAPHER = r"(?:[A-Z][\w'’-]+\s){1,2}[A-Z][\w'’-]+"
_AGENCY = (
    r"(?:(?:[A-Z]{2,}\b(?: Photo)?|Getty Images|Pool)"
    # "Pool via Bloomberg", "AFP via Getty Images": the agency that distributed it.
    r"(?: via (?:Getty Images|[A-Z][A-Za-z]+))?)"
)
_PHOTO_CREDIT = re.compile(
    r"(?P<bar>\|\s+(?:[A-Z]\.\s*)?)?"
    rf"\b(?P<credit>{_PHOTOGRAPHER}/{_AGENCY}(?:/{_AGENCY})*|{_AGENCY}/{_PHOTOGRAPHER})"
    r"(?(bar)[^\n]*)"
)
_JOINED = re.compile(r" (?:and|for) ")
_CAPTION_LABELS = frozenset({"image", "photo", "video", "file", "caption", "copyright"})
_PARTY_STATE = re.compile(r"^[DRI]-(?!Day\b)[A-Z][A-Za-z.]*$")


# A story's reports name the same people again and again, and so do the stories of a day.
@lru_cache(maxsize=16384)
def clean_name(surface: str) -> str | None:
    """The name without the titles in front ("President Joe Biden", "Ousted FBI Director James
    Comey" → the person); None for no name: an office ("FBI Director", "Missouri Gov."), titles
    and describing words alone ("Irish Prime Minister", "South Korean"), a description ("Kentucky
    Republican") or a word capitalized by convention ("Monday")."""
    words = surface.strip().split()
    if _PARTY_STATE.match(surface.strip()):
        return None  # "D-Calif", "R-Texas": a member's party and state, not a name
    if words and words[-1].lower() in ORGANISATION_WORDS:
        # "Justice Department", "Senate Judiciary Committee": the titles are part of the name.
        return " ".join(words)
    if len(words) > 2 and words[0] == "First" and _title_word(words[1]):
        words = words[1:]  # "First Lady Jill Biden", "First Minister Nicola Sturgeon"
    while len(words) > 1 and (_title_word(words[0]) or words[0] == "of"):
        # "Secretary of State Hillary Clinton": the department goes with the title.
        words = words[2:] if words[0] == "of" else words[1:]
    # An office inside the run: what follows it is the person when it is a full name.
    offices = [i for i in range(len(words)) if _is_office(words, i)]
    if offices and len(words) - offices[-1] - 1 >= 2:
        words = words[offices[-1] + 1 :]
    # Boilerplate or a day after a name ("Reuters Image", "Cincinnati Thursday") is not part of it.
    while len(words) > 1 and (words[-1].lower() in BOILERPLATE or _cut_day(words)):
        words = words[:-1]
    # A caption's label before one ("Image Li Zhanshu"); "Media Matters" keeps its first word.
    while len(words) > 1 and words[0].lower() in _CAPTION_LABELS:
        words = words[1:]
    name = " ".join(words)
    if not words or len(name) < 2 or name.lower() in NOT_NAMES:
        return None
    if all(_title_word(w) or w.lower() in DESCRIPTIVE for w in words):
        return None
    if _is_office(words, len(words) - 1) or words[-1].lower() in AFFILIATIONS:
        return None
    return name


def _within_limit(lede: str) -> tuple[str, str]:
    """The lede's first TAG_CHARS characters, without a name the limit may have cut short ("… at
    the White Ho" loses "White Ho", not only "Ho"), and the rest of the line it cut."""
    if len(lede) <= TAG_CHARS:
        return lede, ""
    head, space, last = lede[:TAG_CHARS].rpartition(" ")
    if not space:
        head = lede[:TAG_CHARS]
    elif last[:1].isupper():
        while head:
            rest, _, word = head.rpartition(" ")
            if not (word in ("of", "and", "for") or (word[:1].isupper() and word[-1:].isalnum())):
                break
            head = rest
    line_end = lede.find("\n", len(head))
    return head, lede[len(head) : line_end if line_end >= 0 else len(lede)]


def _credit_gap(match: re.Match[str]) -> str:
    """What a photo credit leaves: a line break, or the text itself when it names a body ("New
    York Times/CBS" is a poll's sponsors)."""
    credit = match.group("credit")
    if any(w.lower() in ORGANISATION_WORDS for w in credit.replace("/", " ").split()):
        return match.group()
    # What follows a credit glued to a paragraph starts that paragraph.
    return "\n"


def _article_names(article: StoryArticle) -> tuple[frozenset[str], frozenset[str]]:
    return _names_of(article.title, article.lede, article.language)


# A story is analysed again each time it grows, and its other articles are read again: the names
# of a few thousand recent articles are kept (about 2 KB each).
@lru_cache(maxsize=4096)
def _names_of(title: str, lede: str, language: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """The article's names, and those of them written where a place would be ("in X")."""
    # Headlines in Title Case capitalize every word, so their runs are not names; a headline
    # repeated at the top of the text, or a subheading, is in Title Case too.
    lede, cut = _within_limit(lede)
    lede = without_page_furniture(lede)
    if "@" in lede:
        lede = _HANDLE.sub(" ", lede)
    # A dateline may follow a byline block ("USA TODAY\n\nWASHINGTON – A pair of…").
    lede = "\n".join(DATELINE.sub("", line, count=1) for line in lede.split("\n"))
    if "/" in lede:
        lede = _PHOTO_CREDIT.sub(_credit_gap, lede)
    *lines, last = [title, *lede.splitlines()]
    kept = [line for line in lines if not is_title_case(line)]
    # The line the limit cut is told from a headline by all its words: "President Donald Trump
    # asked his" alone looks like one.
    if not is_title_case(last + cut):
        kept.append(last)
    text = "\n".join(kept)
    found = frozenset(name for surface in names(text, language) if (name := clean_name(surface)))
    return found, found.intersection(place_cues(text))


def clear_name_caches() -> None:
    _names_of.cache_clear()
    clean_name.cache_clear()


def _name_parts(name: str) -> list[str]:
    """What a name could be read as elsewhere: its words, and the names either side of an "and"
    or a "for" in it ("Deferred Action for Childhood Arrivals" where no acronym follows it)."""
    words = name.split()
    if "and" not in words and "for" not in words:
        return words
    return words + _JOINED.split(name)


def _full_name(name: str, owners: dict[str, set[str]], seen: Counter[str]) -> str:
    """A lone "Biden" or "Labour", or "Deferred Action" split from the rest of its name, counts
    for the story's one longer name that contains it; a lone surname for the one person of that
    surname, whatever else contains it ("Trump" is "Donald Trump" beside "Trump Tower")."""
    found = owners.get(name, ())
    if len(found) == 1:
        return next(iter(found))
    if tag_kind(name) == "place":
        return name
    people = [
        n
        for n in found
        if n.split()[-1] == name
        and tag_kind(n) == "person"
        and n.split()[0].lower() not in PLACES
        and seen[n] >= 2
    ]
    return people[0] if len(people) == 1 else name


def _kind(name: str, placed: Counter[str]) -> str:
    kind = tag_kind(name)
    return "place" if kind == "other" and placed[name] else kind


_INITIAL = re.compile(r"^(?:[A-Z]\.)+$")


def _person_key(name: str) -> tuple[str, str, str] | None:
    """(given name in its short form, surname, middle initials) of a name written as a person's,
    None for any other: "Joseph R. Biden" → ("joe", "biden", "R.")."""
    words = name.split()
    if not 2 <= len(words) <= 4 or not words[0][:1].isupper():
        return None
    middle = words[1:-1]
    if not all(_INITIAL.match(w) for w in middle) or _INITIAL.match(words[0]):
        return None
    given = words[0].lower()
    return SHORT_GIVEN_NAMES.get(given, given), words[-1].lower(), " ".join(middle)


def _one_person(names: Counter[str]) -> dict[str, str]:
    """The forms of one person's name in a story ("Joe Biden", "Joseph R. Biden"; "Donald Trump",
    "Donald J. Trump") → the form most articles use. Two different middle initials are two
    people ("George W. Bush", "George H.W. Bush"), so such a family of forms stays apart."""
    forms: dict[tuple[str, str], list[str]] = {}
    initials: dict[tuple[str, str], set[str]] = {}
    for name in names:
        key = _person_key(name)
        if key is None:
            continue
        forms.setdefault(key[:2], []).append(name)
        if key[2]:
            initials.setdefault(key[:2], set()).add(key[2])
    merged: dict[str, str] = {}
    for person, variants in forms.items():
        if len(variants) < 2 or len(initials.get(person, ())) > 1:
            continue
        # On a tie, the form without initials, then the full given name ("Elizabeth Warren").
        main = max(variants, key=lambda n: (names[n], "." not in n, len(n), n))
        merged.update({n: main for n in variants if n != main})
    return merged


def _contained(a: str, b: str) -> bool:
    """Whether one name's words are all in the other's, except where both have middle initials
    and these differ ("George W. Bush" and "George H. W. Bush" are two people)."""
    words_a, words_b = set(a.lower().split()), set(b.lower().split())
    if not (words_a <= words_b or words_b <= words_a):
        return False
    initials_a = {w for w in words_a if _INITIAL.match(w.upper())}
    initials_b = {w for w in words_b if _INITIAL.match(w.upper())}
    return not (initials_a and initials_b and initials_a != initials_b)


def story_tags(articles: Sequence[StoryArticle], limit: int = MAX_TAGS) -> list[dict[str, Any]]:
    independent = [a for a in articles if a.repost_of is None]
    read = [_article_names(a) for a in independent]
    same = _one_person(Counter(n for found, _places in read for n in found))
    per_article = [{same.get(n, n) for n in found} for found, _places in read]
    seen: Counter[str] = Counter(n for found in per_article for n in found)
    placed: Counter[str] = Counter(same.get(p, p) for _found, places in read for p in places)
    owners: dict[str, set[str]] = {}
    for found in per_article:
        for name in found:
            if " " in name:
                for part in _name_parts(name):
                    owners.setdefault(part, set()).add(name)
    mentions: Counter[str] = Counter()
    for found in per_article:
        mentions.update({_full_name(n, owners, seen) for n in found})
    # Several reports must agree that a name matters; a one-article story has only one.
    needed = 2 if len(independent) >= 2 else 1
    ranked = sorted(
        (n for n, count in mentions.items() if count >= needed),
        key=lambda n: (-mentions[n], -len(n.split()), n),
    )
    chosen: list[str] = []
    for name in ranked:
        # "Sanders" adds nothing next to "Bernie Sanders" (and the reverse).
        if any(_contained(name, c) for c in chosen):
            continue
        chosen.append(name)
        if len(chosen) >= limit:
            break
    return [
        {
            "name": name,
            "kind": _kind(name, placed),
            "articles": mentions[name],
            "search": f"/search?q={quote_plus(name)}",
        }
        for name in chosen
    ]
