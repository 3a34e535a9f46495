"""The application pages as a phone reads them (SQLite and PostgreSQL): the borrower's own
form lets the phone fill in their name, phone, e-mail and address (and nobody else's), a
phone number and an e-mail get their keyboards, a VIN or an ID is typed in capitals without
spelling correction, a refused form's banner leads to the field it names, several offers
are compared side by side with a balloon's final payment named, and a signed application
leads the borrower to their loan."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - container: the demo one
    _approved,
    container,
    csrf,
    form,
    post,
    web_sign_in,
)

pytestmark = pytest.mark.integration


def _input(page: str, name: str) -> str:
    found = re.search(rf'<input [^>]*name="{re.escape(name)}"[^>]*>', page)
    assert found, name
    return found.group(0)


def test_the_borrowers_own_form_lets_the_phone_fill_in_their_details_and_no_one_elses(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.BORROWER)
    page = client.get("/applications/new").text
    assert 'autocomplete="name"' in _input(page, "applicants[0].name")
    mobile = _input(page, "applicants[0].mobile")
    assert 'type="tel"' in mobile and 'autocomplete="tel-national"' in mobile
    email = _input(page, "applicants[0].email")
    assert 'type="email"' in email and 'autocomplete="email"' in email
    assert 'autocomplete="street-address"' in _input(page, "applicants[0].address")
    for slot in (1, 2):  # a co-borrower's or a guarantor's are not the phone owner's
        for name in ("name", "mobile", "email", "address"):
            assert 'autocomplete="off"' in _input(page, f"applicants[{slot}].{name}"), name


def test_a_dealers_form_never_fills_the_customer_in_from_the_dealers_own_details(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    page = client.get("/applications/new").text
    for name in ("name", "mobile", "email", "address"):
        assert 'autocomplete="off"' in _input(page, f"applicants[0].{name}"), name
    assert 'type="tel"' in _input(page, "applicants[0].mobile")


def test_a_vin_and_an_id_number_are_typed_in_capitals_without_spelling_correction(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    page = client.get("/applications/new").text
    for name in ("vehicle.vin", "applicants[0].id_number", "applicants[1].id_number"):
        typed = _input(page, name)
        assert 'autocapitalize="characters"' in typed and 'spellcheck="false"' in typed, name
    for name in ("down_payment", "vehicle.price", "applicants[0].monthly_income"):
        assert 'inputmode="decimal"' in _input(page, name), name


def test_a_refused_forms_banner_leads_to_the_input_it_names(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    token = csrf(client.get("/applications/new").text)
    typed = form(**{"applicants[0].monthly_obligations": "abc"}) | {"csrf_token": token}
    refused = client.post("/applications/new", data=typed)
    assert refused.status_code == 422
    banner = refused.text.split("data-form-error=", 1)[1].split("</div>", 1)[0]
    assert 'href="#f-applicants-0-monthly_obligations" data-action="go-to-field"' in banner
    assert 'id="f-applicants-0-monthly_obligations"' in refused.text
    unchosen = client.post("/applications/new", data=typed | form(product_code=""))
    assert 'href="#f-product_code"' in unchosen.text
    assert re.search(r'<select id="f-product_code"[^>]*aria-invalid="true"', unchosen.text)


def _offers_page(client: TestClient, staff: dict[Role, str], product: str) -> str:
    app_id = _approved(client, staff, product_code=product)
    web_sign_in(client, staff, Role.DEALER)
    return str(client.get(f"/applications/{app_id}").text)


def test_several_offers_are_compared_side_by_side_with_the_cheapest_marked(
    client: TestClient, staff: dict[Role, str]
) -> None:
    page = _offers_page(client, staff, "STD_NEW")
    offers = page.count('<article class="card" id="offer-')
    assert offers > 1, page[page.find('data-section="offers"') :][:3000]
    table = page.split('data-table="offer-compare"', 1)[1].split("</table>", 1)[0]
    for n in range(1, offers + 1):
        assert f'href="#offer-{n}"' in table and f'id="offer-{n}"' in page
    assert table.count("data-lowest") == 1
    assert table.count('data-compare="total-cost"') == offers
    assert table.count('data-compare="apr-effective"') == offers
    assert 'data-compare="final"' not in table  # a level schedule has no balloon


def test_a_balloon_offers_final_payment_is_named_beside_its_installment(
    client: TestClient, staff: dict[Role, str]
) -> None:
    page = _offers_page(client, staff, "BALLOON")
    assert "data-final-payment" in page
    if 'data-table="offer-compare"' in page:
        assert 'data-compare="final"' in page


def test_a_signed_application_leads_the_borrower_to_their_loan(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303
    assert post(client, f"/applications/{app_id}/sign").status_code == 303
    page = client.get(f"/applications/{app_id}").text
    assert 'data-action="open-loan"' not in page  # signing: not yet
    signing = page.split('data-form="signing"', 1)[1]
    assert signing.index('data-form="sign"') < signing.index('data-form="send-code"')
    code = re.search(r"验证码为 (\d{6})", client.get("/demo/sms").text)
    assert code is not None
    assert post(client, f"/applications/{app_id}/sign", {"code": code.group(1)}).status_code == 303
    page = client.get(f"/applications/{app_id}").text
    loan = re.search(r'href="/loans/(\d+)" data-action="open-loan"', page)
    assert loan and "data-loan-starts" in page
    assert client.get(f"/loans/{loan.group(1)}").status_code == 200
    # An administrator reaches the application but reads no loan or contract (no
    # loan:read): the page links to neither, where both links answered "no access".
    web_sign_in(client, staff, Role.ADMIN)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="signed"' in page
    assert 'data-action="open-loan"' not in page and "contract.pdf" not in page
    assert client.get(f"/loans/{loan.group(1)}").status_code in (403, 404)
