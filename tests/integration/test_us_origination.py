"""A US borrower over HTTP on both databases: registered as a customer (SSN, US phone),
filed for a US product, submitted and decided under the default policy, and reviewed by
an underwriter. Origination under the US pack used to fail at every step: the customer's
ID had to have 18 characters, the application was read under CN rules (resident ID,
mainland mobile) in CNY, and the default policy compared a USD loan with CNY 300,000.00.
Bad US input is a 422 naming the path, with nothing stored; a US ID on a CN product, or
a CN resident ID on a US product, is refused the same way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.db import application_tables as at
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services.application_records import raw_details
from autolend.services.customers import sealing_context
from tests.integration.test_loans_api import as_role
from tests.integration.test_products_api import new_version
from tests.support.messaging import SmsSandbox, sms_gateway
from tests.support.origination import (
    BORROWER_ID,
    application_body,
    referring_container,  # noqa: F401 - the container: no bureau, no model
)

pytestmark = pytest.mark.integration

US_APPLICANT = {
    "role": "borrower", "name": "John Smith", "id_number": "123-45-6788",
    "birth_date": "1985-04-12", "mobile": "6145550100", "address": "1 Main St, Columbus OH",
    "employment": "salaried", "monthly_income": "9000.00", "income_documented": True,
    "monthly_obligations": "300.00", "first_time_buyer": False,
}  # fmt: skip


@pytest.fixture
def sms() -> Iterator[SmsSandbox]:
    with sms_gateway() as box:
        yield box


@pytest.fixture
def us_product(client: TestClient, staff: dict[Role, str]) -> str:
    """``US_NEW``, published under the US pack in USD (as test_us_product_ages does)."""
    body = new_version(
        code="US_NEW", pack="US", currency="USD", fees=[], min_amount="5000.00",
        max_amount="80000.00", penalty_uplift="0", effective_from="2026-11-28",
        eligibility={"conditions": ["new"], "employment": ["salaried", "self_employed"]},
    )  # fmt: skip
    made = client.post("/api/v1/products", json=body, headers=as_role(client, staff, Role.ADMIN))
    assert made.status_code == 201, made.text
    return "US_NEW"


def us_body(**applicant: Any) -> dict[str, Any]:
    """A US application for ``US_NEW``: a 35,000.00 car, 8,000.00 down, 60 months."""
    vehicle = {"make": "Ford", "model": "Escape", "energy": "ice", "condition": "new",
               "price": "35000.00", "dealer_id": 1}  # fmt: skip
    return application_body(
        product_code="US_NEW", term_months=60, down_payment="8000.00", vehicle=vehicle,
        applicants=[US_APPLICANT | applicant],
    )  # fmt: skip


def counted(container: Container, table: Any) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def stored_customer(container: Container, id_number: str) -> dict[str, Any]:
    """The sealed customer record with the blind index of ``id_number``, opened."""
    index = container.cipher.blind_index("id_number", id_number)
    with container.uow() as uow:
        row = uow.customers.by_id_number_index(index)
    assert row is not None, id_number
    return dict(container.cipher.open(row.sealed, context=sealing_context(index)))


def test_a_dealer_registers_a_us_customer_stored_with_the_ssn_and_an_e164_phone(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    person = {"name": "John Smith", "id_number": "123-45-6788", "phone": "6145550100",
              "monthly_income": "9000.00", "pack_code": "US"}  # fmt: skip
    made = client.post("/api/v1/customers", json=person, headers=dealer)
    assert made.status_code == 201, made.text
    assert (made.json()["id_number"], made.json()["currency"]) == ("***", "USD")  # masked
    stored = stored_customer(container, "123456788")
    assert (stored["id_number"], stored["phone"]) == ("123456788", "+16145550100")
    assert stored["monthly_income"] == "9000.00 USD"
    again = client.post("/api/v1/customers", json=person, headers=dealer)
    assert again.status_code == 409  # an SSN is no resident ID: the message says neither
    assert again.json()["error"]["message"] == "a customer with this ID number already exists"
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    found = client.post("/api/v1/customers/search", headers=underwriter,
                        json={"id_number": "123-45-6788", "pack_code": "US"})  # fmt: skip
    assert found.status_code == 200, found.text
    assert (found.json()["id_number"], found.json()["phone"]) == ("123456788", "+16145550100")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_number": "666-12-3456"}, "id_number"),
        ({"id_number": "912-93-4567"}, "id_number"),
        ({"phone": "1145550100"}, "phone"),
        ({"pack_code": "CN"}, "id_number"),  # an SSN is no resident ID
    ],
    ids=["ssn_area_666", "itin_group_93", "phone_area_starts_1", "ssn_under_cn"],
)
def test_a_bad_us_customer_is_refused_naming_the_field_in_both_languages(
    client: TestClient, container: Container, staff: dict[Role, str], change: dict[str, str],
    field: str,
) -> None:  # fmt: skip
    person = {"name": "John Smith", "id_number": "123-45-6788", "phone": "6145550100",
              "pack_code": "US"} | change  # fmt: skip
    refused = client.post("/api/v1/customers", json=person,
                          headers=as_role(client, staff, Role.DEALER))  # fmt: skip
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == field
    assert counted(container, t.customers) == 0


def test_a_us_application_is_filed_decided_and_approved_under_the_default_policy(
    client: TestClient, container: Container, staff: dict[Role, str], us_product: str
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post("/api/v1/applications", json=us_body(), headers=dealer)
    assert made.status_code == 201, made.text
    app_id = made.json()["id"]
    stored = stored_customer(container, "123456788")
    assert (stored["id_number"], stored["phone"]) == ("123456788", "+16145550100")
    with container.engine.connect() as conn:
        currency = conn.execute(select(at.applications.c.currency)).scalar_one()
    assert currency == "USD"
    decided = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    assert decided.status_code == 200, decided.text
    # No bureau and no model here: the case goes to a person, it does not crash.
    assert decided.json()["status"] == "referred", decided.json()["decision"]
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    shown = client.get(f"/api/v1/applications/{app_id}", headers=underwriter).json()
    party = shown["parties"][0]
    assert (party["id_number"], party["mobile"]) == ("123456788", "+16145550100")
    # 27,000.00 USD is below the default's 50,000.00 USD: one underwriter approves.
    reviewed = client.post(f"/api/v1/applications/{app_id}/review", headers=underwriter,
                           json={"action": "approve", "reason": "verified income"})  # fmt: skip
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["status"] == "approved"


@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        ({"id_number": "000-12-3456"}, "applicants[0].id_number"),
        ({"id_number": "123-00-4567"}, "applicants[0].id_number"),
        ({"id_number": "123-45-0000"}, "applicants[0].id_number"),
        ({"id_number": "912-89-1234"}, "applicants[0].id_number"),
        ({"id_number": "123-45-6789"}, "applicants[0].id_number"),  # the example number
        ({"id_number": "078051120"}, "applicants[0].id_number"),  # voided by the SSA
        ({"id_number": "12345678"}, "applicants[0].id_number"),
        ({"id_number": BORROWER_ID}, "applicants[0].id_number"),  # CN ID, US product
        ({"birth_date": None}, "applicants[0].birth_date"),
        ({"birth_date": "1985-02-30"}, "applicants[0].birth_date"),
        ({"birth_date": "2030-01-01"}, "applicants[0].birth_date"),
        ({"mobile": "13800138000"}, "applicants[0].mobile"),  # CN mobile, US product
        ({"mobile": "614-055-0100"}, "applicants[0].mobile"),
    ],
    ids=["area_000", "group_00", "serial_0000", "itin_group_89", "example_ssn",
         "woolworth_ssn", "eight_digits",
         "cn_resident_id", "no_birth_date", "impossible_birth_date", "future_birth_date",
         "cn_mobile", "exchange_starts_0"],
)  # fmt: skip
def test_bad_us_input_is_refused_naming_the_path_and_nothing_is_stored(
    client: TestClient, container: Container, staff: dict[Role, str], us_product: str,
    applicant: dict[str, Any], field: str,
) -> None:  # fmt: skip
    dealer = as_role(client, staff, Role.DEALER)
    refused = client.post("/api/v1/applications", json=us_body(**applicant), headers=dealer)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == field
    assert counted(container, at.applications) == counted(container, t.customers) == 0


def test_a_us_applicant_on_a_cn_product_is_refused_naming_the_id(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    body = application_body(applicants=[US_APPLICANT])  # STD_NEW, a CN product
    refused = client.post("/api/v1/applications", json=body,
                          headers=as_role(client, staff, Role.DEALER))  # fmt: skip
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "applicants[0].id_number"
    assert counted(container, at.applications) == 0


def test_a_cn_application_is_stored_as_before_with_no_birth_date_key(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The API's applicant model now has ``birth_date`` (null unless given): a CN
    application's sealed details leave it out, as they always did."""
    made = client.post("/api/v1/applications", json=application_body(),
                       headers=as_role(client, staff, Role.DEALER))  # fmt: skip
    assert made.status_code == 201, made.text
    with container.uow() as uow:
        row = uow.applications.get(made.json()["id"])
    assert row is not None
    details = raw_details(container.cipher, row)
    assert "birth_date" not in details["applicants"][0]
    assert details["applicants"][0]["id_number"] == BORROWER_ID
