"""Blindspots: stories one side's outlets barely cover while the other side's cover them widely.

Only independent reports count (a repost is not a decision to cover), each outlet once, and only
outlets with a rated lean and a factuality not rated below the floor. The thresholds live in
``Settings`` with the reasons for their values; every flag says in words why it was raised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsprism.config import Settings
from newsprism.models import FACTUALITY_LABELS, OutletProfile
from newsprism.store.story_pages import StoryArticle

OPPOSITE = {"left": "right", "right": "left"}
_EPSILON = 1e-9


@dataclass(frozen=True)
class BlindspotRules:
    min_outlets: int = 6
    max_share: float = 0.2
    min_gap: float = 0.4
    factuality_floor: float = 2.0

    @classmethod
    def from_settings(cls, settings: Settings) -> BlindspotRules:
        return cls(
            min_outlets=settings.blindspot_min_outlets,
            max_share=settings.blindspot_max_share,
            min_gap=settings.blindspot_min_gap,
            factuality_floor=settings.blindspot_factuality_floor,
        )


def _counted_sides(
    articles: Sequence[StoryArticle], profiles: Mapping[int, OutletProfile], floor: float
) -> tuple[Counter[str], int]:
    """Side → independent rated outlets at or above the floor; and how many fell below it."""
    outlets = {a.outlet_id for a in articles if a.repost_of is None and a.outlet_id is not None}
    sides: Counter[str] = Counter()
    below_floor = 0
    for oid in outlets:
        profile = profiles.get(oid)
        if profile is None or profile.side is None:
            continue
        if profile.factuality_score is not None and profile.factuality_score < floor:
            below_floor += 1
            continue
        sides[profile.side] += 1
    return sides, below_floor


def find_blindspot(
    articles: Sequence[StoryArticle],
    profiles: Mapping[int, OutletProfile],
    rules: BlindspotRules,
) -> dict[str, str] | None:
    """``{"side", "reason"}`` for the side the story is a blindspot for, or None."""
    sides, below_floor = _counted_sides(articles, profiles, rules.factuality_floor)
    total = sum(sides.values())
    if total < rules.min_outlets:
        return None
    for side, other in OPPOSITE.items():
        share, gap = sides[side] / total, (sides[other] - sides[side]) / total
        # Shares of small counts: a split exactly at a threshold must count as reaching it
        # (3/5 − 1/5 is 0.39999… in binary).
        if share <= rules.max_share + _EPSILON and gap >= rules.min_gap - _EPSILON:
            reason = (
                f"{sides[side]} of {total} rated outlets lean {side}; {sides[other]} lean {other}"
            )
            if below_floor:
                floor_label = FACTUALITY_LABELS[max(0, min(5, round(rules.factuality_floor)))]
                reason += (
                    f" ({below_floor} outlet{'s' if below_floor != 1 else ''} rated below "
                    f"{floor_label} factuality not counted)"
                )
            return {"side": side, "reason": reason}
    return None
