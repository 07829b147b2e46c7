"""Text analysis for clustering: names, sentence openers, numbers, languages, ledes."""

from __future__ import annotations

from newsprism.cluster.text import analyze, entities, numbers, terms


def test_names_are_found_and_sentence_openers_are_not() -> None:
    found = entities(
        "Yesterday the talks failed. Moderate Democrats met Bernie Sanders in Nevada. "
        "The White House said NATO would meet.",
        "en",
    )
    assert "Yesterday" not in found.values()
    assert {"Bernie Sanders", "Sanders", "Nevada", "NATO", "White House"} <= set(found.values())
    assert "Democrats" in found.values()  # only the opening word of a run is in doubt


def test_title_case_headlines_do_not_make_every_word_a_name() -> None:
    analyzed = analyze(
        "Japan Braces As North Korea Threatens Hydrogen Bomb Test",
        "The defence minister said Japan must brace itself.",
        "en",
    )
    assert "Braces" not in analyzed.entities.values()
    assert "Japan" in analyzed.entities.values()


def test_numbers_keep_thousands_together_and_drop_single_digits() -> None:
    assert numbers("By 201 votes to 180, 1,200 people and 3 ministers; 4.2 billion") == {
        "201",
        "180",
        "1200",
        "4.2",
    }


def test_stopwords_follow_the_language() -> None:
    assert "der" not in terms("Der Kanzler und die Regierung", "de")
    assert "kanzler" in terms("Der Kanzler und die Regierung", "de")
    # English folding (plural, possessive) applies to English only.
    assert terms("Democrats' votes Trump's", "en") == ["democrat", "vote", "trump"]
    assert terms("Regierungs", "de") == ["regierungs"]


def test_lede_is_the_first_two_sentences_and_body_includes_the_title() -> None:
    analyzed = analyze(
        "Harbour vote",
        "Parliament approved the harbour budget. Holm welcomed it. Fishermen protested later.",
        "en",
    )
    assert "fishermen" not in analyzed.lede_terms
    assert "holm" in analyzed.lede_terms
    assert analyzed.body_terms["harbour"] == 2
