"""A loan that is no longer in repayment is not "current", on both databases. The days
past due column said "Current" (未逾期) of a paid-off loan, a written-off one owing nothing
late and one not yet paid out, on the lender's, the dealer's and the borrower's lists and
on the loan's page. Now such a loan shows "—" in the lists (its status is beside it) and
no days past due under its page's heading (which began with a bare "—"); a loan in
repayment and not late still reads "Current"."""

from __future__ import annotations

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
from tests.integration.test_loan_services import SERVICING, START
from tests.integration.test_loans_api import loan_id  # noqa: F401 - fixture
from tests.support.write_off import written_off as write_off_now

pytestmark = pytest.mark.integration

CURRENT = "未逾期"
AMOUNT = Money.parse("12000", "CNY")


def booked(container: Container, *, paid_out: bool) -> int:
    """12,000.00 at 12 % over 12 months from START, serviced through START (never late)."""
    terms = LoanTerms(principal=AMOUNT, annual_rate=Decimal("0.12"),
                      periods=12, start=START)  # fmt: skip
    loans = container.services.loans
    made = loans.book(SERVICING, BookingRequest(terms, AMOUNT))
    if paid_out:
        loans.disburse(SERVICING, made, DisbursementInput(AMOUNT, START))
    return made


def paid_off(container: Container, loan: int) -> None:
    quote = container.services.loans.payoff_quote(SERVICING, loan, START)
    money = MoneyIn(Money.parse(quote["total"], "CNY"), START, "bank_transfer", None, "payoff")
    container.services.servicing.prepay(SERVICING, loan, money)
    assert container.services.loans.get(SERVICING, loan)["status"] == "paid_off"


def dpd_cell(page: str, loan: int) -> str:
    row = page.split(f'<tr data-loan-id="{loan}">')[1].split("</tr>", maxsplit=1)[0]
    return row.split("<td>")[-2]  # the days past due, before the status


def test_a_paid_off_loan_is_not_current_on_the_lenders_the_dealers_and_the_borrowers_lists(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture: the borrower's own, sold by dealer D001
) -> None:
    paid_off(container, loan_id)
    for role in (Role.SERVICING, Role.DEALER, Role.BORROWER):
        web_sign_in(client, staff, role)
        cell = dpd_cell(client.get("/loans").text, loan_id)
        assert 'data-dpd-level="none">—<' in cell and CURRENT not in cell, (role, cell)
        head = client.get(f"/loans/{loan_id}").text.split('data-section="balances"')[0]
        # no days past due to show: the page says "Paid off" (not a bare "—")
        assert CURRENT not in head and "data-dpd" not in head and "已于" in head, role


def test_written_off_and_unpaid_out_loans_are_not_current_and_one_in_repayment_still_is(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    written_off, not_paid_out = booked(container, paid_out=True), booked(container, paid_out=False)
    write_off_now(container, written_off, START)
    in_repayment = booked(container, paid_out=True)
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get("/loans").text
    for loan in (written_off, not_paid_out):
        cell = dpd_cell(page, loan)
        assert 'data-dpd-level="none">—<' in cell and CURRENT not in cell, cell
    assert CURRENT in dpd_cell(page, in_repayment)
    head = client.get(f"/loans/{in_repayment}").text.split('data-section="balances"')[0]
    assert CURRENT in head
