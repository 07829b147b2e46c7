"""Search results page by page: every story and loose article once, in a stable order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.schema import articles
from storydata import add_article, add_story
from webdata import web_client

TITLE = "Dockers strike at the harbour"
TEXT = "Dockers went on strike at the harbour on Monday over pay and hours."


@pytest.fixture
def client(db: Database, settings: Settings) -> Iterator[Any]:
    with web_client(db, settings) as test_client:
        yield test_client


def seed_matches(db: Database, stories: int = 30, per_story: int = 3, loose: int = 5) -> Any:
    """Stories whose matching articles tie in relevance and were stored round-robin, so each
    story's matches lie far apart in the ranked hits; plus matching articles in no story."""
    story_ids = [add_story(db) for _ in range(stories)]
    for _ in range(per_story):
        for story_id in story_ids:
            add_article(db, story_id, None, TITLE, TEXT)
    loose_ids = [add_article(db, None, None, TITLE, TEXT) for _ in range(loose)]
    return story_ids, loose_ids


def test_search_pages_show_each_story_once(client: Any, db: Database) -> None:
    story_ids, loose_ids = seed_matches(db)
    shown_stories: list[int] = []
    shown_loose: list[str] = []
    for page in range(1, 40):
        html = client.get("/search", params={"q": "harbour strike", "page": page}).text
        shown_stories += [int(i) for i in re.findall(r'<h3><a href="/stories/(\d+)">', html)]
        loose_part = html.split("Articles not yet in a story", 1)[-1] if "not yet" in html else ""
        shown_loose += re.findall(r'href="https://example\.org/a/(\d+)"', loose_part)
        if 'rel="next"' not in html:
            break
    assert page > 1, "the results should need more than one page"
    assert len(shown_stories) == len(set(shown_stories)), "a story is repeated on a later page"
    assert set(shown_stories) == set(story_ids)
    # Links carry the article's serial number, not its id (other tests draw serials too).
    with db.read() as conn:
        loose_urls = conn.execute(select(articles.c.url).where(articles.c.id.in_(loose_ids)))
        serials = sorted(int(url.rsplit("/", 1)[-1]) for (url,) in loose_urls)
    assert sorted(int(i) for i in shown_loose) == serials
    again = client.get("/search", params={"q": "harbour strike", "page": 2}).text
    assert again == client.get("/search", params={"q": "harbour strike", "page": 2}).text


def test_search_api_pages_follow_next_offset_without_repeats(client: Any, db: Database) -> None:
    story_ids, loose_ids = seed_matches(db)
    stories: list[int] = []
    loose: list[int] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get("/api/search", params={"q": "harbour", "limit": 7, "offset": offset})
        body = page.json()
        assert len(body["stories"]) + len(body["articles"]) <= 7
        stories += [s["id"] for s in body["stories"]]
        loose += [a["id"] for a in body["articles"]]
        assert all(s["matches"] for s in body["stories"])
        offset = body["next_offset"]
    assert len(stories) == len(set(stories)) and set(stories) == set(story_ids)
    assert sorted(loose) == sorted(loose_ids)
