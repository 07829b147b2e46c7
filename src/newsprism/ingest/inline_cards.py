"""Remove the hover cards some pages render inside a sentence, which text extraction keeps.

The Hill follows a person's name with a card of that person's latest headlines: "President
Trump Donald John TrumpLev Parnas implicates Rick Perry … Parnas claims ex-Trump attorney visited
him in jail MORE's impeachment trial". The card repeats the name glued to its first headline and
ends in "MORE"; left in, it turns the sentence into a run of headlines and makes tags such as
"Trump Donald John TrumpDem". 84 such cards are in the first 400 articles of the AllSides corpus
that contain " MORE".
"""

from __future__ import annotations

import re

# "<Trump> <Donald John Trump><Dem lawmaker says …> MORE": the card's name (perhaps with a
# nickname: "Peter (Pete) Paul Buttigieg") ends with the word before it and runs straight into a
# capital, a digit or a quote.
_CARD = re.compile(
    r"\b(?P<last>[A-Z][\w'’-]+)\s(?:\(?[A-Z][\w'’.-]*\)?\s){0,4}(?P=last)(?=[A-Z0-9\"“'‘$])"
    r"[^\n]{0,700}?\sMORE\b"
)


# The same card glued to the name it follows: "prompted Chad WolfChad WolfTrump threatens … MORE".
_GLUED_CARD = re.compile(
    r"\b(?P<first>[A-Z][a-z'’-]+) (?P<last>[A-Z][a-z'’-]+)(?P=first) (?P=last)"
    r"(?=[A-Z0-9\"“'‘$])[^\n]{0,700}?\sMORE\b"
)


def remove_inline_cards(text: str) -> str:
    """``text`` with each card replaced by the name it followed."""
    if " MORE" not in text:
        return text
    text = _GLUED_CARD.sub(r"\g<first> \g<last>", text)
    return _CARD.sub(r"\g<last>", text)
