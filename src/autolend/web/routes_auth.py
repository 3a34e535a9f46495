"""Sign-in, sign-out and the language switch.

Sign-in answers the same friendly message for an unknown user and a wrong password (no user
enumeration); a locked account gets the lock-out message. The sign-in form is protected by
a double-submit cookie because there is no session yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from autolend.domain.errors import AuthenticationFailed, TooManyAttempts
from autolend.web.deps import (
    CsrfCheckedDep,
    CsrfRejected,
    SignInRequired,
    WebState,
    WebStateDep,
    current_session,
)
from autolend.web.i18n import LANG_COOKIE, locale_of_tag
from autolend.web.security import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    clear_login_csrf_cookie,
    clear_session_cookie,
    new_login_csrf,
    safe_next,
    set_login_csrf_cookie,
    set_session_cookie,
    tokens_match,
)

router = APIRouter(include_in_schema=False)
MAX_USERNAME = 64
MAX_PASSWORD = 1024
LANG_MAX_AGE = 365 * 86_400
LOGIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,128}")


@dataclass(frozen=True)
class SignInForm:
    username: str
    password: str
    next: str


async def sign_in_form(request: Request) -> SignInForm:
    """The posted sign-in form, once its double-submit CSRF token checks out."""
    form = await request.form()
    values = {key: form.get(key) for key in ("username", "password", "next", CSRF_FIELD)}
    text = {key: value if isinstance(value, str) else "" for key, value in values.items()}
    if not tokens_match(text[CSRF_FIELD], request.cookies.get(LOGIN_CSRF_COOKIE)):
        raise CsrfRejected("sign-in form without a matching CSRF cookie")
    return SignInForm(text["username"].strip().lower(), text["password"], safe_next(text["next"]))


def _login_page(
    request: Request,
    state: WebState,
    next_path: str,
    *,
    error: str | None = None,
    username: str = "",
    status: int = 200,
) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    if not LOGIN_TOKEN.fullmatch(token):
        token = new_login_csrf()
    context = {"login_csrf": token, "next": next_path, "error": error, "username": username}
    response = state.renderer.render(request, "login.html", context, status=status)
    set_login_csrf_cookie(response, token, secure=state.settings.session_cookie_secure)
    return response


@router.get("/login")
def login_page(
    request: Request, state: WebStateDep, next: Annotated[str | None, Query()] = None
) -> Response:
    """The sign-in form; a visitor who is already signed in goes straight on."""
    target = safe_next(next)
    try:
        current_session(request, state)
    except SignInRequired:
        return _login_page(request, state, target)
    return RedirectResponse(target, status_code=303)


def _request_id(request: Request) -> str | None:
    """The id the request middleware gave this request, which its audit records carry."""
    return getattr(request.state, "request_id", None)


@router.post("/login")
def login(
    request: Request, state: WebStateDep, form: Annotated[SignInForm, Depends(sign_in_form)]
) -> Response:
    """Check the password, start a session, set the cookie and go to ``next``."""
    services, settings = state.services, state.settings
    if not form.username or not form.password:
        return _login_page(
            request, state, form.next, error="missing", username=form.username, status=400
        )
    try:
        if len(form.username) > MAX_USERNAME or len(form.password) > MAX_PASSWORD:
            raise AuthenticationFailed("over-long sign-in fields")
        user = services.auth.authenticate(form.username, form.password, _request_id(request))
    except TooManyAttempts:
        return _login_page(
            request, state, form.next, error="locked", username=form.username, status=429
        )
    except AuthenticationFailed:
        return _login_page(
            request, state, form.next, error="bad_credentials", username=form.username, status=401
        )
    session = services.auth.start_session(user, _request_id(request))
    response = RedirectResponse(form.next, status_code=303)
    secure = settings.session_cookie_secure
    set_session_cookie(
        response, session.token, session.expires_at, services.clock.now(), secure=secure
    )
    clear_login_csrf_cookie(response, secure=secure)
    return response


@router.post("/logout")
def logout(state: WebStateDep, signed: CsrfCheckedDep) -> Response:
    """End the session on the server (the old cookie stops working) and drop the cookie."""
    state.services.auth.end_session(signed.token, signed.actor)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, secure=state.settings.session_cookie_secure)
    return response


@router.get("/lang/{locale}")
def switch_language(
    locale: str, state: WebStateDep, next: Annotated[str | None, Query()] = None
) -> Response:
    """Remember the chosen language in a cookie and return to the page the visitor was on;
    ``/lang/zh-CN`` (the tag the pages declare) chooses ``zh_CN`` as ``/lang/zh_CN`` does,
    an unknown language keeps the one in use."""
    response = RedirectResponse(safe_next(next), status_code=303)
    chosen = locale_of_tag(locale)
    if chosen is not None:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=LANG_MAX_AGE,
            path="/",
            httponly=True,
            samesite="lax",
            secure=state.settings.session_cookie_secure,
        )
    return response
