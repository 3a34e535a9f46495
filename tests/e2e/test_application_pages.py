"""The dealer flow in headless Chromium against the real ``autolend serve --demo``: the dealer
files an application for a customer through the form, submits it, compares up to four
offers with their APR, accepts one, sends the signing code, reads it from the demo SMS
inbox, signs; then servicing disburses and the loan is there.

The applicant is the clean one of tests/support/origination.py (born 1989, salaried,
30,000.00 a month, 1,000.00 of other debts; a new BYD at 200,000.00 with 60,000.00 down
over 36 months). With the demo's bureau sandbox up the decision is automated; if the case
is referred (the bureau unreachable), an underwriter approves it through the review form
and the flow goes on, so the pages are tested either way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_web_shell import sign_in
from tests.support.origination import BORROWER_ID, VIN, another_vin

pytestmark = pytest.mark.e2e

FORM = {
    "down_payment": "60000.00", "vehicle.make": "BYD", "vehicle.model": "Han",
    "vehicle.vin": VIN, "vehicle.price": "200000.00",
    "applicants[0].name": "张伟", "applicants[0].id_number": BORROWER_ID,
    "applicants[0].mobile": "13700137000", "applicants[0].address": "北京市朝阳区建国路1号",
    "applicants[0].monthly_income": "30000.00", "applicants[0].monthly_obligations": "1000.00",
}  # fmt: skip
CODE = re.compile(r"验证码为 (\d{6})")
BAD_VIN = VIN[:-1] + "0"  # the last character changed: the check digit (9th) no longer fits


def _watch(page: Page) -> list[str]:
    """Script errors on the pages (the form's own 422 answer is expected, not one)."""
    problems: list[str] = []

    def console(message: Any) -> None:
        if message.type == "error" and "status of 422" not in message.text:
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _status(page: Page) -> str:
    badge = page.locator(".page-header [data-application-status]")
    return str(badge.get_attribute("data-application-status"))


def _file_application(page: Page, screenshot_dir: Path) -> str:
    page.click("[data-nav=applications]")
    page.click("[data-action=new-application]")
    page.select_option("[name=product_code]", "STD_NEW")
    page.select_option("[name=term_months]", "36")
    page.select_option("[name='vehicle.energy']", "nev")
    page.select_option("[name='vehicle.condition']", "new")
    for name, value in FORM.items():
        page.fill(f"[name='{name}']", value)
    page.select_option("[name='applicants[0].employment']", "salaried")
    page.check("[name='applicants[0].income_documented']")
    for kind in ("bureau_query", "data_processing", "sensitive_data"):
        page.check(f"[name='consent.{kind}']")
    page.fill("[name='vehicle.vin']", BAD_VIN)
    page.click("[data-action=file-application]")
    expect(page.locator("[data-field-error='vehicle.vin']")).to_be_visible()
    expect(page.locator("[name='applicants[0].name']")).to_have_value("张伟")
    expect(page.locator("[name='consent.sensitive_data']")).to_be_checked()
    page.screenshot(path=str(screenshot_dir / "application-form-error.png"), full_page=True)
    page.fill("[name='vehicle.vin']", VIN)
    page.click("[data-action=file-application]")
    expect(page.locator("[data-notice=created]")).to_be_visible()
    assert _status(page) == "draft"
    return page.url.split("?", 1)[0]


def _approve_if_referred(page: Page, url: str, back_as: str = "dealer") -> None:
    """Without the bureau sandbox the case is referred: an underwriter approves it."""
    if _status(page) != "referred":
        return
    page.click("[data-action=sign-out]")
    sign_in(page, "underwriter")
    page.goto(url)
    page.select_option("#review-action", "approve")  # nothing is preselected
    page.fill("#review-reason", "bureau unavailable; documents checked")
    page.click("[data-action=review]")
    expect(page.locator("[data-notice=reviewed]")).to_be_visible()
    page.click("[data-action=sign-out]")
    sign_in(page, back_as)
    page.goto(url)


def test_a_dealer_files_signs_and_servicing_disburses_through_the_pages(
    page: Page, screenshot_dir: Path
) -> None:
    problems = _watch(page)
    sign_in(page, "dealer")
    url = _file_application(page, screenshot_dir)

    page.click("[data-action=submit-application]")
    expect(page.locator("[data-notice=submitted]")).to_be_visible()
    _approve_if_referred(page, url)
    assert _status(page) == "approved"
    offers = page.locator("[data-offer]")
    assert 1 <= offers.count() <= 4
    for i in range(offers.count()):
        expect(offers.nth(i).locator("[data-apr]")).to_have_text(re.compile(r"^\d+(\.\d+)?%$"))
    expect(page.locator("[data-disclosure]")).to_be_visible()
    if offers.count() > 1:
        chart = page.locator("[data-echarts=offers-chart]")
        expect(chart).to_have_attribute("data-echarts-rendered", "true")
    page.screenshot(path=str(screenshot_dir / "application-offers.png"), full_page=True)

    offers.first.locator("[data-action=accept-offer]").click()
    expect(page.locator("[data-notice=accepted]")).to_be_visible()
    page.click("[data-action=send-code]")
    expect(page.locator("[data-notice=code_sent]")).to_be_visible()
    assert _status(page) == "signing"

    page.click("[data-action=open-demo-inbox]")
    first = page.locator("[data-sms-text]").first
    expect(first).to_contain_text("验证码")
    expect(page.locator("[data-sms-to]").first).to_have_text("*******7000")
    code = CODE.search(first.inner_text())
    assert code is not None
    page.goto(url)
    page.fill("#sign-code", code.group(1))
    page.click("[data-action=sign]")
    expect(page.locator("[data-notice=signed]")).to_be_visible()
    assert _status(page) == "signed"
    expect(page.locator("[data-action=contract-pdf]")).to_be_visible()

    page.click("[data-action=sign-out]")
    sign_in(page, "servicing")
    page.goto(url)
    page.click("[data-action=disburse]")
    expect(page.locator("[data-notice=disbursed]")).to_be_visible()
    assert _status(page) == "disbursed"
    page.click("[data-action=open-loan]")
    expect(page.locator(".loan-head")).to_be_visible()
    assert problems == []


def test_a_borrower_applies_for_themselves_before_picking_the_car_and_adds_its_vin(
    page: Page, screenshot_dir: Path
) -> None:
    """The demo borrower (a clean sandbox file) asks for the NEV green loan with no VIN yet:
    the form starts from their details, the dealer is chosen by name, the offers say the
    rate the borrower pays under the maker's subsidy, and the VIN is added on the page
    before an offer is accepted."""
    problems = _watch(page)
    sign_in(page, "borrower")
    page.goto("/applications/new")
    expect(page.locator("[name='applicants[0].id_number']")).to_have_attribute("readonly", "")
    expect(page.locator("[name='applicants[0].name']")).not_to_have_value("")
    expect(page.locator("[data-fold='applicant-1']")).not_to_have_attribute("open", "")
    page.select_option("[name=product_code]", "NEV_GREEN")
    page.select_option("[name='vehicle.dealer_id']", index=1)
    fields = {"down_payment": "50000.00", "vehicle.make": "BYD", "vehicle.model": "Han",
              "vehicle.price": "200000.00", "applicants[0].address": "北京市海淀区中关村大街1号",
              "applicants[0].monthly_income": "25000.00"}  # fmt: skip
    for name, value in fields.items():
        page.fill(f"[name='{name}']", value)
    for kind in ("bureau_query", "data_processing", "sensitive_data"):
        page.check(f"[name='consent.{kind}']")
    page.click("[data-action=file-application]")
    expect(page.locator("[data-notice=created]")).to_be_visible()
    url = page.url.split("?", 1)[0]
    page.click("[data-action=submit-application]")
    expect(page.locator("[data-notice=submitted]")).to_be_visible()
    _approve_if_referred(page, url, back_as="borrower")
    assert _status(page) == "approved"
    expect(page.locator("[data-offer] [data-subsidy=oem]").first).to_be_visible()
    page.fill("#vin-input", BAD_VIN)
    page.click("[data-action=add-vin]")
    expect(page.locator("[data-error=vin_added]")).to_be_visible()
    page.fill("#vin-input", another_vin(2))  # one car, one loan: not the first test's car
    page.click("[data-action=add-vin]")
    expect(page.locator("[data-notice=vin_added]")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "application-borrower-vin.png"), full_page=True)
    page.locator("[data-offer] [data-action=accept-offer]").first.click()
    expect(page.locator("[data-notice=accepted]")).to_be_visible()
    assert problems == []
