"""A US lender's application form in headless Chromium (``AUTOLEND_JURISDICTION=US``):
the dealer types the address as street, city, state and ZIP, gives the FCRA authorization
and the privacy-notice consent (no PIPL sensitive-data box), and the application is filed;
a ZIP typed wrong is refused at its own input with what was typed kept. The page's dates
are month first (12/01/2026), as US readers write them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e

TYPED = {
    "down_payment": "8000.00", "vehicle.make": "Ford", "vehicle.model": "Escape",
    "vehicle.price": "35000.00", "applicants[0].name": "John Smith",
    "applicants[0].id_number": "987-65-4329", "applicants[0].birth_date": "1985-04-12",
    "applicants[0].mobile": "(614) 555-0142", "applicants[0].street": "1 Main St",
    "applicants[0].city": "Columbus", "applicants[0].zip": "4321",
    "applicants[0].monthly_income": "9000.00", "applicants[0].monthly_obligations": "300.00",
}  # fmt: skip


def test_a_us_dealer_files_an_application_with_a_us_address_and_us_consents(
    us_page: Page,
) -> None:
    page = us_page
    sign_in(page, "dealer")
    page.goto("/lang/en?next=/applications")
    page.click("[data-action=new-application]")
    expect(page.locator("[name='consent.sensitive_data']")).to_have_count(0)
    expect(page.locator("form[data-form=application]")).to_contain_text("Fair Credit Reporting Act")
    page.select_option("[name=product_code]", "US_NEW_AUTO")
    page.select_option("[name=term_months]", "60")
    page.select_option("[name='vehicle.condition']", "new")
    for name, value in TYPED.items():
        page.fill(f"[name='{name}']", value)
    page.select_option("[name='applicants[0].state']", "OH")
    page.select_option("[name='applicants[0].employment']", "salaried")
    page.check("[name='applicants[0].income_documented']")
    for kind in ("bureau_query", "data_processing"):
        page.check(f"[name='consent.{kind}']")
    page.click("[data-action=file-application]")
    # A ZIP of four digits is refused at its input, everything typed kept.
    expect(page.locator("[data-field-error='applicants[0].zip']")).to_be_visible()
    expect(page.locator("[name='applicants[0].street']")).to_have_value("1 Main St")
    expect(page.locator("[name='applicants[0].state']")).to_have_value("OH")
    page.fill("[name='applicants[0].zip']", "43215")
    page.click("[data-action=file-application]")
    expect(page.locator("[data-notice=created]")).to_be_visible()
    # The application page dates its events month first.
    assert re.search(r"\b\d{2}/\d{2}/20\d{2}\b", page.locator("main").inner_text())
