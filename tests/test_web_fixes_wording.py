"""Counts agree with their nouns on every page, and an outlet's lean reads the same everywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from newsprism.config import Settings
from newsprism.models import bias_step_label
from newsprism.store.database import Database
from newsprism.store.schema import feeds
from storydata import T0, Outlet, add_article, add_outlets, add_story, set_story_counts
from webdata import web_client

# A number, then a plural noun: "1 articles", "1 outlets", "1 rated outlets".
ONE_PLURAL = re.compile(
    r"(?<![\d.,])1(?:</strong>| |\s+rated)*\s+(articles|outlets|stories|sources|feeds|rows|reads)\b"
)


@pytest.fixture
def client(db: Database, settings: Settings) -> Iterator[Any]:
    with web_client(db, settings) as test_client:
        yield test_client


def _text(html: str) -> str:
    """The page without its inline timeline chart (whose description present.py writes)."""
    return re.sub(r'<svg class="timeline".*?</svg>', "", html, flags=re.S)


def one_of_everything(db: Database, settings: Settings) -> dict[str, int]:
    """One outlet rated −1.24 (between Left and Lean Left), one failing feed, one story of one
    article."""
    from newsprism.analyze.refresh import refresh_dirty_stories

    outlet_id = add_outlets(db, [Outlet("solo.example", bias=-1.24, factuality=4.0)])[
        "solo.example"
    ]
    with db.write() as conn:
        conn.execute(
            insert(feeds).values(
                outlet_id=outlet_id,
                url="http://127.0.0.1:9/solo.xml",
                enabled=True,
                interval_s=1800,
                next_poll_at=T0 + timedelta(minutes=30),
                consecutive_failures=1,
                last_status="error",
                last_error="connection refused",
                created_at=T0,
            )
        )
    story_id = add_story(db)
    add_article(db, story_id, outlet_id, "Harbour cranes stand still", "Dockers strike today.")
    set_story_counts(db, story_id, 1, 1)
    refresh_dirty_stories(db, settings)
    return {"outlet": outlet_id, "story": story_id}


def test_pages_about_one_of_everything_use_the_singular(
    client: Any, db: Database, settings: Settings
) -> None:
    ids = one_of_everything(db, settings)
    pages = {
        path: client.get(path).text
        for path in (
            "/",
            f"/stories/{ids['story']}",
            "/outlets",
            f"/outlets/{ids['outlet']}",
            "/sources",
            "/search?q=harbour",
            "/blindspots",
        )
    }
    for path, html in pages.items():
        assert not ONE_PLURAL.search(_text(html)), (path, ONE_PLURAL.search(_text(html)))
    outlet = pages[f"/outlets/{ids['outlet']}"]
    assert "1 article here" in outlet and "1 outlet · 1 article · updated" in outlet
    assert "1 of 1 feed is failing" in pages["/"]
    assert "of 1 rated outlet;" in pages["/"] or 'of 1 rated outlet"' in pages["/"]
    assert re.search(r'"stat">1</div><div class="small muted">story<', pages["/"])
    assert re.search(r'"stat">1</div><div class="small muted">article<', pages["/"])
    assert re.search(r'"stat">1</div><div class="small muted">outlet<', pages["/"])
    assert "1 feed, 1 failing on its last poll" in pages["/sources"]
    search = pages["/search?q=harbour"]
    assert "<strong>1</strong> outlet</span><span>1 article</span>" in search


def test_an_article_waiting_for_its_story_is_counted_in_the_singular(
    client: Any, db: Database, settings: Settings
) -> None:
    add_article(db, None, None, "Harbour cranes stand still", "Dockers strike today.")
    assert "No stories yet: 1 article is waiting to be grouped." in client.get("/").text
    add_article(db, None, None, "Harbour cranes move again", "Dockers back at work.")
    with web_client(db, settings) as fresh:  # the totals are kept a minute per app
        assert "No stories yet: 2 articles are waiting to be grouped." in fresh.get("/").text


def test_an_outlets_lean_reads_the_same_on_its_page_its_row_and_its_articles(
    client: Any, db: Database, settings: Settings
) -> None:
    ids = one_of_everything(db, settings)
    assert bias_step_label(-1.24) == "Lean Left"
    badge = re.compile(r'<span class="badge left"[^>]*>([^<]+)</span>')
    on_outlet_page = badge.findall(client.get(f"/outlets/{ids['outlet']}").text)
    in_outlet_list = badge.findall(client.get("/outlets").text)
    on_story_page = badge.findall(client.get(f"/stories/{ids['story']}").text)
    assert on_outlet_page == in_outlet_list == on_story_page == ["Lean Left"]
    api = client.get(f"/api/outlets/{ids['outlet']}").json()
    assert api["side"] == "left" and api["bias_score"] == pytest.approx(-1.24)


def test_the_timeline_of_a_one_article_story_says_article(
    client: Any, db: Database, settings: Settings
) -> None:
    ids = one_of_everything(db, settings)
    html = client.get(f"/stories/{ids['story']}").text
    assert '<desc id="tl-desc">1 article,' in html
