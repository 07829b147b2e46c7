"""Streaming story assignment through the store: joins, new stories, reposts, languages, order."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from clusterdata import BASE, EVENTS, GERMAN_KURSK, draft, interleaved_drafts
from newsprism.cluster.service import assign_pending, forget_index
from newsprism.config import Settings
from newsprism.models import ArticleDraft
from newsprism.store.articles import add_articles
from newsprism.store.database import Database
from newsprism.store.schema import articles, stories


def _partition(db: Database) -> dict[int, int]:
    with db.read() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.story_id)).all()
    return {int(r.id): int(r.story_id) for r in rows}


def _groups(partition: dict[int, int], ids: list[int]) -> list[int]:
    """Story labels renumbered by first appearance, so two runs compare by shape."""
    seen: dict[int, int] = {}
    return [seen.setdefault(partition[i], len(seen)) for i in ids]


def test_articles_about_one_event_share_a_story_and_other_events_get_their_own(
    db: Database, settings: Settings
) -> None:
    drafts, names = interleaved_drafts()
    added = add_articles(db, drafts, settings)
    report = assign_pending(db, settings)

    assert report.articles == len(drafts)
    assert report.stories_created == len(EVENTS)
    partition = _partition(db)
    story_of_event: dict[str, set[int]] = {}
    for article_id, name in zip(added.added_ids, names, strict=True):
        story_of_event.setdefault(name, set()).add(partition[article_id])
    assert all(len(s) == 1 for s in story_of_event.values()), story_of_event
    assert len({next(iter(s)) for s in story_of_event.values()}) == len(EVENTS)


def test_story_rows_count_articles_and_outlets_and_are_marked_dirty(
    db: Database, settings: Settings
) -> None:
    drafts, _names = interleaved_drafts()
    add_articles(db, drafts, settings)
    assign_pending(db, settings)
    with db.read() as conn:
        rows = conn.execute(select(stories).order_by(stories.c.id)).all()
    assert sorted(r.article_count for r in rows) == sorted(len(v) for v in EVENTS.values())
    kursk = max(rows, key=lambda r: (r.article_count, -r.id))
    assert kursk.outlet_count == 3
    assert kursk.dirty is True or kursk.dirty == 1
    assert kursk.language == "en"
    assert kursk.first_published is not None and kursk.last_updated is not None
    assert kursk.last_updated >= kursk.first_published


def test_every_assignment_records_score_time_and_readable_explanation(
    db: Database, settings: Settings
) -> None:
    drafts, _ = interleaved_drafts()
    add_articles(db, drafts, settings)
    assign_pending(db, settings)
    with db.read() as conn:
        rows = conn.execute(select(articles).order_by(articles.c.id)).all()
    assert all(r.clustered_at is not None and r.cluster_score is not None for r in rows)
    joined = [r for r in rows if r.cluster_explanation["decision"] == "joined"]
    created = [r for r in rows if r.cluster_explanation["decision"] == "new story"]
    assert len(created) == len(EVENTS)
    assert len(joined) == len(rows) - len(EVENTS)
    kursk_late = next(r for r in joined if "Kursk" in r.title)
    explanation = kursk_late.cluster_explanation
    assert 0.0 < explanation["score"] <= 1.0
    assert "Kursk" in explanation["shared"] or "Syrskyi" in explanation["shared"]
    assert 0.0 < explanation["title_similarity"] <= 1.0
    assert explanation["score"] == round(kursk_late.cluster_score, 3)


def test_near_duplicate_repost_joins_the_story_of_its_original(
    db: Database, settings: Settings
) -> None:
    outlet, title, text = EVENTS["budget"][0]
    # Long enough for near-duplicate detection (it ignores very short texts).
    text = " ".join(t for _, _, t in EVENTS["budget"])
    original = draft(outlet, title, text, BASE, 1)
    copy = draft("copycat.example", title, text, BASE + timedelta(hours=1), 2)
    other = draft(*EVENTS["quake"][0], BASE + timedelta(hours=2), 3)
    added = add_articles(db, [original, copy, other], settings)
    assert added.reposts == 1
    assign_pending(db, settings)
    with db.read() as conn:
        rows = {r.id: r for r in conn.execute(select(articles)).all()}
    first, second, third = added.added_ids
    assert rows[second].repost_of == first
    assert rows[second].story_id == rows[first].story_id
    assert rows[second].cluster_explanation == {
        "decision": "repost",
        "score": 1.0,
        "repost_of": first,
    }
    assert rows[third].story_id != rows[first].story_id


def test_a_copy_dated_far_outside_the_window_is_not_put_in_its_originals_old_story(
    db: Database, settings: Settings
) -> None:
    outlet, title, text = EVENTS["budget"][0]
    text = " ".join(t for _, _, t in EVENTS["budget"])
    original = draft(outlet, title, text, BASE, 1)
    added = add_articles(db, [original], settings)
    assign_pending(db, settings)
    months_later = draft("smalltown.example", title, text, BASE + timedelta(days=80), 2)
    late = add_articles(db, [months_later], settings)
    assert late.reposts == 1
    assign_pending(db, settings)
    with db.read() as conn:
        rows = {r.id: r for r in conn.execute(select(articles)).all()}
        old = conn.execute(select(stories).where(stories.c.id == rows[added.added_ids[0]].story_id))
        old_story = old.one()
    copy = rows[late.added_ids[0]]
    assert copy.repost_of == added.added_ids[0]  # still marked as a copy
    assert copy.story_id != old_story.id
    assert old_story.article_count == 1


def test_an_article_in_another_language_never_joins_an_english_story(
    db: Database, settings: Settings
) -> None:
    english = [
        draft(o, t, x, BASE + timedelta(minutes=i), i)
        for i, (o, t, x) in enumerate(EVENTS["kursk"])
    ]
    german = draft(*GERMAN_KURSK, BASE + timedelta(minutes=5), 10, language="de")
    added = add_articles(db, [*english, german], settings)
    assign_pending(db, settings)
    partition = _partition(db)
    english_stories = {partition[i] for i in added.added_ids[:3]}
    assert len(english_stories) == 1
    assert partition[added.added_ids[3]] not in english_stories
    with db.read() as conn:
        language = conn.execute(
            select(stories.c.language).where(stories.c.id == partition[added.added_ids[3]])
        ).scalar_one()
    assert language == "de"


def test_articles_weeks_apart_start_separate_stories(db: Database, settings: Settings) -> None:
    outlet, title, text = EVENTS["budget"][0]
    first = draft(outlet, title, text, BASE, 1)
    outlet2, title2, text2 = EVENTS["budget"][1]
    later = draft(
        outlet2, title2, text2, BASE + timedelta(days=settings.cluster_window_days + 14), 2
    )
    added = add_articles(db, [first, later], settings)
    assign_pending(db, settings)
    partition = _partition(db)
    assert partition[added.added_ids[0]] != partition[added.added_ids[1]]


def _budget_every_five_days() -> list[ArticleDraft]:
    """The budget event's articles on days 0, 5, 10 and 15 (the event's texts reused in turn)."""
    days = (0, 5, 10, 15)
    items = [EVENTS["budget"][i % len(EVENTS["budget"])] for i in range(len(days))]
    return [
        draft(outlet, title, text, BASE + timedelta(days=day), n)
        for n, (day, (outlet, title, text)) in enumerate(zip(days, items, strict=True))
    ]


def test_a_story_takes_no_articles_once_its_first_is_older_than_the_span(
    db: Database, settings: Settings
) -> None:
    # Coverage every five days keeps the story inside the 7-day window; on day 15 it is past
    # the 14-day span, so that article starts a story of its own.
    added = add_articles(db, _budget_every_five_days(), settings)
    assign_pending(db, settings)
    assert settings.cluster_story_span_days == 14.0
    assert _groups(_partition(db), added.added_ids) == [0, 0, 0, 1]


def test_without_the_span_a_running_story_keeps_taking_articles(
    db: Database, settings: Settings
) -> None:
    wide = replace(settings, cluster_story_span_days=60.0)
    added = add_articles(db, _budget_every_five_days(), wide)
    assign_pending(db, wide)
    assert _groups(_partition(db), added.added_ids) == [0, 0, 0, 0]


def test_same_input_in_same_order_gives_the_same_stories(
    settings: Settings, tmp_path_factory
) -> None:  # type: ignore[no-untyped-def]
    shapes = []
    for run in range(2):
        path = tmp_path_factory.mktemp(f"run{run}") / "store.db"
        db = Database(str(path))
        try:
            drafts, _ = interleaved_drafts()
            added = add_articles(db, drafts, settings)
            assign_pending(db, settings)
            with db.read() as conn:
                rows = conn.execute(
                    select(articles.c.id, articles.c.story_id, articles.c.cluster_score)
                ).all()
            partition = {int(r.id): int(r.story_id) for r in rows}
            scores = [r.cluster_score for r in sorted(rows, key=lambda r: r.id)]
            shapes.append((_groups(partition, added.added_ids), scores))
        finally:
            forget_index(db)
            db.dispose()
    assert shapes[0] == shapes[1]


def test_index_rebuilt_from_the_store_places_later_articles_like_a_running_process(
    db: Database, settings: Settings
) -> None:
    drafts, names = interleaved_drafts()
    first_half, second_half = drafts[:4], drafts[4:]
    add_articles(db, first_half, settings)
    assign_pending(db, settings)
    forget_index(db)  # as if the process restarted
    added = add_articles(db, second_half, settings)
    report = assign_pending(db, settings)
    assert report.stories_created == len(EVENTS) - len(set(names[:4]))
    partition = _partition(db)
    with db.read() as conn:
        all_ids = [int(r.id) for r in conn.execute(select(articles.c.id).order_by(articles.c.id))]
    by_event: dict[str, set[int]] = {}
    for article_id, name in zip(all_ids, names, strict=True):
        by_event.setdefault(name, set()).add(partition[article_id])
    assert all(len(s) == 1 for s in by_event.values())
    assert len(added.added_ids) == len(second_half)


def test_nothing_pending_is_a_quiet_no_op(db: Database, settings: Settings) -> None:
    report = assign_pending(db, settings)
    assert (report.articles, report.stories_created) == (0, 0)


def test_progress_is_reported_per_batch(db: Database, settings: Settings) -> None:
    drafts, _ = interleaved_drafts()
    add_articles(db, drafts, settings)
    seen: list[int] = []
    assign_pending(db, settings, on_progress=seen.append)
    assert sum(seen) == len(drafts)


def test_vectorizing_in_worker_processes_gives_the_same_stories(
    settings: Settings, tmp_path_factory, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from newsprism.cluster import service

    results = []
    started: list[object] = []
    real_pool = service._vectorizer_pool

    def recording_pool(workers: int) -> object:
        started.append(real_pool(workers))
        return started[-1]

    for run, pooled in enumerate((False, True)):
        if pooled:
            # Tiny batches and chunks so that the window spans several of each.
            monkeypatch.setattr(service, "POOL_MIN_ARTICLES", 1)
            monkeypatch.setattr(service, "POOL_CHUNK", 2)
            monkeypatch.setattr(service, "BATCH", 3)
            monkeypatch.setattr(service, "_vectorizer_pool", recording_pool)
        db = Database(str(tmp_path_factory.mktemp(f"pool{run}") / "store.db"))
        try:
            drafts, _ = interleaved_drafts()
            added = add_articles(db, drafts[:5], settings)
            report = assign_pending(db, settings)
            forget_index(db)  # the second half goes through an index rebuilt from the store
            added.added_ids.extend(add_articles(db, drafts[5:], settings).added_ids)
            report.articles += assign_pending(db, settings).articles
            with db.read() as conn:
                rows = conn.execute(
                    select(articles.c.id, articles.c.story_id, articles.c.cluster_explanation)
                ).all()
                story_ids = sorted(int(r.id) for r in conn.execute(select(stories.c.id)))
        finally:
            forget_index(db)
            db.dispose()
        partition = {int(r.id): int(r.story_id) for r in rows}
        explanations = [r.cluster_explanation for r in sorted(rows, key=lambda r: r.id)]
        assert report.articles == len(drafts)
        assert story_ids == sorted(set(partition.values()))
        results.append((_groups(partition, added.added_ids), explanations))
    # The second run vectorized in workers: twice assigning, once rebuilding the index.
    assert len(started) == 3
    assert results[0] == results[1]


def test_shared_names_in_an_explanation_read_without_a_possessive() -> None:
    from datetime import UTC, datetime

    from newsprism.cluster.documents import ArticleDoc, StoryState, vectorize
    from newsprism.cluster.features import shared_entity_names
    from newsprism.cluster.vectors import default_idf

    now = datetime(2024, 1, 1, tzinfo=UTC)

    def doc(i: int, title: str, text: str) -> ArticleDoc:
        return vectorize(i, title, text, time=now, language="en", outlet_id=None, idf=default_idf())

    first = doc(1, "Deal reached", "Talks on President Barack Obama's budget plan ended in Ohio.")
    story = StoryState(1, "en", first_time=now, last_time=now)
    story.add(first)
    second = doc(2, "Budget", "The budget of President Barack Obama's team passed in Ohio.")
    names = shared_entity_names(second, story)
    assert names and not any(n.endswith(("'s", "’s")) for n in names)


def test_pages_sharing_a_sites_newsletter_box_are_not_one_story(
    db: Database, settings: Settings
) -> None:
    box = (
        "Ready to fight back? Sign up for Take Action Now and get three actions in your inbox "
        "every week. You will receive occasional promotional offers for programs that support "
        "The Nation's journalism. You can read our Privacy Policy here.\n\n"
        "Thank you for signing up. For more from The Nation, check out our latest issue.\n\n"
    )
    pages = [
        (
            "A shattered nation isn't buying angry nationalism",
            "Voters in Ohio and Michigan told pollsters that tariffs on steel had raised what "
            "they pay for cars and washing machines.",
        ),
        (
            "Time to tell a new story about the coronavirus",
            "Hospitals in Lombardy ran out of ventilators as the outbreak spread through the "
            "towns north of Milan.",
        ),
    ]
    drafts = [
        draft("thenation.com", title, box + text, BASE + timedelta(hours=n), 900 + n)
        for n, (title, text) in enumerate(pages)
    ]
    added = add_articles(db, drafts, settings)
    assign_pending(db, settings)
    partition = _partition(db)
    assert len({partition[i] for i in added.added_ids}) == 2
