"""A late loan's page on a phone (390 px wide) as servicing works it, and a borrower's: every
control of the forms (payoff, repayment, reversal, fee waiver, write-off) and of the ledger
is at least 44 px tall (the text inputs were 40 px, "show every entry" 42 px), a danger
button (reverse, ask to write off) reads white on red (it was black on dark red), and no
date in the facts under the heading is broken after its hyphen ("2026-" / "12-01")."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.test_loan_pages_on_a_phone import overflow
from tests.e2e.test_staff_pages_on_a_phone import SMALL_CONTROLS
from tests.e2e.test_web_shell import api, api_token, sign_in

pytestmark = pytest.mark.e2e

BROKEN_DAYS = """() => [...document.querySelectorAll('.loan-head [data-day]')]
  .filter(e => e.getClientRects().length > 1).map(e => e.textContent)"""


def _late_loan_with_fees(server: str) -> dict[str, Any]:
    """A demo loan in repayment with a late fee charged: every servicing form is on it."""
    with api(server, api_token(server, "servicing", "demo-servicing")) as client:
        items = client.get("/api/v1/loans").json()["items"]
        views = [client.get(f"/api/v1/loans/{item['id']}").json() for item in items]
    late = [
        view
        for view in views
        if view["status"] == "active" and any(row["fee"] != "0.00" for row in view["schedule"])
    ]
    assert late, "the demo has a used-car loan with late fees"
    found: dict[str, Any] = late[0]
    return found


def test_every_control_of_a_late_loans_forms_is_44_pixels_tall_on_a_phone(
    phone: Page, server: str
) -> None:
    loan = _late_loan_with_fees(server)
    sign_in(phone, "servicing")
    phone.goto(f"/loans/{loan['id']}")
    assert phone.locator("[data-form=fee-waiver]").count() == 1
    assert phone.locator("[data-form=reversal]").count() == 1
    assert overflow(phone, "html") <= 0
    assert phone.evaluate(SMALL_CONTROLS) == []
    phone.goto("/loans")
    assert phone.evaluate(SMALL_CONTROLS) == []
    assert phone.locator("[data-form=loan-filter] .check").bounding_box()["height"] >= 44  # type: ignore[index]


def test_a_danger_button_on_the_loan_page_reads_white_on_red(phone: Page, server: str) -> None:
    loan = _late_loan_with_fees(server)
    sign_in(phone, "servicing")
    phone.goto(f"/loans/{loan['id']}")
    colours = phone.eval_on_selector_all(
        ".btn--danger", "els => els.map(e => getComputedStyle(e).color)"
    )
    assert len(colours) >= 2  # reverse, ask to write off
    assert set(colours) == {"rgb(255, 255, 255)"}


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_no_date_under_the_loans_heading_is_broken_across_lines_on_a_phone(
    phone: Page, language: str
) -> None:
    sign_in(phone, "borrower")
    phone.goto("/lang/" + language + "?next=/loans")
    phone.locator("[data-table=loans] [data-loan-id] a").first.click()
    phone.wait_for_load_state()
    assert phone.locator(".loan-head [data-day]").count() >= 2
    assert phone.evaluate(BROKEN_DAYS) == []
