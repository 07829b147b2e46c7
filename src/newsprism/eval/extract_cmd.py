"""``newsprism eval extract``: the production extractor on an article-extraction benchmark."""

from __future__ import annotations

from pathlib import Path

import click

from newsprism.cli.common import app_context, db_option, emit_json, json_option


@click.command("extract")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["scrapinghub"]),
    default="scrapinghub",
    show_default=True,
    help="Benchmark layout: html/<id>.html(.gz) plus ground-truth.json with articleBody.",
)
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@json_option
@db_option
def eval_extract(fmt: str, folder: Path, as_json: bool) -> None:
    """Extract every page in FOLDER and print shingle precision, recall and F1."""
    from newsprism.errors import InputError
    from newsprism.eval.extraction import evaluate_folder

    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    settings = app_context().settings
    scores = evaluate_folder(
        folder, workers=max(1, settings.extract_workers), timeout_s=settings.extract_timeout_s
    )
    if as_json:
        emit_json(scores.as_dict())
        return
    click.echo(
        f"{fmt}: {scores.pages} pages: precision {scores.precision:.4f}, recall "
        f"{scores.recall:.4f}, F1 {scores.f1:.4f} ({scores.pages_per_second:.1f} pages/s)"
    )
    for failure in scores.failures:
        click.echo(f"  {failure}")
