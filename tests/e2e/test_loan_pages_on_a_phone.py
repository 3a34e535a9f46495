"""The borrower's loan pages on a phone (390 px wide) in headless Chromium: nothing is wider
than the screen, the loans (home and list) and the transactions are one card per row with
each value beside its column's name, and the schedule shows each installment's date, what
is left and its status without scrolling sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e


def overflow(page: Page, selector: str) -> int:
    """How many pixels the element is wider than the space it is shown in."""
    return int(page.eval_on_selector(selector, "e => e.scrollWidth - e.clientWidth"))


def test_the_borrowers_loan_pages_fit_a_phone(phone: Page) -> None:
    sign_in(phone, "borrower")
    assert overflow(phone, "html") <= 0
    expect(phone.locator("[data-table=my-loans] thead")).to_be_hidden()
    expect(phone.locator("[data-table=my-loans] tbody td .cell-label").first).to_be_visible()
    phone.goto("/loans")
    assert overflow(phone, "html") <= 0
    assert overflow(phone, "[data-table=loans]") <= 0
    loan = phone.locator("[data-table=loans] [data-loan-id] a").first
    loan.click()
    phone.wait_for_load_state()
    assert overflow(phone, "html") <= 0
    schedule = phone.locator("[data-section=schedule] .table-wrap")
    assert schedule.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    status = phone.locator("[data-table=schedule] tbody tr").first.locator("td").last
    box, wrap = status.bounding_box(), schedule.bounding_box()
    assert box and wrap and box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 1
    assert overflow(phone, "[data-table=transactions]") <= 0
    expect(phone.locator("[data-table=transactions] .cell-label").first).to_be_visible()


def test_every_control_in_the_header_is_at_least_44_pixels_tall_on_a_phone(phone: Page) -> None:
    sign_in(phone, "servicing")
    heights = phone.eval_on_selector_all(
        "header a:not(.skip-link), header button",
        "els => els.filter(e => e.offsetParent).map(e => "
        "[e.textContent.trim(), e.getBoundingClientRect().height])",
    )
    assert len(heights) >= 10  # brand, nine menu entries, two languages, sign out
    short = [(text, height) for text, height in heights if height < 44]
    assert not short, f"header controls under 44 px: {short}"


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_staff_loans_list_shows_every_column_in_a_1280_pixel_window(
    browser: Any, server: str, locale: str
) -> None:
    # The status column was cut off (the table scrolled sideways) in English.
    ctx = browser.new_context(
        base_url=server, viewport={"width": 1280, "height": 900}, locale=locale
    )
    try:
        page = ctx.new_page()
        sign_in(page, "servicing")
        page.goto("/lang/" + ("en" if locale == "en-US" else "zh_CN") + "?next=/loans")
        assert overflow(page, "[data-table=loans]") <= 0
        assert overflow(page, "section.card .table-wrap") <= 0
        status = page.locator("[data-table=loans] thead th").last
        expect(status).to_be_in_viewport()
    finally:
        ctx.close()
