"""Outlet profiles: an outlet with its raters' labels combined, as stories and pages show it.

The combined bias is the mean of the providers that rate a lean (as Ground News averages its
three raters) and the spread is max − min over them, so a reader sees when raters disagree.
Factuality is the mean of the providers that rate it. Providers without a score for one of the
two (Wikipedia rates only reliability; AllSides only lean) do not pull that mean either way.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from newsprism.models import OutletProfile, ProviderRating
from newsprism.store.ratings import outlets_by_ids, ratings_for_outlets


def combine(ratings: list[ProviderRating]) -> tuple[float | None, float | None, float | None]:
    """(bias mean, bias spread, factuality mean) over the providers that give each score."""
    biases = [r.bias_score for r in ratings if r.bias_score is not None]
    facts = [r.factuality_score for r in ratings if r.factuality_score is not None]
    bias = sum(biases) / len(biases) if biases else None
    spread = max(biases) - min(biases) if biases else None
    factuality = sum(facts) / len(facts) if facts else None
    return bias, spread, factuality


def outlet_profiles(conn: Connection, outlet_ids: Iterable[int]) -> dict[int, OutletProfile]:
    """Profiles for the given outlets (unknown ids are left out); two queries per 500 ids."""
    # Ids from URLs can be anything; no row has an id outside SQL's 64-bit integers.
    ids = {int(i) for i in outlet_ids if i is not None and 0 < int(i) < 2**63}
    if not ids:
        return {}
    ratings = ratings_for_outlets(conn, ids)
    profiles: dict[int, OutletProfile] = {}
    for row in outlets_by_ids(conn, ids):
        outlet_ratings = ratings.get(int(row.id), [])
        bias, spread, factuality = combine(outlet_ratings)
        profiles[int(row.id)] = OutletProfile(
            id=int(row.id),
            domain=row.domain,
            name=row.name,
            country=row.country,
            language=row.language,
            ownership=row.ownership,
            owner=row.owner,
            bias_score=bias,
            bias_spread=spread,
            factuality_score=factuality,
            ratings=outlet_ratings,
        )
    return profiles
