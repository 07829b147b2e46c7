"""Rows of the ``imports`` table: one per ``newsprism import`` run, updated as batches commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, update

from newsprism.store.schema import imports
from newsprism.timeutil import utcnow


def start_import_run(conn: Connection, source: str) -> int:
    result = conn.execute(
        insert(imports)
        .values(
            source=source[:4096], started_at=utcnow(), lines_read=0, added=0, skipped=0, notes={}
        )
        .returning(imports.c.id)
    )
    return int(result.scalar_one())


def add_import_progress(
    conn: Connection, run_id: int, *, lines_read: int, added: int, skipped: int
) -> None:
    """Count one committed batch in the run's totals (in the batch's own transaction)."""
    conn.execute(
        update(imports)
        .where(imports.c.id == run_id)
        .values(
            lines_read=imports.c.lines_read + lines_read,
            added=imports.c.added + added,
            skipped=imports.c.skipped + skipped,
        )
    )


def finish_import_run(
    conn: Connection,
    run_id: int,
    *,
    lines_read: int,
    added: int,
    skipped: int,
    notes: dict[str, Any],
) -> None:
    conn.execute(
        update(imports)
        .where(imports.c.id == run_id)
        .values(
            finished_at=utcnow(),
            lines_read=lines_read,
            added=added,
            skipped=skipped,
            notes=notes,
        )
    )
