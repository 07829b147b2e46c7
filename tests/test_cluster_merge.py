"""The merge pass: split stories of one event become one, and the merged id redirects."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from clusterdata import interleaved_drafts
from newsprism.cluster import service
from newsprism.cluster.model import default_model
from newsprism.config import Settings
from newsprism.store.articles import add_articles
from newsprism.store.database import Database
from newsprism.store.schema import articles, stories
from newsprism.store.stories import resolve_story_id


@pytest.fixture
def split_stories(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every article assigned as its own story (joining switched off), as a too-strict model would."""
    strict = replace(default_model(), join_threshold=1.01)
    monkeypatch.setattr(service, "default_model", lambda: strict)
    drafts, names = interleaved_drafts()
    add_articles(db, drafts, settings)
    report = service.assign_pending(db, settings)
    assert report.stories_created == len(drafts)
    monkeypatch.undo()
    return names


def test_merge_pass_joins_stories_of_one_event_and_keeps_events_apart(
    db: Database, settings: Settings, split_stories: list[str]
) -> None:
    merged = service.merge_stories(db, settings)
    with db.read() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.story_id).order_by(articles.c.id))
        partition = {int(r.id): int(r.story_id) for r in rows}
        by_event: dict[str, set[int]] = {}
        for (_, story_id), name in zip(sorted(partition.items()), split_stories, strict=True):
            by_event.setdefault(name, set()).add(story_id)
        live = conn.execute(select(stories).where(stories.c.merged_into.is_(None))).all()
    assert merged == len(split_stories) - len(by_event)
    assert all(len(ids) == 1 for ids in by_event.values()), by_event
    assert len({next(iter(ids)) for ids in by_event.values()}) == len(by_event)
    assert sorted(r.article_count for r in live if r.article_count) == sorted(
        split_stories.count(name) for name in by_event
    )


def test_merged_story_redirects_to_its_survivor_and_is_emptied(
    db: Database, settings: Settings, split_stories: list[str]
) -> None:
    service.merge_stories(db, settings)
    with db.read() as conn:
        gone = conn.execute(select(stories).where(stories.c.merged_into.is_not(None))).all()
        assert gone
        for row in gone:
            survivor = resolve_story_id(conn, int(row.id))
            assert survivor is not None and survivor != row.id
            target = conn.execute(select(stories).where(stories.c.id == survivor)).one()
            assert target.merged_into is None
            assert target.article_count >= 2
            assert row.article_count == 0
        assert resolve_story_id(conn, 999_999) is None


def test_survivor_is_the_oldest_story_when_sizes_tie(
    db: Database, settings: Settings, split_stories: list[str]
) -> None:
    service.merge_stories(db, settings)
    with db.read() as conn:
        survivors = conn.execute(
            select(stories.c.id).where(stories.c.merged_into.is_(None), stories.c.article_count > 0)
        ).scalars()
        first_ids = sorted(int(s) for s in survivors)
    # Stories were created in arrival order, one per article; each event's first article came
    # in the first round, so the survivors are the first stories created.
    assert first_ids == list(range(1, len(set(split_stories)) + 1))


def test_a_second_merge_pass_without_new_articles_changes_nothing(
    db: Database, settings: Settings, split_stories: list[str]
) -> None:
    service.merge_stories(db, settings)
    assert service.merge_stories(db, settings) == 0
