"""The web shell in headless Chromium: sign-in, navigation by role, languages, CSRF, HTMX,
object-level 404s, sign-out and the home page chart."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from autolend.services.demo import demo_resident_id
from autolend.services.demo_applications import DEMO_PEOPLE

pytestmark = pytest.mark.e2e

SESSION_COOKIE = "autolend_session"
EXPECTED_NAV: dict[str, set[str]] = {
    "admin": {"home", "products", "models", "monitoring", "eod", "audit", "users"},
    "underwriter": {"home", "products", "customers", "loans"},
    "servicing": {"home", "products", "customers", "loans", "eod"},
    "collector": {"home", "products", "customers", "loans"},
    "risk": {"home", "products", "loans", "models", "monitoring"},
    "compliance": {
        "home",
        "products",
        "customers",
        "loans",
        "models",
        "monitoring",
        "eod",
        "audit",
    },
    "auditor": {"home", "products", "customers", "loans", "models", "monitoring", "eod", "audit"},
    "dealer": {"home", "customers", "loans"},
    "borrower": {"home", "customers", "loans"},
}
# Applications: everyone who files or reads them; the review queue: underwriters.
for _role in EXPECTED_NAV.keys() - {"collector"}:
    EXPECTED_NAV[_role] = EXPECTED_NAV[_role] | {"applications"}
EXPECTED_NAV["underwriter"] = EXPECTED_NAV["underwriter"] | {"review"}
# Approvals (maker-checker): fee-waiver checkers (servicing, admin), write-off ones (risk).
for _role in ("servicing", "admin", "risk"):
    EXPECTED_NAV[_role] = EXPECTED_NAV[_role] | {"approvals"}
# The portfolio page: staff who read every loan, and those who read the metrics (admin).
for _role in EXPECTED_NAV.keys() - {"dealer", "borrower"}:
    EXPECTED_NAV[_role] = EXPECTED_NAV[_role] | {"portfolio"}
# The credit policy page: who may simulate a policy (risk, and the administrator).
for _role in ("risk", "admin"):
    EXPECTED_NAV[_role] = EXPECTED_NAV[_role] | {"policy"}


def sign_in(page: Page, username: str, password: str | None = None, path: str = "/login") -> None:
    """Fill in and submit the sign-in form (demo password by default)."""
    page.goto(path)
    page.fill("#username", username)
    page.fill("#password", password or f"demo-{username}")
    page.click("[data-action=sign-in]")
    page.wait_for_load_state()


def session_cookies(context: BrowserContext) -> list[dict[str, object]]:
    return [dict(c) for c in context.cookies() if c["name"] == SESSION_COOKIE]


def api_token(server: str, username: str, password: str) -> str:
    response = httpx.post(
        f"{server}/api/v1/auth/token", data={"username": username, "password": password}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def api(server: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=server, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture(scope="module")
def borrower_customer_id(server: str) -> int:
    """The id of the customer profile the demo borrower registered for themselves."""
    with api(server, api_token(server, "borrower", "demo-borrower")) as client:
        rows = client.get("/api/v1/customers").json()["items"]
    assert len(rows) == 1
    return int(rows[0]["id"])


@pytest.fixture(scope="module")
def other_dealer_customer_id(server: str) -> int:
    """A customer registered by a second dealership (D002), made through the API."""
    with api(server, api_token(server, "admin", "demo-admin")) as admin:
        created = admin.post(
            "/api/v1/users",
            json={
                "username": "dealer2",
                "password": "dealer2-secret",
                "roles": ["dealer"],
                "dealer_code": "D002",
            },
        )
        assert created.status_code == 201, created.text
    with api(server, api_token(server, "dealer2", "dealer2-secret")) as dealer2:
        customer = dealer2.post(
            "/api/v1/customers",
            json={
                "name": "赵六",
                "id_number": demo_resident_id("310101", date(1990, 5, 6), 321),
                "phone": "13600136000",
            },
        )
        assert customer.status_code == 201, customer.text
    return int(customer.json()["id"])


@pytest.mark.parametrize("role", sorted(EXPECTED_NAV))
def test_signing_in_as_each_demo_role_shows_the_navigation_its_permissions_allow(
    page: Page, role: str
) -> None:
    sign_in(page, role)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("[data-user]")).to_have_attribute("data-user", role)
    shown = set(
        page.locator("nav.mainnav [data-nav]").evaluate_all(
            "links => links.map(a => a.dataset.nav)"
        )
    )
    assert shown == EXPECTED_NAV[role]
    expect(page.locator(f".hero [data-role={role}]")).to_be_visible()
    # Every entry can be seen and clicked in either language: in English the dealer's
    # "Loan calculator" used to be cut off at the right edge of a 1280-pixel window.
    for lang in ("en", "zh_CN"):
        page.click(f"[data-lang={lang}]")
        hidden = page.locator("nav.mainnav").evaluate(
            """nav => { const edge = nav.getBoundingClientRect();
                return [...nav.querySelectorAll("a")].filter(a => {
                    const box = a.getBoundingClientRect();
                    return box.left < edge.left - 0.5 || box.right > edge.right + 0.5
                        || box.right > window.innerWidth; }).map(a => a.textContent.trim()); }"""
        )
        assert hidden == [], (role, lang, hidden)


def test_the_admin_sees_users_and_a_dealer_sees_neither_audit_nor_users(page: Page) -> None:
    sign_in(page, "admin")
    page.click("[data-nav=users]")
    expect(page.locator("[data-table=users] tr[data-username=dealer]")).to_be_visible()
    page.click("[data-action=sign-out]")
    sign_in(page, "dealer")
    expect(page.locator("[data-nav=audit]")).to_have_count(0)
    expect(page.locator("[data-nav=users]")).to_have_count(0)


def test_a_wrong_role_gets_the_403_page(page: Page) -> None:
    sign_in(page, "dealer")
    for path in ("/audit", "/users"):
        response = page.goto(path)
        assert response is not None and response.status == 403
        expect(page.locator("[data-problem=forbidden]")).to_be_visible()
        expect(page.locator("[data-nav=customers]")).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, "risk")
    response = page.goto("/customers")
    assert response is not None and response.status == 403


def test_a_wrong_password_shows_an_error_and_sets_no_session_cookie(
    page: Page, context: BrowserContext
) -> None:
    page.goto("/lang/en?next=/login")
    sign_in(page, "collector", "not-the-password")
    expect(page.locator("[data-error=bad_credentials]")).to_have_text(
        "The user name or password is not correct. Please try again."
    )
    assert session_cookies(context) == []
    wrong_password_text = page.locator("[role=alert]").inner_text()
    sign_in(page, "nobody-by-this-name", "whatever-password")
    assert page.locator("[role=alert]").inner_text() == wrong_password_text  # no enumeration
    assert session_cookies(context) == []


def test_repeated_wrong_passwords_lock_the_account_with_a_friendly_message(
    page: Page, server: str
) -> None:
    with api(server, api_token(server, "admin", "demo-admin")) as admin:
        created = admin.post(
            "/api/v1/users",
            json={"username": "lockme", "password": "lockme-secret", "roles": ["risk"]},
        )
        assert created.status_code == 201, created.text
    for _attempt in range(5):
        sign_in(page, "lockme", "wrong-password")
        expect(page.locator("[data-error=bad_credentials]")).to_be_visible()
    sign_in(page, "lockme", "lockme-secret")
    expect(page.locator("[data-error=locked]")).to_contain_text("登录失败次数过多")


def test_an_unauthenticated_visit_redirects_to_the_sign_in_page(
    page: Page, context: BrowserContext, server: str
) -> None:
    response = context.request.get("/", max_redirects=0)
    assert response.status == 303
    assert response.headers["location"] == "/login"
    page.goto("/customers?sort=name")
    expect(page).to_have_url(f"{server}/login?next=%2Fcustomers%3Fsort%3Dname")
    page.fill("#username", "underwriter")
    page.fill("#password", "demo-underwriter")
    page.click("[data-action=sign-in]")
    expect(page).to_have_url(f"{server}/customers?sort=name")


def test_sign_in_never_redirects_off_site(page: Page, server: str) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        page.context.clear_cookies()
        sign_in(page, "servicing", path=f"/login?next={target}")
        expect(page).to_have_url(f"{server}/")


def test_the_language_switch_changes_the_visible_text_between_chinese_and_english(
    page: Page,
) -> None:
    page.goto("/login")
    html, button = page.locator("html"), page.locator("[data-action=sign-in]")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(button).to_have_text("登录")
    page.click("[data-lang=en]")
    expect(html).to_have_attribute("lang", "en")
    expect(button).to_have_text("Sign in")
    sign_in(page, "auditor")
    expect(page.locator("[data-nav=customers]")).to_have_text("Customers")
    page.click("[data-lang=zh_CN]")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page.locator("[data-nav=customers]")).to_have_text("客户")
    expect(page).to_have_url(re.compile(r"/$"))


def test_the_audit_page_verify_button_reports_the_chain_ok_through_htmx(page: Page) -> None:
    sign_in(page, "auditor")
    page.click("[data-nav=audit]")
    expect(page.locator("[data-table=audit] tbody tr").first).to_be_visible()
    page.evaluate("window.__autolendMarker = 'same page'")
    with page.expect_request(lambda r: r.url.endswith("/audit/verify")) as sent:
        page.click("[data-action=verify-chain]")
    request = sent.value
    assert request.method == "POST"
    assert request.headers.get("hx-request") == "true"
    assert request.headers.get("x-csrf-token")
    result = page.locator("#verify-result [data-chain-ok]")
    expect(result).to_have_attribute("data-chain-ok", "true")
    expect(result).to_contain_text("审计链完好")
    assert page.evaluate("window.__autolendMarker") == "same page"  # swapped, not reloaded


def test_a_dealer_opening_a_customer_of_another_dealer_or_of_the_borrower_gets_the_404_page(
    page: Page, borrower_customer_id: int, other_dealer_customer_id: int
) -> None:
    sign_in(page, "dealer")
    page.click("[data-nav=customers]")
    own = page.locator("[data-table=customers] tbody tr[data-customer-id]")
    expect(own.first).to_be_visible()
    # The demo's two customers of D001 and the applicants of its demo applications.
    assert own.count() >= 2 + len(DEMO_PEOPLE)
    own_id = own.first.get_attribute("data-customer-id")
    response = page.goto(f"/customers/{own_id}")
    assert response is not None and response.status == 200
    for other in (borrower_customer_id, other_dealer_customer_id, 999_999, "abc"):
        response = page.goto(f"/customers/{other}")
        assert response is not None and response.status == 404, other
        expect(page.locator("[data-problem=not_found]")).to_be_visible()


def test_a_post_without_the_csrf_token_is_refused_with_403(
    page: Page, context: BrowserContext, browser: Browser, server: str
) -> None:
    sign_in(page, "auditor")
    refused = context.request.post("/audit/verify", max_redirects=0)
    assert refused.status == 403
    assert 'data-problem="csrf"' in refused.text()
    wrong = context.request.post("/audit/verify", headers={"X-CSRF-Token": "forged"})
    assert wrong.status == 403
    logout = context.request.post("/logout", form={"csrf_token": "forged"}, max_redirects=0)
    assert logout.status == 403
    page.goto("/")
    expect(page.locator("[data-user]")).to_have_attribute("data-user", "auditor")  # still signed in
    stranger = browser.new_context(base_url=server)
    try:
        login = stranger.request.post(
            "/login",
            form={"username": "admin", "password": "demo-admin", "csrf_token": "x" * 43},
            max_redirects=0,
        )
        assert login.status == 403
        assert [c for c in stranger.cookies() if c["name"] == SESSION_COOKIE] == []
    finally:
        stranger.close()


def test_the_session_cookie_is_http_only_same_site_lax_and_secure(
    page: Page, context: BrowserContext
) -> None:
    sign_in(page, "compliance")
    (cookie,) = session_cookies(context)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["secure"] is True  # Chromium keeps Secure cookies on http://127.0.0.1
    assert cookie["path"] == "/"
    assert float(str(cookie["expires"])) > time.time() + 3600


def test_signing_out_makes_the_old_session_cookie_useless(
    page: Page, context: BrowserContext, browser: Browser, server: str
) -> None:
    sign_in(page, "underwriter")
    (old,) = session_cookies(context)
    page.click("[data-action=sign-out]")
    expect(page).to_have_url(f"{server}/login")
    assert session_cookies(context) == []
    replay = browser.new_context(base_url=server)
    try:
        replay.add_cookies([{k: old[k] for k in ("name", "value", "domain", "path")}])  # type: ignore[list-item]
        stale = replay.new_page()
        stale.goto("/customers")
        expect(stale).to_have_url(f"{server}/login?next=%2Fcustomers")
    finally:
        replay.close()


def test_web_responses_carry_the_security_headers(page: Page) -> None:
    response = page.goto("/login")
    assert response is not None
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_an_unknown_page_shows_the_404_page(page: Page) -> None:
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.locator("[data-problem=not_found]")).to_be_visible()


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("auditor", "audit"),
        ("dealer", "applications"),
        ("servicing", "portfolio"),
        ("collector", "portfolio"),
    ],
)
def test_the_home_page_chart_renders_a_canvas_without_csp_violations(
    page: Page, role: str, kind: str
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, role)
    chart = page.locator("[data-echarts=home-chart]")
    expect(chart).to_have_attribute("data-chart-kind", kind)
    expect(chart.locator("canvas")).to_have_count(1)
    expect(chart).to_have_attribute("data-echarts-rendered", "true")
    box = chart.locator("canvas").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    # Hovering shows tooltips; they must not need inline styles the CSP would block.
    for fraction in (0.3, 0.5, 0.7):
        page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.4)
        page.wait_for_timeout(150)
    assert problems == []


def test_screenshots_of_the_home_page_in_both_languages(page: Page, screenshot_dir: Path) -> None:
    sign_in(page, "auditor")
    greetings = {"zh_CN": "您好，auditor", "en": "Hello, auditor"}
    for lang, greeting in greetings.items():
        page.goto(f"/lang/{lang}?next=/")
        expect(page.locator("[data-greeting]")).to_have_text(greeting)
        expect(page.locator("[data-echarts-rendered=true]")).to_have_count(1)
        shot = screenshot_dir / f"home-{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
