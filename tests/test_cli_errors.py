"""Every command fails with one readable line and a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_unknown_command_is_one_line_usage_error(tmp_path: Path) -> None:
    result = _run("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "No such command 'frobnicate'" in result.stderr
    assert result.stdout == ""


def test_unsupported_database_url_is_named(tmp_path: Path) -> None:
    result = _run("--db", "mysql://x/y", "stats", cwd=tmp_path)
    assert result.returncode == 1
    assert "unsupported database 'mysql'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_a_file_that_is_not_a_database_is_one_line_naming_it(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("{}\n", encoding="utf-8")
    result = _run("--db", str(notes), "stats", cwd=tmp_path)
    assert result.returncode == 1
    assert f"cannot open database sqlite:///{notes}: file is not a database" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_version_prints_and_exits_zero(tmp_path: Path) -> None:
    result = _run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert "newsprism" in result.stdout
