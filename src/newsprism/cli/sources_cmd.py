"""``newsprism sources``: add, import, export, list, enable and disable outlets' feeds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from newsprism.cli.common import app_context, db_option, emit_json, json_option, terminal_text
from newsprism.models import bias_step_label


@click.group("sources")
@db_option
def sources() -> None:
    """The outlets and feeds newsprism polls."""


@sources.command("add")
@click.argument("url")
@click.option("--outlet", "outlet_domain", help="The outlet's domain, when the feed is elsewhere.")
@json_option
@db_option
def add_cmd(url: str, outlet_domain: str | None, as_json: bool) -> None:
    """Add a feed URL, or a site URL whose feed is discovered."""
    from newsprism.ingest.discover import add_source

    app = app_context()
    added = add_source(app.db, app.settings, url, outlet_domain=outlet_domain)
    if as_json:
        emit_json(_plain(added))
        return
    click.echo(_describe_added(added))


def _plain(value: Any) -> Any:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


def _describe_added(added: Any) -> str:
    fields = _plain(added)
    if not isinstance(fields, dict) or "feed_url" not in fields:
        return f"added: {added}"
    verb = "added" if fields.get("created", True) else "already present:"
    found = " (discovered on the page)" if fields.get("discovered") else ""
    return (
        f"{verb} {fields['feed_url']}{found} for {fields.get('outlet_domain', '?')}, "
        f"{fields.get('entries', 0)} entries now"
    )


@sources.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@json_option
@db_option
def import_cmd(file: Path, as_json: bool) -> None:
    """Import the feeds of an OPML file (feeds already present are kept as they are)."""
    from newsprism.registry.sources import import_opml

    app = app_context()
    report = import_opml(app.db, app.settings, file)
    if as_json:
        emit_json(report.as_json())
        return
    click.echo(
        f"{file}: {report.feeds} feeds: {report.feeds_added} added, {report.feeds_existing} "
        f"already present, {len(report.skipped)} skipped; {report.outlets_added} new outlets"
    )
    for reason in report.skipped:
        click.echo(f"  skipped {reason}", err=True)


@sources.command("export")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file."
)
@click.option("--enabled-only", is_flag=True, help="Only feeds that are polled.")
@db_option
def export_cmd(output: Path | None, enabled_only: bool) -> None:
    """Export outlets and feeds as OPML 2.0 (to stdout unless -o)."""
    from newsprism.errors import InputError
    from newsprism.registry.sources import export_opml

    data = export_opml(app_context().db, enabled_only=enabled_only)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror or exc})") from None
    click.echo(f"wrote {output}", err=True)


@sources.command("list")
@click.option("--all", "include_disabled", is_flag=True, help="Include outlets not polled.")
@click.option("--country", help="Only outlets of this country (ISO code, e.g. de).")
@click.option("--category", help="Only outlets in this category (e.g. Technology).")
@click.option("--failing", is_flag=True, help="Only outlets with a failing feed.")
@click.option("--domain", "domains", multiple=True, help="Only this outlet (repeatable).")
@click.option("--limit", type=click.IntRange(1), help="At most this many outlets.")
@json_option
@db_option
def list_cmd(
    include_disabled: bool,
    country: str | None,
    category: str | None,
    failing: bool,
    domains: tuple[str, ...],
    limit: int | None,
    as_json: bool,
) -> None:
    """Outlets with their feeds, ratings and fetch health (polled ones unless --all)."""
    from newsprism.registry.sources import source_listing

    rows = source_listing(
        app_context().db,
        include_disabled=include_disabled,
        country=country,
        category=category,
        failing=failing,
        domains=domains,
        limit=limit,
    )
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no sources match (sources list --all shows outlets that are not polled)")
        return
    if sys.stdout.isatty():
        _rich_table(rows)
    else:
        for row in rows:
            click.echo("\t".join(_cells(row)))


def _bias_text(row: dict[str, Any]) -> str:
    if row["bias"] is None:
        return "unrated"
    text = bias_step_label(row["bias"])
    if row["bias_spread"]:
        text += f" (±{row['bias_spread'] / 2:.1f})"
    return text


def _health(row: dict[str, Any]) -> str:
    feeds = row["feeds"]
    failing = [f for f in feeds if f["consecutive_failures"] or f["last_status"] == "error"]
    if failing:
        worst = max(failing, key=lambda f: f["consecutive_failures"])
        return f"{len(failing)} failing: {(worst['last_error'] or worst['last_status'] or '')[:60]} (×{worst['consecutive_failures']})"
    polled = [f for f in feeds if f["last_status"]]
    if not polled:
        return "not polled yet"
    return ", ".join(sorted({f["last_status"] for f in polled}))


def _cells(row: dict[str, Any]) -> list[str]:
    feeds = row["feeds"]
    next_polls = sorted(f["next_poll_at"] for f in feeds if f["enabled"] and f["next_poll_at"])
    return [
        row["domain"],
        row["name"],
        row["country"] or "-",
        _bias_text(row),
        row["factuality_label"] or "-",
        f"{sum(f['enabled'] for f in feeds)}/{len(feeds)}",
        _health(row),
        next_polls[0] if next_polls else "-",
    ]


def _rich_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for title in (
        "domain",
        "outlet",
        "country",
        "bias",
        "factuality",
        "feeds",
        "health",
        "next poll",
    ):
        table.add_column(title, overflow="fold")
    for row in rows:
        table.add_row(*(terminal_text(cell) for cell in _cells(row)))
    Console().print(table)


def _switch(
    enabled: bool,
    countries: tuple[str, ...],
    categories: tuple[str, ...],
    domains: tuple[str, ...],
    max_feeds: int,
    as_json: bool,
) -> None:
    from newsprism.registry.sources import set_sources_enabled

    report = set_sources_enabled(
        app_context().db,
        enabled=enabled,
        countries=countries,
        categories=categories,
        domains=domains,
        max_feeds=max_feeds,
    )
    if as_json:
        emit_json({"outlets": report.outlets, "feeds": report.feeds})
        return
    verb = "enabled" if enabled else "disabled"
    click.echo(f"{verb} {report.outlets} outlets ({report.feeds} feeds switched)")


@sources.command("enable")
@click.argument("domains", nargs=-1)
@click.option("--country", "countries", multiple=True, help="ISO country code (repeatable).")
@click.option("--category", "categories", multiple=True, help="Category name (repeatable).")
@click.option(
    "--max-feeds",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="Feeds switched on per outlet (its main feeds first).",
)
@json_option
@db_option
def enable_cmd(
    domains: tuple[str, ...],
    countries: tuple[str, ...],
    categories: tuple[str, ...],
    max_feeds: int,
    as_json: bool,
) -> None:
    """Poll the outlets of some countries, categories or DOMAINS from the registry."""
    _switch(True, countries, categories, domains, max_feeds, as_json)


@sources.command("disable")
@click.argument("domains", nargs=-1)
@click.option("--country", "countries", multiple=True, help="ISO country code (repeatable).")
@click.option("--category", "categories", multiple=True, help="Category name (repeatable).")
@json_option
@db_option
def disable_cmd(
    domains: tuple[str, ...], countries: tuple[str, ...], categories: tuple[str, ...], as_json: bool
) -> None:
    """Stop polling the outlets of some countries, categories or DOMAINS."""
    _switch(False, countries, categories, domains, 0, as_json)


@sources.command("categories")
@click.option("--countries", is_flag=True, help="Countries instead of categories.")
@json_option
@db_option
def categories_cmd(countries: bool, as_json: bool) -> None:
    """The categories (or countries) that sources enable --category/--country accept."""
    from newsprism.registry.sources import source_groups

    groups = source_groups(app_context().db, by="country" if countries else "category")
    if as_json:
        emit_json(groups)
        return
    for group in groups:
        click.echo(f"{group['outlets']:>6} outlets {group['enabled']:>5} polled  {group['name']}")


@sources.command("remove")
@click.argument("urls", nargs=-1, required=True)
@db_option
def remove_cmd(urls: tuple[str, ...]) -> None:
    """Remove feeds by URL (their articles stay). To stop polling an outlet, use disable."""
    from newsprism.errors import InputError
    from newsprism.store.outlets import delete_feed

    with app_context().db.write() as conn:
        missing = [url for url in urls if not delete_feed(conn, url)]
        if missing:
            # Raising rolls the whole removal back: nothing half-done on a typo.
            raise InputError(f"no feed with URL {missing[0]!r} (see: newsprism sources list --all)")
    click.echo(f"removed {len(urls)} feed{'s' if len(urls) != 1 else ''}")


@sources.command("load-registry")
@json_option
@db_option
def load_registry_cmd(as_json: bool) -> None:
    """Load (or upgrade to) the bundled outlet registry now; `run` does this on first start."""
    from newsprism.registry.load import load_registry

    app = app_context()
    report = load_registry(app.db, app.settings)
    if as_json:
        emit_json(
            {
                "version": report.version,
                "previous": report.previous,
                "outlets_added": report.outlets_added,
                "outlets_updated": report.outlets_updated,
                "feeds_added": report.feeds_added,
            }
        )
        return
    if report.previous == report.version:
        click.echo(f"registry {report.version} already loaded")
        return
    click.echo(
        f"registry {report.version}: {report.outlets_added} outlets and {report.feeds_added} "
        f"feeds added, {report.outlets_updated} outlets updated"
    )
