"""The customers, audit and product pages on a phone (390 px wide) in headless Chromium.
Their tables were wider than the screen (the customers 606 px, the audit records 910 px in
348 px), so staff scrolled sideways to read a customer's phone or a record's action; they
are now one card per row, each value beside its column's name. A servicing agent finds a
customer by their ID number and goes on to what the customer applied for."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_loan_pages_on_a_phone import overflow
from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e


def test_a_servicing_agent_finds_a_customer_on_a_phone_and_reaches_their_applications(
    phone: Page,
) -> None:
    sign_in(phone, "servicing")
    phone.goto("/customers")
    assert overflow(phone, "html") <= 0
    assert overflow(phone, "[data-table=customers]") <= 0
    expect(phone.locator("[data-table=customers] thead")).to_be_hidden()
    first = phone.locator("[data-table=customers] tbody tr").first
    id_number = first.locator("td").nth(2).inner_text().split("\n")[-1].strip()
    phone.fill("#customer-id-search", id_number)
    phone.click("[data-action=find-customer]")
    phone.wait_for_load_state()
    expect(phone.locator("[data-table=customers] tbody tr")).to_have_count(1)
    expect(phone.locator("#customer-id-search")).to_have_value(id_number)
    phone.locator("[data-table=customers] tbody tr a").first.click()
    phone.wait_for_load_state()
    expect(phone.locator("[data-section=customer-applications]")).to_be_visible()
    assert overflow(phone, "html") <= 0


def test_the_audit_trail_and_a_products_versions_fit_a_phone(phone: Page) -> None:
    sign_in(phone, "admin")
    phone.goto("/audit")
    assert overflow(phone, "html") <= 0
    assert overflow(phone, "[data-table=audit]") <= 0
    expect(phone.locator("[data-table=audit] .cell-label").first).to_be_visible()
    phone.goto("/products")
    phone.locator("[data-history] summary").first.click()
    versions = phone.locator("[data-history] .table-wrap").first
    assert versions.evaluate("e => e.scrollWidth - e.clientWidth") <= 0


SMALL_CONTROLS = """() => [...document.querySelectorAll(
    'main a, main button, main select, main input:not([type=hidden]), main summary')]
  .filter(e => e.offsetParent && !e.closest('.check'))
  .filter(e => e.getBoundingClientRect().height < 44)
  .map(e => (e.textContent || e.name || '').trim().slice(0, 20))"""


@pytest.mark.parametrize(
    ("user", "path"),
    [("risk", "/portfolio"), ("servicing", "/eod"), ("risk", "/approvals"),
     ("servicing", "/products"), ("servicing", "/customers"), ("servicing", "/loans"),
     ("admin", "/users")],
)  # fmt: skip
def test_staff_pages_fit_a_phone_with_every_control_44_pixels_tall(
    phone: Page, user: str, path: str
) -> None:
    # The portfolio's chart grid was 465 px wide (420 px columns); its snapshot date, the
    # end-of-day date, a product's history, pagers and the links of stacked rows were
    # 15-42 px tall.
    sign_in(phone, user)
    phone.goto(path)
    assert overflow(phone, "html") <= 0
    assert phone.evaluate(SMALL_CONTROLS) == []


def test_the_users_table_is_one_card_per_user_on_a_phone(phone: Page) -> None:
    # It was 494-622 px wide in 348 px: an administrator scrolled sideways for the roles.
    sign_in(phone, "admin")
    phone.goto("/users")
    assert overflow(phone, "[data-table=users]") <= 0
    assert overflow(phone, "section.card .table-wrap") <= 0
    expect(phone.locator("[data-table=users] thead")).to_be_hidden()
    expect(phone.locator("[data-table=users] .cell-label").first).to_be_visible()


DANGER_BUTTON_COLOUR = """() => {
  const button = document.createElement('button');
  button.className = 'btn btn--danger';
  button.textContent = 'Reject';
  document.querySelector('main').append(button);
  return getComputedStyle(button).color;
}"""


def test_a_danger_button_reads_white_on_red_on_any_page(phone: Page) -> None:
    # "Reject" on /approvals and "Decline" on a review were black on dark red: the rule
    # set no text colour (only the loan pages had one).
    sign_in(phone, "risk")
    phone.goto("/approvals")
    assert phone.evaluate(DANGER_BUTTON_COLOUR) == "rgb(255, 255, 255)"
