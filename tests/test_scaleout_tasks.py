"""Celery tasks are idempotent and respect the story lock (run in-process against the store)."""

from __future__ import annotations

from collections.abc import Iterator
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
