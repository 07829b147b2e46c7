"""Error answers: an HTML page outside /api (Atom feeds included), and what a 405 allows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from newsprism.config import Settings
from newsprism.store.database import Database
from webdata import web_client


@pytest.fixture
def client(db: Database, settings: Settings) -> Iterator[Any]:
    with web_client(db, settings) as test_client:
        yield test_client


def _allowed(response: Any) -> set[str]:
    return {method.strip() for method in response.headers["allow"].split(",")}


def test_an_unknown_storys_feed_is_an_html_error_page(client: Any) -> None:
    for path in ("/feeds/stories/99999.atom", "/feeds/stories/abc.atom", "/feeds/nothing.atom"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert "Page not found" in response.text and "Traceback" not in response.text
    assert "There is no story 99999." in client.get("/feeds/stories/99999.atom").text
    wrong_method = client.post("/feeds/top.atom")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"].startswith("text/html")
    # Under /api errors stay JSON.
    api = client.get("/api/stories/99999")
    assert api.status_code == 404 and api.json() == {"error": "no story 99999"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/stories"),
        ("DELETE", "/"),
        ("POST", "/stories/1"),
        ("POST", "/feeds/top.atom"),
        ("PUT", "/healthz"),
        ("POST", "/static/site.css"),
    ],
)
def test_a_405_allows_head_where_get_is_served(client: Any, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert _allowed(response) == {"GET", "HEAD"}
    assert client.head(path).status_code != 405


def test_a_405_names_every_method_of_the_address(client: Any) -> None:
    # /login is a GET route and a POST route.
    login = client.put("/login")
    assert login.status_code == 405 and _allowed(login) == {"GET", "HEAD", "POST"}
    # A form target answers POST only: HEAD (a GET without body) is not served there either.
    for method in ("GET", "HEAD"):
        post_only = client.request(method, "/admin/ratings")
        assert post_only.status_code == 405, method
        assert _allowed(post_only) == {"POST"}, method
    options = client.options("/api/stories")
    assert options.status_code == 405 and _allowed(options) == {"GET", "HEAD"}
    assert options.json() == {"error": "Method Not Allowed"}
