"""Pages that need no story analysis: security headers, errors, outlets, sources, search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import update

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.schema import outlets, ratings
from newsprism.web.security import CONTENT_SECURITY_POLICY
from webdata import seed_rows, web_client

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "web" / "templates"


@pytest.fixture
def client(db: Database, settings: Settings):  # type: ignore[no-untyped-def]
    with web_client(db, settings) as test_client:
        yield test_client


def test_every_response_carries_a_strict_content_security_policy(client) -> None:
    for path in ("/login", "/no/such/page", "/static/site.css", "/api/stories/abc", "/healthz"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_templates_need_no_inline_script_or_style() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script" not in text, template.name
        assert not re.search(r"\sstyle=", text), template.name
        assert not re.search(r"\son[a-z]+=", text), template.name
        assert "|safe" not in text, template.name


def test_unknown_page_is_an_html_page_and_api_errors_are_json(client) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text and "Traceback" not in page.text
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json() == {"error": "There is nothing at this address."}
    bad = client.get("/api/stories?limit=100000")
    assert bad.status_code == 422 and bad.json()["error"].startswith("limit:")
    not_a_story = client.get("/stories/not-a-number")
    assert not_a_story.status_code == 404 and "text/html" in not_a_story.headers["content-type"]


def test_healthz_reports_the_store(client, db: Database) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == db.dialect


def test_outlet_page_shows_every_rater_with_a_link_and_their_spread(client, db: Database) -> None:
    room = seed_rows(db)
    page = client.get(f"/outlets/{room.outlet_ids['leftpost.example']}")
    assert page.status_code == 200
    assert 'href="https://mbfc.example/leftpost.example"' in page.text
    assert 'href="https://allsides.example/leftpost.example"' in page.text
    assert "mbfc label -2.0" in page.text and "allsides label -1.5" in page.text
    assert "Spread between raters" in page.text and "0.50" in page.text
    assert "−1.75" in page.text or "-1.75" in page.text
    assert "Parliament approves the harbour budget" in page.text  # recent stories
    api = client.get(f"/api/outlets/{room.outlet_ids['leftpost.example']}").json()
    assert {r["provider"] for r in api["ratings"]} == {"mbfc", "allsides"}
    assert api["bias_spread"] == pytest.approx(0.5)
    assert api["recent_stories"][0]["id"] == room.story_id
    assert client.get("/outlets/999999").status_code == 404


def test_feed_failures_show_their_reason(client, db: Database) -> None:
    room = seed_rows(db)
    sources = client.get("/sources")
    assert "Failing" in sources.text and room.failing_feed_error in sources.text
    outlet = client.get(f"/outlets/{room.outlet_ids['wire.example']}")
    assert room.failing_feed_error in outlet.text and "3 times in a row" in outlet.text
    api = client.get(f"/api/outlets/{room.outlet_ids['wire.example']}").json()
    assert api["feeds"][0]["last_error"] == room.failing_feed_error


def test_switched_off_feeds_show_with_their_reason(client, db: Database) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from newsprism.store.schema import feeds

    room = seed_rows(db)
    reason = "disabled: HTTP 410 Gone on the last 3 polls"
    with db.write() as conn:
        conn.execute(
            insert(feeds).values(
                outlet_id=room.outlet_ids["wire.example"],
                url="http://127.0.0.1:9/gone.xml",
                title="Center Wire: archive",
                enabled=False,
                interval_s=1800,
                next_poll_at=datetime.now(UTC),
                consecutive_failures=3,
                last_status="disabled",
                last_error=reason,
                created_at=datetime.now(UTC),
            )
        )
    sources = client.get("/sources")
    assert "1 switched off" in sources.text
    assert "Disabled" in sources.text and reason in sources.text
    # The failing feed comes first, the switched-off one right after it.
    assert sources.text.index(room.failing_feed_error) < sources.text.index(reason)
    outlet = client.get(f"/outlets/{room.outlet_ids['wire.example']}")
    assert reason in outlet.text


def test_outlet_list_filters_by_name_and_paginates(client, db: Database) -> None:
    seed_rows(db)
    page = client.get("/outlets?q=herald")
    assert "Right Herald" in page.text and "Center Wire" not in page.text
    first = client.get("/api/outlets?limit=4").json()
    assert len(first["items"]) == 4 and first["next_offset"] == 4
    rest = client.get("/api/outlets?limit=4&offset=4").json()
    assert len(rest["items"]) == 4 and rest["next_offset"] is None
    names = [o["name"] for o in first["items"] + rest["items"]]
    assert names == sorted(names, key=str.lower)


def test_outlet_search_takes_like_wildcards_literally(client, db: Database) -> None:
    seed_rows(db)
    assert client.get("/api/outlets?q=_").json()["items"] == []
    assert client.get("/api/outlets?q=%25").json()["items"] == []
    assert client.get("/api/outlets?q=r_ght").json()["items"] == []
    # A NUL typed into a search box is no error on either database (PostgreSQL text has none).
    assert client.get("/api/outlets?q=%00").status_code == 200
    assert client.get("/api/stories?q=%00").status_code == 200
    assert client.get("/?q=%00").status_code == 200
    assert [o["name"] for o in client.get("/api/outlets?q=right").json()["items"]] == [
        "Right Herald"
    ]


def test_a_rating_link_that_is_not_a_web_address_is_no_link(client, db: Database) -> None:
    room = seed_rows(db)
    outlet_id = room.outlet_ids["leftpost.example"]
    with db.write() as conn:
        conn.execute(
            update(ratings)
            .where(ratings.c.outlet_id == outlet_id, ratings.c.provider == "mbfc")
            .values(url="javascript:alert(1)")
        )
        conn.execute(
            update(outlets).where(outlets.c.id == outlet_id).values(homepage="data:text/html,x")
        )
    page = client.get(f"/outlets/{outlet_id}").text
    assert "javascript:" not in page and "data:text" not in page
    assert 'href="https://allsides.example/leftpost.example"' in page  # the web links stay


def test_head_answers_as_get_without_a_body(client, db: Database) -> None:
    room = seed_rows(db)
    for path in (
        "/healthz",
        "/",
        f"/outlets/{room.outlet_ids['leftpost.example']}",
        "/api/outlets",
    ):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert client.head("/outlets/999999").status_code == 404


def test_the_newsroom_counts_only_outlets_followed_or_with_articles(client, db: Database) -> None:
    from sqlalchemy import insert

    from newsprism.store.web_queries import store_counts
    from newsprism.timeutil import utcnow

    seed_rows(db)
    with db.read() as conn:
        before = store_counts(conn)["outlets"]
    now = utcnow()
    with db.write() as conn:
        conn.execute(
            insert(outlets).values(
                domain="rated-only.example",
                name="Rated only",
                categories=[],
                is_default=False,
                enabled=False,
                origin="rating",
                created_at=now,
                updated_at=now,
            )
        )
        assert store_counts(conn)["outlets"] == before


def test_search_groups_matching_articles_by_story(client, db: Database) -> None:
    room = seed_rows(db)
    page = client.get("/search?q=railway")
    assert page.status_code == 200
    assert f'href="/stories/{room.other_story_id}"' in page.text
    assert f'href="/stories/{room.story_id}"' not in page.text
    api = client.get("/api/search?q=harbour budget").json()
    assert [s["id"] for s in api["stories"]] == [room.story_id]
    assert len(api["stories"][0]["matches"]) >= 5
    odd = client.get('/search?q="(AND OR*')
    assert odd.status_code == 200 and "Nothing found" in odd.text


def test_hostile_text_in_search_results_is_escaped(client, db: Database) -> None:
    seed_rows(db)
    page = client.get("/search?q=pwned")
    assert "<script>window.__pwned" not in page.text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page.text


def test_merged_story_addresses_redirect_to_the_survivor(client, db: Database) -> None:
    room = seed_rows(db)
    for path, target in (
        (f"/stories/{room.merged_story_id}", f"/stories/{room.story_id}"),
        (f"/stories/{room.merged_story_id}?side=left", f"/stories/{room.story_id}?side=left"),
        (f"/api/stories/{room.merged_story_id}", f"/api/stories/{room.story_id}"),
        (
            f"/feeds/stories/{room.merged_story_id}.atom",
            f"/feeds/stories/{room.story_id}.atom",
        ),
    ):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 301, path
        assert response.headers["location"] == target


def test_me_invites_anonymous_readers_to_sign_in(client) -> None:
    page = client.get("/me")
    assert page.status_code == 200 and "Sign in to keep a private history" in page.text
    assert client.get("/me/export.json").status_code == 401
