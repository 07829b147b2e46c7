"""Errors that reach the user as one readable line (the CLI prints them without a traceback)."""


class NewsprismError(Exception):
    """A problem the user can act on: bad input, a missing file, an unreachable database."""


class InputError(NewsprismError):
    """Input that cannot be used as given: the message names the file, field, feed or outlet."""


class UnsafeURLError(NewsprismError):
    """A URL that points at a private, loopback or link-local address while those are refused."""
