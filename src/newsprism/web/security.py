"""Sessions, CSRF tokens, login rate limiting and the security headers of every response."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "np_session"
CSRF_COOKIE = "np_csrf"
CSRF_FIELD = "csrf_token"
# Thirty days: a reader's own server, where logging in again every day would be a nuisance.
SESSION_MAX_AGE_S = 30 * 24 * 3600

# No inline script or style anywhere: the pages and charts are built to need none, so the
# policy can forbid both, which blocks injected markup even if escaping ever failed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


class SessionSigner:
    """Signed session cookies carrying the user id and a fingerprint of the password hash and
    the account's session generation.

    Changing the password, signing out or deleting the account invalidates every older cookie,
    without a session table.
    """

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="newsprism.session")
        self._csrf_key = hashlib.sha256(("csrf:" + secret).encode()).digest()

    @staticmethod
    def fingerprint(password_hash: str, generation: int = 0) -> str:
        # The account's session generation rises on sign-out, ending every older cookie.
        material = password_hash if not generation else f"{password_hash}#{generation}"
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    def dumps(self, user_id: int, password_hash: str, generation: int = 0) -> str:
        fingerprint = self.fingerprint(password_hash, generation)
        return self._serializer.dumps({"u": user_id, "h": fingerprint})

    def loads(self, cookie: str) -> tuple[int, str] | None:
        try:
            data: Any = self._serializer.loads(cookie, max_age=SESSION_MAX_AGE_S)
        except (BadSignature, ValueError, TypeError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("u"), int):
            return None
        return int(data["u"]), str(data.get("h", ""))

    def csrf_token(self, csrf_cookie: str) -> str:
        """The form token bound to the browser's CSRF cookie by an HMAC.

        A plain double-submit cookie can be planted by a sibling subdomain; the HMAC needs the
        server's secret, which an attacker does not have.
        """
        return hmac.new(self._csrf_key, csrf_cookie.encode(), hashlib.sha256).hexdigest()

    def csrf_valid(self, csrf_cookie: str | None, token: str | None) -> bool:
        if not csrf_cookie or not token:
            return False
        return hmac.compare_digest(self.csrf_token(csrf_cookie), token)


def new_csrf_cookie() -> str:
    return secrets.token_urlsafe(32)


def csrf_cookie_usable(cookie: str | None) -> bool:
    """A browser's CSRF cookie is kept when it looks like one we issued; else a new one is set."""
    return cookie is not None and 20 <= len(cookie) <= 100


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        secure=is_https(request),
        samesite="lax" if name == SESSION_COOKIE else "strict",
        path="/",
    )


def same_origin(request: Request) -> bool:
    """Browsers send Origin on form posts; one from another site is refused outright."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


class LoginLimiter:
    """Failed logins per key (client address, username) in a sliding window, in memory.

    Five failures in fifteen minutes stops guessing at human speed without locking out a reader
    who mistypes; counts live in this process only, which suits a self-hosted server.
    """

    def __init__(self, max_failures: int = 5, window_s: float = 900.0) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def retry_after(self, *keys: str) -> int:
        """Seconds until another attempt is allowed for these keys (0 when it is allowed)."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    wait = max(wait, self.window_s - (now - times[0]))
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:
                # Bound memory under a flood of distinct keys: keep only keys still in window.
                self._failures = {k: v for k, v in self._failures.items() if v}

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
