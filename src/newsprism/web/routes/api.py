"""The JSON API: the same data as the pages, paginated, documented in /openapi.json."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from newsprism.store.stories import resolve_story_id
from newsprism.store.web_queries import list_outlets
from newsprism.web import api_models as m
from newsprism.web.context import web_state
from newsprism.web.outlet_data import outlet_detail, profile_dict, profiles
from newsprism.web.routes.common import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    CountryQuery,
    OutletId,
    SideQuery,
    StoryId,
    TopicQuery,
    clean,
)
from newsprism.web.routes.search import search_results
from newsprism.web.stories import blindspot_stories, story, top_stories

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": m.ErrorOut, "description": "Not found"},
    422: {"model": m.ErrorOut, "description": "Invalid parameter"},
}
REDIRECT: dict[int | str, dict[str, Any]] = {
    301: {"description": "Merged story: redirect to the story it was merged into"}
}

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)

LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]
OffsetQuery = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]


def _next(offset: int, limit: int, fetched: int) -> int | None:
    return offset + limit if fetched > limit else None


def _page(rows: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """One page of ``rows``, which were fetched with one extra row to tell if a next page exists."""
    return {
        "items": rows[:limit],
        "limit": limit,
        "offset": offset,
        "next_offset": _next(offset, limit, len(rows)),
    }


@router.get("/stories", response_model=m.StoryPage, summary="Top stories")
def api_stories(
    request: Request,
    limit: LimitQuery = PAGE_SIZE,
    offset: OffsetQuery = 0,
    side: SideQuery = None,
    country: CountryQuery = None,
    q: TopicQuery = None,
) -> dict[str, Any]:
    state = web_state(request)
    country, topic = (clean(country) or "").lower() or None, clean(q)
    with state.db.read() as conn:
        rows = state.memo.get(
            ("top", limit + 1, offset, side, country, topic),
            lambda: top_stories(
                conn, limit=limit + 1, offset=offset, side=side, country=country, q=topic
            ),
        )
    return _page(rows, limit, offset)


@router.get(
    "/stories/{story_id}",
    response_model=m.StoryDetail,
    summary="One story with summary, articles and coverage",
    responses=REDIRECT,
)
def api_story(request: Request, story_id: StoryId) -> Any:
    with web_state(request).db.read() as conn:
        survivor = resolve_story_id(conn, story_id)
        if survivor is not None and survivor != story_id:
            return RedirectResponse(f"/api/stories/{survivor}", status_code=301)
        detail = story(conn, story_id) if survivor is not None else None
    if detail is None:
        raise HTTPException(status_code=404, detail=f"no story {story_id}")
    return detail


@router.get("/blindspots", response_model=m.StoryPage, summary="Stories one side barely covers")
def api_blindspots(
    request: Request,
    limit: LimitQuery = PAGE_SIZE,
    offset: OffsetQuery = 0,
    side: SideQuery = None,
) -> dict[str, Any]:
    with web_state(request).db.read() as conn:
        rows = blindspot_stories(conn, side=side, limit=offset + limit + 1)
    page = rows[offset : offset + limit + 1]
    return {
        "items": page[:limit],
        "limit": limit,
        "offset": offset,
        "next_offset": _next(offset, limit, len(page)),
    }


@router.get("/outlets", response_model=m.OutletPage, summary="Outlets with their ratings")
def api_outlets(
    request: Request,
    limit: LimitQuery = PAGE_SIZE,
    offset: OffsetQuery = 0,
    q: TopicQuery = None,
) -> dict[str, Any]:
    with web_state(request).db.read() as conn:
        rows = list_outlets(conn, limit=limit + 1, offset=offset, q=clean(q))
        found = profiles(conn, [r["id"] for r in rows])
    for row in rows:
        row.update(profile_dict(found.get(row["id"])))
    return _page(rows, limit, offset)


@router.get(
    "/outlets/{outlet_id}",
    response_model=m.OutletDetail,
    summary="One outlet: every rater, feeds and their health, recent stories",
)
def api_outlet(request: Request, outlet_id: OutletId) -> dict[str, Any]:
    with web_state(request).db.read() as conn:
        outlet = outlet_detail(conn, outlet_id)
    if outlet is None:
        raise HTTPException(status_code=404, detail=f"no outlet {outlet_id}")
    return outlet


@router.get("/search", response_model=m.SearchPage, summary="Full-text search over articles")
def api_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to find.")],
    limit: LimitQuery = PAGE_SIZE,
    offset: OffsetQuery = 0,
) -> dict[str, Any]:
    with web_state(request).db.read() as conn:
        found = search_results(conn, q, limit=limit, offset=offset)
    return {
        "query": q,
        "stories": found["stories"],
        "articles": found["articles"],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if found["has_next"] else None,
    }
