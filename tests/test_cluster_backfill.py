"""Backfills: articles older than the newest story still meet the stories of their own days."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from clusterdata import BASE, EVENTS, draft, interleaved_drafts
from newsprism.cluster import engine
from newsprism.cluster.service import assign_pending, forget_index
from newsprism.config import Settings
from newsprism.models import ArticleDraft
from newsprism.store.articles import add_articles
from newsprism.store.database import Database
from newsprism.store.schema import articles

LATER = timedelta(days=90)


def _partition(db: Database) -> dict[int, int]:
    with db.read() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.story_id)).all()
    return {int(r.id): int(r.story_id) for r in rows}


def _stories_per_event(db: Database, ids: list[int], names: list[str]) -> dict[str, set[int]]:
    partition = _partition(db)
    out: dict[str, set[int]] = {}
    for article_id, name in zip(ids, names, strict=True):
        out.setdefault(name, set()).add(partition[article_id])
    return out


def _old_drafts() -> tuple[list[ArticleDraft], list[str]]:
    """The Kursk and budget events' articles, dated BASE."""
    drafts, names = interleaved_drafts()
    kept = [(d, n) for d, n in zip(drafts, names, strict=True) if n != "quake"]
    return [d for d, _ in kept], [n for _, n in kept]


def _recent_store(db: Database, settings: Settings) -> list[int]:
    """A store that already holds a later event, clustered: the quake, 90 days on."""
    recent = [
        draft(outlet, title, text, BASE + LATER + timedelta(minutes=10 * n), 200 + n)
        for n, (outlet, title, text) in enumerate(EVENTS["quake"])
    ]
    added = add_articles(db, recent, settings)
    assign_pending(db, settings)
    return added.added_ids


def test_a_backfill_imported_in_two_runs_joins_the_stories_of_the_first_run(
    db: Database, settings: Settings
) -> None:
    _recent_store(db, settings)
    old, names = _old_drafts()
    first = add_articles(db, old[:4], settings)
    assign_pending(db, settings)
    forget_index(db)  # a second `newsprism import`, in a new process
    second = add_articles(db, old[4:], settings)
    assign_pending(db, settings)

    by_event = _stories_per_event(db, first.added_ids + second.added_ids, names)
    assert all(len(s) == 1 for s in by_event.values()), by_event
    assert len({next(iter(s)) for s in by_event.values()}) == len(by_event)


def test_a_backfill_keeps_its_stories_while_the_index_forgets_old_ones(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Eviction after every article: the index forgets a story as soon as the articles being
    # placed are a window past it, so the backfill's own stories must not look a window old.
    monkeypatch.setattr(engine, "EVICT_EVERY", 1)
    _recent_store(db, settings)
    old, names = _old_drafts()
    added = add_articles(db, old, settings)
    assign_pending(db, settings)

    by_event = _stories_per_event(db, added.added_ids, names)
    assert all(len(s) == 1 for s in by_event.values()), by_event


def test_an_undated_article_does_not_cut_off_the_rest_of_an_old_import(
    db: Database, settings: Settings
) -> None:
    # An article without a date takes the time it was stored (today); the next run of the same
    # import, years older, must still find the stories of its own days.
    old, names = _old_drafts()
    undated = draft(
        "wire.example",
        "Museum reopens its east wing after a decade of repairs",
        "The city museum reopened its east wing on Saturday after ten years of repairs.",
        None,
        "undated",
    )
    first = add_articles(db, [*old[:4], undated], settings)
    assign_pending(db, settings)
    forget_index(db)
    second = add_articles(db, old[4:], settings)
    assign_pending(db, settings)

    by_event = _stories_per_event(db, first.added_ids[:4] + second.added_ids, names)
    assert all(len(s) == 1 for s in by_event.values()), by_event


def test_after_a_backfill_new_articles_join_the_recent_stories_again(
    db: Database, settings: Settings
) -> None:
    recent_ids = _recent_store(db, settings)
    old, _names = _old_drafts()
    add_articles(db, old, settings)
    assign_pending(db, settings)
    # Today's feeds again: a third report of the quake, an hour after the others.
    fresh = draft(
        "leftpost.example",
        "Hokkaido quake damages roads in Kushiro, agency lifts tsunami warning",
        "Roads near Kushiro were damaged by the magnitude 6.8 Hokkaido earthquake, Japan's "
        "Meteorological Agency said on Tuesday after lifting its tsunami warning.",
        BASE + LATER + timedelta(hours=1),
        300,
    )
    added = add_articles(db, [fresh], settings)
    assign_pending(db, settings)

    partition = _partition(db)
    assert partition[added.added_ids[0]] == partition[recent_ids[0]]


def _no_joins_in_windows_of_three(monkeypatch: pytest.MonkeyPatch) -> None:
    """Joining switched off, as a too-strict model would (only the merge pass can make an event
    whole), and a backlog read in windows of three articles."""
    from newsprism.cluster import service
    from newsprism.cluster.model import default_model

    strict = replace(default_model(), join_threshold=1.01)
    monkeypatch.setattr(service, "default_model", lambda: strict)
    monkeypatch.setattr(service, "BATCH", 3)
    monkeypatch.setattr(service, "WINDOW_BATCHES", 1)


def test_a_long_backlog_is_merged_window_by_window(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Eviction after every article: by the end of the backlog the early stories are
    # forgotten, so they must be merged between windows.
    _no_joins_in_windows_of_three(monkeypatch)
    monkeypatch.setattr(engine, "EVICT_EVERY", 1)
    old, names = _old_drafts()
    later = [
        draft(outlet, title, text, BASE + LATER + timedelta(minutes=n), 200 + n)
        for n, (outlet, title, text) in enumerate(EVENTS["quake"])
    ]
    added = add_articles(db, [*old, *later], settings)

    report = assign_pending(db, settings)

    assert report.stories_merged >= len(old) - len(set(names))
    by_event = _stories_per_event(db, added.added_ids[: len(old)], names)
    assert all(len(s) == 1 for s in by_event.values()), by_event


def test_without_merging_a_backlog_keeps_its_split_stories(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_joins_in_windows_of_three(monkeypatch)
    old, _names = _old_drafts()
    added = add_articles(db, old, settings)

    report = assign_pending(db, settings, merge=False)

    assert report.stories_merged == 0
    assert len(set(_partition(db).values())) == len(added.added_ids)
