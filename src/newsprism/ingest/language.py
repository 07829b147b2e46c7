"""Language of an article's text (ISO 639-1), or None when the text cannot tell."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# Below ~20 letters (a headline fragment, a name) identifiers guess; we prefer to say nothing.
MIN_LETTERS = 20
# py3langid's calibrated probability; under 0.5 the top guess is not better than all others.
MIN_CONFIDENCE = 0.5
# The opening of an article (title and lede) decides its language; the identifier walks the
# text byte by byte in Python, so more text only costs time (200 chars ≈ 0.1 ms).
MAX_CHARS = 200


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str | None) -> str | None:
    """``'en'``, ``'de'``, … for the text; None when it is too short or the guess is unsure."""
    if not text:
        return None
    sample = text[:MAX_CHARS]
    # Counting letters is a Python loop: the opening usually settles it after a few words.
    opening = sample[: 2 * MIN_LETTERS]
    if sum(map(str.isalpha, opening)) < MIN_LETTERS and sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    return str(language)
