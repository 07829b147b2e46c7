"""Repair text that was decoded with the wrong charset somewhere upstream ("Ã¢â‚¬â„¢" for "’").

Scrapers and CMSs that decode UTF-8 as Windows-1252 (sometimes twice) leave such sequences in
titles and bodies; 275 articles of the AllSides corpus carry them. ftfy undoes exactly this
and leaves correct text alone; a cheap substring test keeps it off the clean majority, since
its own check costs milliseconds on a long text.
"""

from __future__ import annotations

import ftfy

# The lead characters of UTF-8 read as Windows-1252 / Latin-1: Ã (0xC3), Â (0xC2), â€ (0xE2 0x80).
_MARKERS = ("Ã", "Â", "â€")


def repair_mojibake(text: str) -> str:
    if not any(marker in text for marker in _MARKERS):
        return text
    return ftfy.fix_encoding(text)
