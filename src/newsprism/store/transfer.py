"""Copying a whole store to another database (SQLite → PostgreSQL, or back), table by table.

The copy runs in one transaction on the target: either every table arrives with every row and the
counts are verified, or nothing is written. Tables go in foreign-key order; a column that points at
its own table (``articles.repost_of``, ``stories.merged_into``) is filled in a second pass, because
a row may point at one copied after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Table, bindparam, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from newsprism.errors import NewsprismError
from newsprism.store.database import Database, normalize_url
from newsprism.store.dialect import reset_id_sequence
from newsprism.store.schema import metadata
from newsprism.timeutil import as_utc

# Rows per INSERT batch: large enough to amortize round trips to a remote server, small enough
# that a batch of full article texts stays a few MB in memory.
DEFAULT_BATCH_SIZE = 1000


class TargetNotEmptyError(NewsprismError):
    """The target already holds data and the caller did not ask to replace it."""


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied (verified)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def require_existing_sqlite(db: str, option: str) -> None:
    """Refuse a SQLite path or URL whose file does not exist (PostgreSQL URLs pass)."""
    try:
        url = make_url(normalize_url(db)) if "://" in db else None
    except ArgumentError:
        raise NewsprismError(f"{option}: not a database path or URL: {db!r}") from None
    if url is not None and url.get_backend_name() != "sqlite":
        return
    path = url.database if url is not None else db
    if not path or path == ":memory:" or not Path(path).expanduser().is_file():
        raise NewsprismError(f"{option}: no SQLite database at {path or db}")


def _self_references(table: Table) -> list[Column[Any]]:
    return [
        col for col in table.columns if any(fk.column.table is table for fk in col.foreign_keys)
    ]


def count_rows(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def table_counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {table.name: count_rows(conn, table) for table in metadata.sorted_tables}


def _fix_datetimes(row: dict[str, Any], datetime_columns: Sequence[str]) -> dict[str, Any]:
    # SQLite hands back naive datetimes (UTC by convention); PostgreSQL would read a naive value
    # in the session's time zone, so make every one explicit.
    for name in datetime_columns:
        value = row.get(name)
        if isinstance(value, datetime):
            row[name] = as_utc(value)
    return row


def _batches(conn: Connection, table: Table, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(
        select(table).order_by(*order)
    )
    for chunk in result.mappings().partitions(batch_size):
        yield [dict(row) for row in chunk]


def _copy_table(
    source: Connection,
    target: Connection,
    table: Table,
    batch_size: int,
    on_progress: Callable[[str, int], None] | None,
) -> int:
    self_refs = [col.name for col in _self_references(table)]
    datetime_columns = [col.name for col in table.columns if isinstance(col.type, DateTime)]
    pk = list(table.primary_key.columns)
    deferred: list[dict[str, Any]] = []
    copied = 0
    for batch in _batches(source, table, batch_size):
        rows = [_fix_datetimes(row, datetime_columns) for row in batch]
        for row in rows:
            refs = {name: row[name] for name in self_refs if row[name] is not None}
            if refs:
                deferred.append({**{f"_pk_{c.name}": row[c.name] for c in pk}, **refs})
                for name in refs:
                    row[name] = None
        target.execute(table.insert(), rows)
        copied += len(rows)
        if on_progress:
            on_progress(table.name, len(rows))
    for name in self_refs:
        pending = [
            {**{k: v for k, v in ref.items() if k.startswith("_pk_")}, f"_v_{name}": ref[name]}
            for ref in deferred
            if name in ref
        ]
        stmt = (
            update(table)
            .where(*[c == bindparam(f"_pk_{c.name}") for c in pk])
            .values({name: bindparam(f"_v_{name}")})
        )
        for start in range(0, len(pending), batch_size):
            target.execute(stmt, pending[start : start + batch_size])
    return copied


def copy_database(
    source: Database,
    target: Database,
    *,
    force: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every table of ``source`` into ``target`` (both already migrated to the same head).

    Refuses a target that holds any row unless ``force``, which replaces the target's rows.
    Raises NewsprismError naming the table when a verified count differs; nothing is then kept.
    """
    if source.url == target.url:
        raise NewsprismError("--from and --to name the same database")
    tables = list(metadata.sorted_tables)
    report = CopyReport()
    with source.read() as src, target.write() as dst:
        occupied = {t.name: n for t in tables if (n := count_rows(dst, t))}
        if occupied and not force:
            listing = ", ".join(f"{name} ({n} rows)" for name, n in occupied.items())
            raise TargetNotEmptyError(
                f"target database is not empty: {listing}; pass --force to replace its contents"
            )
        for table in reversed(tables):
            if occupied.get(table.name):
                for col in _self_references(table):
                    dst.execute(update(table).values({col.name: None}))
                dst.execute(table.delete())
        for table in tables:
            expected = count_rows(src, table)
            copied = _copy_table(src, dst, table, batch_size, on_progress)
            arrived = count_rows(dst, table)
            if not copied == arrived == expected:
                raise NewsprismError(
                    f"table {table.name}: source has {expected} rows, copied {copied}, "
                    f"target has {arrived}; nothing was written"
                )
            id_column = table.columns.get("id")
            if id_column is not None and id_column.primary_key:
                reset_id_sequence(dst, table.name)
            report.rows[table.name] = arrived
    return report
