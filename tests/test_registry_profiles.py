"""Outlet profiles combine providers: bias mean and spread, factuality mean, ownership."""

from __future__ import annotations

import pytest

from newsprism.models import ProviderRating
from newsprism.registry.profiles import combine, outlet_profiles
from newsprism.store.database import Database
from newsprism.store.outlets import get_or_create_outlet, update_outlet_fields
from newsprism.store.ratings import replace_provider_ratings


def rating(provider: str, bias: float | None, fact: float | None) -> ProviderRating:
    return ProviderRating(provider, None, bias, None, fact, None, None)


def test_combined_bias_is_the_mean_and_spread_is_max_minus_min() -> None:
    bias, spread, fact = combine(
        [rating("mbfc", -2.0, 4.0), rating("allsides", -1.0, None), rating("adfontes", 0.0, 3.0)]
    )
    assert bias == pytest.approx(-1.0)
    assert spread == pytest.approx(2.0)
    assert fact == pytest.approx(3.5)  # AllSides rates no factuality: it does not pull the mean


def test_a_provider_without_a_lean_leaves_the_bias_alone() -> None:
    bias, spread, fact = combine([rating("wikipedia-rsp", None, 1.0), rating("mbfc", 2.0, 2.0)])
    assert (bias, spread, fact) == (2.0, 0.0, 1.5)


def test_no_ratings_give_no_scores() -> None:
    assert combine([]) == (None, None, None)


def test_profiles_carry_outlet_facts_and_every_providers_rating(db: Database) -> None:
    with db.write() as conn:
        rated = get_or_create_outlet(conn, "rated.com", "Rated")
        bare = get_or_create_outlet(conn, "bare.org", "Bare")
        assert rated is not None and bare is not None
        update_outlet_fields(
            conn, rated, {"country": "us", "ownership": "non_profit", "owner": "A Trust"}
        )
        replace_provider_ratings(
            conn,
            "mbfc",
            [{"outlet_id": rated, "bias_label": "Left", "bias_score": -2.0,
              "factuality_label": "High", "factuality_score": 4.0, "url": "https://r/1"}],
        )  # fmt: skip
        replace_provider_ratings(
            conn, "allsides", [{"outlet_id": rated, "bias_label": "Center", "bias_score": 0.0}]
        )
    with db.read() as conn:
        profiles = outlet_profiles(conn, [rated, bare, 999_999])
    assert set(profiles) == {rated, bare}
    profile = profiles[rated]
    assert (profile.domain, profile.name, profile.country) == ("rated.com", "Rated", "us")
    assert (profile.ownership, profile.owner) == ("non_profit", "A Trust")
    assert profile.bias_score == -1.0 and profile.bias_spread == 2.0
    assert profile.side == "left"
    assert profile.factuality_label == "High"
    assert [r.provider for r in profile.ratings] == ["allsides", "mbfc"]
    assert profiles[bare].bias_score is None and profiles[bare].side is None
    assert profiles[bare].ratings == []


def test_profiles_for_more_ids_than_one_query_chunk(db: Database) -> None:
    with db.write() as conn:
        ids = [get_or_create_outlet(conn, f"outlet{i}.com") for i in range(620)]
        replace_provider_ratings(
            conn,
            "csv",
            [{"outlet_id": i, "bias_score": 1.0, "factuality_score": 3.0} for i in ids],
        )
    with db.read() as conn:
        profiles = outlet_profiles(conn, [i for i in ids if i is not None])
    assert len(profiles) == 620
    assert all(p.bias_score == 1.0 and p.side == "right" for p in profiles.values())


def test_ids_no_row_can_have_are_simply_absent(db: Database) -> None:
    with db.read() as conn:
        assert outlet_profiles(conn, [0, -5, 2**64 + 1]) == {}


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (2.5, "Mostly Factual"),
        (3.5, "High"),
        (2.49, "Mixed"),
        (-1.0, "Very Low"),
        (9.0, "Very High"),
    ],
)
def test_factuality_halves_round_up_alike(score: float, label: str) -> None:
    from newsprism.models import OutletProfile

    profile = OutletProfile(id=1, domain="a.com", name="A", factuality_score=score)
    assert profile.factuality_label == label
