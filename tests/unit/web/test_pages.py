"""The web routes over a stub set of services (no database): sign-in, CSRF, error pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.config import Settings
from autolend.domain.access import Actor, Role
from autolend.domain.audit import ChainReport
from autolend.domain.errors import AuthenticationFailed, NotFound, TooManyAttempts
from autolend.services.auth import WebSession
from autolend.services.ports import UserRecord
from autolend.services.registry import Services
from autolend.web.app import mount_web

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
AUDITOR = Actor(user_id=7, username="auditor", roles=(Role.AUDITOR,))
DEALER = Actor(user_id=8, username="dealer", roles=(Role.DEALER,), dealer_id=1)


def user_record(actor: Actor) -> UserRecord:
    return UserRecord(
        actor.user_id,
        actor.username,
        "hash",
        actor.roles,
        actor.dealer_id,
        None,
        None,
        True,
        0,
        None,
    )


@dataclass
class StubAuth:
    sessions: dict[str, tuple[Actor, str]] = field(default_factory=dict)
    ended: list[str] = field(default_factory=list)

    def authenticate(
        self, username: str, password: str, request_id: str | None = None
    ) -> UserRecord:
        if username == "locked":
            raise TooManyAttempts("locked")
        if (username, password) != ("auditor", "right-password"):
            raise AuthenticationFailed("bad")
        return user_record(AUDITOR)

    def start_session(self, user: UserRecord, request_id: str | None = None) -> WebSession:
        self.sessions["new-token"] = (AUDITOR, "new-csrf")
        return WebSession("new-token", "new-csrf", NOW + timedelta(hours=8))

    def session_actor(self, token: str, request_id: str | None = None) -> tuple[Actor, str]:
        if token not in self.sessions:
            raise AuthenticationFailed("ended")
        return self.sessions[token]

    def end_session(self, token: str, actor: Actor) -> None:
        self.ended.append(token)
        del self.sessions[token]


def not_found(_actor: Actor, _customer_id: int) -> None:
    raise NotFound("customer not found")


@pytest.fixture
def auth() -> StubAuth:
    return StubAuth({"auditor-token": (AUDITOR, "auditor-csrf"), "dealer-token": (DEALER, "d")})


@pytest.fixture
def client(auth: StubAuth) -> Iterator[TestClient]:
    services = SimpleNamespace(
        clock=FixedClock(NOW),
        auth=auth,
        audit=SimpleNamespace(
            recent=lambda limit: [],
            page=lambda limit, offset: ([], 0),
            verify=lambda: ChainReport(3),
        ),
        customers=SimpleNamespace(list=lambda actor: [], get=not_found),
        users=SimpleNamespace(list=lambda actor: []),
    )
    app = FastAPI()
    mount_web(app, cast(Services, services), Settings(session_cookie_secure=False))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def signed_in(client: TestClient, token: str = "auditor-token") -> TestClient:
    client.cookies.set("autolend_session", token)
    return client


def login_token(client: TestClient) -> str:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match and client.cookies.get("autolend_csrf") == match.group(1)
    return match.group(1)


def test_pages_redirect_to_sign_in_with_a_relative_next(client: TestClient) -> None:
    assert client.get("/").headers["location"] == "/login"
    response = client.get("/customers?sort=name")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fcustomers%3Fsort%3Dname"
    htmx = client.post("/audit/verify", headers={"HX-Request": "true"})
    assert htmx.headers["hx-redirect"] == "/login?next=%2Faudit%2Fverify"


def test_signing_in_sets_a_secure_session_cookie_and_goes_to_next(client: TestClient) -> None:
    token = login_token(client)
    form = {
        "username": "Auditor ",
        "password": "right-password",
        "csrf_token": token,
        "next": "/audit",
    }
    response = client.post("/login", data=form)
    assert response.status_code == 303
    assert response.headers["location"] == "/audit"
    cookie = next(
        v for v in response.headers.get_list("set-cookie") if v.startswith("autolend_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Max-Age=28800" in cookie


@pytest.mark.parametrize(
    ("username", "status", "message"),
    [
        ("auditor", 401, "用户名或密码不正确"),
        ("nobody", 401, "用户名或密码不正确"),
        ("locked", 429, "账户已被暂时锁定"),
    ],
)
def test_sign_in_failures_show_a_friendly_message(
    client: TestClient, username: str, status: int, message: str
) -> None:
    form = {"username": username, "password": "wrong", "csrf_token": login_token(client)}
    response = client.post("/login", data=form)
    assert response.status_code == status
    assert message in response.text
    assert "autolend_session" not in response.headers.get("set-cookie", "")


def test_sign_in_without_the_double_submit_token_is_refused(client: TestClient) -> None:
    login_token(client)
    form = {"username": "auditor", "password": "right-password", "csrf_token": "forged" * 8}
    response = client.post("/login", data=form)
    assert response.status_code == 403
    assert 'data-problem="csrf"' in response.text


def test_the_language_cookie_switches_the_page_language(client: TestClient) -> None:
    assert '<html lang="zh-CN">' in client.get("/login").text
    switched = client.get("/lang/en?next=//evil.example")
    assert switched.headers["location"] == "/"
    client.cookies.set("autolend_lang", "en")
    page = client.get("/login").text
    assert '<html lang="en">' in page and ">Sign in</button>" in page


def test_verify_needs_the_csrf_token_and_answers_htmx_with_a_fragment(
    client: TestClient,
) -> None:
    signed_in(client)
    assert client.post("/audit/verify").status_code == 403
    assert client.post("/audit/verify", headers={"X-CSRF-Token": "nope"}).status_code == 403
    headers = {"X-CSRF-Token": "auditor-csrf", "HX-Request": "true"}
    fragment = client.post("/audit/verify", headers=headers)
    assert fragment.status_code == 200
    assert 'data-chain-ok="true"' in fragment.text and "<html" not in fragment.text
    full = client.post("/audit/verify", data={"csrf_token": "auditor-csrf"})
    assert full.status_code == 200 and "<html" in full.text


def test_sign_out_ends_the_session_and_drops_the_cookie(client: TestClient, auth: StubAuth) -> None:
    signed_in(client)
    assert client.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    assert auth.ended == []
    response = client.post("/logout", data={"csrf_token": "auditor-csrf"})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert auth.ended == ["auditor-token"]
    assert 'autolend_session=""' in response.headers["set-cookie"]


def test_a_wrong_role_gets_403_and_an_unreachable_customer_404(client: TestClient) -> None:
    signed_in(client, "dealer-token")
    forbidden = client.get("/audit")
    assert forbidden.status_code == 403 and 'data-problem="forbidden"' in forbidden.text
    for path in ("/customers/5", "/customers/abc", "/customers/0"):
        missing = client.get(path)
        assert missing.status_code == 404 and 'data-problem="not_found"' in missing.text


def test_the_layout_carries_the_csrf_header_for_htmx_and_the_allowed_navigation(
    client: TestClient,
) -> None:
    page = signed_in(client).get("/").text
    assert """hx-headers='{"X-CSRF-Token": "auditor-csrf"}'""" in page
    assert 'data-nav="audit"' in page and 'data-nav="users"' not in page
    assert '<script type="application/json" id="home-chart">' in page


def test_an_unknown_page_asked_for_by_a_browser_gets_the_html_404(client: TestClient) -> None:
    page = client.get("/nowhere", headers={"Accept": "text/html"})
    assert page.status_code == 404 and 'data-problem="not_found"' in page.text
    data: Any = client.get("/nowhere", headers={"Accept": "application/json"})
    assert data.status_code == 404 and "<html" not in data.text
