"""What every command shares: settings, --db, --json output, progress bars, the database."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click
from click.core import ParameterSource
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from newsprism.config import Settings, load_settings
from newsprism.store.database import Database
from newsprism.textclean import without_controls

F = TypeVar("F", bound=Callable[..., Any])

err_console = Console(stderr=True, highlight=False)


@dataclass
class AppContext:
    settings: Settings
    _db: Database | None = field(default=None, repr=False)
    db_typed: bool = False  # --db was given on the command line

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.settings.db_url)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def _set_db(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if not value:
        return value
    app = ctx.ensure_object(AppContext)
    # The option is read before the command name and after it, each time also from
    # NEWSPRISM_DB: a --db typed anywhere wins over the environment's.
    typed = ctx.get_parameter_source(param.name or "db") == ParameterSource.COMMANDLINE
    if typed or not app.db_typed:
        app.settings = app.settings.with_db(value)
        app.db_typed = app.db_typed or typed
    return value


def db_option(func: F) -> F:
    """``--db URL`` on every command (also accepted before the command name)."""
    return click.option(
        "--db",
        "db",
        envvar="NEWSPRISM_DB",
        expose_value=False,
        callback=_set_db,
        is_eager=True,
        help="Database: a SQLite path or a SQLAlchemy URL (postgresql+psycopg://…).",
    )(func)


def json_option(func: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document on stdout."
    )(func)


def app_context() -> AppContext:
    return click.get_current_context().ensure_object(AppContext)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str, indent=2))
    sys.stdout.write("\n")


def show_progress() -> bool:
    """Progress bars only on a terminal: piped output stays clean."""
    return sys.stderr.isatty()


@contextmanager
def progress_bar(description: str, total: float | None) -> Iterator[Callable[[float], None]]:
    """Yields ``advance(n)``; draws a bar on a terminal and nothing when piped."""
    if not show_progress():
        yield lambda _n: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn() if total else TaskProgressColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)


def load_app_settings() -> Settings:
    return load_settings()


def terminal_text(text: str) -> str:
    """Outside text (titles, outlet names) for a rich console: markup escaped and control
    characters dropped, so it can neither style the output nor send escape sequences."""
    from rich.markup import escape

    return escape(without_controls(text))
