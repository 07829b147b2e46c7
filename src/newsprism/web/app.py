"""The web application: pages, JSON API and Atom feeds over the store (read-only but for accounts)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism import __version__
from newsprism.config import Settings
from newsprism.models import bias_step_label
from newsprism.store.database import Database
from newsprism.store.dialect import storable_text
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


class StorableQuery:
    """Drops from query strings the characters no text column can hold (a NUL: see
    ``dialect.storable_text``), before any route reads them: ``?q=%00`` is then ``?q=``, the
    empty search every page already takes as no filter, on SQLite as on PostgreSQL, instead of
    a filter that dropped its NUL only when it reached the database."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw: bytes = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if b"%00" in raw or b"\x00" in raw:
            # Read as Starlette reads it; NUL is the one such character that percent-decoding
            # as UTF-8 (with replacement) can produce.
            pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
            cleaned = [(storable_text(key), storable_text(value)) for key, value in pairs]
            scope = {**scope, "query_string": urlencode(cleaned).encode("ascii")}
        await self.app(scope, receive, send)


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
        # An outlet's lean in words, as its articles on story pages give it (web.stories).
        bias_step_label=bias_step_label,
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
    # The contract's rule, feeds included: an Atom reader shows the status, a person the page.
    if _is_api(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    from newsprism.web.context import render

    return render(
        request,
        "error.html",
        {"status": status, "title": _STATUS_TITLES.get(status, "Error"), "message": message},
        status_code=status,
        headers=headers,
    )


def _allowed_methods(request: Request, named: str | None) -> str | None:
    """The Allow header of a 405: every method some route serves at this address (Starlette
    names only the first route that matched the path), and HEAD wherever GET is served, since
    ``HeadAsGet`` answers it there."""
    methods = {m.strip().upper() for m in (named or "").split(",") if m.strip()}
    routes: list[Route] = getattr(request.app.state, "method_routes", [])
    for route in routes:
        if route.methods and route.matches(request.scope)[0] != Match.NONE:
            methods |= route.methods
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods)) or None


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else _STATUS_TITLES.get(exc.status_code)
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = "There is nothing at this address."
        response = _error_response(request, exc.status_code, str(message or "Error"))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        if exc.status_code == 405:
            allow = _allowed_methods(request, response.headers.get("allow"))
            if allow:
                response.headers["Allow"] = allow
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
    # HEAD is turned into GET before anything else sees it, and query strings lose their NULs
    # before kept pages or routes read them.
    app.add_middleware(CachedStoryPages, state=app.state.web)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(StorableQuery)
    app.add_middleware(HeadAsGet)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    modules = (
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
    )
    for module in modules:
        app.include_router(module.router)
    # The routes and their methods, for the Allow header of a 405 (see _allowed_methods).
    app.state.method_routes = [
        route
        for route in (*app.router.routes, *(r for m in modules for r in m.router.routes))
        if isinstance(route, Route)
    ]
    return app
