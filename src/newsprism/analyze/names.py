"""Names in running text: runs of capitalized words ("Bernie Sanders", "NATO", "Labour Party").

A capital at the start of a sentence says nothing, so a sentence-opening run counts only when it
is an acronym, several words long, or the same word appears capitalized mid-sentence elsewhere,
and a number, adverb or plural capitalized only for opening it ("Four Minneapolis police",
"Sometimes Congress", "Parents of Texas boy") is no part of the name after it.
Works for Latin-script languages; German capitalizes every noun, so its names are noisier.
"""

from __future__ import annotations

import re

from newsprism.analyze.gazetteer import (
    AND_NAMES,
    DESCRIPTION_ENDS,
    DESCRIPTIVE,
    FOR_BODIES,
    HONORIFICS,
    ORGANISATION_WORDS,
    SENTENCE_OPENERS,
)
from newsprism.analyze.stopwords import stopwords_for

# Words (with inner apostrophes, hyphens and ampersands: "AT&T"), a spaced ampersand ("Johnson &
# Johnson"), the punctuation that ends a sentence, and the punctuation that ends a name inside
# one: a comma, bracket, quote, slash or spaced dash ("Obama, Biden and Clinton" is three names;
# "(CNN) – Sen. Lindsey Graham" is two, and so is "Saul Loeb/AFP").
_TOKEN = re.compile(
    r"[^\W_]+(?:['’\-&][^\W_]+)*|(?<=\s)&(?=\s)|(?P<end>[.!?…:;\n])|[,()\[\]{}\"“”«»—–/]"
    r"|(?<=\s)--?(?=\s)"
)
# Lower-case words allowed inside a name: "Bank of America", "Charles de Gaulle", "Mohammed bin
# Salman", "Luiz Inácio Lula da Silva".
_CONNECTORS = frozenset(
    {"of", "de", "da", "la", "le", "del", "van", "von", "der", "bin", "ibn", "al"}
)
# "and" and "for" join separate names ("Trump and Pelosi", "a win for Biden") except inside the
# name of a body (``_joins``).
_JOINERS = frozenset({"and", "for"})
_INSIDE = _CONNECTORS | _JOINERS | {"&"}
_NAME_STOPWORDS = frozenset({"New", "First"})
_NEXT_CAPITAL = re.compile(r" [A-Z][a-z]")
# An article written onto an Arabic name: "al-Baghdadi", "el-Sisi".
_NAME_PREFIXES = frozenset({"al", "el", "ad", "ash", "bin", "ibn"})
_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?")
# An acronym defined right after a name: "… Arrivals (DACA)", "… Arrivals, or DACA,".
_ACRONYM = re.compile(r"\s*(?:\(|,? or )([A-Z]{2,8})(?![\w-])")
_QUOTES = "\"'“‘"
# Words that make the part before an "and" a name of its own ("House Speaker Nancy Pelosi and
# White House", "House Republicans and …"), not a matter a committee is named after.
_NOT_MATTERS = HONORIFICS | DESCRIPTIVE


# Three or more words in capitals, one of them longer than an acronym: a stretch of shouting
# ("POLITICS OF HATE: TRUMP USING RACISM AS A POLITICAL STRATEGY"), whose single words are no
# names either ("HATE", "POLITICS"). Commas separate acronyms ("NATO, EU, UN"), so they end it.
_SHOUTING = re.compile(r"\b[A-Z][A-Z'’.&-]*(?:(?:[ \t]+|:\s+)[A-Z][A-Z'’.&-]*\b){2,}")
_LONG_WORD = re.compile(r"[A-Z]{4,}")


def names(text: str, language: str | None = None) -> set[str]:
    """The capitalized runs of ``text`` (possessive 's removed; it ends the run)."""
    stop = stopwords_for(language)
    # Blanked to the same length: the offsets of what remains must not move.
    text = _SHOUTING.sub(
        lambda m: " " * len(m.group()) if _LONG_WORD.search(m.group()) else m.group(), text
    )
    found: set[str] = set()
    openers: set[str] = set()
    run: list[str] = []
    run_at_start = False
    run_end = 0
    # The run follows a count ("20 Republicans", "CBS' 60 Minutes"): one plural is what is
    # counted ("recording 1 Michigan has been" names a state).
    counted = False
    at_start = True

    def close(owned: bool = False) -> None:
        nonlocal counted
        if not run:
            return
        while run and run[-1].lower() in _INSIDE:
            run.pop()
        if len(run) > (1 if counted else 0):
            if _JOINERS.isdisjoint(run):
                if not _shouted(run):
                    (openers if run_at_start else found).add(" ".join(run))
            else:
                for i, part in enumerate(_parts(run, text, run_end, owned)):
                    if not _shouted(part):
                        (openers if run_at_start and i == 0 else found).add(" ".join(part))
        run.clear()
        counted = False

    initial_dot = False
    for match in _TOKEN.finditer(text):
        word = match.group()
        if initial_dot and match.group("end") == ".":
            # The period of a middle initial ("George W. Bush") ends neither name nor sentence.
            initial_dot = False
            continue
        initial_dot = False
        if not run and word[0].islower() and not _may_prefix(word):
            # Most words: lower case outside a name, so nothing to close or start.
            at_start = False
            continue
        if word == "&":
            # "Johnson & Johnson", "Fox & Friends": inside a name, as "of" is.
            if run:
                run.append(word)
            continue
        if not word[0].isalnum():
            close()
            # Only a sentence's end makes the next capital uninformative; after a comma or a
            # bracket the sentence goes on as it was.
            at_start = at_start or match.group("end") is not None
            continue
        possessive = word.endswith(("'s", "’s"))
        if possessive:
            word = word[:-2]
        if (
            run
            and run[-1] not in _JOINERS
            and len(word) == 1
            and word.isupper()
            and text[match.end() : match.end() + 1] == "."
        ):
            run.append(word + ".")
            run_end = match.end() + 1
            initial_dot = True
            at_start = False
            continue
        # "Obama-era", "Iran-backed": a description, whose name ends the run like an owner's.
        described = None
        if "-" in word:
            described = _described_name(word)
            word = described or word
        # "New" and "First" are stopwords, but capitalized mid-sentence they start a name ("New
        # York", "the First Amendment", "America First"); at a sentence's start they are only
        # the adjective ("New FBI records show…", "First responders arrived").
        capital = (
            word[0].isupper()
            and len(word) > 1
            and (word.lower() not in stop or _starts_name(word, text, match.end(), at_start))
        ) or (_may_prefix(word) and _prefixed_name(word, text, match.end()))
        if capital and not run:
            if at_start and _opens_sentence_only(word, text, match.end()):
                at_start = False
                continue
            run_at_start = at_start
            start = match.start()
            # Only a digit one or three characters back can end a number ("60 ", "25th ").
            number, quoted = (
                _number_before(text, start)
                if text[start - 2 : start - 1].isdigit() or text[start - 4 : start - 3].isdigit()
                else ("", False)
            )
            if number:
                # "the 25th Amendment", "“60 Minutes”": the number is part of the name; a year
                # is not a count ("the 2012 Benghazi attack").
                if quoted or not number.isdigit():
                    run.append(number)
                else:
                    counted = len(number) <= 3 and word.endswith("s")
        if capital:
            run.append(word)
            run_end = match.end()
            if possessive or described:
                # The owner's name ends at its 's: "CNN's Larry King Live" is CNN and a show.
                close(owned=possessive)
                at_start = False
                continue
        elif run and word in _INSIDE:
            run.append(word)
        elif run and word in ("May", "Day"):
            # The month that is also a stopword ("may") is a surname after a name ("Theresa
            # May"), and "Day" ends the name of one ("Independence Day"), where other capitalized
            # stopwords ("CNN The") are noise.
            run.append(word)
            run_end = match.end()
            if possessive:
                close(owned=True)  # "Theresa May's Brexit deal": the name ends at its 's
                at_start = False
                continue
        else:
            close()
        at_start = False
    close()
    mid_sentence_words = {w for phrase in found for w in phrase.split()}
    for phrase in openers:
        if " " not in phrase and phrase.lower() in stop:
            continue  # "New rules apply." opens with "New", not with a name
        if phrase.isupper() or " " in phrase or phrase in mid_sentence_words:
            found.add(phrase)
    return found


def _shouted(run: list[str]) -> bool:
    """Words in capitals that are not acronyms: a chyron or a post quoted as written ("MORE
    VIOLENCE GRIPS PORTLAND", "LIBERATE MICHIGAN!"), a kicker ("AP FACT CHECK", "NRPLUS MEMBER
    ARTICLE") or an opening set in small caps ("VLADIMIR PUTIN likes to surprise", "D OCTORS
    NEED…"). Acronyms side by side stay names ("AP", "FBI", "NYPD")."""
    words = [w for w in run if w not in _CONNECTORS and w != "&"]
    return (
        len(words) >= 2
        and all(w.isupper() for w in words)
        and any(len(w.rstrip(".")) >= 4 for w in words)
    )


def _starts_name(word: str, text: str, end: int, at_start: bool) -> bool:
    """A capitalized stopword that starts a name: "New" or "First" mid-sentence, and "First"
    before another capital at a sentence's start ("First Amendment advocates…")."""
    if word not in _NAME_STOPWORDS:
        return False
    return not at_start or (word == "First" and _NEXT_CAPITAL.match(text, end) is not None)


def _number_before(text: str, start: int) -> tuple[str, bool]:
    """The number right before a word ("25th", "60"), and whether it opens a quotation."""
    head = text[max(0, start - 10) : start]
    if not head.endswith(" ") or not head[-2:-1].isalnum():
        return "", False
    token = head[:-1].rsplit(None, 1)[-1]
    number = token.lstrip(_QUOTES)
    if not _NUMBER.fullmatch(number):
        return "", False
    return number, number != token


def _described_name(word: str) -> str | None:
    """The name in a hyphenated description ("Obama-era" → "Obama", "Party-backed" → "Party"
    of "Tea Party"), None for any other word ("Ocasio-Cortez", "Kim Jong-un")."""
    if not word[0].isupper():
        return None
    parts = word.split("-")
    for i, part in enumerate(parts[1:], start=1):
        if part[:1].islower() and (part.endswith("ed") or part in DESCRIPTION_ENDS):
            return "-".join(parts[:i])
    return None


def _may_prefix(word: str) -> bool:
    """Whether a lower-case word may open a name ("al-Baghdadi", "al Qaeda": ``_prefixed_name``)."""
    return word[0] in "aeib" and ("-" in word or word in ("al", "el"))


def _prefixed_name(word: str, text: str, end: int) -> bool:
    """ "al-Baghdadi", "el-Sisi", and "al" or "el" before a capital ("al Qaeda")."""
    if word in ("al", "el"):
        return text[end : end + 1] == " " and text[end + 1 : end + 2].isupper()
    head, _, rest = word.partition("-")
    return head in _NAME_PREFIXES and rest[:1].isupper()


def _opens_sentence_only(word: str, text: str, end: int) -> bool:
    """A word capitalized because it opens the sentence, not part of the name after it: a number,
    an adverb ("Four Minneapolis police", "Sometimes Congress") or a plural before "of"
    ("Parents of Texas boy", "Members of Congress")."""
    if word.lower() in SENTENCE_OPENERS:
        return True
    return word.endswith("s") and not word.endswith("ss") and text.startswith(" of ", end)


def _organisation(word: str) -> bool:
    lowered = word.lower()
    return lowered in ORGANISATION_WORDS or lowered.removesuffix("s") in ORGANISATION_WORDS


def _parts(run: list[str], text: str, end: int, owned: bool) -> list[list[str]]:
    """The run as one name, or its names where an "and" or a "for" separates them."""
    if _spelled_out(run, text, end):
        return [run]
    parts: list[list[str]] = []
    start = 0
    for i, word in enumerate(run):
        if word not in _JOINERS:
            continue
        following = next((j for j in range(i + 1, len(run)) if run[j] in _JOINERS), len(run))
        if not _joins(word, run[start:i], run[i + 1 : following], owned and following == len(run)):
            parts.append(run[start:i])
            start = i + 1
    parts.append(run[start:])
    for part in parts:
        while part and part[-1] in _CONNECTORS:
            part.pop()
    return [part for part in parts if part]


def _spelled_out(run: list[str], text: str, end: int) -> bool:
    """ "Deferred Action for Childhood Arrivals (DACA)", "…, or DACA,": the acronym defined after
    the run spells (nearly) all its capitals, so the run is one name."""
    match = _ACRONYM.match(text, end)
    if match is None:
        return False
    capitals = [w[0] for w in run if w[0].isupper()]
    acronym = match.group(1)
    if len(acronym) < len(capitals) - 1:
        return False
    letters = iter(capitals)
    return all(letter in letters for letter in acronym)


def _joins(joiner: str, left: list[str], right: list[str], owned: bool) -> bool:
    """Whether "and"/"for" is inside one name: a body for a cause ("Center for American
    Progress", "Club for Growth", not "Supreme Court for Trump"), or a committee named after two
    matters ("House Ways and Means Committee", not "House Republicans and White House")."""
    if not left or not right:
        return False
    if joiner == "and" and _known_and_name(left, right):
        return True
    if joiner == "for":
        # An owner at the end is named on its own: "Deutsche Bank for Trump's records".
        titled = any(w.lower().rstrip(".") in HONORIFICS for w in right)
        return left[-1].lower() in FOR_BODIES and not owned and not titled
    inner = left[1:]
    return (
        len(left) >= 2
        and _organisation(left[0])
        and _organisation(right[-1])
        and not any(_organisation(w) or w.lower().rstrip(".") in _NOT_MATTERS for w in inner)
    )


def _known_and_name(left: list[str], right: list[str]) -> bool:
    """ "Food and Drug Administration", "Bosnia and Herzegovina": a name of ``AND_NAMES`` runs
    across the "and" (the run may hold more: "Department of Health and Human Services")."""
    before, after = " ".join(left).lower(), " ".join(right).lower()
    return any(
        (before == head or before.endswith(" " + head))
        and (after == tail or after.startswith(tail + " "))
        for head, tail in AND_NAMES
    )


# "in Pittsburgh", "near Kharkiv": a name after these prepositions is most often a place ("from"
# is not one: "a statement from Biden").
_PLACE_CUE = re.compile(
    r"\b(?:in|near|outside|across|north of|south of|east of|west of)\s+"
    r"((?:[A-Z][^\W\d_]+)(?:\s+[A-Z][^\W\d_]+){0,2})"
)


def place_cues(text: str) -> set[str]:
    """Capitalized runs right after a locative preposition."""
    return {match.group(1) for match in _PLACE_CUE.finditer(text)}
