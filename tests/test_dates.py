"""Dates of every shape in feeds and archives, normalized to UTC with a note on what was done."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsprism.ingest.dates import normalize_date

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected", "note"),
    [
        ("2016-09-20", datetime(2016, 9, 20, tzinfo=UTC), None),
        ("2016-09-20T10:00:00+02:00", datetime(2016, 9, 20, 8, tzinfo=UTC), None),
        ("2016-09-20T10:00:00Z", datetime(2016, 9, 20, 10, tzinfo=UTC), None),
        ("2016-09-20 10:00:00", datetime(2016, 9, 20, 10, tzinfo=UTC), "no time zone"),
        ("Tue, 10 Jun 2003 04:00:00 GMT", datetime(2003, 6, 10, 4, tzinfo=UTC), None),
        ("Tue, 10 Jun 2003 04:00:00 -0500", datetime(2003, 6, 10, 9, tzinfo=UTC), None),
        # A zone of "+0000" is no zero-padded year (it was once read as one and dropped).
        ("Tue, 10 Jun 2003 04:00:00 +0000", datetime(2003, 6, 10, 4, tzinfo=UTC), None),
        ("Tue, 10 Jun 2003 04:00:00 -0030", datetime(2003, 6, 10, 4, 30, tzinfo=UTC), None),
        ("7/23/17", datetime(2017, 7, 23, tzinfo=UTC), "month/day/year"),
        ("12/1/16", datetime(2016, 12, 1, tzinfo=UTC), "month/day/year"),
        ("23/7/2017", datetime(2017, 7, 23, tzinfo=UTC), "day/month/year"),
        ("1466000000", datetime(2016, 6, 15, 14, 13, 20, tzinfo=UTC), "Unix timestamp"),
        ("November 5, 2019", datetime(2019, 11, 5, tzinfo=UTC), None),
        ("", None, "no date given"),
        ("   ", None, "no date given"),
        (None, None, "no date given"),
        ("0001-11-30", None, "implausible date '0001-11-30' dropped"),
        ("Mon, 01 Jan 0001 00:00:00 +0000", None, "implausible"),
        ("2050-03-01", None, "future date '2050-03-01' dropped"),
        ("2/30/17", None, "unreadable"),
        ("not a date", None, "unreadable date 'not a date' dropped"),
        ("2026-11-28T20:00:00Z", NOW, "ahead of the clock"),
        # Out of datetime's range once moved to UTC, or as a timestamp: dropped, not a crash.
        ("0001-01-01T00:00:00+01:00", None, "implausible"),
        ("9999-12-31T23:59:59-14:00", None, "implausible"),
        ("Fri, 31 Dec 9999 23:59:59 -1400", None, "implausible"),
        ("99999999999999999", None, "unreadable"),
    ],
)
def test_normalize_date(raw: str | None, expected: datetime | None, note: str | None) -> None:
    result = normalize_date(raw, now=NOW)
    assert result.value == expected
    if note is None:
        assert result.note is None and not result.fixed
    else:
        assert result.note is not None and note in result.note


def test_naive_datetime_is_read_as_utc() -> None:
    result = normalize_date(datetime(2020, 1, 2, 3, 4), now=NOW)
    assert result.value == datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
