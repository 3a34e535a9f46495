"""The borrower's own way through origination on a phone (390 x 844, touch) in headless
Chromium: the form is one column with nothing cut off and every control big enough to
tap; a refused form brings the erring input into view; a second tap on a button does not
send its form twice; the offers are compared side by side, and the status history, the
demo SMS inbox and signing fit the screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_application_pages import _approve_if_referred
from tests.e2e.test_web_shell import sign_in
from tests.support.origination import another_vin

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
TOUCH = 44  # px: the smallest control a finger hits reliably
CONSENTS = ("bureau_query", "data_processing", "sensitive_data")
FIELDS = {"down_payment": "60000", "vehicle.make": "BYD", "vehicle.model": "Han",
          "vehicle.price": "200000", "applicants[0].address": "北京市朝阳区望京街1号",
          "applicants[0].income_stability_months": "36"}  # fmt: skip
CODE = re.compile(r"\b(\d{6})\b")


def _phone(browser: Any, server: str, locale: str) -> Iterator[Page]:
    ctx = browser.new_context(base_url=server, viewport=PHONE, locale=locale,
                              is_mobile=True, has_touch=True)  # fmt: skip
    ctx.set_default_timeout(15_000)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Page]:
    yield from _phone(browser, server, "zh-CN")


def _english(page: Page) -> None:
    page.click("[data-lang=en]")
    page.wait_for_load_state()


def _wider_than_shown(page: Page, selector: str) -> int:
    return int(page.eval_on_selector(selector, "e => e.scrollWidth - e.clientWidth"))


def _fill(page: Page) -> None:
    page.goto("/applications/new")
    page.select_option("[name=product_code]", "STD_NEW")
    for name, value in FIELDS.items():
        page.fill(f"[name='{name}']", value)
    for kind in CONSENTS:
        page.check(f"[name='consent.{kind}']")


def test_the_form_is_one_column_on_a_phone_with_nothing_cut_off_and_big_controls(
    phone: Page, screenshot_dir: Path
) -> None:
    sign_in(phone, "borrower")
    _english(phone)
    phone.goto("/applications/new")
    phone.screenshot(path=str(screenshot_dir / "phone-application-form.png"), full_page=True)
    assert _wider_than_shown(phone, "html") <= 0
    cut = phone.eval_on_selector_all(
        "[data-form=application] input:not([type=checkbox]):not([type=hidden])",
        "all => all.filter(e => e.offsetParent && e.scrollWidth > e.clientWidth).map(e => e.name)",
    )
    assert cut == []
    name = phone.locator("[name='applicants[0].name']").bounding_box()
    months = phone.locator("[name='applicants[0].income_stability_months']").bounding_box()
    assert name and months and abs(name["x"] - months["x"]) < 1
    assert abs(name["width"] - months["width"]) < 1  # one column: the full width each
    small = phone.eval_on_selector_all(
        "[data-form=application] label.check, [data-form=application] summary,"
        " [data-form=application] button, [data-form=application] select",
        f"all => all.filter(e => e.offsetParent && e.getBoundingClientRect().height < {TOUCH})"
        ".map(e => e.textContent.trim().slice(0, 40))",
    )
    assert small == []


def test_a_refused_form_brings_the_input_it_names_into_view_on_a_phone(phone: Page) -> None:
    sign_in(phone, "borrower")
    _fill(phone)
    phone.fill("[name='applicants[0].monthly_obligations']", "abc")
    phone.locator("[data-action=file-application]").tap()
    expect(phone.locator("[data-field-error='applicants[0].monthly_obligations']")).to_be_visible()
    focused = phone.evaluate("document.activeElement && document.activeElement.name")
    assert focused == "applicants[0].monthly_obligations"
    expect(phone.locator("[name='applicants[0].monthly_obligations']")).to_be_in_viewport()
    expect(phone.locator("[name='vehicle.price']")).to_have_value("200000")
    link = phone.locator("[data-form-error] [data-action=go-to-field]")
    expect(link).to_have_attribute("href", "#f-applicants-0-monthly_obligations")


def test_a_second_tap_on_file_the_application_does_not_send_it_twice(phone: Page) -> None:
    """On a slow line the first answer is still on its way when the finger taps again: here
    no answer ever comes (every submission that would leave is counted and kept back)."""
    sign_in(phone, "borrower")
    _fill(phone)
    phone.evaluate(
        """() => { window.sent = 0;
        window.addEventListener("submit", e => { if (!e.defaultPrevented) window.sent += 1;
                                                 e.preventDefault(); }); }"""
    )
    button = phone.locator("[data-action=file-application]")
    button.tap()
    button.tap(force=True)
    assert phone.evaluate("window.sent") == 1
    expect(button).to_be_disabled()


def _sms_code(page: Page) -> str:
    page.click("[data-action=open-demo-inbox]")
    assert _wider_than_shown(page, "html") <= 0
    text = page.locator("[data-sms-text]").first
    box = text.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]  # the code can be read
    found = CODE.search(text.inner_text())
    assert found is not None
    page.click("[data-action=back-to-application]")
    return found.group(1)


def test_a_borrower_compares_the_offers_and_signs_on_a_phone(
    browser: Any, server: str, screenshot_dir: Path
) -> None:
    for page in _phone(browser, server, "en-US"):
        sign_in(page, "borrower")
        _english(page)
        _fill(page)
        page.fill("[name='vehicle.vin']", another_vin(3))  # one car, one loan: its own car
        page.locator("[data-action=file-application]").tap()
        page.locator("[data-action=submit-application]").tap()
        expect(page.locator("[data-notice=submitted]")).to_be_visible()
        _approve_if_referred(page, page.url.split("?", 1)[0], back_as="borrower")
        page.screenshot(path=str(screenshot_dir / "phone-offers.png"), full_page=True)
        assert _wider_than_shown(page, "html") <= 0
        offers = page.locator("[data-offer]").count()
        if offers > 1:
            compare = page.locator("[data-table=offer-compare]")
            table, first = compare.bounding_box(), page.locator("[data-offer]").first.bounding_box()
            assert table and first and table["y"] < first["y"]  # compared before read one by one
            assert _wider_than_shown(page, "[data-section=offer-compare] .table-wrap") <= 0
            assert compare.locator("tbody a").count() == offers
            expect(compare.locator("[data-lowest]")).to_have_count(1)
            # each option's down payment, read without scrolling sideways (checked above)
            downs = compare.locator("[data-compare=down-payment]")
            expect(downs).to_have_count(offers)
            expect(downs.first).to_have_text(re.compile(r"^¥[\d,]+\.\d\d$"))
            box = downs.last.bounding_box()
            assert box and box["x"] + box["width"] <= PHONE["width"]
        assert _wider_than_shown(page, "[data-section=history] .table-wrap") <= 0
        page.locator("[data-offer] [data-action=accept-offer]").first.tap()
        expect(page.locator("[data-notice=accepted]")).to_be_visible()
        page.locator("[data-action=send-code]").tap()
        expect(page.locator("[data-notice=code_sent]")).to_be_visible()
        code = _sms_code(page)
        page.fill("#sign-code", code)
        page.locator("[data-action=sign]").tap()
        expect(page.locator("[data-notice=signed]")).to_be_visible()
        page.locator("[data-action=open-loan]").tap()
        expect(page.locator(".loan-head")).to_be_visible()
