"""Outlet pages: each rater's label with a link, their spread, feeds and health, recent stories."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from newsprism.store.web_queries import feed_status_list, list_outlets, store_counts
from newsprism.web.context import render, web_state
from newsprism.web.outlet_data import outlet_detail, profile_dict, profiles
from newsprism.web.routes.common import OutletId, PageQuery, TopicQuery, clean

router = APIRouter(include_in_schema=False)

OUTLETS_PER_PAGE = 50
FEEDS_PER_PAGE = 100


@router.get("/outlets")
def outlets_page(request: Request, q: TopicQuery = None, page: PageQuery = 1) -> Response:
    offset = (page - 1) * OUTLETS_PER_PAGE
    with web_state(request).db.read() as conn:
        rows = list_outlets(conn, limit=OUTLETS_PER_PAGE + 1, offset=offset, q=clean(q))
        found = profiles(conn, [r["id"] for r in rows])
    for row in rows:
        row.update(profile_dict(found.get(row["id"])))
    return render(
        request,
        "outlets.html",
        {
            "outlets": rows[:OUTLETS_PER_PAGE],
            "has_next": len(rows) > OUTLETS_PER_PAGE,
            "page": page,
            "q": clean(q) or "",
        },
    )


@router.get("/outlets/{outlet_id}")
def outlet_page(request: Request, outlet_id: OutletId) -> Response:
    with web_state(request).db.read() as conn:
        outlet = outlet_detail(conn, outlet_id)
    if outlet is None:
        raise HTTPException(status_code=404, detail=f"There is no outlet {outlet_id}.")
    return render(request, "outlet.html", {"outlet": outlet})


@router.get("/sources")
def sources_page(request: Request, page: PageQuery = 1) -> Response:
    """Every feed's health, failing feeds first, each with its last failure reason."""
    offset = (page - 1) * FEEDS_PER_PAGE
    with web_state(request).db.read() as conn:
        rows = feed_status_list(conn, limit=FEEDS_PER_PAGE + 1, offset=offset)
        counts = web_state(request).memo.get("counts", lambda: store_counts(conn))
    return render(
        request,
        "sources.html",
        {
            "feeds": rows[:FEEDS_PER_PAGE],
            "has_next": len(rows) > FEEDS_PER_PAGE,
            "page": page,
            "counts": counts,
        },
    )
