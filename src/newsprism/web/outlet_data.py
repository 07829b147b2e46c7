"""An outlet as its page and the API show it: profile with every rater, feeds, recent stories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from newsprism.models import OutletProfile
from newsprism.store.web_queries import outlet_feeds, outlet_row, outlet_story_ids, story_briefs

RECENT_STORIES = 20


def profile_dict(profile: OutletProfile | None) -> dict[str, Any]:
    if profile is None:
        return {
            "bias_score": None,
            "bias_spread": None,
            "side": None,
            "factuality_score": None,
            "factuality_label": None,
            "ratings": [],
        }
    return {
        "bias_score": profile.bias_score,
        "bias_spread": profile.bias_spread,
        "side": profile.side,
        "factuality_score": profile.factuality_score,
        "factuality_label": profile.factuality_label,
        "ratings": [
            {
                "provider": r.provider,
                "bias_label": r.bias_label,
                "bias_score": r.bias_score,
                "factuality_label": r.factuality_label,
                "factuality_score": r.factuality_score,
                "url": r.url,
                "rated_at": r.rated_at,
            }
            for r in profile.ratings
        ],
    }


def profiles(conn: Connection, outlet_ids: list[int]) -> dict[int, OutletProfile]:
    from newsprism.registry.profiles import outlet_profiles

    return dict(outlet_profiles(conn, outlet_ids))


def outlet_detail(conn: Connection, outlet_id: int) -> dict[str, Any] | None:
    row = outlet_row(conn, outlet_id)
    if row is None:
        return None
    row.update(profile_dict(profiles(conn, [outlet_id]).get(outlet_id)))
    row["feeds"] = outlet_feeds(conn, outlet_id)
    ids = outlet_story_ids(conn, outlet_id, limit=RECENT_STORIES)
    briefs = story_briefs(conn, ids)
    row["recent_stories"] = [briefs[i] for i in ids if i in briefs]
    return row
