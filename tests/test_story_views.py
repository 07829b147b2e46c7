"""Story views and the stories/story commands: contract keys, filters, merged ids, errors."""

from __future__ import annotations

import json

from sqlalchemy import update

from newsprism.analyze.refresh import refresh_dirty_stories
from newsprism.analyze.views import blindspots, list_stories, story_detail
from newsprism.store.schema import stories
from storydata import (
    Outlet,
    add_article,
    add_bridge_story,
    add_outlets,
    add_story,
    set_story_counts,
)

BRIEF_KEYS = {
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
ARTICLE_KEYS = {
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


def _one_sided_story(db, hours: float = 20) -> int:  # type: ignore[no-untyped-def]
    """Seven right-leaning outlets and one left one: a blindspot for the left."""
    specs = [Outlet(f"right{i}.com", bias=2, factuality=4, country="au") for i in range(7)]
    specs.append(Outlet("left0.com", bias=-2, factuality=4, country="au"))
    ids = add_outlets(db, specs)
    story = add_story(db)
    for n, oid in enumerate(ids.values()):
        add_article(
            db,
            story,
            oid,
            f"Tax cut debate heats up in Canberra, report {n}",
            "Lawmakers in Canberra debated the tax cut on Monday. The vote is next week.",
            hours=hours + n * 0.1,
        )
    set_story_counts(db, story, len(ids), len(ids))
    return story


def test_detail_carries_the_contract_keys_and_agrees_with_its_article_list(db, settings) -> None:  # type: ignore[no-untyped-def]
    story_id, _outlets, article_ids = add_bridge_story(db)
    refresh_dirty_stories(db, settings)
    with db.read() as conn:
        detail = story_detail(conn, story_id)
    assert detail is not None
    assert BRIEF_KEYS | {"summary", "coverage", "framing", "tags", "headlines_by_side"} <= set(
        detail
    )
    assert [a["id"] for a in detail["articles"]] == article_ids
    for article in detail["articles"]:
        assert set(article) >= ARTICLE_KEYS
    sides = [a["side"] for a in detail["articles"]]
    assert detail["coverage"]["articles_by_side"] == {
        s: sides.count(s) for s in ("left", "center", "right", "unrated")
    }
    assert detail["outlets"] == len({a["outlet_id"] for a in detail["articles"]})
    wire = next(a for a in detail["articles"] if a["outlet_domain"] == "wire.com")
    assert wire["reposted_by"] == 1
    assert detail["explanations"][str(article_ids[0])]["shared_names"] == ["Pittsburgh"]
    assert detail["summary"] and all(b["article_ids"] for b in detail["summary"])
    assert detail["summary_method"] == "extractive" and detail["summary_versions"] == 1


def test_a_merged_story_id_shows_its_survivor(db, settings) -> None:  # type: ignore[no-untyped-def]
    survivor, _outlets, _ids = add_bridge_story(db)
    merged = add_story(db, dirty=False)
    with db.write() as conn:
        conn.execute(update(stories).where(stories.c.id == merged).values(merged_into=survivor))
    with db.read() as conn:
        detail = story_detail(conn, merged)
        assert story_detail(conn, 9999) is None
        assert story_detail(conn, 2**80) is None
        assert story_detail(conn, -1) is None
    assert detail is not None
    assert detail["id"] == survivor and detail["requested_id"] == merged


def test_listing_filters_by_side_country_topic_and_lists_blindspots(db, settings) -> None:  # type: ignore[no-untyped-def]
    bridge, _outlets, _ids = add_bridge_story(db)
    tax = _one_sided_story(db)
    refresh_dirty_stories(db, settings)
    with db.read() as conn:
        everything = list_stories(conn, limit=10)
        assert {s["id"] for s in everything} == {bridge, tax}
        assert all(set(s) >= BRIEF_KEYS for s in everything)
        assert [s["id"] for s in list_stories(conn, limit=10, country="gb")] == [bridge]
        assert [s["id"] for s in list_stories(conn, limit=10, country="AU")] == [tax]
        assert [s["id"] for s in list_stories(conn, limit=10, q="Canberra")] == [tax]
        assert [s["id"] for s in list_stories(conn, limit=10, q="100%_")] == []
        assert {s["id"] for s in list_stories(conn, limit=10, side="left")} == {bridge, tax}
        assert [s["id"] for s in list_stories(conn, limit=10, side="center")] == [bridge]
        recent = list_stories(conn, limit=10, order="recent")
        assert [s["id"] for s in recent] == [tax, bridge]
        assert [s["id"] for s in list_stories(conn, limit=1, offset=1, order="recent")] == [bridge]
        spots = blindspots(conn)
        assert [s["id"] for s in spots] == [tax]
        assert spots[0]["blindspot"] == {
            "side": "left",
            "reason": "1 of 8 rated outlets lean left; 7 lean right",
        }
        assert blindspots(conn, side="right") == []


def test_stories_command_prints_json_briefs_newest_first(db, settings, run_cli) -> None:  # type: ignore[no-untyped-def]
    bridge, _outlets, _ids = add_bridge_story(db)
    tax = _one_sided_story(db)
    refresh_dirty_stories(db, settings)
    result = run_cli("stories", "--json", "--limit", "5")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert [s["id"] for s in found] == [tax, bridge]
    assert found[0]["blindspot"]["side"] == "left"
    table = run_cli("stories")
    assert table.exit_code == 0 and "Canberra" in table.stdout


def test_story_command_prints_the_story_as_json_and_as_a_readable_page(
    db, settings, run_cli
) -> None:  # type: ignore[no-untyped-def]
    story_id, _outlets, _ids = add_bridge_story(db)
    refresh_dirty_stories(db, settings)
    result = run_cli("story", str(story_id), "--json")
    assert result.exit_code == 0, result.stderr
    detail = json.loads(result.stdout)
    assert detail["id"] == story_id and len(detail["articles"]) == 7
    assert {"text", "article_ids"} == set(detail["summary"][0])
    page = run_cli("story", str(story_id))
    assert page.exit_code == 0
    assert detail["headline"] in page.stdout and "Summary" in page.stdout


def test_an_unknown_story_id_is_a_one_line_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("story", "4242", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "newsprism: error: story 4242: no such story (see 'newsprism stories')"
    )


def test_an_article_snippet_starts_where_its_text_does() -> None:
    from newsprism.analyze.views import SNIPPET_CHARS, snippet

    lede = (
        "Ex-Dallas Officer Who Killed Neighbor Is Found Guilty Of Murder\n"
        "Enlarge this image toggle caption Tom Fox/The Dallas Morning News via AP\n"
        "Updated at 6:22 p.m. ET\n"
        "A Dallas jury has found former police Officer Amber Guyger guilty of murder. " * 8
    )
    text = snippet(lede)
    assert text.startswith("A Dallas jury has found") and len(text) <= SNIPPET_CHARS
    assert snippet("短い記事です。") == "短い記事です。"


def test_detail_shows_the_stored_blindspot_whatever_settings_it_is_given(db, settings) -> None:  # type: ignore[no-untyped-def]
    # `newsprism story` passes its settings; the lists show the stored flag. Run with other
    # thresholds than the analysis had, the two must still agree.
    from dataclasses import replace

    story = _one_sided_story(db)
    refresh_dirty_stories(db, settings)
    strict = replace(settings, blindspot_min_outlets=50)
    with db.read() as conn:
        listed = list_stories(conn, limit=10)
        detail = story_detail(conn, story, strict)
    assert detail is not None
    [brief] = [s for s in listed if s["id"] == story]
    assert brief["blindspot"] is not None
    assert detail["blindspot"] == brief["blindspot"]
