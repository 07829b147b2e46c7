"""Names in running text: runs of capitalized words ("Bernie Sanders", "NATO", "Labour Party").

A capital at the start of a sentence says nothing, so a sentence-opening run counts only when it
is an acronym, several words long, or the same word appears capitalized mid-sentence elsewhere.
Works for Latin-script languages; German capitalizes every noun, so its names are noisier.
"""

from __future__ import annotations

import re

from newsprism.analyze.stopwords import stopwords_for

# Words (with inner apostrophes and hyphens), the punctuation that ends a sentence, and the
# punctuation that ends a name inside one: a comma, bracket, quote or spaced dash ("Obama, Biden
# and Clinton" is three names; "(CNN) – Sen. Lindsey Graham" is two).
_TOKEN = re.compile(
    r"[^\W_]+(?:['’\-][^\W_]+)*|(?P<end>[.!?…:;\n])|[,()\[\]{}\"“”«»—–]|(?<=\s)--?(?=\s)"
)
# Lower-case words allowed inside a name: "Bank of America", "Charles de Gaulle".
_CONNECTORS = frozenset({"of", "de", "la", "del", "van", "von", "der", "bin", "al"})


def names(text: str, language: str | None = None) -> set[str]:
    """The capitalized runs of ``text`` (possessive 's removed; it ends the run)."""
    stop = stopwords_for(language)
    found: set[str] = set()
    openers: set[str] = set()
    run: list[str] = []
    run_at_start = False
    at_start = True

    def close() -> None:
        while run and run[-1].lower() in _CONNECTORS:
            run.pop()
        if run:
            phrase = " ".join(run)
            (openers if run_at_start else found).add(phrase)
        run.clear()

    initial_dot = False
    for match in _TOKEN.finditer(text):
        word = match.group()
        if initial_dot and match.group("end") == ".":
            # The period of a middle initial ("George W. Bush") ends neither name nor sentence.
            initial_dot = False
            continue
        initial_dot = False
        if not word[0].isalnum():
            close()
            # Only a sentence's end makes the next capital uninformative; after a comma or a
            # bracket the sentence goes on as it was.
            at_start = at_start or match.group("end") is not None
            continue
        possessive = word.endswith(("'s", "’s"))
        if possessive:
            word = word[:-2]
        if run and len(word) == 1 and word.isupper() and text[match.end() : match.end() + 1] == ".":
            run.append(word + ".")
            initial_dot = True
            at_start = False
            continue
        # "New" is a stopword, but capitalized mid-sentence it starts a name ("New York", "New
        # Zealand"); at a sentence's start it is only the adjective ("New FBI records show…").
        capital = (
            word[0].isupper()
            and len(word) > 1
            and (word.lower() not in stop or (word == "New" and not at_start))
        )
        if capital:
            if not run:
                run_at_start = at_start
            run.append(word)
            if possessive:
                # The owner's name ends at its 's: "CNN's Larry King Live" is CNN and a show.
                close()
                at_start = False
                continue
        elif run and word in _CONNECTORS:
            run.append(word)
        elif run and word == "May":
            # The one month that is also a stopword ("may"): after a name it is the surname
            # ("Theresa May"), where other capitalized stopwords ("CNN The") are noise.
            run.append(word)
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


# "in Pittsburgh", "near Kharkiv": a name after these prepositions is most often a place ("from"
# is not one: "a statement from Biden").
_PLACE_CUE = re.compile(
    r"\b(?:in|near|outside|across|north of|south of|east of|west of)\s+"
    r"((?:[A-Z][^\W\d_]+)(?:\s+[A-Z][^\W\d_]+){0,2})"
)


def place_cues(text: str) -> set[str]:
    """Capitalized runs right after a locative preposition."""
    return {match.group(1) for match in _PLACE_CUE.finditer(text)}
