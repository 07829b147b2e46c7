"""Kept anonymous story pages answered before routing: same bytes and headers as the route,
never for signed-in readers, and never once the story has changed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from newsprism.store.database import Database
from newsprism.store.schema import stories
from newsprism.timeutil import utcnow
from newsprism.web.routes import stories as story_routes
from newsprism.web.security import CSRF_COOKIE, SECURITY_HEADERS, SESSION_COOKIE
from webdata import Newsroom, register


def route_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the routed story page fail, so a 200 can only come from the kept-page layer."""

    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the story route was reached")

    monkeypatch.setattr(story_routes, "render_kept_page", fail)
    monkeypatch.setattr(story_routes, "_fresh_story_page", fail)


def fetch_anonymous(client: Any, path: str) -> Any:
    client.cookies.clear()
    return client.get(path)


def comparable_headers(response: Any) -> list[tuple[str, str]]:
    """Headers in order, the fresh CSRF cookie's random value left out."""
    shown = []
    for name, value in response.headers.multi_items():
        if name == "set-cookie":
            cookie_name, _, rest = value.partition("=")
            value = cookie_name + "=…" + rest[rest.index(";") :]
        shown.append((name, value))
    return shown


@pytest.mark.parametrize("query", ["", "?side=left", "?all=true", "?side=right&all=true"])
def test_kept_page_has_the_routed_pages_body_and_headers(
    client: Any, room: Newsroom, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    path = f"/stories/{room.story_id}{query}"
    routed = fetch_anonymous(client, path)
    assert routed.status_code == 200
    route_unreachable(monkeypatch)
    kept = fetch_anonymous(client, path)
    assert kept.status_code == 200
    assert kept.content == routed.content
    assert comparable_headers(kept) == comparable_headers(routed)
    for name, value in SECURITY_HEADERS.items():
        assert kept.headers[name] == value
    cookie = kept.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=") and "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    assert kept.cookies[CSRF_COOKIE] != routed.cookies[CSRF_COOKIE]


def test_kept_page_keeps_a_browsers_csrf_cookie(
    client: Any, room: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"/stories/{room.story_id}"
    fetch_anonymous(client, path)
    route_unreachable(monkeypatch)
    client.cookies.set(CSRF_COOKIE, "k" * 40)
    kept = client.get(path)
    assert kept.status_code == 200
    assert "set-cookie" not in kept.headers


def test_signed_in_reader_gets_a_personal_page_and_history(client: Any, room: Newsroom) -> None:
    path = f"/stories/{room.story_id}"
    anonymous = fetch_anonymous(client, path).text
    assert "Sign in" in anonymous
    register(client, "kept-reader")
    page = client.get(path).text
    assert "kept-reader" in page and page != anonymous
    reads = client.get("/me/export.json").json()["reads"]
    assert [r["story_id"] for r in reads] == [room.story_id]


def test_any_session_cookie_goes_to_the_route(
    client: Any, room: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"/stories/{room.story_id}"
    fetch_anonymous(client, path)
    route_unreachable(monkeypatch)
    client.cookies.set(SESSION_COOKIE, "not-a-valid-session")
    assert client.get(path).status_code == 500


@pytest.mark.parametrize("query", ["?side=LEFT", "?all=yes", "?side=left&side=right", "?x=1"])
def test_other_query_strings_go_to_the_route(
    client: Any, room: Newsroom, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    fetch_anonymous(client, f"/stories/{room.story_id}")
    fetch_anonymous(client, f"/stories/{room.story_id}?side=left")
    fetch_anonymous(client, f"/stories/{room.story_id}?all=true")
    route_unreachable(monkeypatch)
    assert fetch_anonymous(client, f"/stories/{room.story_id}{query}").status_code != 200


def test_a_changed_story_is_rendered_again(client: Any, db: Database, room: Newsroom) -> None:
    path = f"/stories/{room.story_id}"
    before = fetch_anonymous(client, path).text
    assert fetch_anonymous(client, path).text == before
    with db.write() as conn:
        conn.execute(
            update(stories)
            .where(stories.c.id == room.story_id)
            .values(headline="A headline changed after the page was kept", updated_at=utcnow())
        )
    after = fetch_anonymous(client, path).text
    assert "A headline changed after the page was kept" in after


def test_a_merged_story_redirects_even_when_its_page_was_kept(
    client: Any, db: Database, room: Newsroom
) -> None:
    path = f"/stories/{room.story_id}"
    assert fetch_anonymous(client, path).status_code == 200
    with db.write() as conn:
        conn.execute(
            update(stories)
            .where(stories.c.id == room.story_id)
            .values(merged_into=room.other_story_id)
        )
    moved = client.get(path, follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"/stories/{room.other_story_id}"


def test_unknown_and_out_of_range_ids_still_answer_as_routed(client: Any) -> None:
    assert fetch_anonymous(client, "/stories/999999").status_code == 404
    assert fetch_anonymous(client, "/stories/99999999999").status_code == 404
    assert fetch_anonymous(client, "/stories/0").status_code == 404


def test_a_busy_store_means_no_kept_page_rather_than_a_wait(db: Database, room: Newsroom) -> None:
    import sqlite3

    from newsprism.web.story_versions import StoryVersions

    if not db.is_sqlite:
        pytest.skip("the plain connection is SQLite's")
    versions = StoryVersions(db)
    assert versions.inline
    assert versions.page_key(room.story_id, "", False) is not None
    assert versions.get(999_999) is None

    class Busy:
        def execute(self, *_args: Any) -> Any:
            raise sqlite3.OperationalError("database is locked")

    raw, versions._raw = versions._raw, Busy()  # type: ignore[assignment]
    assert versions.page_key(room.story_id, "", False) is None
    versions._raw = raw
    assert versions.page_key(room.story_id, "", False) is not None
    versions.close()
