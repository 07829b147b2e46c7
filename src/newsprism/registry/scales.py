"""Raters' labels on our two scales: bias −3…+3 and factuality 0…5.

Bias: −3 Far Left, −2 Left, −1 Lean Left, 0 Center, +1 Lean Right, +2 Right, +3 Far Right.
Factuality: 0 Very Low, 1 Low, 2 Mixed, 3 Mostly Factual, 4 High, 5 Very High (MBFC's six steps,
which the other raters are mapped onto).

Why each map is what it is:

- **MBFC** has five lean categories plus "extreme" variants. "Left"/"Right" are "moderately to
  strongly biased", one step beyond "Left-Center"/"Right-Center" (−1/+1), hence −2/+2; "Extreme"
  or "Far" is the end of the scale, ±3. "Least Biased" is 0. Questionable, conspiracy,
  pro-science and satire are not political leans: no bias score unless the label also names a
  side ("right conspiracy-pseudoscience" leans right: +2). Factual reporting uses our six steps.
- **AllSides** has five steps without a "far" category. Its "Left"/"Right" are the strongest it
  gives, but compared with MBFC's extreme category they sit at ±2, and "Lean" at ±1. "Mixed"
  means the rater sees no consistent lean: no score, label kept.
- **Ad Fontes** scores bias on −42…+42 with bands every 12 points (Middle ±6, Skews ±6…18,
  Hyper-Partisan ±18…30, Most Extreme ±30…42). Dividing by 12 puts those band edges exactly on
  our half steps (±0.5, ±1.5, ±2.5), so each band rounds to one of our steps. Reliability runs
  0…64 in 8-point bands; 16 → 0 and each band above is one step (24 Low, 32 Mixed, 40 Mostly
  Factual, 48 High, 56+ Very High), matching Ad Fontes' own "acceptable above 40" line.
- **Wikipedia perennial sources** rate reliability only: generally reliable → High (4), no
  consensus → Mixed (2), generally unreliable → Low (1), deprecated → Very Low (0).
"""

from __future__ import annotations

import re

from newsprism.models import BIAS_LABELS, FACTUALITY_LABELS

_WORDS = re.compile(r"[^a-z]+")


def _key(label: str) -> str:
    return _WORDS.sub(" ", label.lower()).strip()


FACTUALITY_BY_KEY = {_key(label): float(i) for i, label in enumerate(FACTUALITY_LABELS)}
FACTUALITY_BY_KEY.update({"mostly": 3.0, "very high factual": 5.0})

BIAS_BY_KEY = {_key(label): float(score) for score, label in BIAS_LABELS.items()}
BIAS_BY_KEY.update(
    {
        "extreme left": -3.0,
        "left center": -1.0,
        "center left": -1.0,
        "least biased": 0.0,
        "centre": 0.0,
        "right center": 1.0,
        "center right": 1.0,
        "extreme right": 3.0,
    }
)

ALLSIDES_BIAS = {"left": -2.0, "lean left": -1.0, "center": 0.0, "lean right": 1.0, "right": 2.0}

WIKIPEDIA_RSP = {
    "generally reliable": 4.0,
    "no consensus": 2.0,
    "generally unreliable": 1.0,
    "deprecated": 0.0,
}
WIKIPEDIA_RSP_CODES = {
    1: "generally reliable",
    0: "no consensus",
    -1: "generally unreliable",
    -2: "deprecated",
}


def factuality_score(label: str | None) -> float | None:
    if not label:
        return None
    return FACTUALITY_BY_KEY.get(_key(label))


def bias_score(label: str | None) -> float | None:
    """Our score for a lean label (MBFC and generic words); None when it names no side."""
    if not label:
        return None
    key = _key(label)
    if key in BIAS_BY_KEY:
        return BIAS_BY_KEY[key]
    if "pseudo" in key or "conspiracy" in key or "questionable" in key:
        # "right conspiracy-pseudoscience": the rater names a side as well as the problem.
        for lean, score in (("far left", -3.0), ("far right", 3.0), ("extreme left", -3.0)):
            if lean in key:
                return score
        if "extreme right" in key or "alt right" in key:
            return 3.0
        if re.search(r"\bleft\b", key):
            return -2.0
        if re.search(r"\bright\b", key):
            return 2.0
        return None
    for prefix, score in (("far", 3.0), ("extreme", 3.0)):
        if key.startswith(prefix):
            if "left" in key:
                return -score
            if "right" in key:
                return score
    if re.fullmatch(r"left( biased)?", key):
        return -2.0
    if re.fullmatch(r"right( biased)?", key):
        return 2.0
    return None


def adfontes_bias(value: float) -> float:
    return max(-3.0, min(3.0, value / 12.0))


def adfontes_factuality(reliability: float) -> float:
    return max(0.0, min(5.0, (reliability - 16.0) / 8.0))


def numeric_or_label(raw: str, low: float, high: float, by_label: dict[str, float]) -> float | None:
    """A number within [low, high] or a known label; raises ValueError otherwise."""
    text = raw.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        key = _key(text)
        if key in by_label:
            return by_label[key]
        raise ValueError(f"{text!r} is neither a number nor a known label") from None
    if not low <= value <= high:
        raise ValueError(f"{value:g} is outside {low:g}…{high:g}")
    return value
