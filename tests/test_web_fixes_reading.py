"""'My news bias': factuality shares in whole percentages, rounded as everywhere on the site."""

from __future__ import annotations

import re
from typing import Any

import pytest

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.users import get_user_by_name, record_reading
from newsprism.timeutil import utcnow
from newsprism.web.present import rounded_shares
from newsprism.web.reading import summarize_history
from webdata import Newsroom, register, seed_rows, web_client

# Three stories read: High 1, Mostly Factual 1 + 1/4, Mixed 1/4, Low 1/2 of a story, that is
# 4:5:1:2, or 33.3 %, 41.7 %, 8.3 % and 16.7 %.
SNAPSHOTS = [
    {"High": 1},
    {"Mostly Factual": 1},
    {"Mostly Factual": 1, "Mixed": 1, "Low": 2},
]


@pytest.fixture
def room(db: Database) -> Newsroom:
    return seed_rows(db)


@pytest.fixture
def client(db: Database, settings: Settings, room: Newsroom):  # type: ignore[no-untyped-def]
    with web_client(db, settings) as test_client:
        yield test_client


def _snapshot(factuality: dict[str, int]) -> dict[str, Any]:
    return {
        "headline": "A story",
        "bias": {"left": 1, "center": 0, "right": 0, "unrated": 0},
        "factuality": factuality,
    }


def test_me_page_shows_factuality_shares_rounded_like_the_rest_of_the_site(
    client: Any, db: Database, room: Newsroom
) -> None:
    register(client, "reader")
    story_ids = [room.story_id, room.other_story_id, room.blindspot_story_id]
    with db.write() as conn:
        user = get_user_by_name(conn, "reader")
        assert user is not None
        for story_id, factuality in zip(story_ids, SNAPSHOTS, strict=True):
            assert record_reading(conn, user.id, story_id, _snapshot(factuality))
    page = client.get("/me").text
    shown = dict(
        re.findall(
            r'<li><span>([^<]+)</span><span class="track".*?<span class="num">(\d+)%</span>', page
        )
    )
    assert shown == {"High": "33", "Mostly Factual": "42", "Mixed": "8", "Low": "17"}
    assert rounded_shares([4, 5, 1, 2]) == [33, 42, 8, 17]


def test_equal_factuality_shares_show_equal_percentages() -> None:
    now = utcnow()
    # A third each, reached by different sums of shares (1/3 + 1/6 + 1/6 against 2/3).
    rows = [
        {"opened_at": now, "snapshot": _snapshot(f)}
        for f in (
            {"High": 1, "Mixed": 1, "Low": 1},
            {"High": 1, "Mixed": 2, "Low": 3},
            {"High": 1, "Mixed": 2, "Low": 0},
            {"Low": 1},
        )
    ]
    # High 1/3 + 1/6 + 1/3 = 5/6, Mixed 1/3 + 1/3 + 2/3 = 4/3, Low 1/3 + 1/2 + 1 = 11/6.
    shares = {s.label: s.pct for s in summarize_history(rows)["factuality"]}
    assert shares == dict(zip(("High", "Mixed", "Low"), rounded_shares([5, 8, 11]), strict=True))
    same = [
        {"opened_at": now, "snapshot": _snapshot({"High": 1, "Low": 2})},
        {"opened_at": now, "snapshot": _snapshot({"High": 2, "Low": 1})},
    ]
    shares = {s.label: s.pct for s in summarize_history(same)["factuality"]}
    assert shares == {"High": 50, "Low": 50}
