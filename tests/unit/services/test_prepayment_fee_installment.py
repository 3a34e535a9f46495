"""Which installment a prepayment fee sits on: the first one due after its value date
(the period a payoff or prepayment falls in), the last one after the final due date."""

from __future__ import annotations

from datetime import date

from autolend.services.loan_ports import InstallmentRow
from autolend.services.prepayment_fees import fee_installment

ROWS = [
    InstallmentRow(n, due, 100_00, 10_00, 0, 0, 0, 0)
    for n, due in enumerate((date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 5)), start=1)
]


def test_a_fee_between_due_dates_sits_on_the_next_installment() -> None:
    assert fee_installment(ROWS, date(2026, 2, 20)) == 2
    assert fee_installment(ROWS, date(2026, 1, 10)) == 1


def test_a_fee_on_a_due_date_sits_on_the_installment_after_it() -> None:
    assert fee_installment(ROWS, date(2026, 2, 5)) == 2
    assert fee_installment(ROWS, date(2026, 3, 5)) == 3


def test_a_fee_on_or_after_the_final_due_date_sits_on_the_last_installment() -> None:
    assert fee_installment(ROWS, date(2026, 4, 5)) == 3
    assert fee_installment(ROWS, date(2026, 9, 1)) == 3
