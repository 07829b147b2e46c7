"""Coverage figures of a hand-made story, exact, from the store through outlet profiles."""

from __future__ import annotations

import pytest

from newsprism.analyze.coverage import coverage_details
from newsprism.registry.profiles import outlet_profiles
from newsprism.store.story_pages import story_articles
from storydata import Outlet, add_article, add_outlets, add_story

OUTLETS = [
    Outlet("left1.com", bias=-2, factuality=4, country="us", ownership="corporation"),
    Outlet("left2.com", bias=-1, factuality=None, country="us", ownership="non_profit"),
    Outlet("center1.co.uk", bias=0, factuality=5, country="gb", ownership="public_broadcaster"),
    Outlet("right1.com", bias=2, factuality=2, country="us", ownership="individual"),
    Outlet("right2.com", bias=1.5, factuality=3, country=None, ownership=None),
    Outlet("unrated.ca", country="ca", ownership=None),
]


@pytest.fixture
def coverage(db):  # type: ignore[no-untyped-def]
    ids = add_outlets(db, OUTLETS)
    story = add_story(db)
    a1 = add_article(db, story, ids["left1.com"], "Bridge collapses", hours=0)
    add_article(db, story, ids["left1.com"], "Bridge collapse: update", hours=0.5)
    add_article(db, story, ids["center1.co.uk"], "Bridge falls into river", hours=1)
    add_article(db, story, ids["right1.com"], "Bridge collapse kills two", hours=1.2)
    add_article(db, story, ids["unrated.ca"], "Bridge collapses (wire)", hours=1.5, repost_of=a1)
    add_article(db, story, ids["right2.com"], "Officials blame bridge upkeep", hours=3)
    add_article(db, story, ids["left2.com"], "Bridge collapse raises questions", hours=3.9)
    with db.read() as conn:
        articles = story_articles(conn, story)
        profiles = outlet_profiles(conn, ids.values())
    return coverage_details(articles, profiles), a1


def test_counts_articles_outlets_and_reposts(coverage) -> None:  # type: ignore[no-untyped-def]
    figures, _ = coverage
    assert figures["articles"] == 7
    assert figures["outlets"] == 6
    assert figures["independent_reports"] == 6
    assert figures["reposts"] == 1


def test_sides_count_outlets_once_and_leave_unrated_out_of_shares(coverage) -> None:  # type: ignore[no-untyped-def]
    figures, _ = coverage
    assert figures["bias"] == {"left": 2, "center": 1, "right": 2, "unrated": 1}
    assert figures["bias_share"] == {"left": 0.4, "center": 0.2, "right": 0.4}
    assert figures["rated_outlets"] == 5
    assert figures["articles_by_side"] == {"left": 3, "center": 1, "right": 2, "unrated": 1}
    assert sum(figures["bias"].values()) == figures["outlets"]
    assert sum(figures["articles_by_side"].values()) == figures["articles"]


def test_factuality_ownership_and_country_distributions(coverage) -> None:  # type: ignore[no-untyped-def]
    figures, _ = coverage
    assert figures["factuality"] == {
        "Very High": 1,
        "High": 1,
        "Mostly Factual": 1,
        "Mixed": 1,
        "Unrated": 2,
    }
    assert list(figures["factuality"]) == [
        "Very High",
        "High",
        "Mostly Factual",
        "Mixed",
        "Unrated",
    ]
    assert figures["ownership"] == {
        "unknown": 2,
        "corporation": 1,
        "individual": 1,
        "non_profit": 1,
        "public_broadcaster": 1,
    }
    assert figures["countries"] == {"us": 3, "ca": 1, "gb": 1}


def test_first_and_last_reports_and_hourly_timeline_by_side(coverage) -> None:  # type: ignore[no-untyped-def]
    figures, first_id = coverage
    assert figures["first_published"] == "2026-03-02T08:00:00Z"
    assert figures["last_updated"] == "2026-03-02T11:54:00Z"
    assert figures["broke_the_news"]["article_id"] == first_id
    assert figures["broke_the_news"]["outlet"] == "Left1"
    assert figures["timeline"] == [
        {"hour": "2026-03-02T08:00:00Z", "left": 2, "center": 0, "right": 0, "unrated": 0},
        {"hour": "2026-03-02T09:00:00Z", "left": 0, "center": 1, "right": 1, "unrated": 1},
        {"hour": "2026-03-02T11:00:00Z", "left": 1, "center": 0, "right": 1, "unrated": 0},
    ]
    assert sum(sum(v for k, v in h.items() if k != "hour") for h in figures["timeline"]) == 7


def test_an_empty_story_has_zero_coverage() -> None:
    figures = coverage_details([], {})
    assert figures["articles"] == 0 and figures["outlets"] == 0
    assert figures["bias_share"] == {"left": 0.0, "center": 0.0, "right": 0.0}
    assert figures["broke_the_news"] is None and figures["timeline"] == []


def test_an_opinion_piece_is_counted_but_does_not_break_the_news(db) -> None:  # type: ignore[no-untyped-def]
    ids = add_outlets(db, OUTLETS[:2])
    story = add_story(db)
    add_article(db, story, ids["left1.com"], "Opinion: The bridge was a disaster waiting", hours=0)
    report = add_article(db, story, ids["left2.com"], "Bridge collapses into river", hours=1)
    with db.read() as conn:
        articles = story_articles(conn, story)
        profiles = outlet_profiles(conn, ids.values())
    figures = coverage_details(articles, profiles)
    assert figures["opinion_pieces"] == 1
    assert figures["first_published"] == "2026-03-02T08:00:00Z"
    assert figures["broke_the_news"]["article_id"] == report
