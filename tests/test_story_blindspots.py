"""Blindspot rules on hand-made stories: minimum outlets, share and gap, factuality floor."""

from __future__ import annotations

from datetime import UTC, datetime

from newsprism.analyze.blindspots import BlindspotRules, find_blindspot
from newsprism.config import Settings
from newsprism.models import OutletProfile
from newsprism.store.story_pages import StoryArticle

T0 = datetime(2026, 3, 2, tzinfo=UTC)
RULES = BlindspotRules(min_outlets=6, max_share=0.2, min_gap=0.4, factuality_floor=2.0)
BIAS = {"left": -2.0, "center": 0.0, "right": 2.0}


def story(
    sides: dict[str, int], *, factuality: float | None = 4.0, reposts: int = 0
) -> tuple[list[StoryArticle], dict[int, OutletProfile]]:
    """One article per outlet; ``reposts`` extra left outlets that only reposted."""
    articles, profiles = [], {}
    n = 0
    for side, count in sides.items():
        for _ in range(count):
            n += 1
            profiles[n] = OutletProfile(
                n, f"o{n}.com", f"O{n}", bias_score=BIAS[side], factuality_score=factuality
            )
            articles.append(_article(n, n))
    for _ in range(reposts):
        n += 1
        profiles[n] = OutletProfile(n, f"o{n}.com", f"O{n}", bias_score=-2.0, factuality_score=4)
        articles.append(_article(n, n, repost_of=1))
    return articles, profiles


def _article(article_id: int, outlet_id: int, repost_of: int | None = None) -> StoryArticle:
    return StoryArticle(
        article_id,
        f"https://x.org/{article_id}",
        "t",
        "",
        T0,
        T0,
        outlet_id,
        repost_of,
        "en",
        None,
        None,
        None,
    )


def test_a_story_mostly_covered_by_the_right_is_a_blindspot_for_the_left_with_its_reason() -> None:
    articles, profiles = story({"left": 1, "center": 2, "right": 11})
    assert find_blindspot(articles, profiles, RULES) == {
        "side": "left",
        "reason": "1 of 14 rated outlets lean left; 11 lean right",
    }


def test_the_mirror_case_is_a_blindspot_for_the_right() -> None:
    articles, profiles = story({"left": 6, "center": 1, "right": 0})
    flag = find_blindspot(articles, profiles, RULES)
    assert flag == {"side": "right", "reason": "0 of 7 rated outlets lean right; 6 lean left"}


def test_too_few_rated_outlets_never_make_a_blindspot() -> None:
    articles, profiles = story({"left": 0, "center": 0, "right": 5})
    assert find_blindspot(articles, profiles, RULES) is None
    articles, profiles = story({"left": 0, "center": 0, "right": 6})
    assert find_blindspot(articles, profiles, RULES) is not None


def test_unrated_outlets_do_not_count_towards_the_minimum() -> None:
    articles, profiles = story({"left": 0, "center": 0, "right": 5})
    profiles[99] = OutletProfile(99, "unrated.com", "Unrated")
    articles.append(_article(99, 99))
    assert find_blindspot(articles, profiles, RULES) is None


def test_a_balanced_story_or_a_small_gap_is_no_blindspot() -> None:
    assert find_blindspot(*story({"left": 3, "center": 1, "right": 3}), RULES) is None
    # left share 1/8 is low, but the right (2/8) is not far above it: the center carries it.
    assert find_blindspot(*story({"left": 1, "center": 5, "right": 2}), RULES) is None


def test_a_low_factuality_outlet_cannot_tip_a_story_into_a_blindspot() -> None:
    articles, profiles = story({"left": 0, "center": 0, "right": 5})
    profiles[50] = OutletProfile(50, "tabloid.com", "Tabloid", bias_score=2.0, factuality_score=1.0)
    articles.append(_article(50, 50))
    assert find_blindspot(articles, profiles, RULES) is None
    profiles[50].factuality_score = 4.0
    assert find_blindspot(articles, profiles, RULES) is not None


def test_the_reason_says_how_many_outlets_fell_below_the_factuality_floor() -> None:
    articles, profiles = story({"left": 0, "center": 1, "right": 6})
    profiles[60] = OutletProfile(60, "tabloid.com", "Tabloid", bias_score=2.0, factuality_score=0.5)
    articles.append(_article(60, 60))
    flag = find_blindspot(articles, profiles, RULES)
    assert flag is not None
    assert flag["reason"] == (
        "0 of 7 rated outlets lean left; 6 lean right "
        "(1 outlet rated below Mixed factuality not counted)"
    )


def test_reposts_are_not_independent_coverage() -> None:
    # Five left outlets that only reposted would otherwise balance the story.
    articles, profiles = story({"left": 0, "center": 1, "right": 6}, reposts=5)
    flag = find_blindspot(articles, profiles, RULES)
    assert flag is not None and flag["side"] == "left"


def test_thresholds_come_from_settings() -> None:
    rules = BlindspotRules.from_settings(Settings(blindspot_min_outlets=20))
    assert rules.min_outlets == 20
    assert find_blindspot(*story({"left": 1, "center": 2, "right": 11}), rules) is None


def test_a_split_exactly_at_the_thresholds_is_a_blindspot() -> None:
    # 2 of 10 against 6 of 10: share 0.2 and gap 0.4 exactly (0.6 − 0.2 is 0.39999… in binary).
    flag = find_blindspot(*story({"left": 6, "center": 2, "right": 2}), RULES)
    assert flag == {"side": "right", "reason": "2 of 10 rated outlets lean right; 6 lean left"}
    assert find_blindspot(*story({"left": 3, "center": 9, "right": 3}), RULES) is None
