"""Log output of the commands: one line a record, as CONTRACT.md wants of every error.

Library code logs a failure it survives (one feed of a poll cycle) with its exception; on a
terminal that is the exception's type and message on the record's line, and the traceback only
with ``--debug``.
"""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class OneLineFormatter(logging.Formatter):
    def __init__(self, debug: bool) -> None:
        super().__init__(FORMAT)
        self.debug = debug

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and not self.debug:
            exc = record.exc_info[1]
            detail = f"{type(exc).__name__}: {' '.join(str(exc).split())}" if exc else ""
            record = logging.makeLogRecord(
                {
                    **record.__dict__,
                    "msg": f"{record.getMessage()} ({detail})" if detail else record.getMessage(),
                    "args": None,
                    "exc_info": None,
                    "exc_text": None,
                }
            )
        return super().format(record)


class _CommandHandler(logging.StreamHandler):
    """The handler the commands install (told apart from others so it is installed once). It
    writes to the stderr of the moment, which a test or a daemon may have replaced."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr  # not setStream: it flushes the old one, perhaps closed
        super().emit(record)


def configure_command_logging(debug: bool, level: int = logging.WARNING) -> None:
    """Warnings and errors to stderr, one line each; ``level`` lower for the servers."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _CommandHandler)), None)
    if handler is None:
        handler = _CommandHandler(sys.stderr)
        root.addHandler(handler)
    handler.setFormatter(OneLineFormatter(debug))
    root.setLevel(level)


def release_command_logging() -> None:
    """Take the command handler off again, for a command that hands its logging to another
    framework: the Celery worker sets up its own (and only when the root logger has none)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _CommandHandler)]:
        root.removeHandler(handler)
