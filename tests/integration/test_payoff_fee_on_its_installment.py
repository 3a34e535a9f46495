"""A payoff's prepayment fee sits on the installment the payoff falls in, as a partial
prepayment's does: the first one due after its value date. (Found on the CN demo: a loan
paid off in its first year showed its 1,660.71 fee on installment 24, due two years
later.) The schedule's paid column adds up to the money received, and reversing the
payoff puts every installment back. Both databases; invariants after each test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_loan_services import (
    SERVICING,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
    pay,
    view,
)
from tests.integration.test_loans_api import as_role
from tests.integration.test_prepayment_fees_and_refunds import DUE_1, DUE_2, book, prepay
from tests.support.repayments import pay_off

pytestmark = pytest.mark.integration
INSTALLMENT = "1066.19"  # 12,000.00 at 12 % over 12 months, 2 % prepayment fee


def schedule(container: Container, loan: int) -> list[dict[str, Any]]:
    rows = view(container, loan)["schedule"]
    assert isinstance(rows, list)
    return rows


def fees(rows: list[dict[str, Any]]) -> dict[int, str]:
    """The installments with a fee, by number."""
    return {int(r["n"]): r["fee"] for r in rows if r["fee"] != "0.00"}


def paid_off(container: Container, loan: int, day: date) -> dict[str, Any]:
    """Pay the quote for ``day``; the quote."""
    quote, body = pay_off(container, loan, day)
    assert body["prepayment_fee"] == quote["prepayment_fee"]
    return quote


def test_a_payoff_between_due_dates_shows_its_fee_on_the_installment_it_falls_in(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container)
    pay(container, loan, INSTALLMENT, DUE_1)
    quote = paid_off(container, loan, date(2026, 2, 20))

    assert quote["prepayment_fee"] == "221.08"  # 2 % of 11,053.81
    headers = as_role(client, staff, Role.SERVICING)
    shown = client.get(f"/api/v1/loans/{loan}", headers=headers).json()
    assert shown["status"] == "paid_off"
    assert fees(shown["schedule"]) == {2: "221.08"}  # due 2026-03-05, not the last, 12
    received = Decimal(INSTALLMENT) + Decimal(quote["total"])
    assert sum(Decimal(r["paid"]) for r in shown["schedule"]) == received
    assert {r["outstanding"] for r in shown["schedule"]} == {"0.00"}


def test_a_payoff_on_a_due_date_puts_its_fee_where_a_partial_prepayment_would(
    container: Container,
) -> None:
    partial, payoff = book(container), book(container)
    for loan in (partial, payoff):
        pay(container, loan, INSTALLMENT, DUE_1)
        pay(container, loan, INSTALLMENT, DUE_2)
    prepay(container, partial, "3000.00", DUE_2, mode="lower_installment")
    paid_off(container, payoff, DUE_2)

    assert fees(schedule(container, partial)) == {3: "60.00"}
    assert list(fees(schedule(container, payoff))) == [3]


def test_reversing_a_payoff_takes_its_fee_off_the_installment_again(
    container: Container,
) -> None:
    loan = book(container)
    pay(container, loan, INSTALLMENT, DUE_1)
    before = schedule(container, loan)
    day = date(2026, 2, 20)
    quote, body = pay_off(container, loan, day)

    servicing = container.services.servicing
    servicing.reverse_repayment(SERVICING, loan, int(str(body["id"])), "bounced")

    assert view(container, loan)["status"] == "active"
    assert schedule(container, loan) == before
    assert fees(before) == {}
    again = container.services.loans.payoff_quote(SERVICING, loan, day)
    assert again["total"] == quote["total"]
