"""The scale-out scheduler hands each due feed to the queue once, with one leader at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from newsprism.config import Settings
from newsprism.store import schema
from newsprism.store.database import Database
from newsprism.store.dispatch import claim_due_feeds
from newsprism.store.locks import exclusive
from newsprism.timeutil import as_utc, utcnow
from redis_broker import broker_settings, queued


def _add_feeds(db: Database) -> dict[str, int]:
    now = utcnow()
    stamp = {"created_at": now, "updated_at": now}
    with db.write() as conn:
        on = conn.execute(
            sa.insert(schema.outlets).values(
                domain="on.example",
                name="On",
                categories=[],
                is_default=True,
                enabled=True,
                origin="registry",
                **stamp,
            )
        ).inserted_primary_key[0]
        off = conn.execute(
            sa.insert(schema.outlets).values(
                domain="off.example",
                name="Off",
                categories=[],
                is_default=False,
                enabled=False,
                origin="registry",
                **stamp,
            )
        ).inserted_primary_key[0]
        feed = {"interval_s": 1800, "consecutive_failures": 0, "created_at": now}
        ids = {}
        for name, outlet, enabled, due_in in [
            ("overdue", on, True, -3600),
            ("due", on, True, -1),
            ("future", on, True, 3600),
            ("disabled", on, False, -3600),
            ("outlet_disabled", off, True, -3600),
        ]:
            ids[name] = conn.execute(
                sa.insert(schema.feeds).values(
                    outlet_id=outlet,
                    url=f"https://on.example/{name}.xml",
                    enabled=enabled,
                    next_poll_at=now + timedelta(seconds=due_in),
                    **feed,
                )
            ).inserted_primary_key[0]
    return ids


def test_due_feeds_are_claimed_most_overdue_first_and_leased(db: Database) -> None:
    ids = _add_feeds(db)
    now = utcnow()
    with db.write() as conn:
        assert claim_due_feeds(conn, now, lease_s=600) == [ids["overdue"], ids["due"]]
    with db.write() as conn:
        assert claim_due_feeds(conn, now + timedelta(seconds=599), lease_s=600) == []
    with db.read() as conn:
        leased = conn.execute(
            sa.select(schema.feeds.c.next_poll_at).where(schema.feeds.c.id == ids["due"])
        ).scalar_one()
    assert as_utc(leased) == now + timedelta(seconds=600)
    with db.write() as conn:
        # A lost poll comes due again once its lease ends.
        assert claim_due_feeds(conn, now + timedelta(seconds=601), lease_s=600) == [
            ids["overdue"],
            ids["due"],
        ]


@pytest.fixture
def test_broker(settings: Settings) -> Iterator[Settings]:
    yield from broker_settings(settings)


@pytest.mark.celery
def test_only_the_scheduler_holding_the_lock_enqueues(db: Database, test_broker: Settings) -> None:
    from newsprism.pipeline.scheduler import SCHEDULER_LOCK, tick

    ids = _add_feeds(db)
    with exclusive(db, SCHEDULER_LOCK):
        standby = tick(db, test_broker)
    assert standby.leader is False and standby.feeds_enqueued == 0
    assert queued("newsprism") == []

    leader = tick(db, test_broker)
    assert leader.leader is True and leader.feeds_enqueued == 2
    assert queued("newsprism") == [
        ("newsprism.poll_feed", [ids["overdue"]]),
        ("newsprism.poll_feed", [ids["due"]]),
    ]
    assert queued("newsprism.cluster") == [("newsprism.assign_stories", [])]
    assert queued("newsprism.analyze") == [("newsprism.analyze_stories", [])]

    # The next tick finds the feeds leased: nothing is enqueued twice.
    again = tick(db, test_broker, sweep=False)
    assert again.leader is True and again.feeds_enqueued == 0
    assert len(queued("newsprism")) == 2


@pytest.mark.celery
def test_scheduler_command_once_enqueues_the_due_feeds(
    db: Database, test_broker: Settings, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    ids = _add_feeds(db)
    monkeypatch.setenv("NEWSPRISM_BROKER_URL", test_broker.broker_url)
    monkeypatch.setenv("NEWSPRISM_BROKER_KEY_PREFIX", test_broker.broker_key_prefix)
    result = run_cli("scheduler", "--once", "--no-registry")
    assert result.exit_code == 0, result.stderr
    assert queued("newsprism") == [
        ("newsprism.poll_feed", [ids["overdue"]]),
        ("newsprism.poll_feed", [ids["due"]]),
    ]


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.celery
def test_a_broker_that_is_down_leaves_the_claimed_feeds_due_and_says_so(
    db: Database, settings: Settings
) -> None:
    from dataclasses import replace

    from newsprism.errors import NewsprismError
    from newsprism.pipeline.scheduler import tick

    ids = _add_feeds(db)
    down = replace(settings, broker_url=f"redis://:s3cret@127.0.0.1:{_closed_port()}/0")
    with pytest.raises(NewsprismError, match="cannot queue tasks on the broker") as failure:
        tick(db, down)
    assert "2 feeds left due" in str(failure.value) and "\n" not in str(failure.value)
    assert "s3cret" not in str(failure.value)  # the broker is named without its password
    with db.read() as conn:
        claimable = claim_due_feeds(conn, utcnow() + timedelta(seconds=1), lease_s=60)
    assert claimable == [ids["overdue"], ids["due"]]


def test_the_scheduler_outlives_a_failed_tick(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.errors import NewsprismError
    from newsprism.pipeline import scheduler

    calls: list[str] = []

    def flaky(_db: Database, _settings: Settings, *, sweep: bool = True) -> scheduler.Tick:
        calls.append("tick")
        if len(calls) == 1:
            raise NewsprismError("cannot queue tasks on the broker redis://x (refused)")
        raise KeyboardInterrupt  # ends the loop after the second tick

    monkeypatch.setattr(scheduler, "tick", flaky)
    monkeypatch.setattr(scheduler, "MAX_RETRY_PAUSE_S", 0.01)
    scheduler.run_scheduler(db, settings, interval_s=0.001)
    assert calls == ["tick", "tick"]
    with pytest.raises(NewsprismError):
        calls.clear()
        scheduler.run_scheduler(db, settings, interval_s=0.001, once=True)
