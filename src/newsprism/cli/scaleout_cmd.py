"""Scale-out commands: ``worker`` and ``scheduler`` (Celery), ``migrate-db`` (SQLite → PostgreSQL).

Celery is imported inside the commands, so the CLI works without the ``[celery]`` extra.
"""

from __future__ import annotations

import click

from newsprism.cli.common import app_context, db_option, emit_json, json_option, progress_bar
from newsprism.errors import NewsprismError
from newsprism.store.database import Database


def _require_celery() -> None:
    try:
        import celery  # noqa: F401
    except ImportError:
        raise NewsprismError(
            "Celery is not installed; install the scale-out extra: pip install 'newsprism[celery]'"
        ) from None


@click.command("migrate-db")
@click.option("--from", "source", required=True, help="Database to copy from (path or URL).")
@click.option("--to", "target", required=True, help="Database to copy into (path or URL).")
@click.option("--force", is_flag=True, help="Replace the contents of a non-empty target.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@json_option
@db_option
def migrate_db(source: str, target: str, force: bool, batch_size: int, as_json: bool) -> None:
    """Copy every table of one database into another, e.g. SQLite into PostgreSQL.

    The target is created or migrated first; the copy is one transaction and row counts are
    verified before it commits. A non-empty target is refused unless --force.
    """
    from newsprism.store.transfer import copy_database, require_existing_sqlite, table_counts

    # Opening a missing SQLite file would create it empty and "copy" nothing.
    require_existing_sqlite(source, "--from")
    src = Database(source)
    dst = Database(target)
    try:
        total = sum(table_counts(src).values())
        with progress_bar("copying rows", total) as advance:
            report = copy_database(
                src,
                dst,
                force=force,
                batch_size=batch_size,
                on_progress=lambda _table, n: advance(n),
            )
    finally:
        src.dispose()
        dst.dispose()
    if as_json:
        emit_json({"rows": report.rows, "total": report.total})
        return
    copied = ", ".join(f"{name} {n}" for name, n in report.rows.items() if n)
    click.echo(f"copied {report.total} rows ({copied or 'all tables empty'}); counts verified")


@click.command()
@click.option(
    "--queues",
    "-Q",
    default=None,
    help="Comma-separated queues to consume (default: all; see docs/deployment.md).",
)
@click.option(
    "--concurrency",
    "-c",
    type=click.IntRange(1, 512),
    default=8,
    show_default=True,
    help="Tasks run at once in this process.",
)
@click.option(
    "--pool",
    # Threads: tasks mostly wait on the network, and CPU-heavy extraction runs in the
    # extractor's own process pool, which a prefork pool's daemonic children cannot start.
    # Scale CPU by running more worker processes.
    type=click.Choice(["threads", "solo"]),
    default="threads",
    show_default=True,
)
@click.option("--loglevel", "-l", default="INFO", show_default=True)
@click.option("--hostname", "-n", default=None, help="Worker node name (Celery's %h syntax).")
@db_option
def worker(
    queues: str | None, concurrency: int, pool: str, loglevel: str, hostname: str | None
) -> None:
    """Run a Celery worker: polls feeds, fetches and extracts pages, clusters and analyses."""
    _require_celery()
    from newsprism.logs import release_command_logging
    from newsprism.pipeline.celery_app import run_worker

    release_command_logging()  # the worker logs as Celery sets it up, at --loglevel
    settings = app_context().settings
    # Migrate before any task runs, so workers never race on the schema.
    app_context().db  # noqa: B018
    run_worker(
        settings,
        queues=queues.split(",") if queues else None,
        concurrency=concurrency,
        pool=pool,
        loglevel=loglevel,
        hostname=hostname,
    )


@click.command()
@click.option(
    "--interval",
    type=click.FloatRange(0.5, 3600),
    default=15.0,
    show_default=True,
    help="Seconds between looks for due feeds.",
)
@click.option("--once", is_flag=True, help="Enqueue what is due now, then exit.")
@click.option(
    "--no-registry",
    is_flag=True,
    help="Do not load the bundled outlet registry (poll only the sources added by hand).",
)
@db_option
def scheduler(interval: float, once: bool, no_registry: bool) -> None:
    """Enqueue due feeds and pipeline sweeps; safe to run on several machines at once.

    On start it loads the bundled outlet registry into the store, as `newsprism run` does.
    """
    _require_celery()
    from newsprism.pipeline.scheduler import run_scheduler

    ctx = app_context()
    if not no_registry:
        from newsprism.registry.load import ensure_registry_loaded

        added = ensure_registry_loaded(ctx.db, ctx.settings)
        if added:
            click.echo(f"loaded the bundled registry: {added} outlets", err=True)
    run_scheduler(ctx.db, ctx.settings, interval_s=interval, once=once)
