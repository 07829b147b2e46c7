"""Serving the app with uvicorn, for ``newsprism serve`` and ``newsprism run``."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
from types import FrameType
from typing import NoReturn

import click
import uvicorn

from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.store.database import Database
from newsprism.web.app import create_app
from newsprism.web.background import PipelineLoop


def open_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def configure_logging() -> None:
    """The server's log: INFO and up, one line a record (tracebacks only with --debug)."""
    from newsprism.logs import configure_command_logging

    configure_command_logging(os.environ.get("NEWSPRISM_DEBUG") == "1", logging.INFO)


def check_listen(host: str, port: int) -> None:
    """Fail with one line before start-up when the address cannot be bound."""
    if not 0 < port < 65536:
        raise InputError(f"--port: {port} is not a TCP port (1–65535)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"--host: cannot resolve {host!r}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def serve_forever(
    db: Database, settings: Settings, host: str, port: int, loop: PipelineLoop | None = None
) -> None:
    """Serve until Ctrl-C or SIGTERM; then let the current write finish and return."""
    check_listen(host, port)
    app = create_app(settings, db)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    click.echo(f"newsprism is serving {open_url(host, port)}  (Ctrl-C stops it)", err=True)
    # uvicorn shuts down on SIGTERM, then raises the signal again under the handler it found:
    # with the default one that kills the process before the current write can finish (docker
    # stop, systemd). Found as this handler, it ends the serving like Ctrl-C.
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _as_interrupt) if main else None
    try:
        if loop is not None:
            loop.start()
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
        if loop is not None:
            loop.stop()


def _as_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def exit_after_current_write(db: Database) -> NoReturn:
    """End the process once no write is in flight, without waiting for the poller's fetches.

    The writer's turn is ours only after the pipeline's current transaction has committed;
    holding it, nothing else can start one, and the process ends at once: the poller's worker
    threads may be waiting on slow hosts, and joining them would delay shutdown by minutes.
    """
    db.write().__enter__()
    click.echo("newsprism: stopped", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
