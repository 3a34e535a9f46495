"""The installments after a partial prepayment: the new schedule's rows, with the fees
already charged on the installments they replace.

A partial prepayment on due date ``n`` re-amortises what is left (a lower installment
or a shorter term). The new rows take the new principal and interest; their fee due is
the contract's monthly fee (GPS, insurance: billed as each falls due) plus whatever was
charged on the installment of the same number beyond it -- a late fee, a prepayment
fee, less a waiver -- with what was paid of it, since those charges are in the ledger
already. What was charged on an installment the shorter schedule no longer has moves to
its new last installment; their monthly fees, never billed, go with them.

Example: monthly fee 50.00; after a prepayment on installment 6, installments 7..12
remain, 9 carrying an 80.00 late fee (130.00 due) and 12 a 20.00 fee (70.00 due).
Shortened to 7..10: 7, 8 and 10 are due 50.00 of fees, 9 is due 130.00, and 12's 20.00
moves to 10 (70.00); the monthly fees of 11 and 12 are gone with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from autolend.domain.servicing.state import InstallmentState, LoanState

__all__ = ["NewRow", "reamortised_installments"]

NewRow = tuple[date, int, int]
"""A re-amortised installment: (due date, principal due, interest due) in minor units."""


def reamortised_installments(
    state: LoanState, n: int, new_rows: Sequence[NewRow], start: date
) -> tuple[InstallmentState, ...]:
    """Installments 1..``n`` as they stand, then ``new_rows`` numbered from ``n`` + 1,
    the first accruing from ``start`` (the prepayment's due date), with their fees
    (module docstring).

    >>> from decimal import Decimal
    >>> from autolend.domain.money import Money
    >>> from autolend.domain.schedule import LoanTerms, build_schedule
    >>> terms = LoanTerms(principal=Money.parse("1200", "CNY"), annual_rate=Decimal("0.12"),
    ...                   periods=3, start=date(2026, 1, 5))
    >>> state = LoanState.from_schedule("L1", build_schedule(terms))
    >>> from autolend.domain.servicing.fees import charge_fee
    >>> charged = charge_fee(state, 3, Money.parse("20", "CNY"))
    >>> rows = reamortised_installments(charged, 1, [(date(2026, 3, 5), 50000, 800)],
    ...                                 date(2026, 2, 5))
    >>> [(r.n, r.fee_due) for r in rows]
    [(1, 0), (2, 2000)]
    """
    kept, replaced = list(state.installments[:n]), state.installments[n:]
    monthly = state.monthly_fee
    fees = [(row.fee_due - monthly, row.fee_paid) for row in replaced[: len(new_rows)]]
    fees += [(0, 0)] * (len(new_rows) - len(fees))
    for row in replaced[len(new_rows) :]:  # gone with the shorter term
        due, paid = fees[-1]
        fees[-1] = (due + max(row.fee_due - monthly, 0), paid + row.fee_paid)
    for i, ((due_date, principal, interest), (extra, paid)) in enumerate(
        zip(new_rows, fees, strict=True)
    ):
        fee_due = max(monthly + extra, 0)
        row = InstallmentState(n + i + 1, start, due_date, principal, interest, fee_due)
        kept.append(replace(row, fee_paid=min(paid, fee_due)))
        start = due_date
    return tuple(kept)
