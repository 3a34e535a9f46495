"""Who is browsing: the signed-in session, permission checks and CSRF checks of web routes.

Failures are exceptions that :mod:`autolend.web.app` turns into pages: no session -> a 303
redirect to ``/login?next=...``; a missing permission or a bad CSRF token -> the 403 page;
an object the actor may not reach -> the 404 page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from autolend.config import Settings
from autolend.domain.access import Actor, Permission
from autolend.domain.errors import AuthenticationFailed
from autolend.services.registry import Services
from autolend.web.security import CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, tokens_match

if TYPE_CHECKING:
    from autolend.web.render import Renderer


@dataclass(frozen=True)
class WebState:
    """What the web routes need, kept on ``app.state.web``."""

    services: Services
    settings: Settings
    renderer: Renderer


@dataclass(frozen=True)
class SignedIn:
    """A live web session: the actor, the session's CSRF token and the cookie value."""

    actor: Actor
    csrf_token: str
    token: str


class SignInRequired(Exception):  # noqa: N818 - reads as the condition it reports
    """No live session: the visitor is sent to the sign-in page."""


class WebProblem(Exception):  # noqa: N818 - the base of the 403 / 404 page conditions
    """A request that ends on an error page; ``kind`` picks the page's wording."""

    status = 400
    kind = "bad_request"


class PageForbidden(WebProblem):
    status = 403
    kind = "forbidden"


class CsrfRejected(WebProblem):
    status = 403
    kind = "csrf"


class PageNotFound(WebProblem):
    status = 404
    kind = "not_found"


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


WebStateDep = Annotated[WebState, Depends(web_state)]


def current_session(request: Request, state: WebStateDep) -> SignedIn:
    """The live session behind the ``autolend_session`` cookie, or :class:`SignInRequired`."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired
    request_id = getattr(request.state, "request_id", None)
    try:
        actor, csrf = state.services.auth.session_actor(token, request_id)
    except AuthenticationFailed:
        raise SignInRequired from None
    return SignedIn(actor=actor, csrf_token=csrf, token=token)


SignedInDep = Annotated[SignedIn, Depends(current_session)]


def needs(permission: Permission) -> Callable[[SignedIn], SignedIn]:
    """Dependency factory: the session, if its roles grant ``permission``; else the 403 page."""

    def check(signed: SignedInDep) -> SignedIn:
        if not signed.actor.can(permission):
            raise PageForbidden(permission.value)
        return signed

    return check


async def csrf_checked(request: Request, signed: SignedInDep) -> SignedIn:
    """The session, if the request carries its CSRF token (header or form field)."""
    given = request.headers.get(CSRF_HEADER)
    if not given:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    if not tokens_match(given, signed.csrf_token):
        raise CsrfRejected("missing or wrong CSRF token")
    return signed


CsrfCheckedDep = Annotated[SignedIn, Depends(csrf_checked)]


def is_htmx(request: Request) -> bool:
    """Whether HTMX sent this request (it then wants a fragment, not a page)."""
    return request.headers.get("hx-request") == "true"


async def form_fields(request: Request) -> dict[str, str]:
    """A posted form's text fields, trimmed (a file field is left out)."""
    form = await request.form()
    return {name: value.strip() for name, value in form.items() if isinstance(value, str)}
