"""Errors that reach the user as one readable line (the CLI prints them without a traceback)."""

from __future__ import annotations

from pathlib import Path


class NewsprismError(Exception):
    """A problem the user can act on: bad input, a missing file, an unreachable database."""


class InputError(NewsprismError):
    """Input that cannot be used as given: the message names the file, field, feed or outlet."""


class UnsafeURLError(NewsprismError):
    """A URL that points at a private, loopback or link-local address while those are refused."""


def require_regular_file(path: Path) -> None:
    """An InputError saying what ``path`` is when it is not a regular file: missing, a
    directory, or a pipe or device (read in parts, an import needs a file it can seek in)."""
    if path.is_file():
        return
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    raise InputError(f"{path}: not a regular file (a pipe or device); save it to a file first")
