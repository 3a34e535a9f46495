"""Prepayment fees: the rule a loan is booked with, and the fee events it charges.

The rule (``none``, ``percent_of_prepaid`` with a rate, ``waived_trade_in``: the same
percentage unless the borrower trades the car in) is stored beside the terms in the loan's
``terms`` JSON (:func:`autolend.services.terms_codec.dump_terms`). A prepayment or payoff
charges :func:`autolend.domain.payoff.prepayment_fee` as an ordinary ``fee`` event
(:mod:`autolend.services.fees`: Dr 1130 fees (loan) / Cr 4120 fee income), value-dated
the prepayment's value date:

* a partial prepayment: the fee falls due with the next installment (recorded after the
  prepayment, so it lands on the re-amortised schedule); the waterfall collects it;
* a payoff: the fee is recorded before the payoff, so the payoff quote (and the exact
  amount the payoff must bring) includes it and the payoff settles it.

Both put the fee on the same installment, :func:`fee_installment`: the first one due
after the value date (the period the money arrives in), so a paid-off loan's schedule
shows the fee where the borrower paid it, not on its last installment years later.

The fee event names the money event it belongs to, so reversing that event reverses it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, currency
from autolend.domain.payoff import PrepaymentFeeRule, prepayment_fee
from autolend.services.loan_ports import InstallmentRow, LoanEventRow, LoanRecord, NewLoanEvent
from autolend.services.ports import Clock, UnitOfWork
from autolend.services.terms_codec import load_fee_rule

FEE_KIND = "prepayment"


def fee_terms(rule: str, rate: Decimal | str | None) -> tuple[PrepaymentFeeRule, Decimal]:
    """A validated (rule, rate): a rate between 0 and 1 is needed unless the rule is none."""
    try:
        parsed = PrepaymentFeeRule(rule)
    except ValueError:
        choices = ", ".join(r.value for r in PrepaymentFeeRule)
        raise InvalidInput(
            f"prepayment_fee_rule must be one of {choices}", field="prepayment_fee_rule"
        ) from None
    if parsed is PrepaymentFeeRule.NONE:
        return parsed, Decimal(0)
    try:
        value = Decimal(str(rate)) if rate is not None else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        raise InvalidInput(
            "prepayment_fee_rate must be a fraction from 0 to 1, e.g. 0.02",
            field="prepayment_fee_rate",
        )
    return parsed, value


def fee_on(loan: LoanRecord, prepaid: Money, *, trade_in: bool) -> Money:
    """The prepayment fee on prepaying ``prepaid`` under the loan's booked rule."""
    rule, rate = load_fee_rule(loan.terms_json)
    return prepayment_fee(rule, rate, prepaid, trade_in=trade_in)


def fee_on_principal(loan: LoanRecord, principal_minor: int, *, trade_in: bool) -> Money:
    """The fee on paying off ``principal_minor`` (the outstanding principal)."""
    return fee_on(loan, Money(principal_minor, currency(loan.currency)), trade_in=trade_in)


def fee_installment(rows: Sequence[InstallmentRow], day: date) -> int:
    """The installment a prepayment fee value-dated ``day`` sits on: the first one due
    after ``day``, the last one when none is (a payoff after the final due date).

    E.g. installments due 02-05, 03-05, 04-05: a payoff on 02-20 or a prepayment on 02-05
    puts its fee on installment 2; a payoff on 04-20 on installment 3.
    """
    return next((r.n for r in rows if r.due_date > day), rows[-1].n)


def add_fee_event(
    uow: UnitOfWork,
    clock: Clock,
    loan: LoanRecord,
    fee: Money,
    day: date,
    *,
    n: int,
    for_event: int | None,
) -> int:
    """Record the fee event (the caller restates the loan); returns its id."""
    details: dict[str, object] = {"n": n, "fee": FEE_KIND}
    if for_event is not None:
        details["for_event"] = for_event
    return uow.loans.add_event(
        NewLoanEvent(
            loan.id,
            "fee",
            fee.minor,
            loan.currency,
            day,
            None,
            None,
            json.dumps(details),
            clock.now(),
        )
    )


def linked_fee_events(uow: UnitOfWork, event: LoanEventRow) -> list[int]:
    """The posted prepayment fee events that belong to ``event`` (to reverse with it)."""
    details = json.loads(event.details_json) if event.details_json else {}
    found = {int(details["fee_event"])} if details.get("fee_event") else set()
    for other in uow.loans.events(event.loan_id):
        if other.kind != "fee" or not other.details_json or other.status != "posted":
            continue
        if json.loads(other.details_json).get("for_event") == event.id:
            found.add(other.id)
    return sorted(found)
