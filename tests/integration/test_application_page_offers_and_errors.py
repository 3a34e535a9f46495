"""The application pages as their readers met them (SQLite and PostgreSQL): the English
form said "applicants[0].monthly_obligations 'abc' is not like 1234.56"; an underwriter's
counter-offer of "80,000" down was refused; the Chinese page wrote "原申请:" with an
ASCII colon; an underwriter was offered "Accept this offer" (the borrower's choice, whose
contract the underwriter may not sign); an application without a VIN offered the button
and refused the tap; and the offers side by side left out the down payment, though one
option costs least in total because more is paid down."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - the fixture
    _approved,
    container,
    csrf,
    form,
    post,
    web_sign_in,
)
from tests.integration.test_counter_offer_pages import counter, referred
from tests.support.origination import VIN

pytestmark = pytest.mark.integration


def _english(client: TestClient) -> None:
    client.cookies.set("autolend_lang", "en")


def _chinese(client: TestClient) -> None:
    client.cookies.set("autolend_lang", "zh_CN")


def test_an_english_form_says_what_is_wrong_with_an_amount_beside_its_field(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    _english(client)
    token = csrf(client.get("/applications/new").text)
    fields = form(**{"applicants[0].monthly_obligations": "abc"}) | {"csrf_token": token}
    page = client.post("/applications/new", data=fields).text
    error = re.search(
        r'data-field-error="applicants\[0\]\.monthly_obligations">(.*?)</p>', page, re.S
    )
    assert error, "the message stands beside the field it is about"
    assert error.group(1).strip() == "Please check this field: an amount such as 1500.00"
    assert "is not like 1234.56" not in page


@pytest.mark.parametrize("typed", ["80,000", "８０，０００．００"])
def test_an_underwriter_counter_offers_a_down_payment_typed_with_separators(
    client: TestClient, staff: dict[Role, str], typed: str
) -> None:
    """As a person writes it (or a Chinese input method types it): 80,000.00 down."""
    app_id = referred(client, staff)
    answer = counter(client, app_id, typed, "24")
    assert answer.status_code == 303, answer.text[:3000]
    _english(client)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-counter-amount="down-payment">¥80,000.00<' in page


def test_a_misgrouped_counter_offer_is_refused_not_read_as_another_amount(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = referred(client, staff)
    _english(client)
    refused = counter(client, app_id, "8,0000", "24")
    assert refused.status_code == 422
    # Named as the form's down payment (Money.parse's own field is "amount").
    assert (
        "That did not work: Down payment (counter-offer): write the amount without "
        "separators, such as 12000.00"
    ) in refused.text


def test_a_refused_counter_offer_names_the_review_forms_input_in_english(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The review form's inputs hold no message of their own: the alert names the one."""
    app_id = referred(client, staff)
    _english(client)
    refused = counter(client, app_id, "250,000", "24")  # the car costs 200,000.00
    assert refused.status_code == 422
    alert = re.search(r'data-error="reviewed" data-error-field="down_payment">(.*?)</div>',
                      refused.text, re.S)  # fmt: skip
    assert alert, refused.text[:3000]
    assert alert.group(1) == (
        "That did not work: Down payment (counter-offer): the down payment must be from 0 "
        "to below the price"
    )
    assert 'value="250,000" aria-invalid="true"' in refused.text  # kept as typed


def test_the_chinese_page_writes_a_label_before_its_value_with_a_full_width_colon(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = referred(client, staff)
    assert counter(client, app_id, "80000", "24").status_code == 303
    web_sign_in(client, staff, Role.DEALER)
    _chinese(client)
    page = client.get(f"/applications/{app_id}").text
    assert "<span data-applied-for>原申请：</span>" in page
    assert "<strong>附条件审批：</strong>" in page
    fees = re.findall(r'<li data-fee="\w+">([^·<]*)·', page)
    assert fees and all("：" in fee and ":" not in fee for fee in fees), fees
    _english(client)
    page = client.get(f"/applications/{app_id}").text
    assert "<span data-applied-for>Applied for:</span>" in page
    assert re.search(r'<li data-fee="gps">GPS: ¥1,500.00 ·', page)


def test_only_the_applicants_side_is_offered_to_accept_an_offer(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The underwriter who approved it reaches the application, not the borrower's choice."""
    app_id = _approved(client, staff)
    page = client.get(f"/applications/{app_id}").text  # the underwriter's
    assert "data-offer=" in page and 'data-form="accept"' not in page
    assert "data-accept-needs-vin" not in page
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/applications/{app_id}").text
    assert page.count('data-form="accept"') == page.count('data-offer="') >= 1


def test_an_offer_without_the_cars_vin_leads_to_the_vin_form_instead_of_a_button(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The service refuses the tap (the contract names the car by its VIN): the page says
    so before it, and the button comes once the VIN is added."""
    app_id = _approved(client, staff, **{"vehicle.vin": ""})
    web_sign_in(client, staff, Role.DEALER)
    _english(client)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-form="accept"' not in page
    notes = re.findall(r"data-accept-needs-vin>(.*?)</p>", page, re.S)
    assert len(notes) == page.count('data-offer="') >= 1
    assert 'href="#vin-form" data-action="go-to-vin">Add the VIN</a>' in notes[0]
    assert 'id="vin-form" data-form="vin"' in page
    refused = post(client, f"/applications/{app_id}/accept", {"option": "1"})
    assert refused.status_code == 422  # what the note says, the service does
    assert post(client, f"/applications/{app_id}/vin", {"vin": VIN}).status_code == 303
    page = client.get(f"/applications/{app_id}").text
    assert "data-accept-needs-vin" not in page and 'data-form="accept"' in page


def test_the_offers_side_by_side_show_each_down_payment_and_mark_a_larger_one(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    _english(client)
    page = client.get(f"/applications/{app_id}").text
    table = re.search(r'data-table="offer-compare">(.*?)</table>', page, re.S)
    assert table, "more than one offer is compared"
    rows = re.findall(r'<tr data-compare-option="(\d)">(.*?)</tr>', table.group(1), re.S)
    downs = {}
    for option, row in rows:
        found = re.search(r'data-compare="down-payment"( data-more-down)?>(?:<strong>)?'
                          r"¥([\d,.]+)<", row)  # fmt: skip
        assert found, row
        card = page.split(f'data-offer="{option}"')[1].split("</article>")[0]
        assert f"<dd>¥{found.group(2)}</dd>" in card  # the card's own down payment
        downs[option] = (Decimal(found.group(2).replace(",", "")), bool(found.group(1)))
    least = min(amount for amount, _ in downs.values())
    assert all(marked == (amount > least) for amount, marked in downs.values()), downs
