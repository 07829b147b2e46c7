"""``newsprism run``: the main job in one process: registry, polling, processing, web UI."""

from __future__ import annotations

import click

from newsprism.cli.common import app_context, db_option
from newsprism.cli.web_options import create_admin_if_asked, web_options


@click.command()
@web_options
@db_option
def run(host: str | None, port: int | None, create_admin: str | None) -> None:
    """Poll feeds on schedule, build stories, and serve them (default http://127.0.0.1:8000)."""
    from newsprism.registry.load import ensure_registry_loaded
    from newsprism.web.background import PipelineLoop
    from newsprism.web.server import (
        check_listen,
        configure_logging,
        exit_after_current_write,
        serve_forever,
    )

    app = app_context()
    host, port = host or app.settings.host, app.settings.port if port is None else port
    check_listen(host, port)
    create_admin_if_asked(app.db, create_admin)
    added = ensure_registry_loaded(app.db, app.settings)
    if added:
        click.echo(f"newsprism: loaded {added} outlets from the bundled registry", err=True)
    configure_logging()
    serve_forever(app.db, app.settings, host, port, loop=PipelineLoop(app.db, app.settings))
    exit_after_current_write(app.db)
