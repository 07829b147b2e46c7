"""Is an article an opinion piece (a column, an op-ed, an editorial) rather than a report?

Outlets say so in three places, and each is read here: the address ("/opinion/", "/opinions/",
"/commentisfree/"), a label before the headline ("Opinion: …", "Op-Ed | …") and a note at the
top of the text ("Opinion contributor", "The opinions expressed in this commentary are his
own"). A story page marks such articles, and its headline and summary come from the reports
when it has any: a summary states what happened, a column argues about it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

from newsprism.store.story_pages import StoryArticle

# Path segments that hold opinion pages on news sites.
_SECTIONS = frozenset(
    [
        "opinion",
        "opinions",
        "commentary",
        "commentisfree",
        "op-ed",
        "op-eds",
        "oped",
        "opeds",
        "editorial",
        "editorials",
        "columns",
        "columnists",
        "column",
        "first-person",
        "letters",
        "letters-to-the-editor",
        "corner",  # National Review's commentary blog
    ]
)
_TITLE_LABEL = re.compile(
    r"^\s*(?:opinion|op-ed|oped|editorial|column|commentary|guest column|guest essay)\s*[:|–—-]\s",
    re.IGNORECASE,
)
# How far into the text a publisher's note about the author's views stands.
_NOTE_CHARS = 400
_NOTE = re.compile(
    r"\bopinion contributor\b|\b(?:opinions|views) expressed (?:in this|here|are)"
    r"|^\s*(?:opinion|op-ed|editorial|commentary)\s*[:|–—-]\s",
    re.IGNORECASE,
)
_LABELS = ("opinion", "op-ed", "editorial", "commentary")


def is_opinion(url: str, title: str, text: str) -> bool:
    return _is_opinion(url, title, text[:_NOTE_CHARS])


# Asked of every article each time its story is analysed: the answers for recent ones are kept.
@lru_cache(maxsize=16384)
def _is_opinion(url: str, title: str, text: str) -> bool:
    """``is_opinion`` of the text's first _NOTE_CHARS characters."""
    path = urlsplit(url).path.lower() if url else ""
    if any(segment in _SECTIONS for segment in path.split("/")):
        return True
    if _TITLE_LABEL.match(title):
        return True
    # Most texts hold none of the note's words; the pattern is slow to rule them out.
    folded = text.casefold()
    might = "contributor" in folded or "expressed" in folded or folded.lstrip().startswith(_LABELS)
    return might and _NOTE.search(text) is not None


def reports_first(articles: Sequence[StoryArticle]) -> list[StoryArticle]:
    """The story's independent reports that are not opinion pieces; the opinion pieces when it
    has nothing else; all its articles when every one is a repost."""
    independent = [a for a in articles if a.repost_of is None] or list(articles)
    reports = [a for a in independent if not is_opinion(a.url, a.title, a.lede)]
    return reports or independent
