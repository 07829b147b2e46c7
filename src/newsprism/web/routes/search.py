"""Full-text search over articles, grouped by the story each one belongs to."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from newsprism.store.dialect import search_article_ids
from newsprism.store.web_queries import article_hits, story_briefs
from newsprism.web.context import render, web_state
from newsprism.web.routes.common import PageQuery, TopicQuery, clean

router = APIRouter(include_in_schema=False)

# Articles looked at per page of results; grouped by story they make fewer entries.
HITS_PER_PAGE = 60


def search_results(conn: Connection, q: str, *, limit: int, offset: int) -> dict[str, Any]:
    """Matching stories (with the articles that matched) and matching articles in no story."""
    ids = search_article_ids(conn, q, limit=limit + 1, offset=offset)
    hits = article_hits(conn, list(ids[:limit]))
    order: list[int] = []
    grouped: dict[int, list[dict[str, Any]]] = {}
    loose = []
    for hit in hits:
        story_id = hit["story_id"]
        if story_id is None:
            loose.append(hit)
            continue
        if story_id not in grouped:
            order.append(story_id)
            grouped[story_id] = []
        grouped[story_id].append(hit)
    briefs = story_briefs(conn, order)
    stories = [{**briefs[sid], "matches": grouped[sid]} for sid in order if sid in briefs]
    return {"stories": stories, "articles": loose, "has_next": len(ids) > limit}


@router.get("/search")
def search_page(request: Request, q: TopicQuery = None, page: PageQuery = 1) -> Response:
    query = clean(q)
    results: dict[str, Any] = {"stories": [], "articles": [], "has_next": False}
    if query:
        with web_state(request).db.read() as conn:
            results = search_results(
                conn, query, limit=HITS_PER_PAGE, offset=(page - 1) * HITS_PER_PAGE
            )
    return render(
        request, "search.html", {"q": query or "", "search_q": query or "", "page": page, **results}
    )
