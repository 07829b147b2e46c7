"""The merge pass: split stories of one event become one, and the merged id redirects."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from clusterdata import interleaved_drafts
from newsprism.cluster import service
from newsprism.cluster.documents import vectorize
from newsprism.cluster.engine import Clusterer
from newsprism.cluster.features import MERGE_FEATURES
from newsprism.cluster.model import ClusterModel, default_model
from newsprism.cluster.vectors import default_idf
from newsprism.config import Settings
from newsprism.errors import NewsprismError
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


def test_moved_articles_say_they_came_with_their_merged_story(
    db: Database, settings: Settings, split_stories: list[str]
) -> None:
    service.merge_stories(db, settings)
    with db.read() as conn:
        gone = {
            int(r.id): int(r.merged_into)
            for r in conn.execute(select(stories).where(stories.c.merged_into.is_not(None)))
        }
        rows = conn.execute(
            select(articles.c.story_id, articles.c.cluster_explanation, articles.c.cluster_score)
        ).all()
    moved = [r for r in rows if r.cluster_explanation.get("merged_from") in gone]
    assert moved, "no article moved in a merge"
    for row in moved:
        why = row.cluster_explanation
        assert why["decision"] == "its story was merged into this one"
        assert why["into"] == row.story_id == gone[why["merged_from"]]
        assert row.cluster_score == pytest.approx(why["merge_score"], abs=1e-3)
    assert all(
        r.cluster_explanation["decision"] == "new story"
        for r in rows
        if r.cluster_explanation.get("merged_from") is None
    )


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


def _singletons(model: ClusterModel) -> tuple[Clusterer, list[str]]:
    """A clusterer holding every article of the hand-made events as a story of its own."""
    drafts, names = interleaved_drafts()
    clusterer = Clusterer(model, timedelta(days=2))
    for n, d in enumerate(drafts, 1):
        assert d.published_at is not None
        doc = vectorize(
            n, d.title, d.text, time=d.published_at, language="en", outlet_id=n, idf=default_idf()
        )
        clusterer.start_story(n, doc)
    return clusterer, names


def _events_whole(clusterer: Clusterer, names: list[str]) -> bool:
    story_of = {doc.article_id: s.story_id for s in clusterer.stories.values() for doc in s.members}
    by_event: dict[str, set[int]] = {}
    for n, name in enumerate(names, 1):
        by_event.setdefault(name, set()).add(story_of[n])
    return all(len(ids) == 1 for ids in by_event.values()) and len(clusterer.stories) == len(
        by_event
    )


def test_merge_row_weighs_both_directions_and_the_scorer_merges_one_event() -> None:
    clusterer, names = _singletons(default_model())
    found = clusterer.merge_row(clusterer.stories[1])
    assert found is not None
    other, row = found
    assert names[other.story_id - 1] == names[0]
    assert len(row) == len(MERGE_FEATURES)
    features = dict(zip(MERGE_FEATURES, row, strict=True))
    # Both stories are one article each: mean and max agree, and the way back is scored too.
    assert features["forward_mean"] == features["forward_max"] > 0.5
    assert features["backward_mean"] == features["backward_max"] > 0.5
    assert default_model().merge_probability(row) >= default_model().merge_threshold
    clusterer.merge_pass()
    assert _events_whole(clusterer, names)


def test_weights_without_a_merge_scorer_merge_by_the_members_mean_probability() -> None:
    plain = replace(
        default_model(), merge_mean=(), merge_scale=(), merge_coef=(), merge_intercept=0.0
    )
    assert "merge_coef" not in plain.to_json()
    clusterer, names = _singletons(plain)
    clusterer.merge_pass()
    assert _events_whole(clusterer, names)


def test_merge_scorer_weights_survive_json_and_must_match_the_merge_features() -> None:
    model = default_model()
    assert model.merge_coef, "the shipped weights carry a merge scorer"
    assert ClusterModel.from_json(json.loads(json.dumps(model.to_json()))) == model
    data = model.to_json()
    data["merge_features"] = data["merge_features"][:-1]
    with pytest.raises(NewsprismError, match="merge features"):
        ClusterModel.from_json(data)
