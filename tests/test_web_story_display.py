"""What the story and home pages print: side percentages, publication dates, bar labels."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.schema import articles
from newsprism.web.present import ago, iso_time, long_time, rounded_shares, side_segments
from storydata import T0, Outlet, add_outlets, add_story, set_story_counts
from webdata import web_client

SIDE_BIAS = {"left": -2.0, "center": 0.0, "right": 2.0}


def story_with_sides(
    db: Database,
    settings: Settings,
    sides: dict[str, int],
    *,
    hours: list[float] | None = None,
    tag: str = "s",
) -> int:
    """An analysed story with one article from each of ``sides[side]`` outlets of that side,
    published ``hours`` after T0 (by default an hour apart)."""
    from newsprism.analyze.refresh import refresh_dirty_stories

    specs = [
        Outlet(f"{tag}-{side}-{n}.example", bias=SIDE_BIAS[side], factuality=4.0)
        for side, count in sides.items()
        for n in range(count)
    ]
    ids = add_outlets(db, specs)
    story_id = add_story(db)
    offsets = hours or [float(n) for n in range(len(specs))]
    with db.write() as conn:
        for spec, offset in zip(specs, offsets, strict=True):
            when = T0 + timedelta(hours=offset)
            url = f"https://{spec.domain}/harbour-budget"
            conn.execute(
                insert(articles).values(
                    url_hash=hashlib.sha1(url.encode()).hexdigest(),
                    url=url,
                    outlet_id=ids[spec.domain],
                    title=f"Harbour budget vote reported by {spec.domain}",
                    text="Parliament approved the harbour budget after a long night of debate.",
                    published_at=when,
                    ingested_at=when + timedelta(minutes=5),
                    word_count=11,
                    extraction_status="imported",
                    story_id=story_id,
                    clustered_at=when,
                    language="en",
                    extra={},
                )
            )
    set_story_counts(db, story_id, len(specs), len(specs))
    refresh_dirty_stories(db, settings)
    return story_id


@pytest.fixture
def client(db: Database, settings: Settings) -> Iterator[Any]:
    with web_client(db, settings) as test_client:
        yield test_client


def bar_labels(html: str) -> list[list[str]]:
    """The percentages printed in each left/center/right bar of a page, bar by bar."""
    bars = re.findall(r'<div class="biasbar[^"]*"[^>]*>(.*?)</div>', html, re.S)
    return [re.findall(r"\b[LCR] (\d+)%", bar) for bar in bars]


# --- percentages by side ----------------------------------------------------------------------


def _best_possible_sum(counts: list[int]) -> int:
    """The largest sum ≤ 100 of shares each rounded down or up, equal counts alike."""
    total = sum(counts)
    exact = [c * 100 / total for c in counts]
    values = sorted(set(counts))
    best = 0
    for ups in itertools.product((0, 1), repeat=len(values)):
        up = dict(zip(values, ups, strict=True))
        shares = [
            int(e) + (up[c] if e != int(e) else 0) for c, e in zip(counts, exact, strict=True)
        ]
        if sum(shares) <= 100:
            best = max(best, sum(shares))
    return best


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=7))
def test_equal_counts_show_equal_shares_that_add_up_to_100_when_they_can(
    counts: list[int],
) -> None:
    shares = rounded_shares(counts)
    if not sum(counts):
        assert shares == [0] * len(counts)
        return
    for count, share in zip(counts, shares, strict=True):
        exact = count * 100 / sum(counts)
        assert int(exact) <= share <= int(exact) + (exact != int(exact))  # rounded down or up
    for (a, sa), (b, sb) in itertools.combinations(zip(counts, shares, strict=True), 2):
        assert (a != b) or (sa == sb), (counts, shares)
    assert sum(shares) == _best_possible_sum(counts), (counts, shares)
    if len(set(c for c in counts if c)) == len([c for c in counts if c]):
        assert sum(shares) == 100  # no two sides alike: plain largest remainder


def test_known_splits_read_as_readers_expect() -> None:
    assert rounded_shares([1, 1, 6]) == [12, 12, 75]  # two equal, 100 impossible: not 13/12
    assert rounded_shares([1, 1, 1]) == [33, 33, 33]  # not 34/33/33
    assert rounded_shares([2, 2, 3]) == [29, 29, 42]  # equal and adding up to 100
    assert rounded_shares([1, 2, 5]) == [12, 25, 63]
    assert [s.pct for s in side_segments({"left": 1, "center": 1, "right": 1})] == [33, 33, 33]


def test_story_and_home_pages_show_equal_percentages_for_equal_counts(
    client: Any, db: Database, settings: Settings
) -> None:
    story_id = story_with_sides(db, settings, {"left": 1, "center": 1, "right": 1})
    page = client.get(f"/stories/{story_id}").text
    bars = bar_labels(page)
    assert bars and all(bar == ["33", "33", "33"] for bar in bars), bars
    assert 'aria-label="Left 33%, Center 33%, Right 33% of 3 rated outlets"' in page
    home = client.get("/").text
    assert ["33", "33", "33"] in bar_labels(home)
    eighths = story_with_sides(db, settings, {"left": 1, "center": 6, "right": 1}, tag="e")
    assert ["12", "75", "12"] in bar_labels(client.get(f"/stories/{eighths}").text)


def test_the_json_keeps_exact_shares(client: Any, db: Database, settings: Settings) -> None:
    story_id = story_with_sides(db, settings, {"left": 1, "center": 1, "right": 1})
    detail = client.get(f"/api/stories/{story_id}").json()
    assert detail["bias"] == {"left": 1, "center": 1, "right": 1, "unrated": 0}
    listed = client.get("/api/stories").json()["items"]
    shares = next(s for s in listed if s["id"] == story_id)["bias_share"]
    assert shares == pytest.approx({"left": 1 / 3, "center": 1 / 3, "right": 1 / 3}, abs=1e-3)


# --- dates without a time of day ---------------------------------------------------------------


def test_a_date_without_a_time_reads_as_a_date() -> None:
    day = datetime(2015, 10, 8, tzinfo=UTC)
    assert long_time(day) == "08 Oct 2015"
    assert long_time("2015-10-08T00:00:00Z") == "08 Oct 2015"
    assert iso_time(day) == "2015-10-08"
    assert long_time(day + timedelta(hours=14, minutes=5)) == "08 Oct 2015, 14:05 UTC"
    assert iso_time(day + timedelta(minutes=1)) == "2015-10-08T00:01:00Z"
    now = datetime(2015, 10, 8, 15, 30, tzinfo=UTC)
    assert ago(day, now) == "today"  # not "15 hours ago": the feed gave no hour
    assert ago(day - timedelta(days=1), now) == "yesterday"
    assert ago(day - timedelta(days=3), now) == "3 days ago"
    assert ago(day - timedelta(days=30), now) == "08 Sep 2015"
    assert ago(now - timedelta(hours=2), now) == "2 hours ago"


def test_broke_the_news_shows_a_date_only_publication_without_a_time(
    client: Any, db: Database, settings: Settings
) -> None:
    # T0 is 08:00 UTC: -8 hours is midnight, as a feed's bare "2026-03-02" is stored.
    story_id = story_with_sides(db, settings, {"left": 1, "right": 1}, hours=[-8.0, -8.0])
    page = client.get(f"/stories/{story_id}").text
    broke = page.split("Broke the news", 1)[1].split("</dd>", 1)[0]
    assert T0.strftime("%d %b %Y") in broke
    assert "<title>02 Mar: 1 left, 1 right</title>" in page  # one bar for the day
    assert "00:00" not in broke and "UTC" not in broke
    assert "00:00 UTC" not in page
    assert f'datetime="{T0.date().isoformat()}"' in page
    timed = story_with_sides(db, settings, {"left": 1, "right": 1}, hours=[1.5, 4.0], tag="t")
    broke = client.get(f"/stories/{timed}").text.split("Broke the news", 1)[1]
    assert "02 Mar 2026, 09:30 UTC" in broke.split("</dd>", 1)[0]
