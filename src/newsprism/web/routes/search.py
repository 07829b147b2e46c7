"""Full-text search over articles, grouped by the story each one belongs to."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from newsprism.store.dialect import search_article_ids, search_story_matches
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
# Matching articles listed with the stories of one page, at most: a story brings every article
# of it that matches, wherever it ranks, up to this many for the whole page.
MAX_PAGE_MATCHES = MAX_HITS
# Matching articles a search page shows with each story; it links to the story for the others.
MATCHES_SHOWN = 3


def search_results(
    conn: Connection, q: str, *, limit: int, offset: int, shown_matches: int | None = None
) -> dict[str, Any]:
    """Results ``offset`` to ``offset + limit`` of the search: matching stories (each with all
    the articles of it that match, best first) and matching articles in no story.

    ``shown_matches``: how many of a story's matching articles to give in full; the others are
    only counted (``more_matches``). None gives them all.

    Results are ranked by their best matching article and the page is cut from that list of
    results, not from the list of article hits: a story whose matching articles rank far apart
    would otherwise come back on every page that holds one of them. Its other matching articles
    are then read for the stories on the page alone, in one query, so that none is lost with
    the hits beyond those that filled the page.
    """
    wanted = offset + limit + 1  # one more tells whether another page follows
    results: list[tuple[str, int]] = []  # ("story", story id) or ("article", article id)
    found: dict[int, dict[str, Any]] = {}  # the article hits read, by article id
    read_for: dict[int, list[int]] = {}  # story id -> its hits read, best first
    read = 0
    while len(results) < wanted and read < MAX_HITS:
        ids = search_article_ids(conn, q, limit=min(HITS_PER_READ, MAX_HITS - read), offset=read)
        read += len(ids)
        for hit in article_hits(conn, list(ids)):
            found[hit["id"]] = hit
            story_id = hit["story_id"]
            if story_id is None:
                results.append(("article", hit["id"]))
            elif story_id in read_for:
                read_for[story_id].append(hit["id"])
            else:
                read_for[story_id] = [hit["id"]]
                results.append(("story", story_id))
        if len(ids) < HITS_PER_READ:
            break
    page = results[offset : offset + limit]
    story_ids = [key for kind, key in page if kind == "story"]
    matches = _story_matches(conn, q, story_ids, read_for, found, shown_matches)
    briefs = story_briefs(conn, story_ids)
    return {
        "stories": [{**briefs[i], **matches[i]} for i in story_ids if i in briefs],
        "articles": [found[key] for kind, key in page if kind == "article"],
        "has_next": len(results) > offset + limit,
    }


def _story_matches(
    conn: Connection,
    q: str,
    story_ids: list[int],
    read_for: dict[int, list[int]],
    found: dict[int, dict[str, Any]],
    shown: int | None,
) -> dict[int, dict[str, Any]]:
    """Each story's matching articles, best first (``matches``, the first ``shown`` of them in
    full) and how many more match (``more_matches``): the store's matches of the stories, and
    the hits already read that name a story only through a merge."""
    ranked: dict[int, list[int]] = {story_id: [] for story_id in story_ids}
    for article_id, story_id in search_story_matches(conn, q, story_ids, MAX_PAGE_MATCHES):
        ranked[story_id].append(article_id)
    for story_id, ids in ranked.items():
        seen = set(ids)
        ids += [i for i in read_for.get(story_id, []) if i not in seen]
    missing = [i for ids in ranked.values() for i in ids[:shown] if i not in found]
    for hit in article_hits(conn, missing):
        found[hit["id"]] = hit
    matches: dict[int, dict[str, Any]] = {}
    for story_id, ids in ranked.items():
        listed = [{**found[i], "story_id": story_id} for i in ids[:shown] if i in found]
        matches[story_id] = {"matches": listed, "more_matches": len(ids) - len(listed)}
    return matches


@router.get("/search")
def search_page(request: Request, q: TopicQuery = None, page: PageQuery = 1) -> Response:
    query = clean(q)
    results: dict[str, Any] = {"stories": [], "articles": [], "has_next": False}
    if query:
        with web_state(request).db.read() as conn:
            results = search_results(
                conn,
                query,
                limit=RESULTS_PER_PAGE,
                offset=(page - 1) * RESULTS_PER_PAGE,
                shown_matches=MATCHES_SHOWN,
            )
    return render(
        request, "search.html", {"q": query or "", "search_q": query or "", "page": page, **results}
    )
