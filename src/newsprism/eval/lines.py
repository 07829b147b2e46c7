"""The lines of a labelled data file, plain or gzipped, as UTF-8 text with their numbers."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

from newsprism.errors import InputError


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line; an InputError naming the file and line where the
    bytes are not UTF-8 or a gzipped file is damaged. A byte order mark is no part of line 1."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with raw:
        packed = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw) if packed else raw
        line_no = 0
        try:
            for line_no, data in enumerate(stream, 1):
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(
                        f"{path}:{line_no}: not UTF-8 text (byte {exc.start + 1}: {exc.reason})"
                    ) from None
                yield line_no, text.removeprefix("\ufeff") if line_no == 1 else text
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{path}: damaged gzip data after line {line_no} ({exc})") from None
