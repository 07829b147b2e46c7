"""Story pages, the story API, Atom feeds, blindspots and reading history over analysed stories."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import update

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.schema import stories
from newsprism.timeutil import utcnow
from webdata import HOSTILE_TITLE, Newsroom, csrf_token, register

ATOM = "{http://www.w3.org/2005/Atom}"
CONTRACT_LIST_KEYS = {
    "id",
    "headline",
    "articles",
    "outlets",
    "bias",
    "factuality",
    "ownership",
    "blindspot",
    "first_published",
    "last_updated",
}


def test_story_page_shows_summary_citations_coverage_and_articles(client, room: Newsroom) -> None:
    page = client.get(f"/stories/{room.story_id}")
    assert page.status_code == 200
    text = page.text
    assert "7 articles</strong> from <strong>6 outlets" in text
    assert text.count('class="cite" href=') >= 1  # summary bullets cite their sources
    for article_id in room.article_ids:
        assert f'id="article-{article_id}"' in text
    for label in ("Coverage details", "Bias distribution", "Factuality", "Ownership", "Timeline"):
        assert label in text
    assert "Broke the news" in text and "The Left Post" in text  # the earliest article
    assert "Reposted by 1 other outlet" in text and ">Repost<" in text
    assert '<svg class="timeline"' in text
    assert "Why is this article here?" in text


def test_side_filter_lists_only_that_sides_articles(client, room: Newsroom) -> None:
    left = client.get(f"/stories/{room.story_id}?side=left").text
    assert left.count('data-side="left"') == 3  # two left outlets, one of them reposting
    assert 'data-side="right"' not in left and 'data-side="center"' not in left
    right = client.get(f"/stories/{room.story_id}?side=right").text
    assert right.count('data-side="right"') == 1
    assert client.get(f"/stories/{room.story_id}?side=up").status_code == 400


def test_hostile_title_is_text_everywhere(client, room: Newsroom) -> None:
    escaped = "&lt;script&gt;window.__pwned=1&lt;/script&gt;"
    page = client.get(f"/stories/{room.story_id}").text
    assert "<script>window.__pwned" not in page and escaped in page
    assert 'onerror="window' not in page
    feed = client.get(f"/feeds/stories/{room.story_id}.atom")
    titles = [e.findtext(f"{ATOM}title") for e in ET.fromstring(feed.content).iter(f"{ATOM}entry")]
    assert HOSTILE_TITLE in titles
    api = client.get(f"/api/stories/{room.story_id}").json()
    assert HOSTILE_TITLE in [a["title"] for a in api["articles"]]


def test_story_api_carries_the_contract_keys(client, room: Newsroom) -> None:
    detail = client.get(f"/api/stories/{room.story_id}").json()
    assert CONTRACT_LIST_KEYS | {"summary", "coverage"} <= set(detail)
    assert len(detail["articles"]) == 7
    assert set(detail["articles"][0]) >= {
        "id",
        "url",
        "title",
        "outlet",
        "published",
        "bias",
        "factuality",
        "ownership",
        "repost_of",
    }
    assert detail["bias"]["left"] == 2 and detail["bias"]["right"] == 1
    assert detail["bias"]["unrated"] == 1
    assert all(set(b) >= {"text", "article_ids"} for b in detail["summary"])


def test_story_list_api_paginates_and_filters(client, room: Newsroom) -> None:
    first = client.get("/api/stories?limit=1").json()
    assert len(first["items"]) == 1 and first["next_offset"] == 1
    assert set(first["items"][0]) >= CONTRACT_LIST_KEYS
    everything = client.get("/api/stories?limit=100").json()
    ids = {s["id"] for s in everything["items"]}
    assert {room.story_id, room.other_story_id, room.blindspot_story_id} <= ids
    assert room.merged_story_id not in ids
    assert everything["next_offset"] is None
    right = {s["id"] for s in client.get("/api/stories?side=right").json()["items"]}
    assert room.story_id in right and room.blindspot_story_id not in right
    # The home page form's "Any side" sends an empty value: no filter, as for country. The
    # API's schema has three sides only.
    assert client.get("/?q=&country=&side=").status_code == 200
    assert client.get(f"/stories/{room.story_id}?side=").status_code == 200
    assert client.get("/api/stories?side=").status_code == 422
    home = client.get("/?side=right").text
    cards = home.split('<ol class="stories">')[1].split("</ol>")[0]
    assert f'href="/stories/{room.story_id}"' in cards
    assert f'href="/stories/{room.blindspot_story_id}"' not in cards


def test_a_home_page_past_the_end_says_so_and_links_back(client, room: Newsroom) -> None:
    past = client.get("/?page=50")
    assert past.status_code == 200
    assert "No more stories" in past.text and 'href="/"' in past.text
    assert "waiting to be grouped" not in past.text


def test_blindspots_show_each_flag_with_its_reason(client, room: Newsroom) -> None:
    page = client.get("/blindspots").text
    assert f'href="/stories/{room.blindspot_story_id}"' in page
    assert "0 of 6 rated outlets lean right" in page
    api = client.get("/api/blindspots?side=right").json()
    assert [s["id"] for s in api["items"]] == [room.blindspot_story_id]
    assert api["items"][0]["blindspot"]["side"] == "right"
    feed = ET.fromstring(client.get("/feeds/blindspots.atom").content)
    assert any(
        "0 of 6 rated outlets lean right" in (e.findtext(f"{ATOM}summary") or "")
        for e in feed.iter(f"{ATOM}entry")
    )


def test_atom_feeds_are_well_formed_and_link_to_pages(client, room: Newsroom) -> None:
    response = client.get("/feeds/top.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert f"http://testserver/stories/{room.story_id}" in links
    story = ET.fromstring(client.get(f"/feeds/stories/{room.story_id}.atom").content)
    assert len(list(story.iter(f"{ATOM}entry"))) == 7
    assert client.get("/feeds/stories/999999.atom").status_code == 404


def test_a_story_feed_links_only_to_web_addresses(client, room: Newsroom, db: Database) -> None:
    from newsprism.store.schema import articles

    with db.write() as conn:
        conn.execute(
            update(articles)
            .where(articles.c.id == room.article_ids[0])
            .values(url="javascript:alert(1)")
        )
    feed = client.get(f"/feeds/stories/{room.story_id}.atom").text
    assert "javascript:" not in feed
    assert f"http://testserver/stories/{room.story_id}" in feed


def test_anonymous_story_pages_are_reused_until_the_story_changes(
    client, db: Database, room: Newsroom
) -> None:
    first = client.get(f"/stories/{room.story_id}").text
    with db.write() as conn:
        conn.execute(
            update(stories)
            .where(stories.c.id == room.story_id)
            .values(headline="Renamed headline for the test", updated_at=utcnow())
        )
    cache = client.app.state.web.page_cache
    hits = cache.hits
    again = client.get(f"/stories/{room.story_id}").text
    assert cache.hits == hits  # the story changed: a fresh page, not the cached one
    assert again != first or "Renamed headline" in again
    client.get(f"/stories/{room.story_id}")
    assert cache.hits == hits + 1


def test_reading_history_breaks_down_exports_and_deletes(client, room: Newsroom) -> None:
    register(client, "reader")
    client.get(f"/stories/{room.story_id}")
    client.get(f"/stories/{room.blindspot_story_id}")
    page = client.get("/me").text
    assert "2 stories opened" in page
    assert "Left" in page and "Center" in page and "Right" in page
    assert "Teachers win a four-day week" in page
    export = client.get("/me/export.json")
    assert export.headers["content-disposition"].startswith("attachment;")
    reads = export.json()["reads"]
    assert [r["story_id"] for r in reads] == [room.story_id, room.blindspot_story_id]
    assert reads[0]["snapshot"]["bias"]["left"] == 2
    token = csrf_token(client, "/me")
    deleted = client.post("/me/delete", data={"csrf_token": token}, follow_redirects=True)
    assert "Your reading history was deleted" in deleted.text
    assert client.get("/me/export.json").json()["reads"] == []


def test_long_article_lists_are_cut_with_a_link_to_all(
    client, room: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.web.routes import stories as story_routes

    monkeypatch.setattr(story_routes, "ARTICLES_SHOWN", 3)
    short = client.get(f"/stories/{room.story_id}").text
    assert short.count('<li class="article ') == 3
    assert "Show 4 more articles" in short and "?all=true#articles" in short
    full = client.get(f"/stories/{room.story_id}?all=true").text
    assert full.count('<li class="article ') == 7 and "more article" not in full


def test_undated_articles_show_their_import_time_as_such(
    client, db: Database, room: Newsroom
) -> None:
    from newsprism.store.schema import articles

    with db.write() as conn:
        conn.execute(
            update(articles)
            .where(articles.c.story_id == room.other_story_id)
            .values(published_at=None)
        )
        conn.execute(
            update(articles).where(articles.c.id == room.article_ids[0]).values(published_at=None)
        )
        conn.execute(
            update(stories)
            .where(stories.c.id.in_([room.other_story_id, room.story_id]))
            .values(updated_at=utcnow(), dirty=True)
        )
    undated_story = client.get(f"/stories/{room.other_story_id}").text
    header = undated_story.split('<div class="meta">', 1)[1].split("</div>", 1)[0]
    assert "Date unknown · imported" in header and "Updated" not in header
    assert undated_story.count("Date unknown · imported") == 2 + 3  # header, details, 3 articles
    mixed = client.get(f"/stories/{room.story_id}").text
    header = mixed.split('<div class="meta">', 1)[1].split("</div>", 1)[0]
    assert "Updated" in header and "Date unknown" not in header
    assert mixed.count("Date unknown · imported") == 1


def test_an_opinion_piece_carries_a_badge_on_the_story_page(
    client, db: Database, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from newsprism.analyze.refresh import refresh_dirty_stories
    from newsprism.store.schema import articles
    from storydata import add_story
    from webdata import _article

    story_id = add_story(db)
    pieces = [
        ("Senate passes budget bill", "The Senate passed the budget bill on Friday."),
        ("Opinion: The budget bill is a disgrace", "The Senate budget bill is a disgrace."),
    ]
    with db.write() as conn:
        for n, (title, text) in enumerate(pieces):
            row = _article(utcnow(), 9000 + n, title=title, text=text, story_id=story_id)
            conn.execute(insert(articles).values(row))
    refresh_dirty_stories(db, settings)
    page = client.get(f"/stories/{story_id}")
    assert page.status_code == 200
    assert page.text.count(">Opinion</span>") == 1
    assert "<dt>Opinion pieces</dt><dd>1</dd>" in page.text
    detail = client.get(f"/api/stories/{story_id}").json()
    assert sorted(a["opinion"] for a in detail["articles"]) == [False, True]
