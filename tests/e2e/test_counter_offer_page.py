"""An underwriter counter-offers a referred demo case in headless Chromium: the decision
card says the case was approved on changed terms, with what was applied for beside the
counter-offer, and the page's header labels the figures applied for as such."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e


def _amount(text: str) -> Decimal:
    """``CN¥52,500.00`` or ``¥52,500.00`` -> 52500.00."""
    found = re.search(r"[\d,]+\.\d\d", text)
    assert found, text
    return Decimal(found.group(0).replace(",", ""))


def _vehicle_figure(page: Page, label: str) -> Decimal:
    row = page.locator("[data-section=vehicle] dl > div", has_text=label).first
    return _amount(row.locator("dd").inner_text())


def test_a_counter_offer_reads_as_approved_on_changed_terms_beside_what_was_applied_for(
    page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, "underwriter")
    page.goto("/review")
    page.click("text=English")
    referred = page.locator("[data-table=review-queue] tr:has([data-application-status=referred])")
    if referred.count() == 0:
        pytest.skip("the demo has no referred case left to counter-offer")
    referred.first.locator("a").first.click()
    price, down = _vehicle_figure(page, "Price"), _vehicle_figure(page, "Down payment")
    larger = down + price / 10  # a tenth of the price more down: less to finance
    page.select_option("#review-action", "counter_offer")
    page.fill("#review-reason", "a larger down payment brings the LTV down")
    page.fill("#review-down", f"{larger:.2f}")
    page.click("[data-action=review]")
    expect(page.locator("[data-notice=reviewed]")).to_be_visible()
    decision = page.locator("[data-section=decision]")
    expect(decision.locator("h2")).to_have_text(
        "Decision: Approved on changed terms (counter-offer)"
    )
    cells = decision.locator("[data-counter=down_payment] td.num")
    assert [_amount(t) for t in cells.all_inner_texts()] == [down, larger]
    expect(page.locator("[data-applied-for]")).to_have_text("Applied for:")
    summary = page.locator("[data-counter-offer-summary]")
    assert _amount(summary.locator("[data-counter-amount=vehicle]").inner_text()) == price - larger
    expect(page.locator("[data-counter-offer-option]")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "counter-offer.png"), full_page=True)
