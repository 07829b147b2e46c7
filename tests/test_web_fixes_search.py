"""Search: every matching article can be reached, listed with its story, whatever page it is on."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.dialect import search_article_ids
from storydata import add_article, add_story
from webdata import web_client

TITLE = "Dockers strike at the harbour"
TEXT = "Dockers went on strike at the harbour on Monday over pay and hours."


@pytest.fixture
def client(db: Database, settings: Settings) -> Iterator[Any]:
    with web_client(db, settings) as test_client:
        yield test_client


def seed_far_apart(db: Database, stories: int, per_story: int, loose: int = 3) -> Any:
    """Matching articles that tie in relevance, stored round-robin over the stories: the ranked
    hits hold each story's matches far apart (newest first), more hits than one read takes."""
    story_ids = [add_story(db) for _ in range(stories)]
    by_story: dict[int, set[int]] = {story_id: set() for story_id in story_ids}
    for _ in range(per_story):
        for story_id in story_ids:
            by_story[story_id].add(add_article(db, story_id, None, TITLE, TEXT))
    loose_ids = {add_article(db, None, None, TITLE, TEXT) for _ in range(loose)}
    return by_story, loose_ids


def _all_pages(client: Any, q: str, limit: int) -> tuple[list[dict[str, Any]], list[int]]:
    stories: list[dict[str, Any]] = []
    loose: list[int] = []
    offset: int | None = 0
    while offset is not None:
        body = client.get("/api/search", params={"q": q, "limit": limit, "offset": offset}).json()
        assert len(body["stories"]) + len(body["articles"]) <= limit
        stories += body["stories"]
        loose += [a["id"] for a in body["articles"]]
        offset = body["next_offset"]
    return stories, loose


@pytest.mark.parametrize("limit", [100, 7])
def test_every_matching_article_is_listed_once_with_its_story(
    client: Any, db: Database, limit: int
) -> None:
    by_story, loose_ids = seed_far_apart(db, stories=110, per_story=3)
    with db.read() as conn:
        indexed = set(search_article_ids(conn, "harbour", limit=10_000))
    assert len(indexed) == 110 * 3 + 3 > 200  # more than one read of ranked hits

    stories, loose = _all_pages(client, "harbour", limit)
    story_ids = [s["id"] for s in stories]
    assert len(story_ids) == len(set(story_ids)), "a story is repeated on a later page"
    assert set(story_ids) == set(by_story)
    for story in stories:
        matched = [m["id"] for m in story["matches"]]
        assert len(matched) == len(set(matched))
        assert set(matched) == by_story[story["id"]], story["id"]
        assert all(m["story_id"] == story["id"] for m in story["matches"])
        # Best first: ties in relevance, newest first.
        assert matched == sorted(matched, reverse=True)
    listed = Counter([m["id"] for s in stories for m in s["matches"]] + loose)
    assert set(listed) == indexed and max(listed.values()) == 1
    assert set(loose) == loose_ids


def test_a_story_page_result_links_to_the_matches_it_does_not_show(
    client: Any, db: Database
) -> None:
    by_story, _loose = seed_far_apart(db, stories=3, per_story=5, loose=0)
    html = client.get("/search", params={"q": "dockers"}).text
    for story_id in by_story:
        assert re.search(
            rf'<a href="/stories/{story_id}">and 2 more matching articles</a>', html
        ), story_id
    one_more = seed_far_apart(db, stories=1, per_story=4, loose=0)[0]
    html = client.get("/search", params={"q": "dockers"}).text
    (story_id,) = one_more
    assert f'<a href="/stories/{story_id}">and 1 more matching article</a>' in html
