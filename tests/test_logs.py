"""Command logs: one line a record; a traceback only with --debug."""

from __future__ import annotations

import logging

import pytest

from newsprism.logs import configure_command_logging


def _fail_and_log() -> None:
    try:
        raise ValueError("year 0 is\nout of range")
    except ValueError:
        logging.getLogger("newsprism.ingest.poll").exception("polling %s failed", "http://x/f")


@pytest.fixture(autouse=True)
def _restore_root() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield None
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_logged_exception_is_one_line_without_debug(capsys: pytest.CaptureFixture[str]) -> None:
    configure_command_logging(debug=False)
    configure_command_logging(debug=False)  # installed once, however often a command runs
    _fail_and_log()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1
    assert "polling http://x/f failed (ValueError: year 0 is out of range)" in err


def test_debug_keeps_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    configure_command_logging(debug=True)
    _fail_and_log()
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "polling http://x/f failed" in err


def test_info_is_quiet_for_commands_and_shown_for_servers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_command_logging(debug=False)
    logging.getLogger("newsprism").info("enqueued 3 feeds")
    assert capsys.readouterr().err == ""
    configure_command_logging(debug=False, level=logging.INFO)
    logging.getLogger("newsprism").info("enqueued 3 feeds")
    assert "enqueued 3 feeds" in capsys.readouterr().err
