"""Characters that outside text must not carry into the store, a feed or a terminal."""

from __future__ import annotations

import re

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates;
# and the noncharacters U+FDD0–U+FDEF, U+FFFE and U+FFFF. XML 1.0 forbids the C0 controls and
# the last two outright (one in a title made the whole Atom feed unreadable), and a terminal
# acts on ESC and the C1 controls (a title could move the cursor or retitle the window).
_UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


def without_controls(text: str) -> str:
    """``text`` without control characters and noncharacters (tab and line breaks stay)."""
    return _UNSHOWABLE.sub("", text)
