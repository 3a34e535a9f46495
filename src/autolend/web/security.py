"""Cookies, CSRF tokens, safe redirects and the security headers of web responses.

- The session cookie ``autolend_session`` holds the session token only (the server keeps a
  hash of it); it is HttpOnly, SameSite=Lax, Path=/ and Secure unless configured otherwise.
- Every state-changing request of a signed-in user carries the session's CSRF token, as the
  form field ``csrf_token`` or the header ``X-CSRF-Token`` (HTMX); the sign-in form, which has
  no session yet, uses a double-submit cookie ``autolend_csrf``.
- ``next`` after sign-in is only ever a path on this site (no open redirect).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "autolend_session"
LOGIN_CSRF_COOKIE = "autolend_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LOGIN_CSRF_MAX_AGE = 2 * 3600
MAX_NEXT_LENGTH = 2048

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: Mapping[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def tokens_match(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; a missing or empty token never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def new_login_csrf() -> str:
    """A fresh random value for the sign-in form's double-submit cookie."""
    return secrets.token_urlsafe(32)


def safe_next(target: str | None, default: str = "/") -> str:
    """``target`` if it is a plain path on this site, else ``default``.

    >>> safe_next("/customers/3?tab=loans")
    '/customers/3?tab=loans'
    >>> safe_next("//evil.example/x"), safe_next("https://evil.example/"), safe_next("/\\\\evil")
    ('/', '/', '/')
    """
    if not target or len(target) > MAX_NEXT_LENGTH:
        return default
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def set_session_cookie(
    response: Response, token: str, expires_at: datetime, now: datetime, *, secure: bool
) -> None:
    """Attach the session cookie; it lives exactly as long as the server-side session."""
    max_age = max(int((expires_at - now).total_seconds()), 0)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, *, secure: bool) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")


def set_login_csrf_cookie(response: Response, value: str, *, secure: bool) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        value,
        max_age=LOGIN_CSRF_MAX_AGE,
        path="/login",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


def clear_login_csrf_cookie(response: Response, *, secure: bool) -> None:
    response.delete_cookie(
        LOGIN_CSRF_COOKIE, path="/login", secure=secure, httponly=True, samesite="strict"
    )


def is_web_path(path: str) -> bool:
    """Paths served by the web UI (everything but the JSON API and its docs)."""
    return not (path == "/api" or path.startswith("/api/"))


class SecurityHeadersMiddleware:
    """Pure ASGI middleware adding the security headers to every web (non-API) response.

    HTML pages are also marked ``Cache-Control: no-store`` so that a signed-out browser's back
    button cannot show personal data from its cache.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_web_path(scope.get("path", "")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html") and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
