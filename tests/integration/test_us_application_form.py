"""The web application form under the US pack, on both databases. The form asked for a
resident ID, a mainland mobile and amounts in yuan whatever the lender, so a dealer under
a US lender (``AUTOLEND_JURISDICTION=US``) could not file a US application from the page.
Now it asks under the pack of the chosen product, else of the lender's jurisdiction: an
SSN or ITIN, a date of birth and a US phone, amounts in dollars; a problem shows next to
its field, as under CN."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import PNG, csrf, stored, web_sign_in
from tests.integration.test_us_origination import stored_customer, us_product  # noqa: F401 - fixture
from tests.support.origination import (
    us_lender_container,  # noqa: F401 - the container
)

# Every test here files for US_NEW, published by that fixture.
pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("us_product")]

# What a dealer types for John Smith's Ford (test_us_origination's US_APPLICANT, by hand).
US_FORM = {
    "product_code": "US_NEW", "term_months": "60", "down_payment": "8000.00",
    "vehicle.make": "Ford", "vehicle.model": "Escape", "vehicle.energy": "ice",
    "vehicle.condition": "new", "vehicle.price": "35000.00",
    "applicants[0].name": "John Smith", "applicants[0].id_number": "123-45-6788",
    "applicants[0].birth_date": "1985-04-12", "applicants[0].mobile": "(614) 555-0100",
    "applicants[0].street": "1 Main St", "applicants[0].city": "Columbus",
    "applicants[0].state": "OH", "applicants[0].zip": "43215",
    "applicants[0].employment": "salaried",
    "applicants[0].monthly_income": "9000.00", "applicants[0].monthly_obligations": "300.00",
    "applicants[0].income_documented": "on", "consent.bureau_query": "on",
    "consent.data_processing": "on",
}  # fmt: skip


def input_tag(page: str, name: str) -> str:
    match = re.search(rf'<input [^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, name
    return match.group(0)


def label_of(page: str, name: str) -> str:
    match = re.search(
        rf'<div class="field" data-field="{re.escape(name)}">\s*<label [^>]*>([^<]*)</label>', page
    )
    assert match, name
    return match.group(1)


def post_form(client: TestClient, fields: dict[str, str]) -> Any:
    token = csrf(client.get("/applications/new").text)
    return client.post(
        "/applications/new", data=fields | {"csrf_token": token}, follow_redirects=False
    )


def test_a_us_lenders_form_asks_for_an_ssn_a_birth_date_and_a_us_phone_in_dollars(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    page = client.get("/applications/new").text
    assert label_of(page, "applicants[0].id_number") == "SSN or ITIN *"
    assert 'type="date"' in input_tag(page, "applicants[0].birth_date")
    assert label_of(page, "applicants[0].mobile") == "Phone *"
    assert 'data-field-help="applicants[0].mobile">10 digits, e.g. 614 555 0100<' in page
    assert label_of(page, "down_payment") == "Down payment ($) *"
    assert label_of(page, "vehicle.price") == "Price ($) *"
    assert "Resident ID" not in page and "credit reference centre" not in page


def test_a_us_lenders_dealer_files_a_us_application_through_the_form(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    made = post_form(client, US_FORM)
    assert made.status_code == 303, made.text[:3000]
    person = stored_customer(container, "123456788")
    assert (person["id_number"], person["phone"]) == ("123456788", "+16145550100")
    assert person["monthly_income"] == "9000.00 USD"


def test_a_dealer_files_amounts_typed_with_digit_group_commas(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    grouped = {"vehicle.price": "35,000.00", "down_payment": "8,000",
               "applicants[0].monthly_income": "9,000.00"}  # fmt: skip
    made = post_form(client, US_FORM | grouped)
    assert made.status_code == 303, made.text[:3000]
    assert stored_customer(container, "123456788")["monthly_income"] == "9000.00 USD"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"vehicle.price": "3,50.00"}, "vehicle.price"),
        ({"applicants[0].monthly_income": "9.000,00"}, "applicants[0].monthly_income"),
        ({"applicants[0].id_number": "666-12-3456"}, "applicants[0].id_number"),
        ({"applicants[0].birth_date": ""}, "applicants[0].birth_date"),
        ({"applicants[0].mobile": "114 555 0100"}, "applicants[0].mobile"),
    ],
    ids=[
        "misplaced_comma",
        "decimal_comma",
        "ssn_area_666",
        "no_birth_date",
        "phone_area_starts_1",
    ],
)
def test_a_us_problem_shows_next_to_its_field_with_the_typed_values_kept(
    client: TestClient, container: Container, staff: dict[Role, str],
    change: dict[str, str], field: str,
) -> None:  # fmt: skip
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    answer = post_form(client, US_FORM | change)
    assert answer.status_code == 422
    page = answer.text
    assert f'data-field-error="{field}"' in page
    assert 'aria-invalid="true"' in input_tag(page, field)
    assert 'value="John Smith"' in input_tag(page, "applicants[0].name")
    assert label_of(page, "applicants[0].id_number") == "SSN or ITIN *"  # still the US form
    assert stored(container) == 0


@pytest.mark.parametrize("container", ["CN"], indirect=True)
def test_a_cn_lenders_form_asks_under_the_us_pack_once_a_us_product_is_chosen(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    assert label_of(client.get("/applications/new").text,
                    "applicants[0].id_number") == "Resident ID number *"  # fmt: skip
    chosen = client.get("/applications/new?product=US_NEW").text
    assert label_of(chosen, "applicants[0].id_number") == "SSN or ITIN *"
    assert re.search(r'<option value="US_NEW" selected>', chosen)
    made = post_form(client, US_FORM)
    assert made.status_code == 303, made.text[:3000]
    assert stored_customer(container, "123456788")["phone"] == "+16145550100"


def term_options(page: str) -> list[int]:
    """The months the form's term menu offers."""
    menu = re.search(r'<select id="f-term_months"[^>]*>(.*?)</select>', page, re.S)
    assert menu, page[:2000]
    return [int(m) for m in re.findall(r'<option value="(\d+)"', menu.group(1))]


def test_a_us_lenders_form_offers_terms_up_to_the_packs_84_months(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """It offered 12 to 60 months whatever the pack: a 72-month US loan could not be
    asked for from the page."""
    web_sign_in(client, staff, Role.DEALER)
    assert term_options(client.get("/applications/new").text) == [
        12, 18, 24, 36, 48, 60, 72, 84,
    ]  # fmt: skip


@pytest.mark.parametrize("container", ["CN"], indirect=True)
def test_a_cn_lenders_form_offers_the_terms_it_always_did_and_the_us_products_once_chosen(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """Once a product is chosen the menu offers its own terms (this US_NEW's are
    STD_NEW's, 12 to 60 months), not the pack's 72 and 84 it would refuse; a US product
    of 84 months offers them (:func:`autolend.web.application_form.form_terms`)."""
    web_sign_in(client, staff, Role.DEALER)
    assert term_options(client.get("/applications/new").text) == [12, 18, 24, 36, 48, 60]
    chosen = term_options(client.get("/applications/new?product=US_NEW").text)
    assert chosen == [12, 24, 36, 48, 60]


def options_of(page: str, name: str) -> list[tuple[str, str]]:
    """The (value, label) pairs of the menu named ``name``."""
    menu = re.search(rf'<select [^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert menu, name
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', menu.group(1))


@pytest.mark.parametrize("container", ["US", "CN"], indirect=True)
def test_a_us_form_offers_farming_as_self_employment_and_a_cn_one_a_farmer(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The US form offered "Farmer", a Chinese category; the value stays (the credit
    models know a farmer), labelled as US applications say it."""
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    page = client.get("/applications/new").text
    us = "SSN or ITIN *" in page
    jobs = dict(options_of(page, "applicants[0].employment"))
    assert list(jobs) == ["salaried", "self_employed", "farmer", "retired"]
    assert jobs["farmer"] == ("Self-employed (agriculture)" if us else "Farmer")


def test_a_us_application_offers_a_drivers_license_not_the_id_cards_sides_yet_takes_them(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """A US application's upload menu offered "ID card, front/back" (China's resident ID);
    it offers a driver's license or state ID, and the upload still takes every kind."""
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    made = post_form(client, US_FORM)
    assert made.status_code == 303, made.text[:3000]
    address = made.headers["location"].split("?")[0]
    page = client.get(address).text
    assert options_of(page, "kind") == [
        ("driving_licence", "Driver's license or state ID"), ("income_proof", "Proof of income"),
        ("bank_statement", "Bank statement"), ("vehicle_invoice", "Vehicle invoice"),
    ]  # fmt: skip
    assert "ID card" not in page
    fields, upload = {"kind": "id_front", "csrf_token": csrf(page)}, {"file": ("id.png", PNG)}
    sent = client.post(f"{address}/documents", data=fields, files=upload, follow_redirects=False)
    assert sent.status_code == 303, sent.text[:2000]
