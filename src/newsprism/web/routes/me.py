"""'My news bias': the signed-in reader's own reading history, with export and delete."""

from __future__ import annotations

import json

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from newsprism.store.users import delete_reading_history, reading_history_rows
from newsprism.web.context import check_csrf, current_user, render, require_user, web_state
from newsprism.web.reading import export_document, summarize_history

router = APIRouter(include_in_schema=False)


@router.get("/me")
def me_page(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return render(request, "me.html", {"history": None})
    with web_state(request).db.read() as conn:
        rows = reading_history_rows(conn, user.id)
    return render(request, "me.html", {"history": summarize_history(rows)})


@router.get("/me/export.json")
def me_export(request: Request) -> Response:
    user = require_user(request)
    with web_state(request).db.read() as conn:
        rows = reading_history_rows(conn, user.id)
    body = json.dumps(export_document(user.username, rows), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="newsprism-history-{user.username}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/me/delete")
def me_delete(request: Request, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    user = require_user(request)
    with web_state(request).db.write() as conn:
        delete_reading_history(conn, user.id)
    return RedirectResponse("/me?deleted=1", status_code=303)
