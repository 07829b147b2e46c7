"""Per-request helpers: the signed-in reader, CSRF checks and page rendering."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from newsprism.store.users import User, get_user
from newsprism.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    SESSION_MAX_AGE_S,
    csrf_cookie_usable,
    new_csrf_cookie,
    same_origin,
    set_cookie,
)
from newsprism.web.state import WebState

_USER_KEY = "newsprism_user"


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def current_user(request: Request) -> User | None:
    """The reader signed in by a valid session cookie, looked up once per request."""
    if _USER_KEY in request.scope:
        user: User | None = request.scope[_USER_KEY]
        return user
    user = None
    cookie = request.cookies.get(SESSION_COOKIE)
    state = web_state(request)
    if cookie:
        parsed = state.signer.loads(cookie)
        if parsed is not None:
            user_id, fingerprint = parsed
            with state.db.read() as conn:
                found = get_user(conn, user_id)
            if found and fingerprint == state.signer.fingerprint(
                found.password_hash, found.session_generation
            ):
                user = found
    request.scope[_USER_KEY] = user
    return user


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise HTTPException(status_code=401, detail="Sign in to see this page.")
    return user


def require_admin(request: Request) -> User:
    user = require_user(request)
    if not user.is_admin:
        raise HTTPException(status_code=403, detail="Only an administrator can do this.")
    return user


def _csrf_cookie(request: Request) -> tuple[str, bool]:
    existing = request.cookies.get(CSRF_COOKIE)
    if existing is not None and csrf_cookie_usable(existing):
        return existing, False
    if "newsprism_csrf_new" not in request.scope:
        request.scope["newsprism_csrf_new"] = new_csrf_cookie()
    return str(request.scope["newsprism_csrf_new"]), True


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse a form post without the token of this browser's CSRF cookie."""
    state = web_state(request)
    if not same_origin(request) or not state.signer.csrf_valid(
        request.cookies.get(CSRF_COOKIE), token
    ):
        raise HTTPException(
            status_code=403,
            detail="The form expired or came from another site. Reload the page and try again.",
        )


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    state = web_state(request)
    cookie, is_new = _csrf_cookie(request)
    page: dict[str, Any] = {
        "request": request,
        "user": current_user(request),
        "csrf_field": CSRF_FIELD,
        "csrf_token": state.signer.csrf_token(cookie),
        "path": request.url.path,
    }
    page.update(context or {})
    response: HTMLResponse = state.templates.TemplateResponse(
        request, template, page, status_code=status_code, headers=headers
    )
    if is_new:
        set_cookie(response, request, CSRF_COOKIE, cookie, SESSION_MAX_AGE_S)
    return response
