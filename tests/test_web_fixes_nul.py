"""A search made only of characters no text column can hold (a NUL) is the empty search."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.schema import stories
from webdata import Newsroom, seed_newsroom


@pytest.fixture
def room(db: Database, settings: Settings) -> Newsroom:
    room = seed_newsroom(db, settings)
    # A live story without a headline yet: any filter on headlines leaves it out.
    with db.write() as conn:
        conn.execute(
            update(stories).where(stories.c.id == room.other_story_id).values(headline=None)
        )
    return room


def _ids(client: Any, path: str, **params: str) -> list[int]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize("nul", ["\x00", "\x00\x00", " \x00 "])
def test_api_listings_take_a_nul_search_as_no_search(client: Any, room: Newsroom, nul: str) -> None:
    every = _ids(client, "/api/stories", q="")
    assert room.other_story_id in every
    assert _ids(client, "/api/stories", q=" ") == every
    assert _ids(client, "/api/stories", q=nul) == every
    outlets = _ids(client, "/api/outlets", q="")
    assert _ids(client, "/api/outlets", q=nul) == outlets


def test_pages_take_a_nul_search_as_no_search(client: Any, room: Newsroom) -> None:
    empty = client.get("/", params={"q": ""}).text
    nul = client.get("/", params={"q": "\x00"}).text
    assert 'id="bs-title"' in empty  # the blindspots beside an unfiltered list
    assert 'id="bs-title"' in nul and "\x00" not in nul
    assert nul.count('class="card-title"') == empty.count('class="card-title"') == 3
    search = client.get("/search", params={"q": "\x00"})
    assert search.status_code == 200 and "Nothing found" not in search.text
    assert search.text == client.get("/search", params={"q": ""}).text
    outlets = client.get("/outlets", params={"q": "\x00"}).text
    assert outlets == client.get("/outlets", params={"q": ""}).text
    # Like an empty q, which /api/search requires.
    assert client.get("/api/search", params={"q": "\x00"}).status_code == 422
    assert client.get("/api/search", params={"q": ""}).status_code == 422


def test_a_nul_inside_words_is_dropped_and_the_words_still_filter(
    client: Any, room: Newsroom
) -> None:
    assert _ids(client, "/api/stories", q="Flo\x00ods") == _ids(client, "/api/stories", q="Floods")
    assert _ids(client, "/api/stories", q="Teachers\x00") == [room.blindspot_story_id]


def test_storable_text_drops_what_postgresql_text_cannot_hold() -> None:
    from newsprism.store.dialect import like_containing, storable_text

    assert storable_text("a\x00b\ud800c") == "abc"
    assert storable_text("Zürich — 東京 🙂") == "Zürich — 東京 🙂"
    assert like_containing("50%_\x00\\") == "%50\\%\\_\\\\%"
