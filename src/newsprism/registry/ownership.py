"""Ownership categories and how the open typologies map onto them.

Two open sources describe who owns an outlet: Kagi's media data (a free-text owner and a coarse
typology) and the ASD state-media matrix (the State Media Monitor typology). ASD is the more
careful source for state influence, so it wins where both speak of one outlet.
"""

from __future__ import annotations

import re

from newsprism.models import OWNERSHIP_CATEGORIES

CATEGORIES = OWNERSHIP_CATEGORIES

# State Media Monitor typology (ASD at GMF). "Captured" media are editorially controlled by the
# state whether the state owns them (public) or its allies do (private); the independent public
# types are public-service broadcasters with editorial independence.
ASD_TYPOLOGY = {
    "SC": "government",  # state-controlled
    "CaPu": "government",  # captured public media
    "CaPr": "other",  # captured private: privately owned, editorially aligned with the state
    "IP": "public_broadcaster",  # independent public
    "ISF": "public_broadcaster",  # independent, state-funded
    "ISM": "public_broadcaster",  # independent, state-managed
    "ISFM": "public_broadcaster",  # independent, state-funded and state-managed
}

# Kagi's typologies that already say which category it is; the rest ("Private Media",
# "Private Enterprise", "State Funded Media", "Print Media") are refined from the owner text.
_KITE_DIRECT = {
    "Independent Media": "independent",
    "Private Independent Media": "independent",
    "Non-Profit": "non_profit",
    "Public Media": "public_broadcaster",
    "Public Broadcaster": "public_broadcaster",
    "Public agency (statutory, editorially independent)": "public_broadcaster",
    "State Media / Digital": "government",
}

# Order matters: the first pattern that matches the owner text decides.
_OWNER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("non_profit", re.compile(r"non-?profit|not-for-profit|charit|foundation|501\(c\)", re.I)),
    ("private_equity", re.compile(r"private equity|hedge fund|alden|apollo global", re.I)),
    ("government", re.compile(r"ministry|government|state-owned|communist party|kremlin", re.I)),
    (
        "individual",
        re.compile(r"billionaire|\bfamily\b|founder|owned by [A-Z][a-z]+ [A-Z][a-z]+", re.I),
    ),
    (
        "corporation",
        re.compile(
            r"\b(inc|corp|corporation|plc|ltd|llc|group|holdings?|media|company|gmbh|s\.a\.|ag)\b",
            re.I,
        ),
    ),
)


def ownership_from_kite(typology: str, owner: str) -> str | None:
    """Category for a Kagi media-data record; None when neither field says anything usable."""
    typology = typology.strip()
    if typology in _KITE_DIRECT:
        return _KITE_DIRECT[typology]
    for category, pattern in _OWNER_PATTERNS:
        if pattern.search(owner):
            # A state-funded outlet that names no ministry is a public broadcaster (BBC, NPR).
            if typology == "State Funded Media" and category not in ("government", "non_profit"):
                return "public_broadcaster"
            return category
    if typology == "State Funded Media":
        return "public_broadcaster"
    if typology in ("Private Media", "Private Enterprise", "Print Media"):
        return "corporation" if owner.strip() else None
    return None


def ownership_from_asd(typology: str) -> str | None:
    return ASD_TYPOLOGY.get(typology.strip().rstrip("?"))


def short_owner(owner: str, limit: int = 255) -> str | None:
    """Kagi's owner field is sometimes a paragraph: keep its first sentence, within the column."""
    text = " ".join(owner.split())
    if not text:
        return None
    first = re.split(r"(?<=[a-z\)])\.\s+(?=[A-Z])", text, maxsplit=1)[0].rstrip(".")
    if len(first) > limit:
        first = first[: limit - 1].rsplit(" ", 1)[0] + "…"
    return first
