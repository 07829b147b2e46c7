"""Blindspots: stories one side barely covers, for each side, with each flag's reason."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsprism.web.context import render, web_state
from newsprism.web.routes.common import FormSideQuery
from newsprism.web.stories import blindspot_stories

router = APIRouter(include_in_schema=False)

BLINDSPOTS_PER_SIDE = 30


@router.get("/blindspots")
def blindspots_page(request: Request, side: FormSideQuery = None) -> Response:
    sides = [side] if side in ("left", "right") else ["left", "right"]
    with web_state(request).db.read() as conn:
        groups = {s: blindspot_stories(conn, side=s, limit=BLINDSPOTS_PER_SIDE) for s in sides}
    return render(request, "blindspots.html", {"groups": groups, "side": side or ""})
