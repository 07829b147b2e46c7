"""Refreshing changed stories: analysis stored, summaries versioned, unchanged stories skipped."""

from __future__ import annotations

from sqlalchemy import select, update

from newsprism.analyze import refresh as refresh_module
from newsprism.analyze.refresh import refresh_dirty_stories
from newsprism.store.schema import stories, story_summaries
from newsprism.summarize.sentences import is_verbatim
from newsprism.timeutil import as_utc
from storydata import T0, add_article, add_bridge_story, add_story


def _story(db, story_id):  # type: ignore[no-untyped-def]
    with db.read() as conn:
        return conn.execute(select(stories).where(stories.c.id == story_id)).one()


def _summaries(db, story_id):  # type: ignore[no-untyped-def]
    with db.read() as conn:
        return conn.execute(
            select(story_summaries)
            .where(story_summaries.c.story_id == story_id)
            .order_by(story_summaries.c.id)
        ).all()


def test_refresh_writes_headline_summary_analysis_and_clears_dirty(db, settings) -> None:  # type: ignore[no-untyped-def]
    story_id, _outlets, article_ids = add_bridge_story(db)
    assert refresh_dirty_stories(db, settings) == 1
    row = _story(db, story_id)
    assert row.dirty is False
    assert row.analysis_key and row.analyzed_at is not None
    # The shouting, loaded headline is never chosen; the headline is one of the articles'.
    assert row.headline and "SHOCKING" not in row.headline
    assert row.headline_article_id in article_ids
    assert row.rank_score is not None
    coverage = row.analysis["coverage"]
    assert coverage["articles"] == 7 and coverage["reposts"] == 1
    assert row.analysis["tags"] and row.analysis["framing"]["words"].keys() == {
        "left",
        "center",
        "right",
    }
    (summary,) = _summaries(db, story_id)
    assert summary.method == "extractive"
    assert 1 <= len(summary.bullets) <= 5
    texts = {i: t for i, (_d, _h, t) in zip(article_ids, _bridge_texts(), strict=False)}
    for bullet in summary.bullets:
        assert bullet["article_ids"]
        # The repost (last id) is never cited: its original is.
        assert article_ids[-1] not in bullet["article_ids"]
        assert all(is_verbatim(bullet["text"], [texts[i]]) for i in bullet["article_ids"])


def _bridge_texts():  # type: ignore[no-untyped-def]
    from storydata import BRIDGE_ARTICLES

    return BRIDGE_ARTICLES


def test_an_unchanged_story_is_not_analysed_again(db, settings) -> None:  # type: ignore[no-untyped-def]
    story_id, _outlets, _ids = add_bridge_story(db)
    refresh_dirty_stories(db, settings)
    analysed_at = _story(db, story_id).analyzed_at
    assert refresh_dirty_stories(db, settings) == 0
    with db.write() as conn:
        conn.execute(update(stories).where(stories.c.id == story_id).values(dirty=True))
    assert refresh_dirty_stories(db, settings) == 0
    row = _story(db, story_id)
    assert row.dirty is False and row.analyzed_at == analysed_at


def test_a_grown_story_gets_a_new_summary_and_keeps_the_old_one(db, settings) -> None:  # type: ignore[no-untyped-def]
    story_id, outlets, _ids = add_bridge_story(db)
    refresh_dirty_stories(db, settings)
    headline = _story(db, story_id).headline
    # One more report (6 → 7 independent) is 17% growth: below the 20% that rewrites it.
    add_article(
        db,
        story_id,
        outlets["wire.com"],
        "Bridge inspectors had flagged the span",
        "Inspectors had rated the Pittsburgh bridge in poor condition in 2019. The city "
        "said repairs were planned.",
        hours=6,
    )
    with db.write() as conn:
        conn.execute(update(stories).where(stories.c.id == story_id).values(dirty=True))
    assert refresh_dirty_stories(db, settings) == 1
    assert len(_summaries(db, story_id)) == 1
    assert _story(db, story_id).headline == headline  # stable: the story barely changed
    add_article(
        db,
        story_id,
        outlets["bbc.co.uk"],
        "Pittsburgh bridge: what we know",
        "Ten people were hurt when the Pittsburgh bridge fell on Friday. Investigators "
        "are examining the steel frame.",
        hours=7,
    )
    with db.write() as conn:
        conn.execute(update(stories).where(stories.c.id == story_id).values(dirty=True))
    assert refresh_dirty_stories(db, settings) == 1
    first, second = _summaries(db, story_id)
    assert first.article_count == 6 and second.article_count == 8


def test_a_new_analysis_version_reanalyses_stored_stories_once(db, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    story_id, _outlets, _ids = add_bridge_story(db)
    refresh_dirty_stories(db, settings)
    before = _story(db, story_id)
    # Same articles, new release: the stored page was made by the old rules.
    monkeypatch.setattr(refresh_module, "ANALYSIS_VERSION", refresh_module.ANALYSIS_VERSION + 1)
    assert refresh_dirty_stories(db, settings) == 1
    after = _story(db, story_id)
    assert after.dirty is False and after.analysis_key == before.analysis_key
    assert as_utc(after.analyzed_at) > as_utc(before.analyzed_at)  # type: ignore[operator]
    old, new = _summaries(db, story_id)
    assert as_utc(new.created_at) > as_utc(old.created_at)  # type: ignore[operator]
    assert new.article_count == old.article_count
    # Once per version: the next refresh has nothing to do.
    assert refresh_dirty_stories(db, settings) == 0
    assert len(_summaries(db, story_id)) == 2


def test_the_first_run_of_a_version_on_an_empty_store_marks_nothing(db, settings) -> None:  # type: ignore[no-untyped-def]
    assert refresh_dirty_stories(db, settings) == 0
    story_id, _outlets, _ids = add_bridge_story(db)
    assert refresh_dirty_stories(db, settings) == 1
    assert len(_summaries(db, story_id)) == 1


def test_a_story_changed_during_analysis_stays_dirty(db, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    story_id, outlets, _ids = add_bridge_story(db)
    real = refresh_module.summarize_story

    def summarize_while_an_article_arrives(sources, settings_):  # type: ignore[no-untyped-def]
        add_article(db, story_id, outlets["wire.com"], "Late report", "A late report.", hours=9)
        return real(sources, settings_)

    monkeypatch.setattr(refresh_module, "summarize_story", summarize_while_an_article_arrives)
    assert refresh_dirty_stories(db, settings) == 1
    assert _story(db, story_id).dirty is True
    monkeypatch.setattr(refresh_module, "summarize_story", real)
    assert refresh_dirty_stories(db, settings) == 1
    assert _story(db, story_id).dirty is False


def test_merged_and_empty_stories_are_cleared_without_analysis(db, settings) -> None:  # type: ignore[no-untyped-def]
    survivor, _outlets, _ids = add_bridge_story(db)
    merged = add_story(db)
    empty = add_story(db)
    with db.write() as conn:
        conn.execute(update(stories).where(stories.c.id == merged).values(merged_into=survivor))
    assert refresh_dirty_stories(db, settings) == 1
    for story_id in (merged, empty):
        assert _story(db, story_id).dirty is False
    assert _story(db, empty).analysis is None


def test_rank_prefers_wider_and_newer_coverage(db, settings) -> None:  # type: ignore[no-untyped-def]
    from newsprism.analyze.story_analysis import rank_score

    assert rank_score(8, 3, T0) > rank_score(2, 1, T0)
    # Twelve hours newer is worth as much as twice the outlets.
    later = T0.replace(hour=T0.hour + 12)
    assert abs(rank_score(1, 0, later) - rank_score(3, 0, T0)) < 1e-9


def test_headline_and_summary_come_from_reports_and_opinion_pieces_are_marked(db, settings) -> None:  # type: ignore[no-untyped-def]
    from newsprism.analyze.views import story_detail

    story_id = add_story(db)
    report = add_article(
        db,
        story_id,
        None,
        "Senate passes budget bill after overnight session",
        "The Senate passed a $1.2 trillion budget bill early Friday after an overnight session, "
        "sending it to the House. The bill funds the government through September.",
    )
    columns = [
        add_article(
            db,
            story_id,
            None,
            title,
            text,
            hours=1 + n,
        )
        for n, (title, text) in enumerate(
            [
                (
                    "Opinion: The Senate budget bill is a disgrace",
                    "The Senate budget bill passed on Friday is a disgrace. The Senate budget "
                    "bill spends too much, and the Senate budget bill will be paid by our kids.",
                ),
                (
                    "The Senate budget bill betrays every voter",
                    "Opinion contributor\n\nThe Senate budget bill passed on Friday betrays "
                    "voters. The Senate budget bill is the worst budget bill in a decade.",
                ),
            ]
        )
    ]
    assert refresh_dirty_stories(db, settings) == 1
    row = _story(db, story_id)
    assert row.headline_article_id == report
    summary = _summaries(db, story_id)[-1]
    assert {i for bullet in summary.bullets for i in bullet["article_ids"]} == {report}
    with db.read() as conn:
        detail = story_detail(conn, story_id)
    assert detail is not None
    opinion = {a["id"]: a["opinion"] for a in detail["articles"]}
    assert opinion == {report: False, columns[0]: True, columns[1]: True}


def test_a_story_of_opinion_pieces_only_still_gets_a_headline_and_summary(db, settings) -> None:  # type: ignore[no-untyped-def]
    story_id = add_story(db)
    add_article(
        db,
        story_id,
        None,
        "Opinion: The Senate budget bill is a disgrace",
        "The Senate budget bill passed on Friday is a disgrace to the chamber and its members.",
    )
    assert refresh_dirty_stories(db, settings) == 1
    row = _story(db, story_id)
    assert row.headline and _summaries(db, story_id)
