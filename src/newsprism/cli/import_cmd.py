"""``newsprism import FILE``: articles from JSON Lines, then clustering and story analysis."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsprism.cli.common import (
    app_context,
    db_option,
    emit_json,
    err_console,
    json_option,
    show_progress,
)
from newsprism.errors import InputError

if TYPE_CHECKING:
    from newsprism.config import Settings
    from newsprism.ingest.importer import ImportReport
    from newsprism.pipeline.process import ProcessReport
    from newsprism.store.database import Database


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--no-process",
    is_flag=True,
    help="Only store the articles; skip clustering and story analysis (run them later).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes preparing articles (language, fingerprints); default: extract_workers.",
)
@json_option
@db_option
def import_articles(file: Path, no_process: bool, workers: int | None, as_json: bool) -> None:
    """Import articles from a .jsonl or .jsonl.gz FILE (one JSON object a line).

    Each line needs url, title and text (or content); published/date, source_url/outlet and
    source are optional, other fields are kept with the article. Importing the same file again
    adds nothing; an interrupted import resumes where it stopped when run again.
    """
    from newsprism.ingest.importer import import_file

    app = app_context()
    if show_progress() and not as_json:
        report = _import_with_bar(app.db, app.settings, file, workers)
    else:
        report = import_file(app.db, app.settings, file, workers=workers)
    if as_json:
        payload = report.as_dict()
        if not no_process:
            processed = _process(app.db, app.settings)
            payload["clustered"] = processed.clustered
            payload["stories_created"] = processed.stories_created
        emit_json(payload)
        _fail_if_nothing_taken(file, report)
        return
    lines = [
        f"{file}: {report.lines} lines: {report.added} added ({report.reposts} reposts), "
        f"{report.duplicates} duplicates, {report.rejected} rejected "
        f"in {report.seconds:.1f} s ({report.articles_per_second:.0f} articles/s)",
        f"dates: {report.dates_fixed} read from an unusual form, {report.dates_dropped} "
        f"implausible or unreadable dropped, {report.dates_missing} missing",
        *(f"  {problem}" for problem in report.problems),
    ]
    if report.rejected > len(report.problems):
        lines.append(f"  … and {report.rejected - len(report.problems)} more rejected lines")
    _say(lines)
    _fail_if_nothing_taken(file, report)
    if not no_process:
        # The import is committed and reported first: a clustering failure loses none of it.
        processed = _process(app.db, app.settings)
        _say(
            [
                f"clustered {processed.clustered} articles into "
                f"{processed.stories_created} new stories"
            ]
        )


def _say(lines: list[str]) -> None:
    """Print the report; a reader that went away (``import … | head -1``) does not stop the
    clustering that follows: the rest of the output goes nowhere instead."""
    try:
        for line in lines:
            click.echo(line)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _process(db: Database, settings: Settings) -> ProcessReport:
    from newsprism.pipeline.process import process_pending

    return process_pending(db, settings)


def _import_with_bar(
    db: Database, settings: Settings, file: Path, workers: int | None
) -> ImportReport:
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from newsprism.ingest.importer import import_file

    total = file.stat().st_size if file.is_file() else None
    columns = (
        TextColumn("importing {task.fields[lines]} lines"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console) as progress:
        task = progress.add_task("import", total=total, lines=0)

        def advance(lines: int, position: int) -> None:
            done = progress.tasks[0].fields["lines"] + lines
            progress.update(task, completed=position, lines=done)

        return import_file(db, settings, file, workers=workers, on_progress=advance)


def _fail_if_nothing_taken(file: Path, report: ImportReport) -> None:
    """A file of which no line could be taken is bad input: the command fails (after its
    report), so a script importing the wrong file notices."""
    if report.lines and report.rejected == report.lines:
        raise InputError(f"{file}: none of its {report.lines} lines could be imported")
