"""Options shared by ``serve`` and ``run``: where to listen, and the first administrator."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from newsprism.errors import InputError
from newsprism.store.database import Database

F = TypeVar("F", bound=Callable[..., Any])

ADMIN_PASSWORD_ENV = "NEWSPRISM_ADMIN_PASSWORD"


def web_options(func: F) -> F:
    func = click.option(
        "--create-admin",
        "create_admin",
        metavar="USERNAME",
        help=(
            "Create this administrator account before serving (password from "
            f"${ADMIN_PASSWORD_ENV} or a prompt). Without it, the first account registered "
            "in the browser becomes the administrator."
        ),
    )(func)
    func = click.option("--port", type=int, help="TCP port (default 8000).")(func)
    func = click.option("--host", help="Address to listen on (default 127.0.0.1).")(func)
    return func


def create_admin_if_asked(db: Database, username: str | None) -> None:
    if not username:
        return
    from newsprism.store.users import create_user, get_user_by_name, set_admin

    password = os.environ.get(ADMIN_PASSWORD_ENV)
    if password is None:
        password = click.prompt(
            f"Password for {username}", hide_input=True, confirmation_prompt=True, err=True
        )
    with db.write() as conn:
        if get_user_by_name(conn, username) is not None:
            set_admin(conn, username, True)
            click.echo(f"newsprism: {username} is an administrator", err=True)
            return
        try:
            create_user(conn, username, password, is_admin=True)
        except InputError as exc:
            raise InputError(f"--create-admin: {exc}") from None
    click.echo(f"newsprism: created administrator {username}", err=True)
