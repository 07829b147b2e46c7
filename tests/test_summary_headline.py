"""Headline choice: representative, not loaded, factual where rated, and stable."""

from __future__ import annotations

import pytest

from newsprism.analyze.terms import framing_terms
from newsprism.summarize.headline import (
    HeadlineCandidate,
    choose_headline,
    clean_title,
    loaded_penalty,
)

_TEXTS = [
    "Senate passes infrastructure bill with bipartisan support",
    "The Senate passed the infrastructure bill on Tuesday with votes from both parties.",
    "Infrastructure bill clears Senate; House vote next",
    "Senators approved the bipartisan infrastructure bill, sending it to the House.",
]
TEXTS = [framing_terms(text) for text in _TEXTS]


def _choose(*candidates: HeadlineCandidate, **kwargs: int) -> int:
    choice = choose_headline(list(candidates), TEXTS, **kwargs)  # type: ignore[arg-type]
    assert choice is not None
    return choice.article_id


@pytest.mark.parametrize(
    "title",
    [
        "SENATE PASSES INFRASTRUCTURE BILL",
        "Senate DESTROYS Biden's infrastructure bill!",
        "You won't believe what the Senate did to the infrastructure bill",
        "Will the infrastructure bill ever pass the Senate?",
        "Democrats slam Senate infrastructure bill",
        "WATCH: Senate votes on infrastructure bill",
        "The Senate will vote on my bill today. We will win.",
    ],
)
def test_loaded_headlines_are_penalised(title: str) -> None:
    assert loaded_penalty(title) > 0
    assert loaded_penalty("Senate passes infrastructure bill with bipartisan support") == 0


def test_the_central_plain_headline_beats_a_loaded_one() -> None:
    plain = HeadlineCandidate(1, "Senate passes infrastructure bill with bipartisan support")
    shouting = HeadlineCandidate(2, "SHOCKING: Senate passes infrastructure bill!!")
    off_topic = HeadlineCandidate(3, "Markets rise as investors weigh earnings season")
    assert _choose(plain, shouting, off_topic) == 1


def test_a_higher_factuality_outlet_wins_between_equal_headlines() -> None:
    low = HeadlineCandidate(1, "Senate passes infrastructure bill", factuality=1.0)
    high = HeadlineCandidate(2, "Infrastructure bill passes Senate", factuality=5.0)
    assert _choose(low, high) == 2


def test_the_headline_stays_unless_the_story_changes_substantially() -> None:
    current = HeadlineCandidate(1, "Infrastructure bill clears Senate; House vote next")
    better = HeadlineCandidate(2, "Senate passes infrastructure bill with bipartisan support")
    assert _choose(current, better) == 2
    kept = _choose(
        current, better, previous_article_id=1, previous_article_count=10, article_count=14
    )
    assert kept == 1
    regrown = _choose(
        current, better, previous_article_id=1, previous_article_count=10, article_count=25
    )
    assert regrown == 2


def test_the_outlet_name_is_trimmed_from_a_headline() -> None:
    assert clean_title("Senate passes bill - The Daily Planet", "The Daily Planet") == (
        "Senate passes bill"
    )
    assert clean_title("Senate passes bill | Reuters") == "Senate passes bill"
    assert clean_title("Self-driving cars - a review") == "Self-driving cars - a review"


def test_no_usable_headline_gives_none() -> None:
    assert choose_headline([HeadlineCandidate(1, "  ")], TEXTS) is None


def test_a_media_marker_is_trimmed_so_a_teaser_question_shows() -> None:
    teaser = "Homeland Security deal: Will Boehner follow McConnell's lead? (+video)"
    assert clean_title(teaser) == "Homeland Security deal: Will Boehner follow McConnell's lead?"
    assert clean_title("Storm hits the Gulf coast [VIDEO]") == "Storm hits the Gulf coast"
    assert clean_title("Castro's Hold On Cuba Persisted Listen· 5:05") == (
        "Castro's Hold On Cuba Persisted"
    )
    assert loaded_penalty(clean_title(teaser)) > loaded_penalty(
        "Boehner moves to end DHS stalemate"
    )


def test_a_writers_first_person_headline_loses_but_a_quoted_speaker_does_not_count() -> None:
    essay = HeadlineCandidate(1, "Senate passes my bipartisan infrastructure bill with our votes")
    plain = HeadlineCandidate(2, "Infrastructure bill clears Senate; House vote next")
    assert _choose(essay, plain) == 2
    assert loaded_penalty("Trump: My administration is working on the bill today") == 0
