"""``newsprism poll``: one cycle with a summary line, and the forever loop that Ctrl-C ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loopback import LoopbackServer
from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.outlets import add_feed, get_or_create_outlet

PAGES = Path(__file__).with_name("fixtures") / "pages"


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSPRISM_PER_HOST_DELAY_S", "0")
    monkeypatch.setenv("NEWSPRISM_EXTRACT_WORKERS", "1")


def _feed(db: Database, settings: Settings, url: str) -> int:
    with db.write() as conn:
        outlet = get_or_create_outlet(conn, "harbor-gazette.co.uk", "Harbor Gazette")
        assert outlet is not None
        return add_feed(conn, outlet, url, settings=settings)


def _rss_for(server: LoopbackServer) -> str:
    page = server.route(
        "/news/budget", (PAGES / "harbor_budget.html").read_bytes(), content_type="text/html"
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor</title>'
        f"<item><title>City council approves new harbor budget</title><link>{page}</link>"
        "<pubDate>Thu, 10 Jan 2030 08:00:00 GMT</pubDate></item></channel></rss>"
    )


def test_poll_once_prints_the_summary(
    run_cli, db: Database, settings: Settings, server: LoopbackServer
) -> None:  # type: ignore[no-untyped-def]
    _feed(db, settings, server.route("/rss.xml", _rss_for(server)))
    _feed(db, settings, server.route("/broken.xml", "down", status=500))
    result = run_cli("poll", "--once", "--no-process")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        "2 feeds polled: 1 ok, 0 not modified, 1 failed; 1 new articles "
        "(1 pages extracted, 0 kept from the feed only)"
    )
    assert f"failed: {server.url('/broken.xml')}: HTTP 500 Internal Server Error" in result.stderr


def test_poll_once_with_nothing_due(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("poll", "--once")
    assert result.exit_code == 0
    assert result.stdout.startswith("0 feeds polled")
    assert "no enabled feeds: add one with `newsprism sources add URL`" in result.stderr


def test_poll_once_clusters_new_articles(
    run_cli, db: Database, settings: Settings, server: LoopbackServer
) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("newsprism.cluster.service")
    pytest.importorskip("newsprism.analyze.refresh")
    _feed(db, settings, server.route("/rss.xml", _rss_for(server)))
    result = run_cli("poll", "--once")
    assert result.exit_code == 0, result.stderr
    assert "1 articles clustered" in result.stdout


@pytest.mark.slow
def test_poll_forever_stops_cleanly_on_ctrl_c(
    db: Database, settings: Settings, db_url: str, server: LoopbackServer
) -> None:
    _feed(db, settings, server.route("/rss.xml", _rss_for(server)))
    env = {**os.environ, "NEWSPRISM_DB": db_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "poll", "--no-process"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("1 feeds polled: 1 ok"), first
        # Wait until the loop sleeps (the cycle has written everything), then interrupt it.
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "newsprism poll: stopped" in err


def test_failed_feed_reason_is_visible_in_sources_list(
    run_cli, db: Database, settings: Settings, server: LoopbackServer
) -> None:  # type: ignore[no-untyped-def]
    import json

    broken = server.route(
        "/broken.xml", "<html><body>Welcome</body></html>", content_type="text/html"
    )
    _feed(db, settings, broken)
    assert run_cli("poll", "--once", "--no-process").exit_code == 0
    listed = run_cli("sources", "list", "--failing", "--json")
    assert listed.exit_code == 0, listed.stderr
    (outlet,) = json.loads(listed.stdout)
    (feed,) = outlet["feeds"]
    assert feed["url"] == broken
    assert feed["last_status"] == "error"
    assert feed["consecutive_failures"] == 1
    assert feed["last_error"].startswith("not a feed: the server sent an HTML page")


def test_poll_forever_outlives_a_failing_cycle(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from newsprism.cli import poll_cmd

    calls: list[int] = []

    def flaky_cycle(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C sends

    monkeypatch.setattr(poll_cmd, "_cycle", flaky_cycle)
    monkeypatch.setattr(poll_cmd, "MAX_SLEEP_S", 0.0)
    result = run_cli("poll")
    assert result.exit_code == 0, result.stderr
    assert len(calls) == 2
    assert "cycle failed: RuntimeError: database went away" in result.stderr
    assert "newsprism poll: stopped" in result.stderr
