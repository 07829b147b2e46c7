"""Heading levels of every page: one h1, and no level skipped on the way down."""

from __future__ import annotations

import re
from typing import Any

import pytest

from webdata import Newsroom

HEADING = re.compile(r"<h([1-6])\b")


def skipped_levels(html: str) -> list[str]:
    levels = [int(level) for level in HEADING.findall(html)]
    problems = []
    previous = 0
    for level in levels:
        if level > previous + 1:
            problems.append(f"h{level} after h{previous or '-'}")
        previous = level
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 elements")
    return problems


@pytest.mark.parametrize("page", [1, 2])
def test_home_headings_go_down_one_level_at_a_time(
    client: Any, page: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.web.routes import home

    monkeypatch.setattr(home, "PAGE_SIZE", 1)  # a second page, whose first card is no lead
    html = client.get("/", params={"page": page}).text
    assert '<li class="card' in html
    assert skipped_levels(html) == []
    card = html.split('<li class="card', 1)[1].split("</li>", 1)[0]
    assert re.search(r'<h2 class="card-title"><a href="/stories/\d+">', card)


def test_other_pages_keep_their_heading_order(client: Any, room: Newsroom) -> None:
    for path in (
        f"/stories/{room.story_id}",
        "/blindspots",
        "/search?q=harbour",
        "/outlets",
        f"/outlets/{room.outlet_ids['wire.example']}",
        "/sources",
        "/me",
        "/login",
    ):
        html = client.get(path).text
        assert skipped_levels(html) == [], path
