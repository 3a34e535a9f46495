"""The loan pages in headless Chromium: a late demo loan seen by servicing, a repayment
posted through the form (once, even when submitted twice), the borrower's own loan (and a
404 for any other), the language switch; and ``autolend verify`` on the demo database."""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from autolend.adapters.clock import SystemClock
from tests.e2e.test_cli import run
from tests.e2e.test_web_shell import api, api_token, sign_in

pytestmark = pytest.mark.e2e


def _views(server: str, username: str) -> list[dict[str, Any]]:
    with api(server, api_token(server, username, f"demo-{username}")) as client:
        items = client.get("/api/v1/loans").json()["items"]
        return [client.get(f"/api/v1/loans/{item['id']}").json() for item in items]


@pytest.fixture(scope="module")
def staff_loans(server: str) -> list[dict[str, Any]]:
    return _views(server, "servicing")


def _late(loans: list[dict[str, Any]]) -> dict[str, Any]:
    """The latest loan in repayment (the written-off one keeps the days it was late)."""
    active = [view for view in loans if view["status"] == "active"]
    return max(active, key=lambda view: view["days_past_due"])


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_the_demo_has_loans_in_every_state(staff_loans: list[dict[str, Any]]) -> None:
    statuses = {view["status"] for view in staff_loans}
    assert {"active", "paid_off", "written_off"} <= statuses
    late = sorted(view["days_past_due"] for view in staff_loans if view["days_past_due"] > 0)
    assert len(late) >= 3
    assert any(view["balances"]["suspense"] != "0.00" for view in staff_loans)
    # the used-car loans carry their product's late fee (50.00 after 15 days), charged
    # once on each installment left unpaid that long
    used = [view for view in staff_loans if view["product_code"] == "USED_CAR"]
    assert used and all(v["late_fee"] == {"amount": "50.00", "after_days": 15} for v in used)
    for view in used:
        day = view["as_of"]
        late = [
            row
            for row in view["schedule"]
            if row["status"] == "overdue"
            and (date.fromisoformat(day) - date.fromisoformat(row["due_date"])).days >= 15
        ]
        assert late and all(row["fee"] == "50.00" for row in late)


def test_servicing_sees_a_late_loan_with_days_past_due_and_an_overdue_badge(
    page: Page, staff_loans: list[dict[str, Any]]
) -> None:
    problems = _watch(page)
    sign_in(page, "servicing")
    page.click("[data-nav=loans]")
    expect(page.locator("[data-table=loans] tbody tr")).to_have_count(len(staff_loans))
    late = _late(staff_loans)
    page.click(f"[data-loan-id='{late['id']}'] a")
    expect(page.locator(".loan-head [data-dpd]")).to_have_attribute(
        "data-dpd", re.compile(r"^[1-9]\d*$")
    )
    expect(page.locator("[data-installment-status=overdue]").first).to_be_visible()
    overdue = page.locator(".loan-head [data-overdue]")
    expect(overdue).to_have_attribute("data-overdue", late["overdue"]["amount"])
    expect(page.locator("[data-table=ledger] tbody tr").first).to_be_visible()
    chart = page.locator("[data-echarts=loan-chart]")
    expect(chart).to_have_attribute("data-echarts-rendered", "true")
    expect(page.locator("[data-form=repayment]")).to_be_visible()
    assert problems == []


def _form_fields(page: Page, form: str) -> dict[str, str]:
    inputs = page.locator(f"[data-form={form}] [name]")
    return {
        str(inputs.nth(i).get_attribute("name")): inputs.nth(i).input_value()
        for i in range(inputs.count())
    }


def test_a_repayment_posted_through_the_form_posts_once_even_when_sent_twice(
    page: Page, staff_loans: list[dict[str, Any]]
) -> None:
    loan_id = _late(staff_loans)["id"]
    sign_in(page, "servicing")
    page.goto(f"/loans/{loan_id}")
    rows = page.locator("[data-table=transactions] tbody tr")
    before = rows.count()
    owed = page.locator("[data-balance=outstanding] .balance-card__value").inner_text()
    reference = f"E2E-{uuid.uuid4().hex[:8]}"
    page.fill("#repay-amount", "100.00")
    page.fill("#repay-reference", reference)
    fields = _form_fields(page, "repayment")
    page.click("[data-action=post-repayment]")
    # Post/Redirect/Get: the browser is on the loan page's address, not the form's
    expect(page).to_have_url(re.compile(rf"/loans/{loan_id}\?done=repayment&event=\d+$"))
    expect(page.locator("[data-notice=repayment]")).to_be_visible()
    posted = page.locator(f"[data-reference='{reference}']")
    expect(posted).to_have_count(1)
    expect(posted.locator("[data-allocation] .chip").first).to_be_visible()
    after = page.locator("[data-balance=outstanding] .balance-card__value").inner_text()
    assert after != owed
    page.reload()  # a refresh reads the page again: no "resubmit the form?", nothing posted
    expect(page.locator("[data-notice=repayment]")).to_be_visible()
    expect(rows).to_have_count(before + 1)
    again = page.context.request.post(
        f"/loans/{loan_id}/repayments", form={**fields}, max_redirects=0
    )
    assert again.status == 303 and again.headers["location"].endswith("&replayed=1")
    replayed = page.context.request.get(again.headers["location"])
    assert 'data-replayed="true"' in replayed.text()
    page.goto(f"/loans/{loan_id}")
    expect(rows).to_have_count(before + 1)
    expect(page.locator(f"[data-reference='{reference}']")).to_have_count(1)


def test_a_bad_amount_is_refused_with_the_field_named(
    page: Page, staff_loans: list[dict[str, Any]]
) -> None:
    sign_in(page, "servicing")
    page.goto(f"/loans/{_late(staff_loans)['id']}")
    page.fill("#repay-amount", "12.345")
    page.click("[data-action=post-repayment]")
    error = page.locator("[data-form-error=amount]")
    expect(error).to_contain_text(re.compile("金额|Amount"))


def test_the_borrower_sees_only_their_loan_and_no_servicing_forms(
    page: Page, server: str, staff_loans: list[dict[str, Any]]
) -> None:
    problems = _watch(page)
    own = _views(server, "borrower")
    assert own
    sign_in(page, "borrower")
    page.click("[data-nav=loans]")
    expect(page.locator("[data-table=loans] tbody tr")).to_have_count(len(own))
    active = next(view for view in own if view["status"] == "active")
    page.goto(f"/loans/{active['id']}")
    expect(page.locator("[data-table=schedule] tbody tr").first).to_be_visible()
    expect(page.locator("[data-payoff-total]")).to_be_visible()
    expect(page.locator("[data-section=ledger]")).to_have_count(0)
    expect(page.locator("[data-section=servicing]")).to_have_count(0)
    expect(page.locator("form[method=post][action^='/loans']")).to_have_count(0)
    assert problems == []  # the 404 below logs its own "failed to load" line
    other = next(v["id"] for v in staff_loans if v["id"] not in {o["id"] for o in own})
    response = page.goto(f"/loans/{other}")
    assert response is not None and response.status == 404
    expect(page.locator("[data-problem=not_found]")).to_be_visible()
    refused = page.context.request.post(f"/loans/{active['id']}/repayments", form={})
    assert refused.status == 403


def test_the_loan_page_switches_language_and_screenshots(
    page: Page, staff_loans: list[dict[str, Any]], screenshot_dir: Path
) -> None:
    problems = _watch(page)
    sign_in(page, "servicing")
    page.goto(f"/loans/{_late(staff_loans)['id']}")
    headings = {"zh_CN": "贷款编号", "en": "Loan no."}
    for locale, heading in headings.items():
        page.click(f"[data-lang={locale}]")
        expect(page.locator(".loan-head h1")).to_contain_text(heading)
        expect(page.locator("[data-echarts=loan-chart]")).to_have_attribute(
            "data-echarts-rendered", "true"
        )
        page.screenshot(path=str(screenshot_dir / f"loan-{locale}.png"), full_page=True)
    assert problems == []


def test_verify_passes_on_the_demo_database(tmp_path: Path) -> None:
    seeded = run("demo", home=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    checked = run("verify", "--date", SystemClock().today().isoformat(), home=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
