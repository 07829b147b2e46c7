"""Publication dates of every shape feeds and archives hold, normalized to UTC.

Real data mixes ISO 8601, RFC 822 (RSS), US ``7/23/17``, epoch numbers, empty strings, zero
dates that tools turned into ``0001-11-30`` and typos like ``2050-…``. ``normalize_date`` returns
the UTC datetime (or None) and a note saying what it did whenever it did more than read a clean
value, so the store can show that a date is a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

# Online news starts in the 1990s; anything earlier is a zero date or a typo.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# Publishers' clocks and time-zone mistakes put dates hours ahead; up to this much is clamped to
# "now", beyond it the date is nonsense and dropped.
FUTURE_TOLERANCE = timedelta(days=2)

_US_SHORT = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*$")
# A zero-padded year ("0001"), which parsers read as 2001: a zero date, not a real one.
# After a month name ("01 Jan 0001") or opening the text ("0001-01-01"); never a zone
# ("+0000", "-0030") or a time.
ZERO_YEAR = re.compile(r"(?:[A-Za-z]\.?\s+|^\s*)00\d\d(?![\d:])")
_EPOCH = re.compile(r"^\s*\d{9,13}(\.\d+)?\s*$")


@dataclass(frozen=True, slots=True)
class NormalizedDate:
    value: datetime | None
    note: str | None = None  # what was fixed or dropped; None for a clean value

    @property
    def fixed(self) -> bool:
        return self.note is not None


def _us_short(match: re.Match[str]) -> tuple[datetime, str] | None:
    first, second, year_text = (int(g) for g in match.groups())
    year = year_text + 2000 if year_text < 100 else year_text
    # Month first (US sources); a first number above 12 can only be a day.
    month, day, order = (first, second, "month/day/year")
    if first > 12 >= second:
        month, day, order = (second, first, "day/month/year")
    try:
        value = datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
    return value, f"read {match.group(0).strip()!r} as {order}"


def _parse(raw: str) -> tuple[datetime, str | None] | None:
    text = raw.strip()
    if _EPOCH.match(text):
        number = float(text)
        if number > 1e11:  # milliseconds
            number /= 1000
        try:
            return datetime.fromtimestamp(number, UTC), "read as a Unix timestamp"
        except (ValueError, OverflowError, OSError):
            return None
    us = _US_SHORT.match(text)
    if us:
        return _us_short(us)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")), None
    except ValueError:
        pass
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    else:
        # The email parser reads year 0001 as 2001; a zero-padded year is a zero date.
        if ZERO_YEAR.search(text):
            return value.replace(year=1), None
        return value, None
    try:
        return dateutil_parser.parse(text, fuzzy=False), None
    except (ValueError, OverflowError, dateutil_parser.ParserError):
        return None


def normalize_date(raw: str | datetime | None, *, now: datetime | None = None) -> NormalizedDate:
    """UTC datetime and a note, or ``(None, note)`` when the input holds no believable date."""
    now = now or datetime.now(UTC)
    note: str | None = None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return NormalizedDate(None, "no date given")
    if isinstance(raw, datetime):
        value = raw
    else:
        parsed = _parse(raw)
        if parsed is None:
            return NormalizedDate(None, f"unreadable date {raw.strip()[:40]!r} dropped")
        value, note = parsed
    if value.tzinfo is None:
        # A bare date is a calendar day, not a moment; a bare time has no zone we could know.
        had_time = value.hour or value.minute or value.second
        value = value.replace(tzinfo=UTC)
        if had_time:
            note = "; ".join(filter(None, [note, "no time zone, read as UTC"]))
    shown = raw.strip()[:40] if isinstance(raw, str) else value.isoformat()
    try:
        value = value.astimezone(UTC)
    except OverflowError:  # "0001-01-01T00:00:00+01:00" falls before year 1 in UTC
        return NormalizedDate(None, f"implausible date {shown!r} dropped")
    if value < EARLIEST:
        return NormalizedDate(None, f"implausible date {shown!r} dropped")
    if value > now + FUTURE_TOLERANCE:
        return NormalizedDate(None, f"future date {shown!r} dropped")
    if value > now:
        return NormalizedDate(now, f"date {shown!r} ahead of the clock, set to now")
    return NormalizedDate(value, note)
