"""The extractive summarizer: verbatim bullets, citations, deduplication, side diversity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.summarize.extractive import (
    SourceArticle,
    SummaryOptions,
    clause_spans,
    lede_sentences,
    summarize_extractive,
)
from newsprism.summarize.sentences import is_verbatim, rouge_tokens, split_sentences
from newsprism.summarize.token_model import (
    FEATURES,
    LEXICON_PRIOR,
    Lexicon,
    StoryText,
    TreeEnsemble,
    token_features,
)

WILDFIRE = [
    SourceArticle(
        1,
        "Wildfire forces thousands to flee in northern California",
        "A fast-moving wildfire forced thousands of residents to flee their homes in northern "
        "California on Tuesday. Firefighters said the blaze had burned 12,000 acres near Redding. "
        "Sen. Alex Padilla called for more federal aid.",
        side="left",
    ),
    SourceArticle(
        2,
        "California wildfire burns 12,000 acres, thousands evacuated",
        "Thousands of residents were evacuated as a wildfire burned 12,000 acres near Redding in "
        "northern California. Officials said strong winds pushed the fire toward the city. The "
        "cause of the fire is under investigation.",
        side="right",
    ),
    SourceArticle(
        3,
        "Redding fire: evacuations ordered as blaze spreads",
        "A fast-moving wildfire forced thousands of residents to flee their homes in northern "
        "California on Tuesday. Crews from three states joined the fight.",
        side="center",
    ),
]


def test_sentence_splitter_keeps_abbreviations_and_quotes_together() -> None:
    text = 'Sen. Sanders won the U.S. vote. "It is done," he said. What next? Ok then.'
    assert split_sentences(text) == [
        "Sen. Sanders won the U.S. vote.",
        '"It is done," he said.',
        "What next?",
        "Ok then.",
    ]
    assert split_sentences("The board endorsed both Sens. Warren and Klobuchar. They won.") == [
        "The board endorsed both Sens. Warren and Klobuchar.",
        "They won.",
    ]


def test_a_period_after_a_day_of_the_month_ends_the_sentence() -> None:
    text = "The vote is on November 3. The 52-48 vote capped the fight. John F. Kennedy won."
    assert split_sentences(text) == [
        "The vote is on November 3.",
        "The 52-48 vote capped the fight.",
        "John F. Kennedy won.",
    ]


def test_clauses_drop_attributions_and_trailing_asides_and_stay_verbatim() -> None:
    sentence = (
        "The fire, which began on Tuesday, burned 12,000 acres near Redding; crews from three "
        "states joined the fight, officials said."
    )
    spans = clause_spans(sentence)
    assert "The fire, which began on Tuesday, burned 12,000 acres near Redding" in spans
    assert "crews from three states joined the fight" in spans
    # A relative clause in the middle is kept: cutting it would leave "The fire" alone.
    assert not any(span.startswith("The fire") and "burned" not in span for span in spans)
    assert all(span in sentence for span in spans)
    quoted = '"We will rebuild," the mayor said, and the crowd cheered.'
    assert all(span.count('"') % 2 == 0 for span in clause_spans(quoted))


def test_the_verbatim_check_forgives_only_a_capitalized_first_letter() -> None:
    source = ["Officials said strong winds pushed the fire toward the city."]
    assert is_verbatim("Strong winds pushed the fire toward the city", source)
    assert not is_verbatim("strong Winds pushed the fire toward the city", source)
    assert not is_verbatim("Strong winds pushed the fire toward the City", source)


def test_rouge_tokens_match_the_rouge_score_tokenizer() -> None:
    from nltk.stem import porter
    from rouge_score import tokenize

    text = "Running dogs, the U.S. president's cats in 2020 — élan"
    assert rouge_tokens(text) == tokenize.tokenize(text, porter.PorterStemmer())


def test_every_bullet_is_verbatim_and_cites_the_articles_it_came_from() -> None:
    bullets = summarize_extractive(WILDFIRE)
    assert 1 <= len(bullets) <= 5
    texts = {a.id: a.text for a in WILDFIRE}
    for bullet in bullets:
        assert bullet.article_ids
        for article_id in bullet.article_ids:
            assert is_verbatim(bullet.text, [texts[article_id]])


def test_a_sentence_shared_by_two_articles_is_one_bullet_citing_both() -> None:
    bullets = summarize_extractive(WILDFIRE)
    shared = [b for b in bullets if b.text.startswith("A fast-moving wildfire")]
    assert len(shared) == 1
    assert shared[0].article_ids == [1, 3]
    assert len({b.text for b in bullets}) == len(bullets)


def test_more_coverage_allows_more_bullets_but_never_more_than_the_maximum() -> None:
    many = [
        SourceArticle(
            i,
            f"Storm update {i}",
            f"Storm number {i} hit the coast of Florida on Monday with winds of {100 + i} mph. "
            f"Residents of town {i} lost power. Officials in county {i} opened shelters. "
            "The storm weakened over land.",
        )
        for i in range(40)
    ]
    bullets = summarize_extractive(many, SummaryOptions(max_bullets=4))
    assert 1 <= len(bullets) <= 4


def test_an_article_without_usable_sentences_gives_no_bullets() -> None:
    assert summarize_extractive([SourceArticle(1, "Photos", "Gallery.")]) == []
    assert summarize_extractive([]) == []


def test_a_sentence_from_an_uncovered_side_wins_when_the_side_bonus_outweighs_the_gap() -> None:
    articles = [
        SourceArticle(
            1,
            "Council approves $4 million budget",
            "The city council approved a budget of $4 million on Monday after a long debate. "
            "The budget includes money for parks and schools, the council said.",
            side="left",
        ),
        SourceArticle(
            2,
            "City budget passes",
            "The city council approved the budget on Monday. The budget includes money for "
            "parks and new schools, the mayor said.",
            side="left",
        ),
        SourceArticle(
            3,
            "Budget raises taxes, critics say",
            "Critics said the new city budget raises property taxes for homeowners.",
            side="right",
        ),
    ]
    sides = {1: "left", 2: "left", 3: "right"}

    def covered(bonus: float) -> set[str]:
        bullets = summarize_extractive(articles, SummaryOptions(side_bonus=bonus, max_bullets=2))
        return {sides[i] for b in bullets for i in b.article_ids}

    assert covered(0.0) == {"left"}
    assert covered(10.0) == {"left", "right"}


def test_token_model_rejects_a_model_fitted_on_other_features() -> None:
    with pytest.raises(ValueError, match="different features"):
        TreeEnsemble({"features": ["x"], "baseline": 0.0, "trees": []})


def test_tree_ensemble_walks_each_row_to_its_leaf() -> None:
    import numpy as np

    tree = {
        "feature": [0, -1, -1],
        "threshold": [0.5, 0, 0],
        "left": [1, 0, 0],
        "right": [2, 0, 0],
        "value": [0.0, 0.0, 1.0],
    }
    model = TreeEnsemble({"features": list(FEATURES), "baseline": 0.0, "trees": [tree]})
    x = np.zeros((2, len(FEATURES)))
    x[1, 0] = 1.0
    assert model.predict(x).tolist() == pytest.approx([1.0, np.e])


def test_token_features_count_documents_and_headlines() -> None:
    story = StoryText(
        sentences=[["Fire burns homes."], ["Fire spreads."]], titles=["Fire", "Evacuations"]
    )
    vocab, x = token_features(story)
    row = dict(zip(FEATURES, x[vocab.index("fire")], strict=True))
    assert row["doc_share"] == 1.0
    assert row["title_doc_share"] == 0.5
    assert row["in_lede"] == 1.0
    assert row["lede_doc_share"] == 1.0
    assert dict(zip(FEATURES, x[vocab.index("burn")], strict=True))["lede_doc_share"] == 0.5


def test_lexicon_features_read_the_training_counts_and_fall_back_to_the_prior() -> None:
    import math

    story = StoryText(sentences=[["Fire burns homes."]], titles=["Fire"])
    lexicon = Lexicon(stories=99, counts={"fire": (9, 6.0)})
    vocab, x = token_features(story, lexicon)
    fire = dict(zip(FEATURES, x[vocab.index("fire")], strict=True))
    assert fire["lexicon_rate"] == pytest.approx((6.0 + LEXICON_PRIOR) / 10)
    assert fire["lexicon_log_df"] == pytest.approx(math.log(100 / 10))
    homes = dict(zip(FEATURES, x[vocab.index("home")], strict=True))
    assert homes["lexicon_rate"] == pytest.approx(LEXICON_PRIOR)
    assert homes["lexicon_log_df"] == pytest.approx(math.log(100))


def test_the_shipped_token_model_carries_its_lexicon() -> None:
    from newsprism.summarize.token_model import LEXICON_MIN_STORIES, load_token_model

    lexicon = load_token_model().lexicon
    assert lexicon.stories > 1000
    assert "said" in lexicon.counts
    assert min(n for n, _uses in lexicon.counts.values()) >= LEXICON_MIN_STORIES


def test_the_default_settings_ask_for_three_to_five_bullets() -> None:
    from newsprism.config import Settings
    from newsprism.summarize.service import summarize_story

    settings = Settings()
    assert (settings.summary_min_bullets, settings.summary_max_bullets) == (3, 5)
    bullets = summarize_story(WILDFIRE, settings).bullets
    assert 3 <= len(bullets) <= 5


@pytest.mark.slow
def test_summaries_of_real_neus_stories_are_verbatim(shared_data: Path) -> None:
    path = shared_data / "eval" / "neus" / "neus_train_clusters.jsonl"
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(next(handle)) for _ in range(40)]
    at_least_three = 0
    for row in rows:
        articles = [SourceArticle(i, d["title"], d["text"]) for i, d in enumerate(row["docs"])]
        bullets = summarize_extractive(articles, SummaryOptions(min_bullets=3))
        assert 1 <= len(bullets) <= 5
        at_least_three += len(bullets) >= 3
        for bullet in bullets:
            assert is_verbatim(bullet.text, [articles[i].text for i in bullet.article_ids])
    # Only a story whose ledes hold fewer than three distinct units may fall short.
    assert at_least_three >= 36


def test_a_minimum_number_of_bullets_is_met_when_the_story_has_the_sentences() -> None:
    natural = summarize_extractive(WILDFIRE, SummaryOptions(max_bullets=5))
    forced = summarize_extractive(WILDFIRE, SummaryOptions(min_bullets=4, max_bullets=5))
    assert len(forced) >= 4 > len(natural) or len(natural) >= 4
    assert [b.text for b in forced[: len(natural)]] == [b.text for b in natural]


def test_a_bullet_forced_to_reach_the_minimum_is_no_paraphrase_of_a_chosen_one() -> None:
    # The second article says what the first says in other words (43% of its content words are
    # the first's): taking it would make three bullets of two points.
    articles = [
        SourceArticle(
            1,
            "Senate passes infrastructure bill",
            "The Senate passed a $1.2 trillion infrastructure bill on Tuesday with the support "
            "of 19 Republicans.",
            side="left",
        ),
        SourceArticle(
            2,
            "Infrastructure bill clears Senate",
            "The Senate approved the infrastructure bill on Tuesday, sending the measure to the "
            "House.",
            side="right",
        ),
        SourceArticle(
            3,
            "What comes next",
            "Progressives in the House want a vote on a larger social spending plan first.",
            side="center",
        ),
    ]
    bullets = summarize_extractive(articles, SummaryOptions(min_bullets=3))
    assert [b.article_ids for b in bullets] == [[1], [3]]
    padded = summarize_extractive(articles, SummaryOptions(min_bullets=3, forced_max_overlap=0.6))
    assert [b.article_ids for b in padded] == [[1], [3], [2]]


def test_a_small_story_of_long_sentences_gets_three_bullets_from_its_clauses() -> None:
    # Three articles, one sentence each, two of them paraphrases: only clauses give three points.
    articles = [
        SourceArticle(
            1,
            "Senate passes budget",
            "The Senate passed the budget bill on Friday by a vote of 51 to 49; the House is "
            "expected to take it up next week, according to party leaders.",
            side="left",
        ),
        SourceArticle(
            2,
            "Budget bill clears the Senate",
            "The Senate passed the budget bill on Friday by a vote of 51 to 49, and the "
            "President said he would sign it, a White House spokesman said.",
            side="right",
        ),
        SourceArticle(
            3,
            "What the budget does",
            "The bill raises military spending by four percent — it also cuts farm subsidies "
            "for the first time in a decade, analysts said.",
            side="center",
        ),
    ]
    bullets = summarize_extractive(articles, SummaryOptions(min_bullets=3))
    assert len(bullets) >= 3
    texts = {a.id: a.text for a in articles}
    for bullet in bullets:
        assert bullet.text[0].isupper()
        assert all(is_verbatim(bullet.text, [texts[i]]) for i in bullet.article_ids)
    whole = summarize_extractive(articles, SummaryOptions(min_bullets=3, clauses=False))
    assert len(whole) < 3


def test_a_paraphrase_of_a_chosen_bullet_is_left_out() -> None:
    articles = [
        SourceArticle(
            1,
            "Bridge collapses",
            "A bridge in the US city of Pittsburgh has collapsed, "
            "injuring ten people, hours before President Joe Biden arrived to speak.",
        ),
        SourceArticle(
            2,
            "Bridge falls",
            "A bridge in Pittsburgh collapsed on Friday as President "
            "Joe Biden arrived in the city. Rescuers pulled ten people from the ravine.",
        ),
    ]
    loose = summarize_extractive(articles, SummaryOptions(max_overlap=1.0, target_tokens=200))
    strict = summarize_extractive(articles, SummaryOptions(max_overlap=0.6, target_tokens=200))
    assert len([b for b in loose if "Biden" in b.text]) == 2
    assert len([b for b in strict if "Biden" in b.text]) == 1


def test_clauses_that_do_not_read_on_their_own_are_not_units() -> None:
    aside = (
        "The tour – which Trump is reportedly unenthusiastic about – comes as the rift between "
        "the president and Democrats hardens."
    )
    spans = clause_spans(aside)
    assert "which Trump is reportedly unenthusiastic about" not in spans
    assert not any(span.lower().startswith("which") for span in spans)
    dangling = "The talks stalled over the feud between the two Republicans and, aides said."
    assert all(not span.endswith(" and") for span in clause_spans(dangling))
    # An independent clause after a single dash still stands as a unit.
    single = "The Senate confirmed the judge on Monday — the vote was close and partisan."
    assert "the vote was close and partisan." in clause_spans(single)
    # A span that stops at the dash closing an aside stops before its main verb.
    paired = (
        "By a 6-3 vote, the court ruled that the 1964 Civil Rights Act — which bans workplace "
        "discrimination based on sex, race and religion — also protects gay workers."
    )
    assert not any(span.endswith("race and religion") for span in clause_spans(paired))


def test_a_piece_of_a_quote_running_over_sentences_is_not_a_bullet() -> None:
    lede = (
        '"We did not tie the aid to the investigation. That is what people said that I said," '
        "he told a skeptical host early in the interview on Sunday. "
        "The acting chief of staff sought to clarify his remarks about military aid on Sunday."
    )
    texts = [b.text for b in summarize_extractive([SourceArticle(1, "Mulvaney", lede)])]
    assert texts and all(t.count('"') % 2 == 0 for t in texts)


def test_a_line_break_ends_a_sentence_and_headings_do_not_fill_the_lede() -> None:
    text = (
        "Story highlights\nThe planes flew to South Korea and back in one mission.\n\n"
        "By Jane Doe\nNorth Korea moved a missile to its east coast. Officials were alarmed."
    )
    assert split_sentences(text)[:2] == [
        "Story highlights",
        "The planes flew to South Korea and back in one mission.",
    ]
    assert lede_sentences(text) == [
        "The planes flew to South Korea and back in one mission.",
        "North Korea moved a missile to its east coast.",
        "Officials were alarmed.",
    ]


def test_photo_credits_players_time_stamps_and_headlines_are_not_lede_sentences() -> None:
    text = (
        "Story highlights Missouri Gov. Jay Nixon notes the over-militarization of police\n\n"
        "Enlarge this image toggle caption Saul Loeb/AFP/Getty Images Saul Loeb/AFP/Getty Images\n"
        "Image copyright Reuters Image caption Protesters gathered outside the court\n"
        "Media playback is unsupported on your device Media caption Three things to watch\n"
        "CLOSE A trade expert says the tariffs will be painful. (May 10) AP, AP\n"
        "New Power Plant Rules Likely To Start Debate Listen · 3:06 3:06\n"
        "Advertisement\n"
        "Sign up for our newsletter and get three stories in your inbox every week.\n"
        "EDITOR'S NOTE: Helping readers stay informed is a form of public service.\n"
        "Support Progressive Journalism The Nation is reader supported: Chip in $10 or more.\n"
        "Nixon Calls For Calm In Ferguson After Second Night\n"
        "Updated at 12:33 p.m. ET\n"
        "10:35 a.m.\n"
        "Posted: Tuesday, May 5, 2015 10:02 AM\n"
        "The governor spoke on Tuesday. Get breaking news alerts and special reports. "
        "A CLOSE vote followed.\n"
        "Update at 1:25 p.m. ET: By a vote of 28-14, the council passed the plan.\n"
        "Georgia to consider charges in the killing as video emerges Read more\n"
        "READ MORE: Poland's populist government targets the courts\n"
        "SHARE THIS ARTICLE Share Tweet Post Email\n"
        "Hide caption Flowers are laid out near the site of the attack in Nice.\n"
        "Photo by John Shinkle/POLITICO Key moments from the testimony The director says it.\n"
        "Noah Smith is a columnist. Read more opinion LISTEN TO ARTICLE 4:18 SHARE THIS ARTICLE "
        "Share Tweet Post Email\n"
        "Supporters of the mayor gather outside the hall in Seattle, Washington, U.S., May 29, "
        "2020. REUTERS/Jason Redmond\n"
        "The mayor waves to supporters in Seattle. (Jason Redmond/Reuters)\n"
        "Updated figures show 5 arrests."
    )
    assert lede_sentences(text) == [
        "Missouri Gov. Jay Nixon notes the over-militarization of police",
        "The governor spoke on Tuesday.",
        "A CLOSE vote followed.",
        "By a vote of 28-14, the council passed the plan.",
        "Updated figures show 5 arrests.",
    ]
    bullets = summarize_extractive([SourceArticle(1, "Nixon on police", text)])
    assert bullets and all(is_verbatim(b.text, [text]) for b in bullets)
    assert not any("Getty" in b.text or "CLOSE A" in b.text for b in bullets)


def test_the_pieces_of_a_sentence_broken_across_lines_are_not_lede_sentences() -> None:
    text = (
        "The administration said on Monday that the United States\n"
        "will not be a part of the international charge. It notified the United Nations.\n"
        "This photo taken from video shows responders near the base, Fla., Friday, Dec. 6, 2019.\n"
        "Officials spoke to reporters on Tuesday."
    )
    assert lede_sentences(text) == [
        "It notified the United Nations.",
        "Officials spoke to reporters on Tuesday.",
    ]
    # A text that opens in lower case opens mid-sentence; a promotion inside a paragraph costs
    # only its own sentence.
    assert lede_sentences(
        "claimed responsibility on Monday. The attack killed 12.\n"
        "This is a rush transcript. Copy may not be final."
    ) == ["The attack killed 12.", "Copy may not be final."]


def test_links_and_headings_are_not_lede_sentences_but_cnn_highlights_are() -> None:
    text = (
        "Obama defends Bergdahl deal\n"
        "President Obama on Tuesday defended the prisoner swap.\n"
        "• Check your privilege, GOP establishment\n"
        "The deal was criticized by lawmakers of both parties."
    )
    assert lede_sentences(text) == [
        "President Obama on Tuesday defended the prisoner swap.",
        "The deal was criticized by lawmakers of both parties.",
    ]
    highlights = (
        "Story highlights Nixon notes the over-militarization of police\n"
        "Nixon also criticizes the release of a video\n"
        "Nixon spoke on Tuesday in St. Louis."
    )
    assert lede_sentences(highlights) == [
        "Nixon notes the over-militarization of police",
        "Nixon also criticizes the release of a video",
        "Nixon spoke on Tuesday in St. Louis.",
    ]


def test_a_link_between_paragraphs_and_a_credit_after_a_bar_are_not_lede_sentences() -> None:
    text = (
        "Trump praised Putin on Friday for holding off on sanctions.\n"
        "Putin-Trump 'bromance' broadens post-sanctions\n"
        # Politico's caption: the picture's text, a bar, its credit, then a link.
        "Tillerson will need to explain his views. | AP Photo What to watch for at the hearing\n"
        "The move goes against the advice of the foreign minister."
    )
    assert lede_sentences(text) == [
        "Trump praised Putin on Friday for holding off on sanctions.",
        "The move goes against the advice of the foreign minister.",
    ]


def test_links_embedded_posts_and_announcing_colons_are_not_bullets() -> None:
    lede = (
        "Amber Guyger is found guilty of murder in the death of Botham Jean https://t.co/AeS16Wz3\n"
        "House lawyers say the testimony could lead to new articles. pic.twitter.com/DXiEl0KXwL\n"
        "The prosecutor described the shooting in her closing argument to the jury:\n"
        "A Dallas jury found former officer Amber Guyger guilty of murder on Tuesday. "
        "The jury deliberated for less than six hours before reaching its verdict."
    )
    texts = [b.text for b in summarize_extractive([SourceArticle(1, "Guyger verdict", lede)])]
    assert texts
    assert not any("http" in t or "pic.twitter" in t or t.endswith(":") for t in texts)


def test_a_dateline_or_an_opening_condition_is_not_part_of_a_unit() -> None:
    assert "North Korea has moved a missile to its east coast." in clause_spans(
        "SEOUL, South Korea — North Korea has moved a missile to its east coast."
    )
    assert "President Joe Biden signed the bill on Tuesday." in clause_spans(
        "WASHINGTON (AP) — President Joe Biden signed the bill on Tuesday."
    )
    spans = clause_spans(
        "If the senator asks for asylum in Iceland, officials said, it is granted."
    )
    assert not any(span.startswith("If") for span in spans)


def test_an_attribution_is_cut_only_where_it_ends_the_sentence_and_a_claim_keeps_its_speaker() -> (
    None
):
    # "said" is the main verb here: cutting before it would leave the subject alone.
    subject = "Adm. Hossein Khanzadi, Iran's naval chief, said Iran can deliver a response."
    assert not any(
        span.startswith("Adm. Hossein Khanzadi, Iran's naval chief") and "said" not in span
        for span in clause_spans(subject)
    )
    assert "Job openings soared to a record high in April" in clause_spans(
        "Job openings soared to a record high in April, the Labor Department said Tuesday."
    )
    claim = "The committee claimed that the campaign conspired with a foreign government."
    assert not any(span.startswith("the campaign") for span in clause_spans(claim))


def test_wire_credits_are_datelines_and_headlines_in_the_text_are_not_bullets() -> None:
    assert "The biggest takeaway is that Russians are still interfering." in clause_spans(
        "Washington (CNN) The biggest takeaway is that Russians are still interfering."
    )
    spans = clause_spans(
        "Al ASAD AIR BASE, Iraq (Reuters) - President Trump defended his decision."
    )
    assert "President Trump defended his decision." in spans
    assert "Al ASAD AIR BASE, Iraq" not in spans
    # A bracket after a mixed-case subject is not a credit.
    assert not any(
        span.startswith("raised")
        for span in clause_spans("The Federal Reserve (Fed) raised rates again on Wednesday.")
    )
    teaser = "In A Bitterly Divided Nation, Will Robert Mueller's Testimony Change Any Minds?"
    articles = [
        SourceArticle(
            1, "Mueller testifies", f"{teaser}\nMueller told Congress that Russia interfered."
        ),
        SourceArticle(
            2, "Mueller hearing", "Mueller told Congress on Wednesday that Russia interfered."
        ),
    ]
    assert all(teaser not in b.text for b in summarize_extractive(articles))


def test_a_bullet_never_starts_with_a_dateline() -> None:
    articles = [
        SourceArticle(
            1, "Boehner", "Washington (CNN) House Speaker John Boehner downplayed the rift."
        ),
        SourceArticle(
            2, "Boehner", "WASHINGTON (AP) — House Speaker John Boehner downplayed a rift."
        ),
    ]
    bullets = summarize_extractive(articles)
    assert bullets
    assert all(not b.text.startswith(("Washington", "WASHINGTON")) for b in bullets)
    live = (
        "DALLAS (AP) — The Latest on the trial of a former Dallas police officer convicted of "
        "murder (all times local)"
    )
    assert clause_spans(live)
    assert all(not span.startswith("DALLAS") for span in clause_spans(live))


def test_a_sentence_may_open_with_a_dependent_clause() -> None:
    spans = clause_spans(
        "When the storm hit the coast, 12 people died in the floods, officials said."
    )
    assert "When the storm hit the coast, 12 people died in the floods" in spans


def test_initials_hyphenated_titles_and_glued_paragraphs_split_where_a_reader_would() -> None:
    text = (
        "Barr, who served under President George H.W. Bush, told the Senate. "
        "Bolton was named to succeed H.R. McMaster. "
        "She told her mother about her former boss, then-Sen. Joe Biden. "
        "The index had its worst drop since 1987, when it fell more than 22%.The S&P 500 fell 9.5%."
    )
    assert split_sentences(text) == [
        "Barr, who served under President George H.W. Bush, told the Senate.",
        "Bolton was named to succeed H.R. McMaster.",
        "She told her mother about her former boss, then-Sen. Joe Biden.",
        "The index had its worst drop since 1987, when it fell more than 22%.",
        "The S&P 500 fell 9.5%.",
    ]
    # A domain name is not two sentences.
    assert split_sentences("Shoppers went to Amazon.com on Monday.") == [
        "Shoppers went to Amazon.com on Monday."
    ]


def _bullets(lede: str) -> list[str]:
    return [b.text for b in summarize_extractive([SourceArticle(1, "Story", lede)])]


def _every_unit(lede: str) -> list[str]:
    """Five bullets asked of a lede of five sentences at most: every unit that may be a bullet."""
    every = SummaryOptions(min_bullets=5, max_bullets=5)
    return [b.text for b in summarize_extractive([SourceArticle(1, "Story", lede)], every)]


def test_questions_exclamations_and_transcript_lines_are_not_bullets() -> None:
    lede = (
        "The governor refused on Saturday to resign over a racist photo in his yearbook. "
        "What is Northam saying now? "
        'Is it legal for a governor to be "wire tapping" a race before an election? '
        "Assaulted by lies and Fake News! "
        "ABC NEWS' JONATHAN KARL: So the demand for an investigation was part of the reason. "
        'Critics asked on Sunday: "How did that language become offensive?" '
        "Fellow Democrats in the state legislature called on him to step down within hours."
    )
    texts = _bullets(lede)
    assert texts
    assert not any(t.endswith(("?", "!")) for t in texts)
    assert not any("KARL" in t or t.startswith("So the demand") for t in texts)
    # A question quoted inside a statement is the statement's, and it may be a unit.
    quoted = 'Critics asked on Sunday: "How did that language become offensive?"'
    assert _bullets(quoted) == [quoted]


def test_bullets_do_not_open_with_a_pronoun_or_a_conjunction_that_needs_the_sentence_before() -> (
    None
):
    lede = (
        "The Senate voted 52-48 on Tuesday to confirm the nominee to the appeals court. "
        "He declined to give details about the hearing schedule to reporters. "
        "But the vote was the narrowest for a judicial nominee in a decade. "
        "They told police the senator had been threatened before the vote. "
        "So far, 12 senators have asked for a new hearing on the nomination."
    )
    # Five bullets asked of five sentences: every unit that may be a bullet is one.
    texts = _every_unit(lede)
    assert texts
    assert not any(t.split()[0] in {"He", "But", "They"} for t in texts)
    assert any(t.startswith("So far") for t in texts)
    writer = (
        "The Senate voted 52-48 on Tuesday to confirm the nominee to the appeals court. "
        "I asked the senator again about the vote after the hearing on Tuesday. "
        "We will keep reporting on the nomination as the hearings go on."
    )
    texts = _every_unit(writer)
    assert texts and not any(t.split()[0] in {"I", "We"} for t in texts)
    # A quotation alone names no speaker, "Also," or "Of course," answers the sentence before, and a
    # sentence in brackets is an aside.
    linked = (
        "The Senate voted 52-48 on Tuesday to confirm the nominee to the appeals court. "
        "“That’s the narrowest margin for a judicial nominee in a decade.” "
        "Also, the vote came a day after the hearing on the nomination ended. "
        "Of course, the nominee still has to be sworn in before taking the seat. "
        "(The vote had been moved up by a day because of the storm warnings.)"
    )
    assert _every_unit(linked) == [
        "The Senate voted 52-48 on Tuesday to confirm the nominee to the appeals court."
    ]
    lost = (
        "The Senate voted 52-48 on Tuesday to confirm the nominee to the appeals court. "
        "Says the court will hear the case of the nominee in the spring. "
        "Ted] Cruz, and I've gotten hundreds of votes more than the nominee did."
    )
    texts = _every_unit(lost)
    assert texts == [
        "The Senate voted 52-48 on Tuesday to confirm the nominee to the appeals court."
    ]


def test_a_dependent_clause_standing_as_a_sentence_is_no_bullet() -> None:
    lede = (
        "Two sources told BuzzFeed News that the president directed his lawyer to lie to "
        "Congress about the Moscow tower project. In order to obscure Trump's involvement. "
        "When the report appeared, the special counsel's office disputed it within a day. "
        "Because the talks had gone on for months. "
        "Something the office has resisted for decades."
    )
    texts = _every_unit(lede)
    assert texts
    assert not any(t.startswith(("In order to", "Because", "Something", "Without")) for t in texts)
    # Opening with a dependent clause that the main clause follows is a sentence.
    assert any(t.startswith("When the report appeared") for t in texts)
    lone = (
        "The opposition leader called for the army to oust the president on Tuesday. "
        "Without any concrete signs of defection from the armed forces leadership."
    )
    texts = _every_unit(lone)
    assert texts == ["The opposition leader called for the army to oust the president on Tuesday."]


def test_an_opener_with_a_list_or_two_adjectives_gives_no_span_from_its_first_comma() -> None:
    listed = (
        "In precampaign stops in Iowa, South Carolina and New Hampshire, Mr. de Blasio has said "
        "that the country is witnessing a new era."
    )
    assert not any(s.startswith("South Carolina") for s in clause_spans(listed))
    paired = (
        "After a difficult, monthlong journey from Central America to the border, the migrants "
        "arrived in Tijuana on Sunday."
    )
    assert not any(s.startswith("monthlong") for s in clause_spans(paired))
    # A verb is a whole word: "this" holds no "is".
    dated = "In stops in Iowa, this fall and last spring, Mr. de Blasio said he would run."
    assert not any(s.startswith("this fall") for s in clause_spans(dated))
    # After a real opener a clause follows, whatever commas come later.
    opener = "On Monday, thousands of people descended on the Capitol in Lansing, Michigan."
    assert "thousands of people descended on the Capitol in Lansing, Michigan." in clause_spans(
        opener
    )


def test_an_appositive_after_a_dash_is_no_unit() -> None:
    cut = "The Fed cut rates by half a point on Tuesday — a move that surprised markets."
    assert clause_spans(cut) == ["The Fed cut rates by half a point on Tuesday"]
    program = (
        "The court heard arguments on the end of the DACA program — an Obama-era program that "
        "allows immigrants brought to the U.S. as children to work."
    )
    assert not any(s.startswith("an Obama-era") for s in clause_spans(program))
    # At a sentence's start "a … who" is its subject.
    assert "A man who was shot on Tuesday died" in clause_spans(
        "A man who was shot on Tuesday died, police said."
    )


def test_no_unit_is_a_subject_cut_from_its_verb_by_an_aside() -> None:
    gdp = (
        "The nation's gross domestic product – the value of all goods and services produced in "
        "the economy – increased at an annual rate of 2.6 percent in the last quarter."
    )
    spans = clause_spans(gdp)
    assert "The nation's gross domestic product" not in spans
    assert not any(s.startswith(("the value", "increased")) for s in spans)
    # Between any two dashes is an aside, however many dashes the sentence has.
    three = (
        "Black leaders said it was offensive for Trump to pick that date — June 19 — and that "
        "place — Tulsa, a city that in 1921 was the site of a massacre."
    )
    assert "June 19 — and that place" not in clause_spans(three)
    # A clause complete before an aside that a conjunction follows is still a unit.
    whole = (
        "The Senate passed the bill on Tuesday — a rare bipartisan win — and the House is "
        "expected to follow next week."
    )
    assert "The Senate passed the bill on Tuesday" in clause_spans(whole)


def test_a_sentence_the_text_cuts_off_gives_only_its_complete_clauses() -> None:
    lede = (
        "U.S. forces killed the leader of the Islamic State in a raid in Syria on Sunday. "
        "The operation was named after Kayla Mueller, an aid worker who was kidnapped, tortured…"
    )
    texts = _every_unit(lede)
    assert texts
    assert not any("tortured" in t for t in texts)
    cut = (
        "The Alabama Senate on Tuesday passed a bill that bans nearly all abortions in the "
        "state, and the measure now goes to Gov. Kay Ivey's"
    )
    texts = _every_unit(cut)
    assert texts == [
        "The Alabama Senate on Tuesday passed a bill that bans nearly all abortions in the state"
    ]


def test_a_sentence_announcing_a_quote_is_not_a_bullet_without_its_colon() -> None:
    assert clause_spans("Here is the Politico lede on the story about the report:") == []


def test_a_bracket_is_cut_off_only_at_the_end_and_but_needs_a_subject_after_it() -> None:
    named = (
        "House Judiciary Committee Chairman Jerrold Nadler (D-N.Y.) said he would give the "
        "attorney general time to produce the report."
    )
    assert "House Judiciary Committee Chairman Jerrold Nadler" not in clause_spans(named)
    trailing = "The gunman opened fire at the Gilroy Garlic Festival in California (photos)."
    assert "The gunman opened fire at the Gilroy Garlic Festival in California" in clause_spans(
        trailing
    )
    verb = (
        "The agency relaxed its guidance for vaccinated people on Tuesday, but urged the "
        "continued use of face coverings indoors."
    )
    assert not any(s.startswith("urged") for s in clause_spans(verb))
    subject = (
        "The agency relaxed its guidance for vaccinated people on Tuesday, but the change "
        "does not apply to schools."
    )
    assert "the change does not apply to schools." in clause_spans(subject)


def test_a_getty_credit_after_a_bar_marks_a_caption() -> None:
    from newsprism.ingest.page_furniture import is_photo_caption

    caption = (
        "On Friday, one of Michael Flynn's closest deputies was denied clearance. | Getty CIA "
        "freezes out top Flynn aide The agency denied a security clearance for a key aide."
    )
    assert is_photo_caption(caption)
    assert not is_photo_caption("Getty Images said on Monday it would sell its archive.")
