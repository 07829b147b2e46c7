"""Adding sources: feed URLs, site URLs whose feed is discovered, outlets, and refusals."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from loopback import FEEDS, LoopbackServer
from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.ingest.discover import add_source, feed_candidates
from newsprism.store.database import Database
from newsprism.store.feeds import feed_state
from newsprism.store.schema import feeds, outlets


def _outlet_domain(db: Database, outlet_id: int) -> str:
    with db.read() as conn:
        return str(conn.execute(select(outlets.c.domain).where(outlets.c.id == outlet_id)).scalar())


def test_feed_url_is_added_after_it_parses(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    url = server.fixture("/rss.xml", "rss20.xml")
    added = add_source(db, settings, url)
    assert added.feed_url == url
    assert (added.created, added.discovered, added.entries) == (True, False, 3)
    assert added.title == "Harbor Gazette"
    # The feed's own <link> names its site: news.example.org -> example.org.
    assert added.outlet_domain == "example.org"
    assert _outlet_domain(db, added.outlet_id) == "example.org"
    with db.read() as conn:
        state = feed_state(conn, added.feed_id)
    assert state is not None and state["enabled"] and state["title"] == "Harbor Gazette"


def test_adding_the_same_feed_twice_keeps_one(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    url = server.fixture("/rss.xml", "rss20.xml")
    first = add_source(db, settings, url)
    second = add_source(db, settings, url)
    assert second.feed_id == first.feed_id
    assert second.created is False
    with db.read() as conn:
        assert conn.execute(select(feeds.c.id)).all() == [(first.feed_id,)]


def test_outlet_option_wins(db: Database, settings: Settings, server: LoopbackServer) -> None:
    added = add_source(
        db,
        settings,
        server.fixture("/rss.xml", "rss20.xml"),
        outlet_domain="www.harbor-gazette.co.uk",
    )
    assert added.outlet_domain == "harbor-gazette.co.uk"


def test_site_url_discovers_the_advertised_feed(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    page = server.route(
        "/", FEEDS.joinpath("html_page.html").read_bytes(), content_type="text/html"
    )
    feed_url = server.fixture("/rss.xml", "rss20.xml")
    added = add_source(db, settings, page)
    assert added.feed_url == feed_url
    assert added.discovered is True
    # A site the user named is the outlet, whatever the feed's <link> says.
    assert added.outlet_domain == "127.0.0.1"


def test_site_without_links_is_probed_at_common_paths(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    page = server.route(
        "/", "<html><head><title>x</title></head><body>hi</body></html>", content_type="text/html"
    )
    server.route("/feed", "<html><body>not a feed</body></html>", content_type="text/html")
    atom = server.fixture("/atom.xml", "atom.xml", content_type="application/atom+xml")
    added = add_source(db, settings, page)
    assert added.feed_url == atom
    assert server.hits("/feed") == 1


def test_site_without_any_feed_is_a_clear_error(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    page = server.route("/", "<html><body>No feeds here.</body></html>", content_type="text/html")
    with pytest.raises(
        InputError, match=r"no feed found: the page is HTML and none of 7 candidate"
    ):
        add_source(db, settings, page)
    with db.read() as conn:
        assert conn.execute(select(feeds.c.id)).all() == []


@pytest.mark.parametrize(
    ("path", "message"),
    [("/missing.xml", "HTTP 404 Not Found"), ("/bomb.xml", "declares XML entities")],
)
def test_unusable_feed_is_refused_with_its_reason(
    db: Database, settings: Settings, server: LoopbackServer, path: str, message: str
) -> None:
    server.fixture("/bomb.xml", "xml_bomb.xml")
    with pytest.raises(InputError, match=message) as info:
        add_source(db, settings, server.url(path))
    assert str(info.value).startswith(server.url(path))


def test_private_feed_is_refused_without_the_switch(
    db: Database, settings: Settings, server: LoopbackServer
) -> None:
    url = server.fixture("/rss.xml", "rss20.xml")
    with pytest.raises(InputError, match="private, loopback or link-local"):
        add_source(db, replace(settings, allow_private_networks=False), url)
    assert server.requests == []


def test_feed_candidates_prefer_advertised_feeds_and_skip_others() -> None:
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/news.rss">'
        b'<link rel="alternate" type="text/html" hreflang="de" href="/de/">'
        b'<link rel="stylesheet" href="/s.css">'
        b'<link rel="alternate" type="application/feed+json" href="https://cdn.example.com/f.json">'
        b"</head></html>"
    )
    found = feed_candidates(page, "https://site.example.com/section/page")
    assert found[:2] == ["https://site.example.com/news.rss", "https://cdn.example.com/f.json"]
    assert "https://site.example.com/feed" in found
    assert all("/de/" not in c and "s.css" not in c for c in found)
