"""Shared fixtures: settings, a fresh database per test, the CLI, and ../shared/data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from loopback import LoopbackServer
from newsprism.config import Settings
from newsprism.store.database import Database
from webdata import Newsroom, seed_newsroom, web_client

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("NEWSPRISM_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
FIXTURES = Path(__file__).with_name("fixtures")

# NEWSPRISM_TEST_DB=postgresql+psycopg://… runs the whole suite on PostgreSQL (one fresh schema
# per test); unset, each test gets its own SQLite file.
TEST_DB = os.environ.get("NEWSPRISM_TEST_DB", "")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never read the developer's own config file or database.
    empty = tmp_path / "isolated-config.toml"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSPRISM_CONFIG", str(empty))
    monkeypatch.setenv("NEWSPRISM_ALLOW_PRIVATE_NETWORKS", "1")
    monkeypatch.delenv("NEWSPRISM_DB", raising=False)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is absent ({SHARED_DATA}); real-data tests need it")
    return SHARED_DATA


def _postgres_url_for_test() -> Iterator[str]:
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(TEST_DB)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in TEST_DB else "?"
    try:
        yield f"{TEST_DB}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    if TEST_DB.startswith("postgresql"):
        yield from _postgres_url_for_test()
    else:
        yield str(tmp_path / "newsprism.db")


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db=db_url, allow_private_networks=True, per_host_delay_s=0.0)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.db_url)
    yield database
    database.dispose()


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], db_url: str):  # type: ignore[no-untyped-def]
    """Run ``newsprism ARGS`` in-process against the test database; returns a CliResult."""
    from newsprism.cli.main import main

    def run(*args: str, db: bool = True) -> CliResult:
        argv = [*args, "--db", db_url] if db else list(args)
        capsys.readouterr()
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


# Fixtures many test files share: a loopback HTTP server, and the seeded newsroom with a web
# client on it (a file may define its own ``room`` to seed something else).
@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def room(db: Database, settings: Settings) -> Newsroom:
    return seed_newsroom(db, settings)


@pytest.fixture
def client(db: Database, settings: Settings, room: Newsroom) -> Iterator[Any]:
    with web_client(db, settings) as test_client:
        yield test_client
