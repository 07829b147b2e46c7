"""JSON from outside (imports, feeds, rater files, eval data, an LLM's answer).

The standard library's parser recurses once per nesting level, so a document nested a few
thousand levels deep ends in RecursionError instead of a decoding error; here it is refused as
invalid JSON like any other, so each caller's "not valid JSON" message names the file or line.
"""

from __future__ import annotations

import json
from typing import Any


def loads(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", "", 0) from None
