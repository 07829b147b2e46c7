"""Administration through the browser: adding sources and importing rater data (admins only)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from newsprism.errors import NewsprismError
from newsprism.models import counted
from newsprism.web.context import check_csrf, render, require_admin, web_state
from newsprism.web.page_cache import Memo

router = APIRouter(include_in_schema=False)


def _page(request: Request, **context: Any) -> Response:
    status = int(context.pop("status_code", 200))
    from newsprism.registry.importers import PROVIDERS

    base = {"message": None, "error": None, "url": "", "outlet": "", "providers": PROVIDERS}
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
    verb = "Added" if added.created else "Already following"
    found = " (found on the page you gave)" if added.discovered else ""
    return _page(
        request,
        message=f"{verb} feed {added.feed_url}{found} for {added.outlet_domain}: "
        f"{counted(added.entries, 'entry', 'entries')} now.",
    )


# Raters' files are a few MB (MBFC's full export is ~4 MB); 64 MB leaves room and bounds abuse.
MAX_RATINGS_UPLOAD = 64 * 1024 * 1024


def _upload_name(filename: str | None) -> str:
    """A safe file name that keeps the suffix and date the importers read from the name."""
    name = Path(filename or "ratings").name
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)[-120:] or "ratings"


@router.post("/admin/ratings")
def import_ratings_form(
    request: Request,
    file: Annotated[UploadFile, File(description="The rater's data file")],
    provider: str = Form("", max_length=32),
    csrf_token: str = Form(""),
) -> Response:
    check_csrf(request, csrf_token)
    require_admin(request)
    from newsprism.registry.importers import PROVIDERS
    from newsprism.registry.ratings import import_ratings
    from newsprism.store.story_pages import mark_outlets_for_analysis, rated_outlet_ids

    if provider not in PROVIDERS:
        return _page(
            request, error=f"provider: choose one of {', '.join(PROVIDERS)}", status_code=400
        )
    state = web_state(request)
    with tempfile.TemporaryDirectory(prefix="newsprism-ratings-") as folder:
        path = Path(folder) / _upload_name(file.filename)
        size = 0
        with path.open("wb") as out:
            while chunk := file.file.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_RATINGS_UPLOAD:
                    return _page(
                        request,
                        error=f"{file.filename}: larger than {MAX_RATINGS_UPLOAD // 2**20} MB",
                        status_code=413,
                    )
                out.write(chunk)
        with state.db.read() as conn:
            rated_before = rated_outlet_ids(conn, provider)
        try:
            report = import_ratings(state.db, provider, path)
        except NewsprismError as exc:
            return _page(request, error=str(exc), status_code=400)
    with state.db.write() as conn:
        # Stories of outlets rated before or now show other figures: the next refresh (in
        # `run` or `poll`) analyses them again, as after `newsprism ratings import`.
        marked = mark_outlets_for_analysis(conn, rated_before | rated_outlet_ids(conn, provider))
    # Story pages and listings kept by this process show the old ratings: drop them.
    state.page_cache.clear()
    state.memo = Memo()
    message = (
        f"{provider}: {counted(report.rows, 'row')}, {report.matched} matched, "
        f"{report.ambiguous} ambiguous, {report.unknown} unknown; {report.stored} stored."
    )
    if marked:
        message += (
            f" {counted(marked, 'story', 'stories')} will be analysed again at the next polling "
            "cycle (newsprism run or poll); story listings show the new ratings from then on."
        )
    return _page(request, message=message)
