"""Schema migrations with Alembic, run by every command on open (no separate init step)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

if TYPE_CHECKING:
    from newsprism.store.database import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database) -> None:
    """Bring the schema to the newest revision; cheap when it already is."""
    if current_revision(db) == head_revision():
        return
    cfg = alembic_config()
    with db.write() as conn:
        if db.is_sqlite:
            # A concurrent opener may have migrated while we waited for the write lock.
            if MigrationContext.configure(conn).get_current_revision() == head_revision():
                return
        else:
            # One migrator at a time across processes and machines.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7302514)")
            if MigrationContext.configure(conn).get_current_revision() == head_revision():
                return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
