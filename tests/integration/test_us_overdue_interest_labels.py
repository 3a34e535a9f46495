"""A US loan's page calls its "penalty" balance what it is, on both databases. The US pack
charges no penalty interest (uplift 0): the balance is interest on overdue principal at
the contract rate. The page said "Penalty" on its balances, payoff, transactions and
ledger all the same; now a loan whose pack has no uplift reads "Overdue interest" there
(the products page's word), for staff and for the borrower, and a CN loan keeps
"Penalty" / "Penalty interest" (罚息)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration

START, LATE = date(2026, 1, 5), date(2026, 2, 15)
US_PERSON = {"name": "John Smith", "id_number": "123-45-6788", "phone": "6145550100",
             "pack_code": "US"}  # fmt: skip
CN_PERSON = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13800138000"}
STAFF_WORDS = ("Overdue interest accrual", "Overdue interest receivable",
               "Overdue interest income", " / Overdue interest")  # fmt: skip


def late_loan(
    client: TestClient, container: Container, staff: dict[Role, str], currency: str
) -> int:
    """The borrower's 12,000.00 over 12 months from 2026-01-05, installment 1 (due
    2026-02-05) paid only on 2026-02-15, so 10 days of "penalty" accrue and are paid."""
    usd = currency == "USD"
    person = US_PERSON if usd else CN_PERSON
    made = client.post("/api/v1/customers", json=person,
                       headers=as_role(client, staff, Role.BORROWER))  # fmt: skip
    assert made.status_code == 201, made.text
    amount = Money.parse("12000", currency)
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.073"), periods=12, start=START)
    request = BookingRequest(terms, amount, customer_id=made.json()["id"],
                             pack_code="US" if usd else "CN")  # fmt: skip
    loans, servicing = container.services.loans, container.services.servicing
    loan = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan, DisbursementInput(amount, START))
    servicing.accrue_loan(SERVICING, loan, LATE)
    assert Decimal(loans.get(SERVICING, loan)["balances"]["penalty"]) > 0
    money = MoneyIn(Money.parse("1100", currency), LATE, "ach" if usd else "bank_transfer")
    servicing.post_repayment(SERVICING, loan, money)
    return loan


def balance_label(page: str) -> str:
    found = re.search(r'data-balance="penalty">\s*<span class="balance-card__label">([^<]*)<',
                      page)  # fmt: skip
    assert found, page[:3000]
    return found.group(1)


def allocation_chip(page: str) -> str:
    found = re.search(r'data-part="penalty">([A-Za-z ]+) ', page)
    assert found, page.split('data-section="transactions"')[1][:3000]
    return found.group(1)


def page_in_english(client: TestClient, staff: dict[Role, str], role: Role, loan: int) -> str:
    web_sign_in(client, staff, role)
    client.cookies.set("autolend_lang", "en")
    answer = client.get(f"/loans/{loan}")
    assert answer.status_code == 200, answer.text[:2000]
    return str(answer.text)


def test_a_us_loans_page_says_overdue_interest_not_penalty_to_staff_and_borrower(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = late_loan(client, container, staff, "USD")
    page = page_in_english(client, staff, Role.SERVICING, loan)
    assert balance_label(page) == allocation_chip(page) == "Overdue interest"
    assert "<dt>Overdue interest</dt>" in page.split('data-section="payoff"')[1]
    assert all(words in page for words in STAFF_WORDS), page.split('data-section="ledger"')[1]
    assert "Penalty" not in page
    mine = page_in_english(client, staff, Role.BORROWER, loan)
    assert balance_label(mine) == allocation_chip(mine) == "Overdue interest"
    assert "Penalty" not in mine


def test_a_cn_loans_page_still_says_penalty_interest(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = late_loan(client, container, staff, "CNY")
    page = page_in_english(client, staff, Role.SERVICING, loan)
    assert balance_label(page) == allocation_chip(page) == "Penalty"
    assert "Penalty interest accrual" in page and "Penalty interest receivable" in page
    assert "Overdue interest" not in page
    web_sign_in(client, staff, Role.SERVICING)  # Chinese, the CN default
    assert balance_label(client.get(f"/loans/{loan}").text) == "罚息"
