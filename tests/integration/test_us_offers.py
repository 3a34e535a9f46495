"""A US application's offers and credit report, on both databases, under a US lender with
the sandbox bureau and the dollar model.

``GET /applications/{id}/offers`` left out the Truth-in-Lending figures (12 CFR 1026.18)
that a US quote carries: now each US offer has them (``regz``), the same the contract of
that offer states, and the application page shows them. The bureau summary was
formatted in yuan whatever the market: it is now in the report's currency, dollars for an
SSN, on the API and on the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.contract import Vehicle
from autolend.services.contract_facts import ContractRequest, truth_in_lending
from autolend.services.origination import _upfront_fees, stored_offers
from autolend.web.i18n import format_money
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_bureau_sandbox import (  # noqa: F401 - fixtures
    control,
    sandbox,
    sandbox_url,
)
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_bureau import bureau, container, model  # noqa: F401 - fixtures
from tests.integration.test_us_origination import us_body, us_product  # noqa: F401 - fixture
from tests.support.bureau_ids import us_tins

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("us_product")]
VIN = "1FTEW1EP0MKD12345"  # check digit 0 (ISO 3779)


def offered(client: TestClient, staff: dict[Role, str]) -> tuple[int, list[dict[str, Any]]]:
    """A clean US file, decided (approved by an underwriter if it was referred), and its
    offers as the API answers them."""
    dealer = as_role(client, staff, Role.DEALER)
    body = us_body(id_number=us_tins("clean", 1, 1)[0])
    body["vehicle"]["vin"] = VIN
    made = client.post("/api/v1/applications", json=body, headers=dealer)
    assert made.status_code == 201, made.text
    app_id = made.json()["id"]
    decided = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    assert decided.status_code == 200, decided.text
    if decided.json()["status"] == "referred":
        approved = client.post(f"/api/v1/applications/{app_id}/review",
                               headers=as_role(client, staff, Role.UNDERWRITER),
                               json={"action": "approve", "reason": "checked"})  # fmt: skip
        assert approved.status_code == 200, approved.text
    offers = client.get(f"/api/v1/applications/{app_id}/offers", headers=dealer)
    assert offers.status_code == 200, offers.text
    assert offers.json()["items"], decided.json()
    return app_id, offers.json()["items"]


def test_each_us_offer_carries_the_figures_its_contract_states(
    client: TestClient,
    container: Container,  # noqa: F811 - the fixture
    staff: dict[Role, str],
) -> None:
    app_id, offers = offered(client, staff)
    for offer in offers:
        regz = offer["regz"]
        assert regz["apr"] == offer["apr_nominal_percent"]
        assert set(regz) == {"amount_financed", "finance_charge", "total_of_payments",
                             "total_sale_price", "apr"}  # fmt: skip
    accepted = client.post(f"/api/v1/applications/{app_id}/accept", json={"option": 1},
                           headers=as_role(client, staff, Role.DEALER))  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    with container.uow() as uow:
        row = uow.applications.get(app_id)
        assert row is not None and row.loan_id is not None
        loan = uow.loans.get(row.loan_id)
        assert loan is not None
        rows = uow.loans.installments(loan.id)
    chosen = stored_offers(row)[1][0]
    vehicle = Vehicle(VIN, "Ford", "Escape", "ICE")
    request = ContractRequest(
        row.loan_id, vehicle, None, _upfront_fees(chosen), down_payment=chosen.down_payment
    )  # as the contract is issued
    stated = truth_in_lending(loan, rows, request)  # what the contract prints
    assert stated is not None and stated.total_sale_price is not None
    assert offers[0]["regz"] == {
        "amount_financed": stated.amount_financed.to_api(),
        "finance_charge": stated.finance_charge.to_api(),
        "total_of_payments": stated.total_of_payments.to_api(),
        "total_sale_price": stated.total_sale_price.to_api(),
        "apr": str(stated.apr),
    }


@pytest.mark.usefixtures("container")
def test_the_application_page_shows_the_offers_figures_and_the_report_in_dollars(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id, offers = offered(client, staff)
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    shown = client.get(f"/api/v1/applications/{app_id}", headers=underwriter)
    customer = shown.json()["customer_id"]
    reports = client.get(f"/api/v1/customers/{customer}/bureau-reports", headers=underwriter)
    assert reports.status_code == 200, reports.text
    summary = reports.json()[0]["summary"]
    assert summary["currency"] == "USD" and summary["accounts"] > 0
    web_sign_in(client, staff, Role.UNDERWRITER)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{app_id}").text
    report = re.search(r'data-section="bureau">(.*?)</section>', page, re.S)
    assert report is not None
    owed = format_money(summary["total_outstanding"], "USD", "en")
    assert owed.startswith("$") and owed in report.group(1)
    assert "¥" not in report.group(1)
    for offer in offers:
        card = re.search(rf'data-offer="{offer["option"]}"[^>]*>(.*?)</article>', page, re.S)
        assert card is not None
        z = offer["regz"]
        assert f"data-regz-apr>{z['apr']}%<" in card.group(1)
        for name in ("finance_charge", "amount_financed", "total_of_payments", "total_sale_price"):
            shown = format_money(z[name], "USD", "en")
            assert f"data-regz-{name.replace('_', '-')}>{shown}<" in card.group(1), name
    assert 'data-disclosure="regz"' in page and "PBOC" not in page
