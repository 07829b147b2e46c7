"""``newsprism migrate-db`` copies a whole store, verifies it, and refuses to overwrite by accident."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsprism.store import schema
from newsprism.store.database import Database
from newsprism.store.dialect import search_article_ids
from newsprism.store.transfer import table_counts
from newsprism.timeutil import as_utc

PG_SERVER = os.environ.get("NEWSPRISM_TEST_DB") or "postgresql+psycopg://postgres@127.0.0.1/test"
T0 = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema (the target of a migration)."""
    if not PG_SERVER.startswith("postgresql"):
        pytest.skip("NEWSPRISM_TEST_DB is not a PostgreSQL URL")
    admin = sa.create_engine(PG_SERVER)
    schema_name = f"mig_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema_name}"')
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 is not reachable: {exc.orig}")
    base = PG_SERVER.split("?")[0]
    try:
        yield f"{base}?options=-csearch_path%3D{schema_name}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema_name}" CASCADE')
        admin.dispose()


def _fill(db: Database) -> None:
    """One row or more in every table, with self-references that point forward in id order."""
    with db.write() as conn:
        outlet = {
            "categories": ["news"],
            "is_default": True,
            "enabled": True,
            "origin": "registry",
            "created_at": T0,
            "updated_at": T0,
        }
        conn.execute(
            sa.insert(schema.outlets),
            [
                {"id": 1, "domain": "left.example", "name": "Left Daily", **outlet},
                {"id": 2, "domain": "right.example", "name": "Right Times", **outlet},
            ],
        )
        conn.execute(
            sa.insert(schema.feeds).values(
                id=1,
                outlet_id=1,
                url="https://left.example/rss",
                enabled=True,
                interval_s=1800,
                next_poll_at=T0,
                consecutive_failures=0,
                created_at=T0,
                etag='"abc"',
            )
        )
        conn.execute(
            sa.insert(schema.ratings).values(
                outlet_id=2,
                provider="csv",
                bias_label="Right",
                bias_score=2.0,
                imported_at=T0,
                extra={"note": "ünïcode"},
            )
        )
        story = {"created_at": T0, "updated_at": T0, "article_count": 1, "outlet_count": 1}
        # Story 1 was merged into story 2, which has a larger id.
        conn.execute(
            sa.insert(schema.stories),
            [
                {"id": 1, "headline": "Old split", "dirty": False, **story},
                {
                    "id": 2,
                    "headline": "Summit ends",
                    "dirty": True,
                    "analysis": {"k": [1]},
                    **story,
                },
            ],
        )
        conn.execute(
            sa.update(schema.stories).where(schema.stories.c.id == 1).values(merged_into=2)
        )
        article = {
            "ingested_at": T0,
            "extraction_status": "imported",
            "word_count": 5,
            "extra": {},
            "story_id": 2,
            "simhash": -(2**62),
        }
        conn.execute(
            sa.insert(schema.articles),
            [
                {
                    "id": 1,
                    "url_hash": "h1",
                    "url": "https://left.example/a",
                    "title": "Leaders meet in Vilnius",
                    "text": "NATO leaders met in Vilnius.",
                    "outlet_id": 1,
                    "feed_id": 1,
                    "published_at": T0 - timedelta(hours=3),
                    "cluster_explanation": {"shared": ["NATO"]},
                    **article,
                },
                {
                    "id": 2,
                    "url_hash": "h2",
                    "url": "https://right.example/a",
                    "title": "Summit in Vilnius",
                    "text": "Leaders met at the summit.",
                    "outlet_id": 2,
                    "feed_id": None,
                    "published_at": None,
                    "cluster_explanation": None,
                    **article,
                },
            ],
        )
        # Article 1 is a repost of article 2 (a forward reference).
        conn.execute(
            sa.update(schema.articles).where(schema.articles.c.id == 1).values(repost_of=2)
        )
        conn.execute(
            sa.insert(schema.story_summaries).values(
                story_id=2,
                created_at=T0,
                article_count=2,
                method="extractive",
                bullets=[{"text": "Leaders met.", "article_ids": [1, 2]}],
            )
        )
        conn.execute(
            sa.insert(schema.fetch_log).values(
                feed_id=1,
                outlet_id=1,
                kind="feed",
                url="https://left.example/rss",
                started_at=T0,
                outcome="error",
                error="HTTP 500",
            )
        )
        conn.execute(
            sa.insert(schema.users).values(
                id=1, username="ada", password_hash="x", is_admin=True, created_at=T0
            )
        )
        conn.execute(
            sa.insert(schema.reading_history).values(
                user_id=1, story_id=2, opened_at=T0, snapshot={"side": "center"}
            )
        )
        conn.execute(
            sa.insert(schema.imports).values(
                source="corpus.jsonl", started_at=T0, lines_read=2, added=2, skipped=0, notes={}
            )
        )
        conn.execute(sa.insert(schema.meta).values(key="registry_version", value={"v": 3}))


def _rows(db: Database, table: sa.Table) -> list[dict[str, object]]:
    with db.read() as conn:
        rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()
        return [
            {k: as_utc(v) if isinstance(v, datetime) else v for k, v in row.items()} for row in rows
        ]


@pytest.fixture
def sqlite_source(tmp_path: Path) -> Iterator[Database]:
    source = Database(str(tmp_path / "source.db"))
    _fill(source)
    yield source
    source.dispose()


def test_migrate_db_copies_every_row_into_postgresql(
    sqlite_source: Database, pg_url: str, run_cli
) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "migrate-db", "--from", sqlite_source.url, "--to", pg_url, "--json", "--batch-size", "1"
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    expected = table_counts(sqlite_source)
    assert report["rows"] == expected
    filled = [t.name for t in (schema.outlets, schema.articles, schema.stories, schema.meta)]
    assert all(expected[name] >= 1 for name in filled)

    target = Database(pg_url)
    try:
        assert target.dialect == "postgresql"
        assert table_counts(target) == expected
        for table in schema.metadata.sorted_tables:
            assert _rows(target, table) == _rows(sqlite_source, table), table.name
        with target.read() as conn:
            # PostgreSQL's own full-text search sees the copied articles.
            assert list(search_article_ids(conn, "vilnius nato")) == [1]
        with target.write() as conn:
            # Sequences were moved past the copied ids: new rows get fresh ids.
            new_id = conn.execute(
                sa.insert(schema.stories).values(
                    created_at=T0, updated_at=T0, article_count=0, outlet_count=0, dirty=True
                )
            ).inserted_primary_key[0]
        assert new_id == 3
    finally:
        target.dispose()


def test_migrate_db_refuses_a_non_empty_target_unless_forced(
    sqlite_source: Database, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    target_path = tmp_path / "target.db"
    target = Database(str(target_path))
    with target.write() as conn:
        conn.execute(sa.insert(schema.meta).values(key="mine", value=1))
    target.dispose()

    refused = run_cli("migrate-db", "--from", sqlite_source.url, "--to", str(target_path))
    assert refused.exit_code == 1
    assert "not empty" in refused.stderr and "meta (1 rows)" in refused.stderr
    assert "--force" in refused.stderr
    target = Database(str(target_path))
    assert table_counts(target)["meta"] == 1
    assert table_counts(target)["articles"] == 0

    forced = run_cli("migrate-db", "--from", sqlite_source.url, "--to", str(target_path), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "counts verified" in forced.stdout
    assert table_counts(target) == table_counts(sqlite_source)
    assert _rows(target, schema.meta) == [{"key": "registry_version", "value": {"v": 3}}]
    target.dispose()


def test_migrate_db_refuses_copying_a_database_onto_itself(
    sqlite_source: Database, run_cli
) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("migrate-db", "--from", sqlite_source.url, "--to", sqlite_source.url)
    assert result.exit_code == 1
    assert "same database" in result.stderr
    assert table_counts(sqlite_source)["articles"] == 2


def test_migrate_db_copies_postgresql_back_into_sqlite(
    sqlite_source: Database, pg_url: str, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("migrate-db", "--from", sqlite_source.url, "--to", pg_url).exit_code == 0
    back = tmp_path / "back.db"
    result = run_cli("migrate-db", "--from", pg_url, "--to", str(back))
    assert result.exit_code == 0, result.stderr
    restored = Database(str(back))
    for table in schema.metadata.sorted_tables:
        assert _rows(restored, table) == _rows(sqlite_source, table), table.name
    restored.dispose()


def test_migrate_db_refuses_a_missing_sqlite_source_without_creating_it(
    tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "typo.db"
    result = run_cli("migrate-db", "--from", str(missing), "--to", str(tmp_path / "to.db"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"newsprism: error: --from: no SQLite database at {missing}"
    assert not missing.exists() and not (tmp_path / "to.db").exists()
