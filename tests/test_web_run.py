"""``newsprism serve`` and ``run``: start, serve, survive failures, stop cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.web.background import PipelineLoop


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"server exited early: {process.stderr.read() if process.stderr else ''}"
            )
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def start(args: list[str], db_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NEWSPRISM_ALLOW_PRIVATE_NETWORKS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "newsprism", *args, "--db", str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def stop(process: subprocess.Popen[str], how: int = signal.SIGINT) -> tuple[int, str]:
    process.send_signal(how)
    try:
        _out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return process.returncode, err


def test_pipeline_loop_survives_failing_cycles_and_keeps_going(
    db: Database, settings: Settings
) -> None:
    calls: list[int] = []
    done = threading.Event()

    def flaky(_db: Database, _settings: Settings) -> str:
        calls.append(1)
        if len(calls) <= 2:
            raise OSError("network is unreachable")
        if len(calls) >= 4:
            done.set()
        return "ok"

    loop = PipelineLoop(db, settings, cycle=flaky, pause_s=0.01)
    loop.start()
    assert done.wait(30)
    loop.stop()
    assert loop.join(10)
    assert loop.failures == 2 and loop.cycles >= 4


def test_pipeline_loop_stops_between_cycles(db: Database, settings: Settings) -> None:
    loop = PipelineLoop(db, settings, cycle=lambda _d, _s: "ok", pause_s=3600)
    loop.start()
    loop.stop()
    assert loop.join(10)


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_its_url_serves_and_stops_on_ctrl_c_or_sigterm(
    tmp_path: Path, how: int
) -> None:
    port = free_port()
    process = start(["serve", "--port", str(port)], tmp_path / "serve.db")
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", process)
        assert health.json()["status"] == "ok"
        home = httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)
        assert home.status_code == 200 and "content-security-policy" in home.headers
    finally:
        code, err = stop(process, how)
    assert code == 0, err
    assert f"http://127.0.0.1:{port}/" in err and "newsprism: stopped" in err
    assert "Traceback" not in err


def test_serve_on_a_port_in_use_fails_with_one_line(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"newsprism: error: cannot listen on 127.0.0.1:{port}")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["serve", "run"])
@pytest.mark.parametrize("port", ["0", "-1", "65536"])
def test_a_port_outside_1_to_65535_is_refused_in_one_line(run_cli, command: str, port: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(command, "--port", port)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"newsprism: error: --port: {port} is not a TCP port (1–65535)"


@pytest.mark.slow
def test_run_loads_the_registry_serves_and_shows_feed_failures_offline(tmp_path: Path) -> None:
    """Without network every feed fails; the site still serves and says why for each feed."""
    port = free_port()
    db_path = tmp_path / "run.db"
    process = start(["run", "--port", str(port)], db_path)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/healthz", process).status_code == 200
        deadline = time.monotonic() + 90
        page = ""
        while time.monotonic() < deadline:
            page = httpx.get(f"http://127.0.0.1:{port}/sources", timeout=10).text
            if 'class="status error"' in page:
                break
            time.sleep(1)
        assert 'class="notice error small"' in page, page[-3000:]
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
    finally:
        code, err = stop(process)
    assert code == 0, err
    assert "loaded" in err and "outlets from the bundled registry" in err
    assert "newsprism: stopped" in err
