"""A customer's loans on their page (SQLite and PostgreSQL). The page listed the customer's
applications and the loan each became, so a loan booked without one (by the loan API or
the command line, migrated from another system, the demo's synthetic book) did not show:
a servicing agent on the customer's page could not reach it. Now the page lists those
loans too, each loan once (one an application became stays in that application's row),
and only the loans the reader may open (a dealer its dealership's). A role that reads no
applications (a collector) finds every loan there. A borrower on their own page with no
application was told "No application has been filed for this customer", staff wording:
now they read that they have not applied yet, and where to apply."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration import test_application_pages as pages
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_customer_page_applications_and_search import (
    applications_table,
    customer_of,
    disbursed,
)
from tests.integration.test_loan_services import SERVICING, START
from tests.integration.test_loans_api import as_role
from tests.support.origination import BORROWER_ID

pytestmark = pytest.mark.integration

container = pages.container  # the demo one: its products, signing codes in the demo inbox
PERSON = {"name": "李娜", "id_number": "11010519491231002X", "phone": "13900139000"}


def booked(container: Container, customer_id: int, dealer_id: int | None = 1) -> int:
    """A loan of 12,000.00 booked for the customer by the loan service (no application),
    sold by dealer ``dealer_id``, and paid out."""
    principal = Money.parse("12000", "CNY")
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=12, start=START)
    loans = container.services.loans
    request = BookingRequest(terms, Money.parse("12000", "CNY"), customer_id=customer_id,
                             dealer_id=dealer_id)  # fmt: skip
    loan_id = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan_id, DisbursementInput(Money.parse("12000", "CNY")))
    return loan_id


def registered(client: TestClient, staff: dict[Role, str], role: Role) -> int:
    """A customer registered through the API by ``role`` (a borrower: their own profile)."""
    made = client.post("/api/v1/customers", json=PERSON, headers=as_role(client, staff, role))
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def loans_section(page: str) -> str:
    return page.split('data-section="customer-loans"')[1].split("</section>", 1)[0]


def listed_loans(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-loan-id="(\d+)">', loans_section(page))]


def test_a_loan_booked_without_an_application_is_on_the_customers_page_with_a_link(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    customer = registered(client, staff, Role.DEALER)
    loan = booked(container, customer)
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/customers/{customer}").text
    assert listed_loans(page) == [loan]
    row = loans_section(page).split(f'<tr data-loan-id="{loan}">')[1].split("</tr>", 1)[0]
    assert f'<a href="/loans/{loan}" data-loan-link="{loan}">{loan}</a>' in row
    assert "12,000.00" in row and "In repayment" in row and START.isoformat() in row
    assert client.get(f"/loans/{loan}").status_code == 200
    assert "listed with it" not in page  # no application above became a loan


def test_a_dealer_sees_on_its_customers_page_only_the_loans_the_dealership_sold(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    customer = registered(client, staff, Role.DEALER)  # a customer of dealer 1 (D001)
    ours, theirs = booked(container, customer, dealer_id=1), booked(container, customer, 2)
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/customers/{customer}").text
    assert listed_loans(page) == [ours]
    assert f'href="/loans/{theirs}"' not in page
    web_sign_in(client, staff, Role.SERVICING)  # reads every loan: newest first
    assert listed_loans(client.get(f"/customers/{customer}").text) == [theirs, ours]


def test_a_loan_an_application_became_is_shown_once_beside_one_booked_directly(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    app_id = disbursed(client, staff)
    web_sign_in(client, staff, Role.SERVICING)
    customer = customer_of(client, BORROWER_ID)
    direct = booked(container, customer)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/customers/{customer}").text
    assert "Loans that an application above became are listed with it." in loans_section(page)
    row = applications_table(page).split(f'<tr data-application-id="{app_id}">')[1]
    from_application = re.search(r'href="/loans/(\d+)" data-loan-link', row)
    assert from_application, row[:2000]
    assert listed_loans(page) == [direct]
    for loan in (int(from_application.group(1)), direct):
        assert page.count(f'href="/loans/{loan}"') == 1


def test_a_collector_who_reads_no_applications_finds_every_loan_of_the_customer(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    customer = registered(client, staff, Role.DEALER)
    web_sign_in(client, staff, Role.COLLECTOR)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/customers/{customer}").text
    assert "customer-applications" not in page
    empty = loans_section(page).split('data-empty="customer-loans"')[1].split("</p>", 1)[0]
    assert "No loan has been booked for this customer." in empty
    loan = booked(container, customer)
    assert listed_loans(client.get(f"/customers/{customer}").text) == [loan]


def test_a_borrower_on_their_own_page_is_told_they_have_not_applied_and_where_to_apply(
    client: TestClient, staff: dict[Role, str]
) -> None:
    customer = registered(client, staff, Role.BORROWER)
    web_sign_in(client, staff, Role.BORROWER)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/customers/{customer}").text
    empty = page.split('data-empty="customer-applications"')[1].split("</p>", 1)[0]
    assert "You have not applied for a loan yet." in empty
    assert 'href="/applications/new"' in empty
    assert "No application has been filed for this customer." not in page
    web_sign_in(client, staff, Role.SERVICING)  # staff still read it about the customer
    client.cookies.set("autolend_lang", "en")
    staff_page = client.get(f"/customers/{customer}").text
    assert "No application has been filed for this customer." in staff_page
    assert "You have not applied" not in staff_page


def test_a_borrower_sees_their_own_loan_booked_without_an_application_on_their_page(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    customer = registered(client, staff, Role.BORROWER)
    loan = booked(container, customer, dealer_id=None)
    web_sign_in(client, staff, Role.BORROWER)
    page = client.get(f"/customers/{customer}").text
    assert listed_loans(page) == [loan]
    assert client.get(f"/loans/{loan}").status_code == 200
