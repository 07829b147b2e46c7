"""Store locks: one holder at a time across connections and processes, freed when a holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from newsprism.store.database import Database
from newsprism.store.locks import LockTimeout, exclusive, lock_key


def test_lock_keys_are_stable_64_bit_integers() -> None:
    assert lock_key("stories") == lock_key("stories")
    assert lock_key("stories") != lock_key("scheduler")
    assert -(2**63) <= lock_key("stories") < 2**63


def test_a_held_lock_is_refused_to_a_second_holder_until_released(db: Database) -> None:
    other = Database(db.url, migrate=False)
    try:
        with exclusive(db, "stories") as first:
            assert first is True
            with exclusive(other, "stories", wait=False) as second:
                assert second is False
            with exclusive(other, "scheduler", wait=False) as unrelated:
                assert unrelated is True
        with exclusive(other, "stories", wait=False) as after:
            assert after is True
    finally:
        other.dispose()


def test_waiting_for_a_held_lock_times_out(db: Database) -> None:
    other = Database(db.url, migrate=False)
    try:
        with (
            exclusive(db, "stories"),
            pytest.raises(LockTimeout, match="stories"),
            exclusive(other, "stories", timeout_s=0.2),
        ):
            pass  # pragma: no cover - never reached
    finally:
        other.dispose()


def test_a_lock_held_by_a_killed_process_is_released(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ready = tmp_path / "ready"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import pathlib, time
                from newsprism.store.database import Database
                from newsprism.store.locks import exclusive
                db = Database({db.url!r}, migrate=False)
                with exclusive(db, "stories"):
                    pathlib.Path({str(ready)!r}).write_text("held")
                    time.sleep(600)
                """
            ),
        ]
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert holder.poll() is None, "lock holder exited early"
            assert time.monotonic() < deadline, "lock holder did not start"
            time.sleep(0.05)
        with exclusive(db, "stories", wait=False) as acquired:
            assert acquired is False
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
        with exclusive(db, "stories", timeout_s=30) as acquired:
            assert acquired is True
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
