"""Server-rendered web UI (Jinja2 + HTMX), in Chinese (zh-CN) and English.

:func:`mount_web` adds to the FastAPI application built by the composition root:

- the pages (``/login``, ``/logout``, ``/``, ``/customers``, ``/customers/{id}``, ``/loans``,
  ``/loans/{id}``, ``/products``, ``/risk/models``, ``/risk/models/{name}``,
  ``/risk/monitoring``, ``/audit``, ``/audit/verify``, ``/users``, ``/lang/{locale}``, the
  public ``/calculator``) and ``/static``;
- the error pages: no session -> 303 to ``/login?next=...``; 403 and 404 pages;
- security headers (CSP ``'self'`` only, no framing, nosniff, same-origin referrer) on every
  response outside ``/api``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from autolend.config import Settings
from autolend.services.registry import Services
from autolend.web import (
    routes_application_form,
    routes_applications,
    routes_approvals,
    routes_auth,
    routes_calculator,
    routes_demo,
    routes_eod,
    routes_loans,
    routes_pages,
    routes_policy,
    routes_portfolio,
    routes_products,
    routes_review,
    routes_risk,
    routes_vehicle,
)
from autolend.web.deps import (
    SignedIn,
    SignInRequired,
    WebProblem,
    WebState,
    current_session,
    is_htmx,
)
from autolend.web.render import Renderer
from autolend.web.security import (
    SESSION_COOKIE,
    SecurityHeadersMiddleware,
    clear_session_cookie,
    is_web_path,
    safe_next,
)

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_FILES = ("htmx.min.js", "echarts.min.js")
log = logging.getLogger("autolend.web")


def mount_web(app: FastAPI, services: Services, settings: Settings) -> None:
    """Mount the web UI routes, static files, error pages and security headers on ``app``."""
    renderer = Renderer(settings)
    app.state.web = WebState(services=services, settings=settings, renderer=renderer)
    missing = [name for name in VENDOR_FILES if not (STATIC_DIR / "vendor" / name).is_file()]
    if missing:
        log.warning(
            "web assets missing; run scripts/install-assets.sh",
            extra={"missing": ",".join(missing)},
        )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(routes_auth.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_calculator.router)
    app.include_router(routes_loans.router)
    app.include_router(routes_risk.router)
    app.include_router(routes_policy.router)
    app.include_router(routes_products.router)
    app.include_router(routes_eod.router)
    app.include_router(routes_portfolio.router)
    app.include_router(routes_application_form.router)  # /applications/new before /{id}
    app.include_router(routes_applications.router)
    app.include_router(routes_review.router)
    app.include_router(routes_approvals.router)
    app.include_router(routes_vehicle.router)
    app.include_router(routes_demo.router)
    app.add_exception_handler(SignInRequired, _on_sign_in_required)
    app.add_exception_handler(WebProblem, _on_problem)
    app.add_middleware(NotFoundPageMiddleware, renderer=renderer)
    app.add_middleware(SecurityHeadersMiddleware)


def _sign_in_url(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    target = safe_next(request.url.path + query)
    return "/login" if target == "/" else f"/login?{urlencode({'next': target})}"


async def _on_sign_in_required(request: Request, _error: Exception) -> Response:
    """No live session: go to the sign-in page (HTMX: tell HTMX to navigate there)."""
    url = _sign_in_url(request)
    if is_htmx(request):
        response: Response = Response(status_code=200, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    if request.cookies.get(SESSION_COOKIE):
        state: WebState = request.app.state.web
        clear_session_cookie(response, secure=state.settings.session_cookie_secure)
    return response


def _session_or_none(request: Request, state: WebState) -> SignedIn | None:
    try:
        return current_session(request, state)
    except SignInRequired:
        return None


async def _on_problem(request: Request, error: Exception) -> Response:
    """The 403 / 404 page (a fragment for HTMX), with the navigation when signed in."""
    assert isinstance(error, WebProblem)
    state: WebState = request.app.state.web
    signed = _session_or_none(request, state)
    template = "_problem.html" if is_htmx(request) else "error.html"
    return state.renderer.render(
        request,
        template,
        {"kind": error.kind, "status": error.status},
        signed=signed,
        status=error.status,
    )


def _wants_html(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"accept":
            return b"text/html" in value
    return False


class NotFoundPageMiddleware:
    """A browser asking for an unknown web path gets the 404 page, not the API's JSON body."""

    def __init__(self, app: ASGIApp, renderer: Renderer) -> None:
        self.app = app
        self.renderer = renderer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if (
            scope["type"] != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or not is_web_path(path)
            or path.startswith("/static/")
            or not _wants_html(scope)
        ):
            await self.app(scope, receive, send)
            return
        replaced = False

        async def intercept(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and message["status"] == 404:
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                replaced = content_type.startswith(b"application/json")
            if not replaced:
                await send(message)
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                page = self.renderer.render(
                    Request(scope),
                    "error.html",
                    {"kind": "not_found", "status": 404},
                    status=404,
                )
                await page(scope, receive, send)

        await self.app(scope, receive, intercept)
