"""A loan settled in full on a day: what a payoff leaves of its installments.

The payoff pays everything outstanding on ``day``: the current period's interest only as
far as it has accrued (Civil Code Art. 677: interest for the time actually used), later
periods' interest and their monthly fees (not yet billed) are dropped.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from autolend.domain.servicing.state import Component, LoanState, LoanStatus

__all__ = ["settled_in_full"]


def settled_in_full(state: LoanState, day: date) -> LoanState:
    """Every installment paid on ``day``: the current period's interest cut to what
    accrued (Civil Code Art. 677), later periods' interest and monthly fees (not billed)
    dropped; penalty and compound paid, the advance used, the loan paid off.

    E.g. a 12-month loan paid off 10 days into its third period with 40.00 of interest
    accrued: installments 1-2 stand as paid, installment 3's interest due becomes 40.00,
    installments 4-12 keep their principal and lose their interest."""
    rows = []
    for row in state.installments:
        interest, fee = row.interest_due, row.fee_due
        if row.due_date > day:
            interest = row.interest_paid + (state.accrued_interest if row.period_start < day else 0)
            fee -= min(state.monthly_fee, row.outstanding(Component.FEE))
        rows.append(
            replace(
                row,
                interest_due=interest,
                principal_paid=row.principal_due,
                interest_paid=interest,
                fee_due=fee,
                fee_paid=fee,
            )
        )
    return replace(
        state,
        installments=tuple(rows),
        advance=0,
        accrued_interest=0,
        penalty=0,
        compound=0,
        penalty_paid=state.penalty_paid + state.penalty,
        compound_paid=state.compound_paid + state.compound,
        status=LoanStatus.PAID_OFF,
    )
