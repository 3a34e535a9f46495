"""The read side of a loan: its summary and the full view (balances per sub-ledger,
servicing terms, next due, days past due, schedule with statuses)."""

from __future__ import annotations

from typing import Any

from autolend.domain.ledger import SubLedger
from autolend.domain.money import Money, currency
from autolend.domain.regulation import pack_for
from autolend.domain.servicing import InstallmentState
from autolend.services.loan_books import serviced_through
from autolend.services.loan_ports import InstallmentRow, LoanRecord
from autolend.services.terms_codec import load_servicing, load_terms

_SUBS = ("principal", "interest", "penalty", "fees", "suspense", "subsidy")


def money_text(minor: int, code: str) -> str:
    """``minor`` units of currency ``code`` as a decimal string ("1234.56")."""
    return Money(minor, currency(code)).to_api()


def loan_summary(loan: LoanRecord) -> dict[str, Any]:
    return {
        "id": loan.id,
        "status": loan.status,
        "currency": loan.currency,
        "product_code": loan.product_code,
        "customer_id": loan.customer_id,
        "dealer_id": loan.dealer_id,
        "principal": money_text(loan.principal_minor, loan.currency),
        "approved": money_text(loan.approved_minor, loan.currency),
        "disbursed": money_text(loan.disbursed_minor, loan.currency),
        "start_date": loan.start_date.isoformat(),
        "accrued_through": loan.accrued_through.isoformat() if loan.accrued_through else None,
        "closed_on": loan.closed_on.isoformat() if loan.closed_on else None,
    }


def loan_view(
    loan: LoanRecord, balances: dict[str, int], rows: list[InstallmentRow]
) -> dict[str, Any]:
    """The full loan: balances normal-signed per sub-ledger, schedule with statuses."""
    as_of = serviced_through(loan)
    states, start = [], loan.start_date
    for r in rows:
        states.append(
            InstallmentState(
                r.n,
                start,
                r.due_date,
                r.principal_due,
                r.interest_due,
                r.fee_due,
                r.principal_paid,
                r.interest_paid,
                r.fee_paid,
            )
        )
        start = r.due_date
    overdue = [s for s in states if s.due_date < as_of and not s.is_paid]
    # Only an active loan has a next installment: a written-off one is collected, not
    # scheduled (its days past due stay as they were when it was written off).
    upcoming = next((s for s in states if s.due_date >= as_of and not s.is_paid), None)
    upcoming = upcoming if loan.status == "active" else None
    cur = loan.currency
    view = loan_summary(loan)
    view["balances"] = {
        sub: money_text(
            balances.get(sub, 0) * (1 if SubLedger(sub).normal_side.value == "debit" else -1), cur
        )
        for sub in _SUBS
    }
    # Paid by the borrower to the dealer at disbursement; None when none was recorded.
    down = loan.down_payment_minor
    view["down_payment"] = money_text(down, cur) if down is not None else None
    servicing = load_servicing(loan.terms_json)
    car = servicing.collateral
    view["collateral"] = None if car is None else {
        "price": money_text(car.price_minor, cur), "vehicle_type": car.vehicle_type,
    }  # fmt: skip
    # The contract rate, and under an interest subsidy the rate the borrower pays.
    terms, _pack = load_terms(loan.terms_json)
    view["annual_rate"] = str(terms.annual_rate)
    view["customer_rate"] = str(terms.subsidy.customer_rate) if terms.subsidy else None
    view["waterfall"] = servicing.waterfall
    view["monthly_fees"] = {kind: money_text(minor, cur) for kind, minor in servicing.monthly_fees}
    uplift = servicing.penalty_uplift
    if uplift is None:  # booked before contracts carried it: the pack's default applies
        uplift = pack_for(_pack).penalty_uplift(terms.start).default
    view["penalty_uplift"] = str(uplift)
    late = servicing.late_fee
    view["late_fee"] = None if late is None else {
        "amount": money_text(late.amount, cur), "after_days": late.after_days,
    }  # fmt: skip
    view["as_of"] = as_of.isoformat()
    view["days_past_due"] = (as_of - overdue[0].due_date).days if overdue else 0
    # What is late now (principal, interest and fees of the installments past due; the
    # penalty is its own balance): e.g. three installments of 1,871.54 -> 5,614.62.
    view["overdue"] = {
        "installments": len(overdue),
        "amount": money_text(sum(s.total_outstanding for s in overdue), cur),
    }
    view["next_due"] = (
        None
        if upcoming is None
        else {
            "n": upcoming.n,
            "due_date": upcoming.due_date.isoformat(),
            "amount": money_text(upcoming.total_outstanding, cur),
        }
    )
    view["schedule"] = [
        {
            "n": s.n,
            "due_date": s.due_date.isoformat(),
            "principal": money_text(s.principal_due, cur),
            "interest": money_text(s.interest_due, cur),
            "fee": money_text(s.fee_due, cur),
            "paid": money_text(s.total_paid, cur),
            "outstanding": money_text(s.total_outstanding, cur),
            "status": s.status(as_of).value,
        }
        for s in states
    ]
    return view
