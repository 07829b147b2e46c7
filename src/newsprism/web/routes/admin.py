"""Administration through the browser: adding sources and importing rater data (admins only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from newsprism.errors import NewsprismError
from newsprism.web.context import check_csrf, render, require_admin, web_state

router = APIRouter(include_in_schema=False)


def _page(request: Request, **context: Any) -> Response:
    status = int(context.pop("status_code", 200))
    base = {"message": None, "error": None, "url": "", "outlet": ""}
    return render(request, "admin.html", {**base, **context}, status_code=status)


@router.get("/admin")
def admin_page(request: Request) -> Response:
    require_admin(request)
    return _page(request)


@router.post("/admin/sources")
def add_source_form(
    request: Request,
    url: str = Form("", max_length=2048),
    outlet: str = Form("", max_length=255),
    csrf_token: str = Form(""),
) -> Response:
    check_csrf(request, csrf_token)
    require_admin(request)
    from newsprism.ingest.discover import add_source

    state = web_state(request)
    try:
        added = add_source(state.db, state.settings, url.strip(), outlet.strip() or None)
    except NewsprismError as exc:
        return _page(request, error=str(exc), url=url, outlet=outlet, status_code=400)
    feed_url = getattr(added, "feed_url", None) or getattr(added, "url", url)
    return _page(request, message=f"Added feed {feed_url}.")
