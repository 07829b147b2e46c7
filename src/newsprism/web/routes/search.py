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

# Results per page: a result is a story (with its matching articles) or an article in no story.
RESULTS_PER_PAGE = 20
# Ranked article hits read per look-up, and at most in all: results past that many hits are
# not offered (a search is refined long before), which bounds the work of a deep page.
HITS_PER_READ = 200
MAX_HITS = 5_000


def search_results(conn: Connection, q: str, *, limit: int, offset: int) -> dict[str, Any]:
    """Results ``offset`` to ``offset + limit`` of the search: matching stories (each with the
    articles that matched) and matching articles in no story.

    Results are ranked by their best matching article and the page is cut from that list of
    results, not from the list of article hits: a story whose matching articles rank far apart
    would otherwise come back on every page that holds one of them.
    """
    wanted = offset + limit + 1  # one more tells whether another page follows
    results: list[tuple[str, int]] = []  # ("story", story id) or ("article", article id)
    matches: dict[int, list[dict[str, Any]]] = {}
    loose: dict[int, dict[str, Any]] = {}
    read = 0
    while len(results) < wanted and read < MAX_HITS:
        ids = search_article_ids(conn, q, limit=min(HITS_PER_READ, MAX_HITS - read), offset=read)
        read += len(ids)
        for hit in article_hits(conn, list(ids)):
            story_id = hit["story_id"]
            if story_id is None:
                loose[hit["id"]] = hit
                results.append(("article", hit["id"]))
            elif story_id in matches:
                matches[story_id].append(hit)
            else:
                matches[story_id] = [hit]
                results.append(("story", story_id))
        if len(ids) < HITS_PER_READ:
            break
    page = results[offset : offset + limit]
    story_ids = [key for kind, key in page if kind == "story"]
    briefs = story_briefs(conn, story_ids)
    return {
        "stories": [{**briefs[i], "matches": matches[i]} for i in story_ids if i in briefs],
        "articles": [loose[key] for kind, key in page if kind == "article"],
        "has_next": len(results) > offset + limit,
    }


@router.get("/search")
def search_page(request: Request, q: TopicQuery = None, page: PageQuery = 1) -> Response:
    query = clean(q)
    results: dict[str, Any] = {"stories": [], "articles": [], "has_next": False}
    if query:
        with web_state(request).db.read() as conn:
            results = search_results(
                conn, query, limit=RESULTS_PER_PAGE, offset=(page - 1) * RESULTS_PER_PAGE
            )
    return render(
        request, "search.html", {"q": query or "", "search_q": query or "", "page": page, **results}
    )
