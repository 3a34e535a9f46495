"""Money in on a booked loan as servicing posts it, for tests that need a loan paid up to
some point: installments paid on their due dates, or the whole loan paid off.

Example: on tests/integration/test_loans_api's loan (12,000.00 from 2026-01-05, due on the
5th), ``paid_through(container, loan_id, 10)`` pays installments 1 to 10 on 2026-02-05 ..
2026-11-05; ``pay_off(container, loan_id, date(2026, 11, 28))`` then pays the payoff quote
for that day and the loan is ``paid_off``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from autolend.bootstrap import Container
from autolend.services.servicing import MoneyIn
from tests.integration.test_loan_services import SERVICING, cny, pay, view


def paid_through(container: Container, loan: int, last: int, extra: str = "0.00") -> None:
    """Pay installments 1..``last`` on their due dates, ``extra`` more with the last."""
    rows = view(container, loan)["schedule"]
    assert isinstance(rows, list)
    for row in rows[:last]:
        amount = Decimal(row["outstanding"]) + (Decimal(extra) if row["n"] == last else 0)
        pay(container, loan, str(amount), date.fromisoformat(row["due_date"]))


def pay_off(container: Container, loan_id: int, day: date) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pay the CNY loan off on ``day`` with its payoff quote's total (a bank transfer, no
    reference); the quote and the posted payoff's wire form (``prepayment_fee``, ``id`` ...)."""
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, day)
    data = MoneyIn(cny(quote["total"]), day, "bank_transfer", None, "payoff")
    return quote, container.services.servicing.prepay(SERVICING, loan_id, data).body
