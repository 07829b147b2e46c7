"""Liveness for load balancers and monitors: the store answers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from newsprism import __version__
from newsprism.web.context import web_state

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/healthz", response_model=Health, responses={503: {"description": "Store down"}})
def healthz(request: Request) -> JSONResponse:
    state = web_state(request)
    try:
        with state.db.read() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any store failure means "not healthy", never a 500 page
        return JSONResponse(
            {"status": "error", "version": __version__, "database": type(exc).__name__},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "version": __version__, "database": state.db.dialect})
