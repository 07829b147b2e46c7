"""Scale-out end to end: a scheduler and Celery workers over Redis give embedded mode's stories.

A hand-made news site on 127.0.0.1 serves a few hundred articles through RSS feeds. The same
site is ingested twice: once in-process (embedded mode: ``poll_cycle`` then ``process_pending``)
and once by ``newsprism scheduler`` and ``newsprism worker`` processes, where the first worker
is killed with SIGKILL while it is busy. Every article must then be stored once, clustered once,
and grouped into the same stories as in embedded mode.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsprism.config import Settings
from newsprism.store import schema
from newsprism.store.database import Database
from newsprism.store.outlets import add_feed, get_or_create_outlet
from newsroom import Newsroom, NewsroomServer, build_newsroom
from redis_broker import REDIS_URL, private_prefix

pytestmark = [pytest.mark.celery, pytest.mark.slow]

# Short, so the killed worker's tasks come back within seconds (production: minutes).
VISIBILITY_TIMEOUT_S = 5
DEADLINE_S = 420


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    yield from private_prefix()


def _register_site(db: Database, site: NewsroomServer, settings: Settings) -> None:
    with db.write() as conn:
        for outlet, url in enumerate(site.feed_urls()):
            outlet_id = get_or_create_outlet(conn, f"outlet{outlet}.example", f"Outlet {outlet}")
            assert outlet_id is not None
            add_feed(conn, outlet_id, url, title=f"Outlet {outlet}", settings=settings)


def _partition(db: Database) -> set[frozenset[str]]:
    """Stories as sets of article URLs, following merged stories to their survivor."""
    with db.read() as conn:
        merged = dict(
            conn.execute(
                sa.select(schema.stories.c.id, schema.stories.c.merged_into).where(
                    schema.stories.c.merged_into.is_not(None)
                )
            ).all()
        )
        rows = conn.execute(sa.select(schema.articles.c.url, schema.articles.c.story_id)).all()
    stories: dict[int, set[str]] = {}
    for url, story_id in rows:
        assert story_id is not None, f"{url} was never assigned to a story"
        while story_id in merged:
            story_id = merged[story_id]
        stories.setdefault(story_id, set()).add(url)
    return {frozenset(urls) for urls in stories.values()}


def _progress(db: Database) -> tuple[int, int, int]:
    """(articles, articles not yet clustered, stories waiting for analysis)."""
    articles, stories = schema.articles, schema.stories
    with db.read() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
        pending = conn.execute(
            sa.select(sa.func.count()).where(articles.c.clustered_at.is_(None))
        ).scalar_one()
        dirty = conn.execute(
            sa.select(sa.func.count()).where(
                stories.c.dirty.is_(True), stories.c.merged_into.is_(None)
            )
        ).scalar_one()
    return int(total), int(pending), int(dirty)


def _embedded_run(room: Newsroom, site: NewsroomServer, settings: Settings, path: Path) -> Database:
    from newsprism.ingest.poll import poll_cycle
    from newsprism.pipeline.process import process_pending

    db = Database(str(path))
    embedded = replace(settings, db=str(path))
    _register_site(db, site, embedded)
    poll_cycle(db, embedded)
    process_pending(db, embedded)
    return db


class Processes:
    """newsprism processes started for the test; all are killed at the end, whatever happens."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsprism", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL takes its children too
        )
        self.running[name] = proc
        return proc

    def kill(self, name: str) -> None:
        proc = self.running.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self.running.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for name in list(self.running):
            proc = self.running.pop(name)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def log_tail(self) -> str:
        """Each log's errors and its last lines, for the failure message."""
        parts = []
        for log in sorted(self.logs.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()
            errors = [line for line in lines if "ERROR" in line or "Error:" in line][:20]
            parts.append(f"--- {log.name}\n" + "\n".join([*errors, "...", *lines[-15:]]))
        return "\n".join(parts)


def _polls(log: str) -> tuple[int, int]:
    """Poll tasks a worker's log says it received, and those it finished (either way)."""
    received = len(re.findall(r"Task newsprism\.poll_feed\[[^\]]+\] received", log))
    finished = len(re.findall(r"Task newsprism\.poll_feed\[[^\]]+\] (succeeded|raised)", log))
    return received, finished


def _wait_for(
    condition, what: str, procs: Processes, deadline: float, progress=lambda: None
) -> None:  # type: ignore[no-untyped-def]
    while not condition():
        for name, proc in procs.running.items():
            assert proc.poll() is None, f"{name} exited early\n{procs.log_tail()}"
        assert time.monotonic() < deadline, (
            f"timed out waiting for {what} (progress {progress()})\n{procs.log_tail()}"
        )
        time.sleep(0.2)


def test_workers_store_and_cluster_every_article_once_even_when_one_is_killed(
    settings: Settings, db_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    room = build_newsroom(stories=60, outlets=10, per_story=5)
    expected_urls: set[str] = set()
    with NewsroomServer(room) as site:
        expected_urls = {site.article_url(a) for a in room.articles}
        embedded = _embedded_run(room, site, settings, tmp_path / "embedded.db")
        embedded_partition = _partition(embedded)
        embedded.dispose()

        db = Database(db_url)
        _register_site(db, site, settings)
        env = {
            **os.environ,
            "NEWSPRISM_DB": db_url,
            "NEWSPRISM_BROKER_URL": REDIS_URL,
            "NEWSPRISM_BROKER_KEY_PREFIX": redis_prefix,
            "NEWSPRISM_BROKER_VISIBILITY_TIMEOUT_S": str(VISIBILITY_TIMEOUT_S),
            "NEWSPRISM_ALLOW_PRIVATE_NETWORKS": "1",
            "NEWSPRISM_PER_HOST_DELAY_S": "0",
            "NEWSPRISM_TASK_MAX_RETRIES": "10",
            # Assign once the site has been read, redelivered polls included, as embedded mode
            # assigns after its polling cycle: streaming assignment depends on arrival order.
            "NEWSPRISM_ASSIGN_QUIET_S": "15",
            "NEWSPRISM_ASSIGN_MAX_DELAY_S": "600",
        }
        procs = Processes(env, tmp_path)
        deadline = time.monotonic() + DEADLINE_S
        try:
            worker = ("worker", "--concurrency", "2", "--loglevel", "INFO")
            # The doomed worker is ready before any feed is due, so it takes the first polls.
            procs.start("worker-killed", *worker, "--hostname", "killed@%h")
            _wait_for(lambda: "ready." in procs.log("worker-killed"), "a worker", procs, deadline)
            procs.start("scheduler", "scheduler", "--interval", "1", "--no-registry")
            procs.start("worker-a", *worker, "--hostname", "a@%h")
            procs.start("worker-b", *worker, "--hostname", "b@%h")
            _wait_for(
                lambda: _polls(procs.log("worker-killed"))[0] > 0, "a poll task", procs, deadline
            )
            procs.kill("worker-killed")
            received, finished = _polls(procs.log("worker-killed"))
            # It died in the middle of its work: some of its polls never finished there.
            assert received > finished

            _wait_for(
                lambda: _progress(db) == (len(room.articles), 0, 0),
                "every article stored, clustered and analysed",
                procs,
                deadline,
                lambda: _progress(db),
            )
        finally:
            procs.stop_all()

    with db.read() as conn:
        urls = [u for (u,) in conn.execute(sa.select(schema.articles.c.url))]
        counts = dict(
            conn.execute(
                sa.select(schema.stories.c.id, schema.stories.c.article_count).where(
                    schema.stories.c.merged_into.is_(None), schema.stories.c.article_count > 0
                )
            ).all()
        )
        members = dict(
            conn.execute(
                sa.select(schema.articles.c.story_id, sa.func.count()).group_by(
                    schema.articles.c.story_id
                )
            ).all()
        )
    # Stored once: every served article, no more, no fewer.
    assert sorted(urls) == sorted(expected_urls)
    # Clustered once: each live story counts exactly the articles that point at it.
    assert counts == {story: n for story, n in members.items() if story in counts}
    assert sum(counts.values()) == len(room.articles)
    # The same stories as embedded mode, and the events the site was made of.
    assert _partition(db) == embedded_partition
    gold = {
        frozenset(site.article_url(a) for a in room.articles if a.story == story)
        for story in {a.story for a in room.articles}
    }
    assert embedded_partition == gold
    db.dispose()
