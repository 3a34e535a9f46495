"""The customer pages as staff use them (SQLite and PostgreSQL). A customer's page showed
their personal data and nothing else: a servicing agent could not see what the customer
had applied for nor reach the loan it became. Now the page lists the customer's
applications (newest first, status, amount, a link to the loan once disbursed) or says
there are none. The list had no way to find a customer but to page through every one: staff
who may search now find one by their ID number (typed as the customer wrote it: a final
``x`` or ``X``), the typed ID kept in the box, and a search that finds no one says so."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - container: the demo one
    container,
    file_through_the_form,
    post,
    web_sign_in,
)
from tests.integration.test_loans_api import as_role
from tests.support.origination import BORROWER_ID

pytestmark = pytest.mark.integration


def customer_of(client: TestClient, id_number: str) -> int:
    """The number of the customer the search by ``id_number`` finds (exactly one)."""
    found = client.get("/customers", params={"id_number": id_number}).text
    ids = re.findall(r'<tr data-customer-id="(\d+)">', found)
    assert len(ids) == 1, found[-3000:]
    return int(ids[0])


def applications_table(page: str) -> str:
    return page.split('data-section="customer-applications"')[1].split("</section>", 1)[0]


def disbursed(client: TestClient, staff: dict[Role, str]) -> int:
    """An application filed by the dealer, approved, accepted, signed and paid out."""
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    post(client, f"/applications/{app_id}/submit")
    web_sign_in(client, staff, Role.UNDERWRITER)
    post(client, f"/applications/{app_id}/review", {"action": "approve", "reason": "fine"})
    web_sign_in(client, staff, Role.DEALER)
    post(client, f"/applications/{app_id}/accept", {"option": "1"})
    post(client, f"/applications/{app_id}/sign")
    code = re.search(r"验证码为 (\d{6})", client.get("/demo/sms").text)
    assert code is not None
    assert post(client, f"/applications/{app_id}/sign", {"code": code.group(1)}).status_code == 303
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/applications/{app_id}").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert key
    paid = post(client, f"/applications/{app_id}/disburse", {"idempotency_key": key.group(1)})
    assert paid.status_code == 303, paid.text[:2000]
    return app_id


def test_a_customers_page_lists_their_applications_and_links_the_loan_one_became(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = disbursed(client, staff)
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/customers/{customer_of(client, BORROWER_ID)}").text
    table = applications_table(page)
    row = table.split(f'<tr data-application-id="{app_id}">')[1].split("</tr>", 1)[0]
    assert f'href="/applications/{app_id}"' in row
    loan = re.search(r'href="/loans/(\d+)" data-loan-link', row)
    assert loan and client.get(f"/loans/{loan.group(1)}").status_code == 200
    assert "Standard new car loan" in row and "STD_NEW" in row
    assert "¥" in row and "Disbursed" in row


def test_a_customer_with_no_application_says_so_and_a_role_that_reads_none_sees_no_section(
    client: TestClient, staff: dict[Role, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    person = {"name": "李娜", "id_number": "11010519491231002X", "phone": "13900139000"}
    made = client.post("/api/v1/customers", json=person, headers=dealer)
    assert made.status_code == 201, made.text
    customer = made.json()["id"]
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/customers/{customer}").text
    assert 'data-empty="customer-applications"' in applications_table(page)
    web_sign_in(client, staff, Role.COLLECTOR)  # reads customers, not applications
    page = client.get(f"/customers/{customer}").text
    assert "customer-applications" not in page


def test_staff_find_a_customer_by_id_number_typed_with_a_lower_case_x_and_keep_what_they_typed(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    file_through_the_form(client, **{"applicants[0].id_number": "11010519491231002X"})
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    listed = client.get("/customers").text
    assert 'data-form="customer-search"' in listed
    found = client.get("/customers", params={"id_number": " 11010519491231002x "}).text
    assert len(re.findall(r'<tr data-customer-id="\d+">', found)) == 1
    assert 'name="id_number" value="11010519491231002x"' in found
    assert 'data-action="all-customers"' in found


@pytest.mark.parametrize(
    "typed", ["110105194912310039", "abc😀", "x" * 5000, "-1", "<script>alert(1)</script>"]
)
def test_a_search_that_finds_no_one_says_so_naming_the_id_and_never_fails(
    client: TestClient, staff: dict[Role, str], typed: str
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    answer = client.get("/customers", params={"id_number": typed})
    assert answer.status_code == 200
    empty = answer.text.split('data-empty="customer-search"')[1].split("</p>", 1)[0]
    assert "No customer you may see has the Resident ID" in empty
    assert typed[:64].replace("<", "&lt;").replace(">", "&gt;") in empty
    assert "<script>alert" not in answer.text


def test_a_dealer_who_may_not_search_gets_no_search_box_and_the_parameter_is_ignored(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    file_through_the_form(client)
    page = client.get("/customers", params={"id_number": "nobody"}).text
    assert 'data-form="customer-search"' not in page
    assert len(re.findall(r'<tr data-customer-id="\d+">', page)) == 1
