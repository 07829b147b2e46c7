"""``newsprism ratings``: import a rater's published data; list what each provider rates."""

from __future__ import annotations

from pathlib import Path

import click

from newsprism.cli.common import app_context, db_option, emit_json, json_option
from newsprism.registry.importers import PROVIDERS


@click.group("ratings")
@db_option
def ratings() -> None:
    """Outlet ratings from bias and factuality raters (one set per provider)."""


@ratings.command("import")
@click.option(
    "--provider",
    required=True,
    type=click.Choice(PROVIDERS),
    help="Whose file it is; re-importing a provider replaces its ratings.",
)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--no-create-outlets",
    is_flag=True,
    help="Do not add outlets for rated domains the store lacks (they count as unknown either way).",
)
@json_option
@db_option
def import_cmd(provider: str, file: Path, no_create_outlets: bool, as_json: bool) -> None:
    """Import FILE from a rater (MBFC, AllSides, Ad Fontes, Wikipedia, or the generic CSV).

    The generic CSV has a header and the columns domain,bias,factuality,url,date: bias a number
    from -3 (Far Left) to +3 (Far Right) or a label, factuality 0 (Very Low) to 5 (Very High) or a
    label, date YYYY-MM-DD.
    """
    from newsprism.registry.ratings import import_ratings
    from newsprism.store.story_pages import mark_outlets_for_analysis, rated_outlet_ids

    app = app_context()
    with app.db.read() as conn:
        rated_before = rated_outlet_ids(conn, provider)
    report = import_ratings(app.db, provider, file, create_outlets=not no_create_outlets)
    with app.db.write() as conn:
        # Stories of outlets rated before or now show other figures: the next refresh (in
        # `run` or `poll`) analyses them again.
        marked = mark_outlets_for_analysis(conn, rated_before | rated_outlet_ids(conn, provider))
    if as_json:
        emit_json(report.as_json())
        return
    click.echo(
        f"{provider}: {report.rows} rows: {report.matched} matched, {report.ambiguous} ambiguous, "
        f"{report.unknown} unknown; {report.stored} ratings stored"
        + (f", {report.outlets_created} outlets added" if report.outlets_created else "")
        + (f"; {marked} stories to analyse again at the next poll" if marked else "")
    )
    for reason, count in report.reasons.most_common():
        click.echo(f"  {count:>6}  {reason}")


@ratings.command("list")
@json_option
@db_option
def list_cmd(as_json: bool) -> None:
    """How many outlets each provider rates."""
    from newsprism.store.ratings import provider_counts

    with app_context().db.read() as conn:
        counts = provider_counts(conn)
    if as_json:
        emit_json(counts)
        return
    if not counts:
        click.echo("no ratings imported yet (newsprism ratings import --provider … FILE)")
    for provider, count in sorted(counts.items()):
        click.echo(f"{provider:<14} {count:>7} outlets")
