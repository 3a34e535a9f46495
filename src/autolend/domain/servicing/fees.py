"""Fees on an installment: charged (a late fee by hand, a service fee) and waived.

A fee falls due with its installment and counts as cost toward the comprehensive cost
ceiling; a waiver takes it off again.  An unpaid fee is payable with its installment but
never makes the loan past due (:meth:`~autolend.domain.servicing.state.LoanState.days_past_due`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from autolend.domain.errors import Conflict
from autolend.domain.money import Money
from autolend.domain.servicing.state import (
    Component,
    LoanState,
    LoanStatus,
    _fail,
    _same_currency,
)

__all__ = ["charge_fee", "waivable_fee", "waive_fee"]


def charge_fee(state: LoanState, n: int, amount: Money) -> LoanState:
    """Charge a fee on installment ``n``: it falls due with it and counts as cost.

    >>> from decimal import Decimal
    >>> from autolend.domain.schedule import LoanTerms, build_schedule
    >>> terms = LoanTerms(principal=Money.parse("1200", "CNY"), annual_rate=Decimal("0.12"),
    ...                   periods=3, start=date(2026, 1, 5))
    >>> state = LoanState.from_schedule("L1", build_schedule(terms))
    >>> charged = charge_fee(state, 2, Money.parse("30", "CNY"))
    >>> charged.installments[1].fee_due, charged.cost_charged
    (3000, 3000)
    """
    if state.status is not LoanStatus.ACTIVE:
        raise Conflict(f"loan {state.loan_id} is {state.status}, not active", field="status")
    fee = _same_currency(amount, state.terms)
    if fee.minor <= 0:
        raise _fail("amount", f"must be positive, got {fee}")
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(state.installments):
        raise _fail("n", f"must be an installment number 1..{len(state.installments)}")
    row = state.installments[n - 1]
    charged = state.with_installment(replace(row, fee_due=row.fee_due + fee.minor))
    return replace(charged, cost_charged=state.cost_charged + fee.minor)


def waivable_fee(state: LoanState, n: int, on: date | None = None) -> int:
    """Installment ``n``'s fee billed and unpaid on ``on``, what a waiver may take off: a
    monthly fee of an installment due after ``on`` is not billed yet, so not waivable."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(state.installments):
        raise _fail("n", f"no installment {n}")
    row = state.installments[n - 1]
    unpaid = row.outstanding(Component.FEE)
    if on is not None and row.due_date > on:
        unpaid -= min(state.monthly_fee, unpaid)
    return unpaid


def waive_fee(state: LoanState, n: int, amount: int, on: date | None = None) -> LoanState:
    """Take ``amount`` (minor units) off installment ``n``'s fee due and off the cost
    charged (an approved waiver); at most :func:`waivable_fee` on ``on``.

    E.g. 30.00 charged on installment 2: waiving 30.00 leaves its fee due 0.00.
    """
    unpaid = waivable_fee(state, n, on)
    row = state.installments[n - 1]
    if amount <= 0 or amount > unpaid:
        shown = state.money(unpaid).to_api()
        raise Conflict(f"the waiver exceeds installment {n}'s unpaid fee {shown}", field="amount",
                       message_zh=f"减免金额超过第 {n} 期未付费用 {shown}")  # fmt: skip
    waived = state.with_installment(replace(row, fee_due=row.fee_due - amount))
    return replace(waived, cost_charged=max(0, state.cost_charged - amount))
