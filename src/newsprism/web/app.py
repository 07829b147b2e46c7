"""The web application: pages, JSON API and Atom feeds over the store (read-only but for accounts)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism import __version__
from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.store.users import web_secret_key
from newsprism.web import present
from newsprism.web.security import SECURITY_HEADERS, SessionSigner
from newsprism.web.state import WebState
from newsprism.web.story_cache import CachedStoryPages

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parent

_STATUS_TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    413: "Too large",
    422: "Bad request",
    429: "Too many attempts",
    500: "Something went wrong",
}


class SecurityHeaders:
    """Adds the security headers to every response, errors and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self._headers if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answers HEAD as the GET of the same address without its body (RFC 9110 §9.3.2): FastAPI
    routes a GET handler for GET only, and monitors, load balancers and feed readers probe with
    HEAD."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    env = templates.env
    env.autoescape = True
    env.globals.update(
        version=__version__,
        side_labels=present.SIDE_LABELS,
        side_short=present.SIDE_SHORT,
        side_segments=present.side_segments,
        rated_total=present.rated_total,
        distribution=present.distribution,
        ownership_labels=present.OWNERSHIP_LABELS,
        framing_columns=present.framing_columns,
        tag_list=present.tag_list,
        first_report=present.first_report,
    )
    env.filters.update(
        ago=present.ago,
        iso_time=present.iso_time,
        long_time=present.long_time,
        web_link=present.web_link,
    )
    return templates


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error_response(request: Request, status: int, message: str) -> Response:
    headers = {"Retry-After": "60"} if status == 429 else None
    if _is_api(request) or request.url.path.endswith(".atom"):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    from newsprism.web.context import render

    return render(
        request,
        "error.html",
        {"status": status, "title": _STATUS_TITLES.get(status, "Error"), "message": message},
        status_code=status,
        headers=headers,
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else _STATUS_TITLES.get(exc.status_code)
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = "There is nothing at this address."
        response = _error_response(request, exc.status_code, str(message or "Error"))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body"))
        message = f"{where}: {first.get('msg', 'invalid value')}" if where else "invalid request"
        if not _is_api(request) and any(p == "path" for p in first.get("loc", ())):
            return _error_response(request, 404, "There is nothing at this address.")
        return _error_response(request, 422 if _is_api(request) else 400, message)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        # Log the traceback for the operator; the reader gets a page without internals.
        log.exception("error while serving %s %s", request.method, request.url.path)
        return _error_response(request, 500, "The server hit an error; it has been logged.")


def create_app(settings: Settings, db: Database) -> FastAPI:
    from newsprism.web.routes import (
        account,
        admin,
        api,
        atom_feeds,
        blindspots,
        health,
        home,
        me,
        outlets,
        search,
        stories,
    )

    with db.write() as conn:
        secret = settings.secret_key or web_secret_key(conn)
    app = FastAPI(
        title="newsprism",
        version=__version__,
        description="Stories, outlets and blindspots: the same data as the web pages.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.web = WebState(
        settings=settings, db=db, templates=_templates(), signer=SessionSigner(secret)
    )
    _install_error_handlers(app)
    # Middleware added last runs first: the security headers wrap the kept-page answers too,
    # and HEAD is turned into GET before anything else sees it.
    app.add_middleware(CachedStoryPages, state=app.state.web)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    for module in (
        home,
        stories,
        blindspots,
        outlets,
        search,
        me,
        account,
        admin,
        api,
        atom_feeds,
        health,
    ):
        app.include_router(module.router)
    return app
