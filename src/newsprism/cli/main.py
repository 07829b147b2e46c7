"""Entry point: the command group and the one-line error policy of CONTRACT.md."""

from __future__ import annotations

import os
import sys
import traceback

import click

from newsprism import __version__
from newsprism.cli.common import AppContext, db_option, load_app_settings
from newsprism.cli.lazy import LazyGroup
from newsprism.errors import NewsprismError
from newsprism.logs import configure_command_logging

# name -> "module:attribute"; each module holds one command (or group) and calls library code.
COMMANDS = {
    "run": "newsprism.cli.run_cmd:run",
    "serve": "newsprism.cli.serve_cmd:serve",
    "poll": "newsprism.cli.poll_cmd:poll",
    "sources": "newsprism.cli.sources_cmd:sources",
    "ratings": "newsprism.cli.ratings_cmd:ratings",
    "import": "newsprism.cli.import_cmd:import_articles",
    "stats": "newsprism.cli.stats_cmd:stats",
    "stories": "newsprism.cli.stories_cmd:stories",
    "story": "newsprism.cli.stories_cmd:story",
    "eval": "newsprism.cli.eval_cmd:eval_group",
    "worker": "newsprism.cli.scaleout_cmd:worker",
    "scheduler": "newsprism.cli.scaleout_cmd:scheduler",
    "migrate-db": "newsprism.cli.scaleout_cmd:migrate_db",
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsprism")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@db_option
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """newsprism: every story through the whole spectrum."""
    ctx.ensure_object(AppContext)
    if debug:
        os.environ["NEWSPRISM_DEBUG"] = "1"


def _debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("NEWSPRISM_DEBUG") == "1"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    debug = _debug_requested(args)
    configure_command_logging(debug)
    try:
        app = AppContext(settings=load_app_settings())
        try:
            cli.main(args=args, prog_name="newsprism", standalone_mode=False, obj=app)
        finally:
            app.close()
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("newsprism: aborted", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "newsprism"
        click.echo(f"{command}: error: {exc.format_message()} (see '{command} --help')", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"newsprism: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except NewsprismError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"newsprism: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("newsprism: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # the last guard: users get one line, --debug gets the traceback
        if debug:
            traceback.print_exc()
        click.echo(
            f"newsprism: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            err=True,
        )
        sys.exit(1)
