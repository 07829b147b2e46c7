"""Celery tasks are idempotent and respect the story lock (run in-process against the store)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa

from newsprism.config import Settings
from newsprism.store import schema
from newsprism.store.database import Database
from newsprism.store.locks import exclusive
from newsprism.store.outlets import add_feed, get_or_create_outlet
from newsroom import NewsroomServer, build_newsroom
from redis_broker import broker_settings, queued

pytestmark = pytest.mark.celery


@pytest.fixture
def worker_settings(settings: Settings) -> Iterator[Settings]:
    """Settings of a worker process: this test's store and the test broker."""
    for configured in broker_settings(settings):
        from newsprism.pipeline import worker_state
        from newsprism.pipeline.celery_app import configure

        configure(configured)
        yield configured
        worker_state.close()


def _queued_tasks(queue: str) -> list[str]:
    return [name for name, _args in queued(queue)]


def _articles(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(sa.select(schema.articles).order_by(schema.articles.c.id)).mappings()
        return [dict(row) for row in rows]


def test_polling_a_feed_twice_stores_each_article_once(
    db: Database, worker_settings: Settings
) -> None:
    from newsprism.pipeline.tasks import poll_feed

    room = build_newsroom(stories=6, outlets=2, per_story=2)
    with NewsroomServer(room) as site:
        with db.write() as conn:
            outlet = get_or_create_outlet(conn, "outlet0.example")
            assert outlet is not None
            feed_id = add_feed(conn, outlet, site.feed_urls()[0], settings=worker_settings)
        first = poll_feed(feed_id)
        stored = _articles(db)
        second = poll_feed(feed_id)

    expected = [site.article_url(a) for a in room.articles if a.outlet == 0]
    assert first["new_articles"] == len(expected) > 0
    assert second["new_articles"] == 0
    assert sorted(a["url"] for a in stored) == sorted(expected)
    assert all(a["extraction_status"] == "extracted" for a in stored)
    # The second run changed nothing, and asked for no second assignment.
    assert _articles(db) == stored
    assert _queued_tasks("newsprism.cluster") == ["newsprism.assign_stories"]


def test_story_steps_stand_aside_while_another_process_holds_the_story_lock(
    db: Database, worker_settings: Settings
) -> None:
    from newsprism.pipeline.tasks import STORIES_LOCK, analyze_stories, assign_stories

    other = Database(db.url, migrate=False)
    try:
        with exclusive(other, STORIES_LOCK):
            assert assign_stories()["skipped"] == 1
            assert analyze_stories()["skipped"] == 1
    finally:
        other.dispose()
    assert _queued_tasks("newsprism.analyze") == []


def test_tasks_are_routed_to_their_queues(worker_settings: Settings) -> None:
    from newsprism.pipeline.celery_app import ANALYZE_QUEUE, CLUSTER_QUEUE, INGEST_QUEUE, app
    from newsprism.pipeline.tasks import analyze_stories, assign_stories, poll_feed

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    poll_feed.delay(12345)
    assign_stories.delay()
    analyze_stories.delay()
    assert _queued_tasks(INGEST_QUEUE) == ["newsprism.poll_feed"]
    assert _queued_tasks(CLUSTER_QUEUE) == ["newsprism.assign_stories"]
    assert _queued_tasks(ANALYZE_QUEUE) == ["newsprism.analyze_stories"]
    assert poll_feed.max_retries == worker_settings.task_max_retries


def _store_one(db: Database, settings: Settings, slug: str) -> None:
    from newsprism.models import ArticleDraft
    from newsprism.store.articles import add_articles

    draft = ArticleDraft(
        url=f"https://news.example/{slug}",
        title=f"Harbour council approves the {slug} plan",
        text=f"The harbour council approved the {slug} plan on a vote of seven to two.",
        outlet_domain="news.example",
    )
    assert add_articles(db, [draft], settings).added_ids


def _unclustered(db: Database) -> int:
    with db.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count()).where(schema.articles.c.clustered_at.is_(None))
            ).scalar_one()
        )


def test_assignment_waits_while_articles_keep_arriving(
    db: Database, worker_settings: Settings
) -> None:
    from newsprism.pipeline import worker_state
    from newsprism.pipeline.tasks import assign_stories

    worker_state.set_settings(
        replace(worker_settings, assign_quiet_s=3600, assign_max_delay_s=7200)
    )
    _store_one(db, worker_settings, "ferry")
    assert assign_stories()["skipped"] == 1
    assert _unclustered(db) == 1


def test_assigning_twice_changes_nothing_the_second_time(
    db: Database, worker_settings: Settings
) -> None:
    from newsprism.pipeline import worker_state
    from newsprism.pipeline.tasks import assign_stories

    worker_state.set_settings(replace(worker_settings, assign_quiet_s=0))
    for slug in ("ferry", "tunnel", "bridge"):
        _store_one(db, worker_settings, slug)
    first = assign_stories()
    assert first["clustered"] == 3 and first["skipped"] == 0
    snapshot = _articles(db)
    with db.read() as conn:
        stories = conn.execute(sa.select(schema.stories).order_by(schema.stories.c.id)).all()
    second = assign_stories()
    assert second["clustered"] == 0 and second["stories_created"] == 0
    assert _articles(db) == snapshot
    with db.read() as conn:
        assert (
            conn.execute(sa.select(schema.stories).order_by(schema.stories.c.id)).all() == stories
        )
    assert _unclustered(db) == 0
    assert _queued_tasks("newsprism.analyze") == ["newsprism.analyze_stories"]
