"""Home: top stories ranked by coverage and recency, with topic, country and side filters."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsprism.store.web_queries import store_counts, story_countries
from newsprism.web.context import render, web_state
from newsprism.web.routes.common import (
    PAGE_SIZE,
    CountryQuery,
    FormSideQuery,
    PageQuery,
    TopicQuery,
    clean,
)
from newsprism.web.stories import blindspot_stories, top_stories

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(
    request: Request,
    q: TopicQuery = None,
    country: CountryQuery = None,
    side: FormSideQuery = None,
    page: PageQuery = 1,
) -> Response:
    topic, country = clean(q), (clean(country) or "").lower() or None
    offset = (page - 1) * PAGE_SIZE
    state = web_state(request)
    with state.db.read() as conn:
        found = state.memo.get(
            ("top", PAGE_SIZE + 1, offset, side, country, topic),
            lambda: top_stories(
                conn, limit=PAGE_SIZE + 1, offset=offset, side=side, country=country, q=topic
            ),
        )
        spots = []
        if page == 1 and not topic:
            spots = state.memo.get(("blindspots", 4), lambda: blindspot_stories(conn, limit=4))
        countries = state.memo.get("countries", lambda: story_countries(conn))
        counts = state.memo.get("counts", lambda: store_counts(conn))
    return render(
        request,
        "home.html",
        {
            "stories": found[:PAGE_SIZE],
            "has_next": len(found) > PAGE_SIZE,
            "page": page,
            "filters": {"q": topic or "", "country": country or "", "side": side or ""},
            "countries": countries,
            "blindspots": spots,
            "counts": counts,
            "filter_params": urlencode(
                {k: v for k, v in (("q", topic), ("country", country), ("side", side)) if v}
            ),
            "search_q": "",
        },
    )
