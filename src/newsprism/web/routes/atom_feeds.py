"""Atom feeds out: top stories, blindspots, and the articles of one story."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsprism.models import counted
from newsprism.web.atom import ATOM_MEDIA_TYPE, Entry, atom_document
from newsprism.web.context import web_state
from newsprism.web.present import parse_time, rated_total, web_link
from newsprism.web.routes.common import StoryId
from newsprism.web.routes.stories import load_story_or_redirect
from newsprism.web.stories import blindspot_stories, outlet_name, top_stories

router = APIRouter(include_in_schema=False)

FEED_ITEMS = 50


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _coverage_line(item: dict[str, Any]) -> str:
    bias = item.get("bias") or {}
    line = (
        f"{counted(item.get('articles', 0), 'article')} from "
        f"{counted(item.get('outlets', 0), 'outlet')}. "
        f"Left {bias.get('left', 0)}, center {bias.get('center', 0)}, "
        f"right {bias.get('right', 0)}"
    )
    if bias.get("unrated"):
        line += f", unrated {bias['unrated']}"
    if not rated_total(bias):
        line += " (no rated outlets yet)"
    blindspot = item.get("blindspot")
    if isinstance(blindspot, dict) and blindspot.get("reason"):
        line += f". Blindspot for the {blindspot.get('side')}: {blindspot['reason']}"
    return line + "."


def _story_entries(request: Request, stories: list[dict[str, Any]]) -> list[Entry]:
    base = _base(request)
    return [
        Entry(
            id=f"{base}/stories/{s['id']}",
            title=str(s.get("headline") or f"Story {s['id']}"),
            link=f"{base}/stories/{s['id']}",
            updated=parse_time(s.get("last_updated")),
            published=parse_time(s.get("first_published")),
            summary=_coverage_line(s),
        )
        for s in stories
    ]


def _atom(body: bytes) -> Response:
    return Response(body, media_type=ATOM_MEDIA_TYPE, headers={"Cache-Control": "max-age=300"})


@router.get("/feeds/top.atom")
def top_feed(request: Request) -> Response:
    state = web_state(request)
    with state.db.read() as conn:
        stories = state.memo.get(("top-feed",), lambda: top_stories(conn, limit=FEED_ITEMS))
    base = _base(request)
    return _atom(
        atom_document(
            feed_id=f"{base}/feeds/top.atom",
            title="newsprism: top stories",
            self_url=f"{base}/feeds/top.atom",
            alternate_url=f"{base}/",
            entries=_story_entries(request, stories),
        )
    )


@router.get("/feeds/blindspots.atom")
def blindspots_feed(request: Request) -> Response:
    with web_state(request).db.read() as conn:
        stories = blindspot_stories(conn, limit=FEED_ITEMS)
    base = _base(request)
    return _atom(
        atom_document(
            feed_id=f"{base}/feeds/blindspots.atom",
            title="newsprism: blindspots",
            self_url=f"{base}/feeds/blindspots.atom",
            alternate_url=f"{base}/blindspots",
            entries=_story_entries(request, stories),
        )
    )


@router.get("/feeds/stories/{story_id}.atom")
def story_feed(request: Request, story_id: StoryId) -> Response:
    found = load_story_or_redirect(request, story_id, "/feeds/stories/{id}.atom")
    if isinstance(found, Response):
        return found
    base = _base(request)
    entries = [
        Entry(
            id=f"{base}/stories/{story_id}#article-{a.get('id')}",
            title=str(a.get("title") or ""),
            link=web_link(a.get("url")) or f"{base}/stories/{story_id}",
            updated=parse_time(a.get("published")),
            published=parse_time(a.get("published")),
            author=outlet_name(a),
            summary=str(a.get("snippet") or ""),
        )
        for a in found.get("articles") or []
        if isinstance(a, dict)
    ]
    return _atom(
        atom_document(
            feed_id=f"{base}/stories/{story_id}",
            title=f"newsprism: {found.get('headline') or f'story {story_id}'}",
            self_url=f"{base}/feeds/stories/{story_id}.atom",
            alternate_url=f"{base}/stories/{story_id}",
            entries=entries,
        )
    )
