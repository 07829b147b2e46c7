"""``newsprism serve``: the web UI, JSON API and Atom feeds, without polling."""

from __future__ import annotations

import click

from newsprism.cli.common import app_context, db_option
from newsprism.cli.web_options import create_admin_if_asked, web_options


@click.command()
@web_options
@db_option
def serve(host: str | None, port: int | None, create_admin: str | None) -> None:
    """Serve the web UI and API (default http://127.0.0.1:8000)."""
    from newsprism.web.server import configure_logging, serve_forever

    app = app_context()
    create_admin_if_asked(app.db, create_admin)
    configure_logging()
    serve_forever(
        app.db,
        app.settings,
        host or app.settings.host,
        app.settings.port if port is None else port,
    )
    click.echo("newsprism: stopped", err=True)
