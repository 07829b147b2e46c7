"""Anonymous story pages answered from the page cache before the routing stack.

A story page is assembled and rendered by ``routes.stories`` and kept, for readers who are not
signed in, until the story changes (see ``page_cache``). Serving a kept page still went through
FastAPI's routing, parameter validation and a worker-thread hop, which cost more than the page
itself under concurrent load. ``CachedStoryPages`` answers those requests directly: one
primary-key lookup of the story's version, then the kept bytes. Everything it cannot answer
with certainty (a session cookie, an unusual query string, a merged or unknown story, a page
not yet kept) goes down the usual route, which also fills the cache.

It sits inside ``SecurityHeaders``, so its responses carry the same headers as routed ones, and
it sets the CSRF cookie exactly as a rendered page does for a browser that lacks one.
"""

from __future__ import annotations

import functools
import re

import anyio
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from newsprism.web.security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_MAX_AGE_S,
    csrf_cookie_usable,
    new_csrf_cookie,
    set_cookie,
)
from newsprism.web.state import WebState

# Ids are positive 32-bit integers written without leading zeros (see routes.common.MAX_ID).
_STORY_PATH = re.compile(r"/stories/([1-9][0-9]{0,9})")
_MAX_ID = 2**31 - 1

# The query strings the site's own links produce, with the (side, show all) they mean; any
# other spelling is parsed and validated by the route instead.
_QUERIES: dict[bytes, tuple[str, bool]] = {b"": ("", False), b"all=true": ("", True)}
for _side in ("left", "center", "right"):
    _QUERIES[f"side={_side}".encode()] = (_side, False)
    _QUERIES[f"side={_side}&all=true".encode()] = (_side, True)


class CachedStoryPages:
    """ASGI layer serving kept anonymous story pages without the routing stack."""

    def __init__(self, app: ASGIApp, state: WebState) -> None:
        self.app = app
        self.state = state
        self.versions = state.story_versions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            page = _story_page_asked(scope)
            if page is not None:
                request, story_id, side, show_all = page
                body = await self._kept_page(story_id, side, show_all)
                if body is not None:
                    await render_kept_page(request, body)(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    async def _kept_page(self, story_id: int, side: str, show_all: bool) -> bytes | None:
        # A primary-key read: on SQLite it is cheaper inline than a hop to a worker thread; a
        # database across the network is asked from one.
        if self.versions.inline:
            key = self.versions.page_key(story_id, side, show_all)
        else:
            key = await anyio.to_thread.run_sync(self.versions.page_key, story_id, side, show_all)
        return None if key is None else self.state.page_cache.get(key)


def render_kept_page(request: Request, body: bytes) -> HTMLResponse:
    """A kept page as the route renders it, the CSRF cookie set for a browser without one."""
    response = HTMLResponse(body)
    if not csrf_cookie_usable(request.cookies.get(CSRF_COOKIE)):
        https = request.scope.get("scheme") == "https"  # as security.is_https, without a URL
        header = _csrf_cookie_header(https).replace(_TOKEN_SLOT, new_csrf_cookie())
        response.raw_headers.append((b"set-cookie", header.encode("latin-1")))
    return response


_TOKEN_SLOT = "TOKENSLOT"


@functools.cache
def _csrf_cookie_header(https: bool) -> str:
    """The Set-Cookie value ``security.set_cookie`` writes for a CSRF cookie, with a slot for
    the token: formatting a cookie anew for every kept page cost as much as sending it."""
    scope: Scope = {
        "type": "http",
        "scheme": "https" if https else "http",
        "path": "/",
        "headers": [],
        "query_string": b"",
    }
    response = Response()
    set_cookie(response, Request(scope), CSRF_COOKIE, _TOKEN_SLOT, SESSION_MAX_AGE_S)
    return next(v.decode("latin-1") for k, v in response.raw_headers if k == b"set-cookie")


def _story_page_asked(scope: Scope) -> tuple[Request, int, str, bool] | None:
    """(request, story id, side, show all) of an anonymous story page request, else None."""
    match = _STORY_PATH.fullmatch(scope["path"])
    if match is None:
        return None
    query = _QUERIES.get(scope.get("query_string", b""))
    story_id = int(match.group(1))
    if query is None or story_id > _MAX_ID:
        return None
    request = Request(scope)
    if SESSION_COOKIE in request.cookies:
        # A session cookie, even an expired one, is for the route to judge.
        return None
    return request, story_id, query[0], query[1]
