"""A partial prepayment re-amortises what is left, and the fees already charged on the
installments it replaces stay due: on the same installment, or on the new last one when
the term is shortened past it. So the payoff quote asks for them and a paid-off loan
owes nothing. (Found 2026-11-30: the new rows took only the monthly fee; a charged
80.00 fee vanished from the schedule and the quote, and the loan closed with 80.00
still receivable in its fee sub-ledger.) Both databases; invariants after each test."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from autolend.bootstrap import Container
from autolend.services.fees import FeeCharge
from autolend.services.servicing import MoneyIn
from tests.integration.test_loan_services import (
    SERVICING,
    book,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
    pay,
    view,
)

pytestmark = pytest.mark.integration

INSTALLMENT = "1066.19"  # 12,000.00 at 12 % over 12 months (test_loan_services)
DUES = (date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 5))
PAYOFF_DAY = date(2026, 4, 20)


def paid_three_and_charged(container: Container, n: int) -> int:
    """The loan with installments 1-3 paid on their due dates and an 80.00 fee charged
    on installment ``n`` (before the third due date)."""
    loan_id = book(container)
    for day in DUES:
        pay(container, loan_id, INSTALLMENT, day)
    fee = FeeCharge("other", cny("80.00"), n=n, value_date=date(2026, 3, 20))
    container.services.fees.charge_fee(SERVICING, loan_id, fee)
    return loan_id


def prepay(container: Container, loan_id: int, amount: str, mode: str) -> None:
    data = MoneyIn(cny(amount), DUES[-1], "bank_transfer", f"pre-{amount}", mode)
    container.services.servicing.prepay(SERVICING, loan_id, data)


def schedule(container: Container, loan_id: int) -> list[dict[str, Any]]:
    rows = view(container, loan_id)["schedule"]
    assert isinstance(rows, list)
    return rows


def balances(container: Container, loan_id: int) -> dict[str, str]:
    shown = view(container, loan_id)["balances"]
    assert isinstance(shown, dict)
    return shown


def paid_off(container: Container, loan_id: int) -> dict[str, Any]:
    """Pay the quote for PAYOFF_DAY; the quote."""
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, PAYOFF_DAY)
    data = MoneyIn(cny(quote["total"]), PAYOFF_DAY, "bank_transfer", "payoff", "payoff")
    container.services.servicing.prepay(SERVICING, loan_id, data)
    return quote


def test_a_lower_installment_keeps_the_fee_on_its_installment_and_the_payoff_collects_it(
    container: Container,
) -> None:
    loan_id = paid_three_and_charged(container, n=6)
    assert schedule(container, loan_id)[5]["fee"] == "80.00"

    prepay(container, loan_id, "2000.00", "lower_installment")

    rows = schedule(container, loan_id)
    assert len(rows) == 12 and rows[5]["fee"] == "80.00"
    assert [r["fee"] for i, r in enumerate(rows) if i != 5] == ["0.00"] * 11
    assert rows[5]["principal"] != "0.00"  # a re-amortised row, not the old one
    assert balances(container, loan_id)["fees"] == "80.00"
    quote = paid_off(container, loan_id)
    assert quote["fees"] == "80.00"
    assert view(container, loan_id)["status"] == "paid_off"
    assert set(balances(container, loan_id).values()) == {"0.00"}  # fees included


def test_a_shorter_term_moves_a_fee_past_its_end_to_the_new_last_installment(
    container: Container,
) -> None:
    loan_id = paid_three_and_charged(container, n=12)

    prepay(container, loan_id, "6000.00", "shorten_term")

    rows = schedule(container, loan_id)
    assert len(rows) < 12  # the term is shorter: installment 12 is gone
    assert rows[-1]["fee"] == "80.00"
    assert [r["fee"] for r in rows[:-1]] == ["0.00"] * (len(rows) - 1)
    quote = paid_off(container, loan_id)
    assert quote["fees"] == "80.00"
    assert set(balances(container, loan_id).values()) == {"0.00"}
