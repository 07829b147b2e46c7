"""Framing (log-odds with a corpus prior), headlines by side, tags and the corpus counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from newsprism.analyze.corpus import META_KEY, corpus_counts, stored_corpus_counts
from newsprism.analyze.framing import CorpusCounts, framing, headlines_by_side, log_odds_z
from newsprism.analyze.tags import clean_name, story_tags, tag_kind
from newsprism.analyze.terms import framing_terms, framing_text
from newsprism.store.story_pages import StoryArticle, meta_value
from newsprism.summarize.sentences import DATELINE

T0 = datetime(2026, 3, 2, tzinfo=UTC)
CORPUS = CorpusCounts(
    counts={"border": 400, "bill": 300, "senate": 250, "immigrants": 40, "migrants": 60},
    total=100_000,
)


def _article(i: int, title: str, lede: str, repost_of: int | None = None) -> StoryArticle:
    return StoryArticle(
        i, f"https://x.org/{i}", title, lede, T0, T0, i, repost_of, "en", f"Outlet {i}", None, None
    )


def _tag_names(ledes: list[str]) -> set[str]:
    """The tag names of a story of one article per lede (headline "x")."""
    return {t["name"] for t in story_tags([_article(i, "x", t) for i, t in enumerate(ledes)])}


def _immigration_story() -> tuple[list[StoryArticle], dict[int, str]]:
    articles, sides = [], {}
    for i in range(8):
        articles.append(
            _article(
                i,
                "Senate border bill would protect undocumented immigrants",
                "The Senate border bill offers undocumented immigrants a path.",
            )
        )
        sides[i] = "left"
    for i in range(8, 16):
        articles.append(
            _article(
                i,
                "Senate border bill is amnesty for illegal aliens",
                "The Senate border bill rewards illegal aliens with amnesty.",
            )
        )
        sides[i] = "right"
    for i in range(16, 19):
        articles.append(_article(i, "Senate debates border bill", "The Senate debated the bill."))
        sides[i] = "center"
    return articles, sides


def test_each_side_gets_the_words_that_set_its_coverage_apart() -> None:
    articles, sides = _immigration_story()
    result = framing(articles, sides, CORPUS, min_z=1.96, max_terms=5)
    left = [w["term"] for w in result["words"]["left"]]
    right = [w["term"] for w in result["words"]["right"]]
    assert "undocumented immigrants" in left
    assert "illegal aliens" in right and "amnesty" in right
    shared = {"senate", "border", "bill", "senate border", "border bill"}
    assert not shared & (set(left) | set(right))
    # A word already shown inside a phrase is not repeated on its own.
    assert "undocumented" not in left and "aliens" not in right
    assert all(w["z"] >= 1.96 and w["count"] >= 2 for w in result["words"]["right"])
    assert result["method"].startswith("log-odds ratio")


def test_the_corpus_prior_shrinks_words_common_everywhere() -> None:
    own, rest = Counter({"border": 6, "amnesty": 6}), Counter({"border": 1, "path": 5})
    z = log_odds_z(own, own + rest, CORPUS, prior_strength=1000.0)
    assert z["amnesty"] > z["border"] > 0


def test_no_framing_without_a_second_side_to_compare_with() -> None:
    articles, sides = _immigration_story()
    only_left = [a for a in articles if sides[a.id] == "left"]
    result = framing(only_left, sides, CORPUS, min_z=1.96, max_terms=5)
    assert result["words"] == {"left": [], "center": [], "right": []}


def test_headlines_by_side_leave_reposts_out_and_name_the_outlet() -> None:
    articles, sides = _immigration_story()
    articles.append(_article(30, "Repost of a left headline", "", repost_of=0))
    sides[30] = "left"
    heads = headlines_by_side(articles, sides, {0: "Left Daily"}, per_side=3)
    assert len(heads["left"]) == 3 and heads["left"][0]["outlet"] == "Left Daily"
    assert all(h["id"] != 30 for h in heads["left"])
    assert heads["unrated"] == []


def test_framing_terms_are_content_words_and_adjacent_pairs() -> None:
    assert framing_terms("The Senate's border bill") == [
        "senate",
        "border",
        "senate border",
        "bill",
        "border bill",
    ]


def test_corpus_counts_are_built_once_and_kept_in_meta(db, settings) -> None:  # type: ignore[no-untyped-def]
    from storydata import add_bridge_story

    add_bridge_story(db)
    with db.write() as conn:
        counts = corpus_counts(conn, settings)
    assert counts.counts["pittsburgh"] >= 6 and counts.total > 50
    with db.read() as conn:
        stored = meta_value(conn, META_KEY)
    assert stored["documents"] == 7
    with db.write() as conn:
        again = corpus_counts(conn, settings)
    assert again.counts == counts.counts
    with db.read() as conn:
        fresh = stored_corpus_counts(conn, settings)
        assert fresh is not None and fresh.counts == counts.counts
        assert stored_corpus_counts(conn, replace(settings, framing_corpus_max_age_h=0)) is None


def test_tags_are_names_several_reports_use_with_their_kind() -> None:
    ledes = [
        "President Joe Biden met Prime Minister Rishi Sunak in London on Monday. The Labour "
        "Party criticised the deal, and NATO welcomed it.",
        "Joe Biden and Rishi Sunak signed a deal in London. NATO said the Labour Party was wrong.",
        "Biden and Sunak agreed on Monday, officials in London said.",
    ]
    articles = [_article(i, "deal signed", lede) for i, lede in enumerate(ledes)]
    tags = {t["name"]: t for t in story_tags(articles)}
    assert tags["Joe Biden"]["kind"] == "person"
    assert tags["Rishi Sunak"]["kind"] == "person"
    assert tags["London"]["kind"] == "place" and tags["London"]["articles"] == 3
    assert tags["NATO"]["kind"] == "organisation"
    assert tags["Labour Party"]["kind"] == "organisation"
    assert tags["Joe Biden"]["search"] == "/search?q=Joe+Biden"
    assert "Monday" not in tags and "Biden" not in tags and "Prime Minister Rishi Sunak" not in tags


def test_a_name_in_one_report_of_many_is_not_a_tag() -> None:
    articles = [
        _article(0, "x", "Alice Walker spoke in Paris."),
        _article(1, "y", "Talks went on."),
    ]
    assert story_tags(articles) == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Fern Hollow Creek", "place"),
        ("Justice Department", "organisation"),
        ("FBI", "organisation"),
        ("Ed Gainey", "person"),
        ("Pittsburgh", "other"),
        ("Republican National Convention", "other"),
        ("Affordable Care Act", "other"),
        ("Bill Clinton", "person"),
        ("Nathan Deal", "person"),
    ],
)
def test_tag_kinds(name: str, kind: str) -> None:
    assert tag_kind(name) == kind


def test_titles_are_taken_off_names() -> None:
    assert clean_name("Sen. Bernie Sanders") == "Bernie Sanders"
    assert clean_name("President") is None
    assert clean_name("Friday") is None


def test_a_single_name_written_where_a_place_goes_is_a_place() -> None:
    ledes = [
        "A bridge in Pittsburgh collapsed on Friday, a statement from Gainey said.",
        "Rescuers in Pittsburgh searched the ravine after Gainey spoke.",
    ]
    tags = {
        t["name"]: t["kind"] for t in story_tags([_article(i, "x", t) for i, t in enumerate(ledes)])
    }
    assert tags == {"Pittsburgh": "place", "Gainey": "other"}


def test_a_comma_bracket_or_dash_ends_a_name() -> None:
    from newsprism.analyze.names import names

    found = names("(CNN) – Sen. Lindsey Graham met Obama, Biden and Clinton in Boston, Mass.", "en")
    assert {"Lindsey Graham", "Obama", "Biden", "Clinton", "Boston", "CNN"} <= found
    assert not any(" " in n and ("CNN" in n or "Obama" in n or "Boston" in n) for n in found)
    assert "Prime Minister Theresa May" in names("Prime Minister Theresa May spoke in May.", "en")
    assert clean_name("Prime Minister Theresa May") == "Theresa May"
    # A hyphen inside a name is part of it.
    assert "Kim Jong-un" in names("The talks with Kim Jong-un resumed.", "en")
    # A middle initial stays inside the name, and capitalized "New" starts one.
    found = names("She sat with George W. Bush. The New York Times saw it. New rules apply.", "en")
    assert {"George W. Bush", "New York Times"} <= found
    assert not {"George", "York Times", "New"} & found
    assert clean_name("D-Calif") is None and clean_name("R-Texas") is None
    assert clean_name("D-Day") == "D-Day"
    assert clean_name("Dec") is None and clean_name("Sept") is None
    assert clean_name("President-elect Donald Trump") == "Donald Trump"
    assert clean_name("Education Secretary-designate Betsy DeVos") == "Betsy DeVos"
    assert clean_name("Cincinnati Thursday") == "Cincinnati"
    assert "New FBI" not in names("New FBI records show it was leaked.", "en")
    # A possessive ends the owner's name: what follows is another name.
    found = names("She called CNN's Larry King Live after Theresa May's speech.", "en")
    assert {"CNN", "Larry King Live", "Theresa May"} <= found
    assert "CNN Larry King Live" not in found
    found = names("Prime Minister Theresa May’s Brexit deal failed again.", "en")
    assert {"Prime Minister Theresa May", "Brexit"} <= found
    assert not any("May Brexit" in n for n in found)


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Brexit Secretary Stephen Barclay", "Stephen Barclay"),
        ("Associate Justice Neil Gorsuch", "Neil Gorsuch"),
        ("Acting Secretary Chad Wolf", "Chad Wolf"),
        ("Irish Prime Minister Leo Varadkar", "Leo Varadkar"),
        ("Special Counsel Robert Mueller", "Robert Mueller"),
        ("Rep. Steve King", "Steve King"),
        ("Kanye West", "Kanye West"),
        ("Justice Department", "Justice Department"),
        ("Martin Luther King Jr. Day", "Martin Luther King Jr. Day"),
        ("Reuters Image", "Reuters"),
        ("Ousted FBI Director James Comey", "James Comey"),
        ("Secretary of State Hillary Rodham Clinton", "Hillary Rodham Clinton"),
        ("Irish Prime Minister", None),
        ("FBI Director", None),
        ("Kentucky Republican", None),
        ("Conservative Republicans", None),
        ("Senate Republicans", "Senate Republicans"),
        ("South Korean", None),
        ("Democratic", None),
        ("North", None),
        ("Image", None),
    ],
)
def test_names_lose_titles_and_describing_words_are_not_names(
    surface: str, name: str | None
) -> None:
    assert clean_name(surface) == name


def test_photo_credits_are_not_framing_words() -> None:
    text = framing_text(
        "Senate passes border bill",
        "Enlarge this image toggle caption Saul Loeb/AFP via Getty Images\nThe Senate passed it.",
    )
    terms = framing_terms(text)
    assert "senate" in terms and "passed" in terms
    assert not {"enlarge", "caption", "getty", "loeb"} & set(terms)


def test_handles_in_embedded_posts_give_no_tags() -> None:
    ledes = [
        "Senators met Pfizer executives on Tuesday. pic.twitter.com/x — Tucker (@TuckerCarlson)",
        "The Senate heard from Pfizer on Tuesday, @TuckerCarlson wrote.",
    ]
    names = _tag_names(ledes)
    assert "Pfizer" in names
    assert not any("TuckerCarlson" in name for name in names)


def test_photo_credits_give_no_tags() -> None:
    ledes = [
        "Enlarge this image toggle caption Saul Loeb/AFP/Getty Images\nSenators met Pfizer executives on Tuesday.",
        "Enlarge this image toggle caption Saul Loeb/AFP\nThe Senate heard from Pfizer on Tuesday.",
    ]
    names = _tag_names(ledes)
    assert "Pfizer" in names
    assert not any("Saul" in name or "Loeb" in name for name in names)


def test_a_dateline_gives_no_tags() -> None:
    ledes = [
        "WASHINGTON (AP) — Senators met Pfizer executives on Tuesday.",
        "WASHINGTON (AP) — The Senate heard from Pfizer on Tuesday.",
    ]
    names = _tag_names(ledes)
    assert "Pfizer" in names
    assert not names & {"WASHINGTON", "AP"}


def test_a_number_opening_a_sentence_is_no_part_of_a_name() -> None:
    from newsprism.analyze.names import names

    found = names(
        "Four Minneapolis police officers were fired. Dozens of House Democrats met.", "en"
    )
    assert {"Minneapolis", "House Democrats"} <= found
    assert not any(n.startswith(("Four", "Dozens")) for n in found)
    # Inside a sentence a capitalized number is part of the name.
    assert "Big Four" in names("The deal was signed by the Big Four on Monday.", "en")


def test_a_number_that_begins_a_name_stays_in_it() -> None:
    from newsprism.analyze.names import names

    found = names(
        'Using the 25th Amendment came up on CBS\' "60 Minutes" and in the 9th Circuit.', "en"
    )
    assert {"25th Amendment", "60 Minutes", "9th Circuit"} <= found
    assert not {"Amendment", "Minutes", "Circuit"} & found
    # After a count, one capitalized word is what is counted; a year is no count.
    found = names(
        "He told CBS' 60 Minutes that 20 Republicans knew of the 2012 Benghazi attack.", "en"
    )
    assert not {"Minutes", "Republicans"} & found
    assert "Benghazi" in found


def test_lower_case_particles_stay_inside_a_name() -> None:
    from newsprism.analyze.names import names

    found = names(
        "The raid killed Abu Bakr al-Baghdadi, Luiz Inácio Lula da Silva said, and Mayor Bill de "
        "Blasio agreed that al Qaeda lost a rival.",
        "en",
    )
    assert {"Abu Bakr al-Baghdadi", "Luiz Inácio Lula da Silva", "al Qaeda"} <= found
    assert (
        "Mayor Bill de Blasio" in found and clean_name("Mayor Bill de Blasio") == "Bill de Blasio"
    )
    assert not {"Abu Bakr", "Luiz Inácio Lula", "Qaeda"} & found
    assert tag_kind("Abu Bakr al-Baghdadi") == "person"


def test_and_or_for_inside_the_name_of_a_body_stay_in_it() -> None:
    from newsprism.analyze.names import names

    found = names(
        "He ended Deferred Action for Childhood Arrivals (DACA), the House Ways and Means "
        "Committee said, and the Center for American Progress objected.",
        "en",
    )
    assert {
        "Deferred Action for Childhood Arrivals",
        "House Ways and Means Committee",
        "Center for American Progress",
    } <= found
    assert not {"Deferred Action", "Childhood Arrivals", "House Ways", "Means Committee"} & found
    found = names("They end the Immigration and Customs Enforcement, or ICE, raids.", "en")
    assert "Immigration and Customs Enforcement" in found


def test_and_or_for_between_separate_names_split_them() -> None:
    from newsprism.analyze.names import names

    found = names(
        "He met Obama, Biden and Clinton. Then Trump and Pelosi spoke, House Republicans and White "
        "House aides argued, and it was a win at the Supreme Court for Trump and U.S. lawmakers.",
        "en",
    )
    assert {
        "Biden",
        "Clinton",
        "Pelosi",
        "House Republicans",
        "White House",
        "Supreme Court",
    } <= found
    assert not any(" and " in n or " for " in n or "U." in n for n in found)


def test_a_day_named_by_the_word_before_it_keeps_it() -> None:
    from newsprism.analyze.names import names

    found = names(
        'Stocks had their worst day since "Black Monday" as Independence Day neared.', "en"
    )
    assert {"Black Monday", "Independence Day"} <= found
    assert clean_name("Black Monday") == "Black Monday"
    assert clean_name("Super Tuesday") == "Super Tuesday"
    assert clean_name("Independence Day") == "Independence Day"
    # A weekday after a person or a place is when it happened; "Today" after a name is in it.
    assert clean_name("President Trump Tuesday") == "Trump"
    assert clean_name("Cincinnati Thursday") == "Cincinnati"
    assert clean_name("USA Today") == "USA Today"


def test_a_slash_ends_a_name_and_datelines_and_photo_credits_give_no_tags() -> None:
    from newsprism.analyze.names import names

    assert {"CNN", "ORC International"} <= names("A new CNN/ORC International poll shows it.", "en")
    for dateline in ("NEW YORK/WASHINGTON (Reuters) - ", "WASHINGTON (CBSDC/AP) — "):
        assert DATELINE.sub("", dateline + "The rule", count=1) == "The rule"
    ledes = [
        "NEW YORK/WASHINGTON (Reuters) - Senators met Pfizer executives on Tuesday.",
        "NEW YORK/WASHINGTON (Reuters) - The Senate heard from Pfizer.",
        "The Senate met Pfizer about the vaccine deal this week. | M. Scott Mahaskey/POLITICO "
        "Congress House Dems authorize a subpoena for the full report",
        "Senators met Pfizer about the vaccine deal on Monday. | M. Scott Mahaskey/POLITICO "
        "Congress House Dems authorize a subpoena for the full report",
    ]
    found = _tag_names(ledes)
    assert "Pfizer" in found
    assert not any(
        word in n for n in found for word in ("YORK", "WASHINGTON", "Mahaskey", "POLITICO", "Dems")
    )


def test_a_common_word_opening_a_sentence_is_no_part_of_a_name() -> None:
    from newsprism.analyze.names import names

    found = names(
        "Sometimes Congress goes beyond parody. Parents of Texas boy sue. Recently I've wondered.",
        "en",
    )
    assert {"Congress", "Texas"} <= found
    assert not any(n.startswith(("Sometimes", "Parents", "Recently")) for n in found)
    assert clean_name("I've") is None


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Supreme Court Justice Brett Kavanaugh", "Brett Kavanaugh"),
        ("Supreme Court Justice", None),
        ("SEAL Eddie Gallagher", "Eddie Gallagher"),
        ("Navy SEAL Eddie Gallagher", "Eddie Gallagher"),
        ("Trump AG William Barr", "William Barr"),
        ("Trump AG", None),
        ("House Judiciary Committee Chair Jerry Nadler", "Jerry Nadler"),
        ("Kentucky Democrat", None),
        ("Sens", None),
    ],
)
def test_titles_inside_a_run_are_taken_off_the_person(surface: str, name: str | None) -> None:
    assert clean_name(surface) == name


def test_a_hyphenated_description_is_no_name_but_the_name_in_it_is() -> None:
    from newsprism.analyze.names import names

    found = names(
        "The Chinese-ruled city fought Obama-era rules and Tea Party-backed groups, Alexandria "
        "Ocasio-Cortez told Coca-Cola and the Obama-Biden team.",
        "en",
    )
    assert {"Obama", "Tea Party", "Alexandria Ocasio-Cortez", "Coca-Cola", "Obama-Biden"} <= found
    assert not any(n.endswith(("-ruled", "-era", "-backed")) for n in found)
    assert clean_name("Chinese") is None


def test_a_name_cut_short_by_the_reading_limit_is_no_tag() -> None:
    from newsprism.analyze.tags import TAG_CHARS

    lede = "Senators met Pfizer. " + "x " * ((TAG_CHARS - 30) // 2)
    cut = lede[: TAG_CHARS - 8] + "the White House said."
    found = _tag_names([cut, cut])
    assert "Pfizer" in found
    assert not any(n.startswith("White") for n in found)


def test_a_name_split_at_for_counts_for_the_whole_name_the_story_spells_out() -> None:
    ledes = [
        "The president said he would end Deferred Action for Childhood Arrivals (DACA) soon.",
        "The court said that the Deferred Action for Childhood Arrivals program must go on.",
        "Judges said that the Deferred Action for Childhood Arrivals policy was lawful.",
    ]
    articles = [_article(i, "x", lede) for i, lede in enumerate(ledes)]
    tags = {t["name"]: t["articles"] for t in story_tags(articles)}
    assert tags["Deferred Action for Childhood Arrivals"] == 3
    assert not {"Deferred Action", "Childhood Arrivals"} & set(tags)


def test_an_ampersand_joins_one_name() -> None:
    tags = _tag_names(
        [
            "The FDA told Johnson & Johnson on Monday to add a warning to its vaccine.",
            "The warning to Johnson & Johnson came as AT&T and Procter & Gamble reported.",
            "Johnson & Johnson said on Fox & Friends that the vaccine is safe.",
            "Shares of AT&T and Procter & Gamble fell as a guest on Fox & Friends spoke.",
        ]
    )
    assert {"Johnson & Johnson", "AT&T", "Procter & Gamble", "Fox & Friends"} <= tags
    assert "Johnson Johnson" not in tags and "Fox Friends" not in tags


def test_a_known_name_with_and_inside_stays_whole_without_its_acronym() -> None:
    from newsprism.analyze.names import names

    found = names(
        "The Food and Drug Administration and the Securities and Exchange Commission met in Bosnia "
        "and Herzegovina, and Trump and White House aides spoke.",
        "en",
    )
    assert {
        "Food and Drug Administration",
        "Securities and Exchange Commission",
        "Bosnia and Herzegovina",
        "White House",
    } <= found
    assert not {"Food", "Drug Administration", "Securities", "Exchange Commission"} & found
    assert not any("Trump and" in name for name in found)


def test_first_starts_a_name_but_not_a_plain_sentence() -> None:
    tags = _tag_names(
        [
            "The court upheld the First Amendment rights of students, First Lady Jill Biden said.",
            "First Amendment lawyers welcomed it as part of the America First agenda's defeat.",
            "First responders were not involved. First, the court heard the students.",
            "Lawyers said the case would go on, and First Lady Jill Biden faulted the America "
            "First movement for the loss.",
        ]
    )
    assert {"First Amendment", "Jill Biden", "America First"} <= tags
    assert not {"Amendment", "First Lady Jill Biden", "First", "America"} & tags


def test_words_in_capitals_that_are_not_acronyms_are_no_tags() -> None:
    tags = _tag_names(
        [
            "NRPLUS MEMBER ARTICLE The agents of the FBI said that the network's chyron, which "
            "read “POLITICS OF HATE: TRUMP USING RACISM AS A STRATEGY”, was shown on a screen in "
            "the lobby of the building where the police of the NYPD were waiting on Tuesday.",
            "AP FACT CHECK: agents of the FBI and officers of the NYPD said that a post with the "
            "words LIBERATE MICHIGAN was shared widely after the chyron “POLITICS OF HATE: TRUMP "
            "USING RACISM” was shown on the screen in the lobby.",
            "VLADIMIR PUTIN likes to surprise, the writer said, and the post that read “LIBERATE "
            "MICHIGAN” was read by agents of the FBI and by officers of the NYPD as a threat.",
        ]
    )
    assert {"FBI", "NYPD"} <= tags
    shouted = {"NRPLUS MEMBER ARTICLE", "AP FACT CHECK", "POLITICS", "HATE", "LIBERATE MICHIGAN"}
    assert not shouted & tags
    assert "VLADIMIR PUTIN" not in tags and "TRUMP USING RACISM" not in tags


def test_a_dateline_after_a_byline_block_is_no_tag() -> None:
    tags = _tag_names(
        [
            "Christal Hayes and Kevin Johnson\n\nUSA TODAY\n\nWASHINGTON – In a rare statement, "
            "the office of Robert Mueller disputed the report on Friday.",
            "Kim Hjelmgaard and David Jackson\n\nUSA TODAY\n\nWASHINGTON – Two chairmen vowed "
            "to look into the report that the office of Robert Mueller disputed.",
        ]
    )
    assert "Robert Mueller" in tags
    assert "WASHINGTON" not in tags


def test_what_is_remembered_of_single_articles_does_not_change_the_analysis() -> None:
    from newsprism.analyze.story_analysis import clear_caches

    articles, _sides = _immigration_story()
    clear_caches()
    first = story_tags(articles)
    grown = story_tags(articles[:-1]), story_tags(articles)
    clear_caches()
    assert grown[1] == first == story_tags(articles)
    assert grown[0] != first  # the story without its last article is a different story


def test_a_pool_credit_and_a_caption_label_give_no_tags() -> None:
    tags = _tag_names(
        [
            "The panel voted on the census question on Wednesday. | Kevin Dietsch/Pool via "
            "Bloomberg Congress House panel votes\nImage Li Zhanshu spoke to the congress in "
            "Beijing on Thursday.",
            "The panel voted on the census question. Saul Loeb/AFP via Getty Images Li Zhanshu "
            "later spoke to the congress in Beijing, where Li Zhanshu leads it.",
        ]
    )
    assert {"Li Zhanshu", "Beijing"} <= tags
    assert not any("Bloomberg" in t or "Pool" in t or t.startswith("Image") for t in tags)


def test_the_forms_of_one_persons_name_are_one_tag() -> None:
    tags = _tag_names(
        [
            "The former vice president, Joseph R. Biden, met with the chairman, Jerrold Nadler, "
            "and with the former president, George W. Bush, in the capital on a cold day.",
            "On the same day the former vice president, Joe Biden, spoke with the chairman, "
            "Jerry Nadler, and the father of the former president, George H.W. Bush, was named.",
            "The men in the room were the former vice president, Joe Biden, the chairman, Jerry "
            "Nadler, and the two former presidents, George W. Bush and George H.W. Bush.",
        ]
    )
    assert {"Joe Biden", "Jerry Nadler"} <= tags
    assert not {"Joseph R. Biden", "Jerrold Nadler"} & tags
    # Two middle initials are two people: father and son stay apart.
    assert {"George W. Bush", "George H. W. Bush"} <= tags


def test_a_lone_surname_counts_for_the_one_person_of_that_surname() -> None:
    tags = _tag_names(
        [
            "The transcript of the call was released by the aides of Donald Trump on Wednesday, "
            "and the staff of the Trump Organization said nothing about it.",
            "A summary of the call that Donald Trump made was released on Wednesday, and the "
            "staff of the Trump Organization said nothing about it.",
            "The call was perfect, said Trump, who spoke to the press on the lawn on Thursday.",
            "The call was not a problem, said Trump, who spoke again on the lawn on Friday.",
            "The call was a scandal, said critics of Trump, who spoke at the hearing on Friday.",
        ]
    )
    assert "Donald Trump" in tags and "Trump" not in tags
