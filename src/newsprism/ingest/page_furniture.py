"""What of an extracted page's text is the page's furniture, not the article: photo credits and
captions, media players, time stamps, links to other pages and the site's calls to action.

Text extraction keeps such lines; they are left in the stored text (it stays the page's own
words, and summaries quote it verbatim) and skipped by every stage that reads the article:
clustering compares the article's own opening, summaries take their lede sentences from the
content lines, tags and framing words skip the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Lines a page's media players and photo credits leave in extracted text: an NPR photo credit
# ("Enlarge this image toggle caption Saul Loeb/AFP/Getty Images …"), BBC's "Image copyright AP" and
# "Media playback is unsupported on your device Media caption …", USA Today's video teaser
# ("CLOSE A trade expert … (May 10) AP, AP"), NPR's audio player ("… Listen · 3:06 3:06"),
# links to other pages ("READ MORE: …", "Related: …", "… Read more"), share bars,
# time stamps ("Updated at 12:33 p.m. ET") and photo captions, known by their credit at the end
# ("… (Jeremy Lock/Reuters)", "… (AP Photo/Evan Vucci, File)") or their opening ("FILE - In this
# Jan. 4, 2020, file photo, …").
# They describe a picture or a clip, not the story, and end in credits.
# Each kind is checked where it can be (the start or the end of a line) so that the cost stays
# small next to splitting the sentences.
_FURNITURE_START = re.compile(
    r"\s*(?:Enlarge this image\b|Image (?:copyright|caption)\b|Media playback is unsupported\b"
    r"|(?:Hide|Toggle|toggle) caption\b|Photo(?:graph)? by [A-Z][^/\n]{0,40}/"
    r"|Media caption\b|CLOSE\s+[A-Z\"“‘']|Advertisement\s*$|ADVERTISEMENT\s*$"
    r"|FILE\s*[-–—]+\s|In this (?:[\w.,]+ ){0,5}(?:file )?photo\b"
    r"|This (?:file )?(?:photo|image|picture)\b"
    r"|(?:READ|Read)(?: MORE| [Mm]ore| ALSO| [Aa]lso)?:|RELATED:|Related:"
    r"|(?:SHARE THIS|LISTEN TO) ARTICLE\b)"
)
# Bloomberg's share bar, also at the end of an author's note: "… LISTEN TO ARTICLE 4:18 SHARE
# THIS ARTICLE Share Tweet Post Email".
_SHARE_BAR = "Share Tweet Post Email"
_FURNITURE_END = re.compile(
    r"(?:\bRead more|\((?:AP |AFP |Reuters )?Photo\b[^()]{0,80}\)"
    r"|\([A-Z][^()/]{0,60}/[A-Z][^()]{0,60}\))\s*$"
)
_PLAYER = re.compile(r"\bListen\s?·\s?\d{1,2}:\d\d\b")
# A credit after a bar inside a line: "… his own. | AP Photo What to watch for …",
# "… to resounding applause. | Mandel Ngan/AFP/Getty Images Trump vilifies …".
_BAR_CREDIT = re.compile(
    r"\s\|\s[^|]{0,60}?\b(?:Photos?|Getty(?: Images)?|AFP|AP|Reuters|EPA|Bloomberg)\b"
)
# Longest text an end-of-line pattern reads: "(AP Photo/" and 80 more characters.
_END_WINDOW = 120


def _is_furniture(line: str) -> bool:
    return bool(
        _FURNITURE_START.match(line)
        or (line.endswith((")", "e", "E", " ")) and _FURNITURE_END.search(line[-_END_WINDOW:]))
        or ("Listen" in line and _PLAYER.search(line))
        or _is_time_stamp(line)
        or line.rstrip().endswith(_SHARE_BAR)
        or _PROMOTION_START.match(line)
    )


# CNN's "Story highlights" heads a line of the first highlight: the highlight stays.
# NPR's "Update at 1:25 p.m. ET: " heads the paragraph it updates: the paragraph stays.
_FURNITURE_PREFIX = re.compile(
    r"^\s*(?:Story highlights|STORY HIGHLIGHTS"
    r"|(?:Update|UPDATE)d?(?:\s+(?:at|on))?\s+\d[\d:.]*\s*(?:[ap]\.?m\.?|[AP]\.?M\.?)?"
    r"(?:\s*[ECMP][SD]?T)?\s*:)\s+(?=\S)"
)


_STAMP_HEAD = re.compile(
    r"^\s*(?:Last )?(?:Update|Updated|UPDATE|UPDATED|Posted|Published)\b:?(?:\s+(?:at|on))?"
)
# Words of a date or time: "12:33", "p.m.", "ET", "Tue", "March", "2015".
_STAMP_WORD = re.compile(
    r"(?:\d[\d:./-]*|[ap]\.?m\.?|[AP]\.?M\.?|[ECMP][SD]?T|GMT|UTC|BST"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
    r"|(?:Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun)(?:day|nesday|sday|urday)?\.?)"
)


def _is_time_stamp(line: str) -> bool:
    """ "Updated at 12:33 p.m. ET", "Posted: Tuesday, May 5, 2015", "10:35 a.m.": a label and
    nothing but a date or time after it, or a line of nothing else (so "Updated figures show 5
    deaths." and "12 people died." stay)."""
    head = _STAMP_HEAD.match(line)
    if head is None:
        # A line of a live report that is only its time ("10:35 a.m.") or date.
        if not line.lstrip()[:1].isdigit():
            return False
        rest = line.replace(",", " ").split()
    else:
        rest = line[head.end() :].replace(",", " ").split()
    return bool(rest) and all(_STAMP_WORD.fullmatch(word) for word in rest)


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# A wire photo caption without its credit ends on the place and the full date: "… in
# Washington, U.S., May 29, 2020." News sentences put a weekday or "on" before such a date.
_CAPTION_END = re.compile(
    rf"(?<![\w.])(?!{_WEEKDAY}\b)[A-Z][\w.]*,?\s+{_MONTH}\s+\d{{1,2}},\s+(?:19|20)\d\d\.?\s*$"
)


def is_photo_caption(sentence: str) -> bool:
    if "|" in sentence and _BAR_CREDIT.search(sentence):
        return True
    # Otherwise only a sentence ending on a year can be one; the pattern spans under 60 characters.
    if not sentence.rstrip(" .")[-4:].isdigit():
        return False
    return bool(_CAPTION_END.search(sentence[-60:]))


# Calls to action of the page itself: "Sign up for our newsletter", "Get breaking news alerts and
# special reports.", "Please subscribe to support our writers", "EDITOR'S NOTE: …".
_PROMOTION_START = re.compile(
    r"\W*(?:Sign up|Subscribe|Get (?:breaking news|the latest|our)|Please (?:subscribe|support|"
    r"donate|consider)|Click here|Download (?:our|the) app|Follow us|Editor[’']s note"
    r"|Support \w+ journalism)\b",
    re.IGNORECASE,
)
# Read in the lower-cased sentence: one scan for all of them.
_PROMOTION_PHRASE = re.compile(
    r"your inbox|privacy policy|terms of (?:service|use)|reader[- ]supported"
    r"|thank you for signing up|our latest issue|this is a rush transcript|promotional offers"
    r"|be the first to (?:hear|know)"
)


def is_promotion(sentence: str) -> bool:
    if _PROMOTION_START.match(sentence):
        return True
    return bool(_PROMOTION_PHRASE.search(sentence.lower()))


def without_page_furniture(text: str) -> str:
    """``text`` without the lines of photo credits, players and teasers (``_is_furniture``),
    and without a "Story highlights" label; what is kept stays verbatim, line by line."""
    return "\n".join(content_lines(text))


def content_lines(text: str) -> Iterator[str]:
    """The lines of ``without_page_furniture``, one at a time (a caller that needs only the
    first few sentences stops early)."""
    for line in text.splitlines():
        if line.strip() and not _is_furniture(line):
            # Only a line opening "Story highlights" or "Update…" can carry a label.
            yield _FURNITURE_PREFIX.sub("", line) if line.lstrip()[:1] in ("S", "U") else line
