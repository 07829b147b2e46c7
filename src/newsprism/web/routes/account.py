"""Local accounts: register (the first account becomes the admin), sign in, sign out.

The site is fully readable without an account; one only adds a private reading history.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from newsprism.errors import InputError
from newsprism.store.users import User, authenticate, count_users, create_user, end_sessions
from newsprism.web.context import check_csrf, current_user, render, web_state
from newsprism.web.security import SESSION_COOKIE, SESSION_MAX_AGE_S, set_cookie

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login is a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/me"


def _signed_in(request: Request, user: User, target: str | None) -> Response:
    response = RedirectResponse(_safe_next(target), status_code=303)
    cookie = web_state(request).signer.dumps(user.id, user.password_hash, user.session_generation)
    set_cookie(response, request, SESSION_COOKIE, cookie, SESSION_MAX_AGE_S)
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_form(request: Request, next: str = "/me") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login(
    request: Request,
    username: str = Form("", max_length=200),
    password: str = Form("", max_length=1000),
    next: str = Form("/me", max_length=2000),
    csrf_token: str = Form(""),
) -> Response:
    check_csrf(request, csrf_token)
    state = web_state(request)
    # Failures count per client address, and per account from that address: counted per
    # account alone, anyone could lock its owner (the admin too) out by failing on purpose.
    client = _client(request)
    keys = (f"ip:{client}", f"user:{username.strip().lower()}@{client}")
    wait = state.limiter.retry_after(*keys)
    if wait:
        return render(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "username": username,
                "error": f"Too many failed sign-ins. Try again in {max(1, wait // 60)} min.",
            },
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    with state.db.read() as conn:
        user = authenticate(conn, username, password)
    if user is None:
        state.limiter.failed(*keys)
        return render(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "username": username,
                "error": "Wrong username or password.",
            },
            status_code=400,
        )
    state.limiter.succeeded(*keys)
    return _signed_in(request, user, next)


@router.get("/register")
def register_form(request: Request) -> Response:
    with web_state(request).db.read() as conn:
        first = count_users(conn) == 0
    return render(request, "register.html", {"error": None, "username": "", "first": first})


@router.post("/register")
def register(
    request: Request,
    username: str = Form("", max_length=200),
    password: str = Form("", max_length=1000),
    password_again: str = Form("", max_length=1000),
    csrf_token: str = Form(""),
) -> Response:
    check_csrf(request, csrf_token)
    state = web_state(request)
    # Registration hashes a password too: limit it per address like sign-ins.
    key = f"register:{_client(request)}"
    if state.limiter.retry_after(key):
        return render(
            request,
            "register.html",
            {"error": "Too many attempts. Try again later.", "username": username, "first": False},
            status_code=429,
        )
    try:
        if password != password_again:
            raise InputError("the two passwords differ")
        with state.db.write() as conn:
            user = create_user(conn, username, password)
    except InputError as exc:
        state.limiter.failed(key)
        with state.db.read() as conn:
            first = count_users(conn) == 0
        return render(
            request,
            "register.html",
            {"error": str(exc).capitalize(), "username": username, "first": first},
            status_code=400,
        )
    return _signed_in(request, user, "/me")


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    user = current_user(request)
    if user is not None:
        # Not only this browser's cookie: a copy of it taken elsewhere stops working too.
        with web_state(request).db.write() as conn:
            end_sessions(conn, user.id)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
