"""Redirect targets, CSRF token comparison and the security headers middleware."""

from __future__ import annotations

import doctest

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.testclient import TestClient

import autolend.web.security as security_module
from autolend.web.security import SecurityHeadersMiddleware, safe_next, tokens_match


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "customers",
        "//evil.example",
        "https://evil.example/x",
        "/\\evil.example",
        "/ok\r\nSet-Cookie: x=1",
        "\\\\evil",
        "/" + "a" * 3000,
        "javascript:alert(1)",
    ],
)
def test_only_plain_site_paths_are_allowed_after_sign_in(target: str | None) -> None:
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/", "/customers", "/customers/3?tab=a&b=c", "/audit#x"])
def test_site_paths_are_kept(target: str) -> None:
    assert safe_next(target) == target


def test_csrf_tokens_must_be_present_and_equal() -> None:
    assert tokens_match("abc", "abc")
    assert not tokens_match("abc", "abd")
    assert not tokens_match("", "")
    assert not tokens_match(None, "abc")
    assert not tokens_match("abc", None)


def test_web_responses_get_the_security_headers_and_api_responses_do_not() -> None:
    app = FastAPI()

    @app.get("/page")
    def page() -> HTMLResponse:
        return HTMLResponse("<p>hi</p>")

    @app.get("/api/v1/thing")
    def thing() -> JSONResponse:
        return JSONResponse({"ok": True})

    app.add_middleware(SecurityHeadersMiddleware)
    client = TestClient(app)
    page_headers = client.get("/page").headers
    assert page_headers["x-frame-options"] == "DENY"
    assert page_headers["x-content-type-options"] == "nosniff"
    assert page_headers["referrer-policy"] == "same-origin"
    assert "script-src 'self'" in page_headers["content-security-policy"]
    assert page_headers["cache-control"] == "no-store"
    assert "content-security-policy" not in client.get("/api/v1/thing").headers


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(security_module).failed == 0
