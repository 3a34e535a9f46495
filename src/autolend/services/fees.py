"""Fees: charging a fee on a loan by hand.

A fee is a replayed money event (kind ``fee``, :mod:`autolend.services.projection`) so a
backdated repayment or reversal replays it in place: it adds to installment ``n``'s fee due
(the waterfall collects it after interest by default) and states the fact ``ev:<id>``,
**Dr 1130 fees receivable (loan) / Cr 4120 fee income**. An approved waiver is the event
``fee_waiver`` (:mod:`autolend.services.approvals`), **Dr 4120 fee income / Cr 1130 fees**.

Kinds: ``origination``, ``gps`` and ``insurance`` (monthly: carried in the contract from
booking, :mod:`autolend.services.contract`, and billed by the replay on each due date; or
charged one by one through this service), ``late_fee``, ``other``. Each use case is one
transaction: loan row locked, idempotency key answered or claimed, event recorded, loan
restated, audited.

A contract's own late fee is not charged here: the product's rule travels with the loan
(:class:`~autolend.services.contract.ServicingTerms`) and the daily accrual charges it
(:mod:`autolend.domain.servicing.late_fee`), so end of day and every replay state it
alike. ``late_fee`` here is a late fee charged by hand on a loan whose contract has none
in its terms (e.g. one migrated with the charge agreed outside the system), or, on a
migrated loan whose contract has one, on an installment whose fee fell on or before the
cut-over: the other system charged it, and the replay, which starts after the cut-over,
never will (installment 2 due 2026-03-05, 15 days, cut over on 2026-03-25).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import Conflict, InvalidInput, PermissionDenied
from autolend.domain.money import Money
from autolend.domain.servicing.refund_cover import ChangeWords
from autolend.services.audit import record_change
from autolend.services.contract import MONTHLY_FEE_KINDS
from autolend.services.fee_ceiling import check_fee_under_ceiling
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, claim, replayed
from autolend.services.loan_books import locked_loan, restate, serviced_through
from autolend.services.loan_ports import InstallmentRow, LoanEventRow, LoanRecord, NewLoanEvent
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.reversals import refunds_stand
from autolend.services.servicing import event_body
from autolend.services.terms_codec import load_servicing

FEE_KINDS = ("origination", *MONTHLY_FEE_KINDS, "late_fee", "other")
_DAY = timedelta(days=1)
_PAYMENTS = ("repayment", "prepayment", "payoff")
_CHANGES = {
    "fee": ChangeWords("with this fee", "计入这笔费用后", "charge the fee", "收取该费用"),
    "fee_waiver": ChangeWords("with this waiver", "减免这笔费用后", "waive the fee", "减免该费用"),
}
"""How a refund's 409 names a fee or a waiver that would leave the refund uncovered."""


@dataclass(frozen=True)
class FeeCharge:
    """A fee to charge: on installment ``n`` (default: the first one still to be paid due
    on or after the value date), value date default today."""

    kind: str
    amount: Money
    n: int | None = None
    value_date: date | None = None


def post_fee_event(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    loan: LoanRecord,
    *,
    kind: str,
    amount: Money,
    day: date,
    details: dict[str, object],
) -> LoanEventRow:
    """Record a ``fee`` or ``fee_waiver`` event and restate the loan (the replay posts
    its entry); the caller holds the loan lock, audits and commits. Where the replay
    would leave a refund above the advance of its day (a fee dated before the refund,
    which the advance paid), 409 naming the refunds to reverse first, as a reversal
    does (:func:`~autolend.services.reversals.refunds_stand`)."""
    event_id = uow.loans.add_event(
        NewLoanEvent(
            loan.id,
            kind,
            amount.minor,
            loan.currency,
            day,
            None,
            str(details.get("reference") or "")[:128] or None,
            json.dumps(details),
            clock.now(),
        )
    )
    through = max(serviced_through(loan), day)
    since = min(day, serviced_through(loan) + _DAY)
    with refunds_stand(uow, loan, _CHANGES[kind]):
        restate(uow, clock, actor, loan, through=through, since=since, resume=True)
    event = uow.loans.event(loan.id, event_id)
    assert event is not None
    return event


def fee_body(event: LoanEventRow) -> dict[str, object]:
    """The wire form of a fee event: the money event plus the fee kind and installment."""
    body = event_body(event)
    details = json.loads(event.details_json) if event.details_json else {}
    body["fee_kind"] = details.get("fee")
    body["n"] = details.get("n")
    return body


def _check_late_fee(loan: LoanRecord, due: date) -> None:
    """A late fee by hand on the installment due on ``due``, refused (409) where the
    contract charges its own on it: every installment of a loan whose contract has a
    late fee, except, on a migrated loan, one whose fee fell on or before the cut-over
    (the other system charged it; the replay starts after it and never will)."""
    servicing = load_servicing(loan.terms_json)
    rule, opening = servicing.late_fee, servicing.opening
    if rule is None:
        return
    if opening is not None and due + timedelta(days=rule.after_days) <= opening.cut_over:
        return
    raise Conflict(
        "this loan's contract charges its late fee itself; a second would double it",
        field="kind",
    )


def _is_paid(row: InstallmentRow) -> bool:
    return (row.principal_paid >= row.principal_due and row.interest_paid >= row.interest_due
            and row.fee_paid >= row.fee_due)  # fmt: skip


def _check_after_payments(events: Sequence[LoanEventRow], day: date, row: InstallmentRow) -> None:
    """A fee is not dated before a payment already posted on or after its installment's
    due date: the replay would take the fee out of that payment and make a borrower who
    paid on time late after the fact (installment 1 due and paid on 2026-09-23, a fee
    dated 2026-09-01 on it: 9 days past due). A fee on a later installment, or one dated
    after the payment (a late fee for an installment paid late), is charged. Refused on
    ``value_date``, naming the payment's date."""
    paid = [e.value_date for e in events if e.kind in _PAYMENTS and e.status == "posted"]
    clash = [p for p in paid if day < p and row.due_date <= p]
    if clash:
        raise InvalidInput(
            f"value date must be on or after {max(clash)}, the date of a payment that "
            f"installment {row.n} was paid with: a fee dated before it would take its "
            "amount out of that payment",
            field="value_date",
        )


class FeeService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def charge_fee(
        self, actor: Actor, loan_id: int, fee: FeeCharge, idem: IdempotencyRequest | None = None
    ) -> MoneyResult:
        """Charge a fee: Dr fees (loan) / Cr fee income; due with installment ``n``."""
        if not actor.can(Permission.FEE_CHARGE):
            raise PermissionDenied(f"this needs the permission '{Permission.FEE_CHARGE.value}'")
        if fee.kind not in FEE_KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(FEE_KINDS)}", field="kind")
        with self._uow(write=True) as uow:
            loan = locked_loan(uow, loan_id)
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            day, n = self._where(uow, loan, fee)
            details: dict[str, object] = {"n": n, "fee": fee.kind}
            event = post_fee_event(
                uow,
                self._clock,
                actor,
                loan,
                kind="fee",
                amount=fee.amount,
                day=day,
                details=details,
            )
            result = MoneyResult(201, fee_body(event))
            claim(uow, self._clock, idem, result)
            self._audit(uow, actor, loan.id, event, fee.kind)
            uow.commit()
        return result

    def _where(self, uow: UnitOfWork, loan: LoanRecord, fee: FeeCharge) -> tuple[date, int]:
        if loan.status != "active":
            raise Conflict(f"the loan is {loan.status}; a fee cannot be charged")
        if fee.amount.currency.code != loan.currency:
            raise InvalidInput(f"the loan is in {loan.currency}", field="currency")
        if fee.amount.minor <= 0:
            raise InvalidInput("amount must be positive", field="amount")
        today = self._clock.today()
        day = fee.value_date or today
        # Not on the start date itself: that day belongs to the disbursement (an
        # origination fee is deducted there, fees_deducted) and a fee is charged after it.
        if not loan.start_date < day <= today:
            raise InvalidInput(
                f"value date must be after {loan.start_date} and not after {today}",
                field="value_date",
            )
        events = uow.loans.events(loan.id)
        rows = uow.loans.installments(loan.id)
        if fee.n is None:
            later = [r.n for r in rows if r.due_date >= day and not _is_paid(r)]
            n = later[0] if later else rows[-1].n
        elif not 1 <= fee.n <= len(rows):
            raise InvalidInput(f"n must be an installment number 1..{len(rows)}", field="n")
        else:
            n = fee.n
        if fee.kind == "late_fee":
            _check_late_fee(loan, rows[n - 1].due_date)
        _check_after_payments(events, day, rows[n - 1])
        check_fee_under_ceiling(loan, events, fee.amount, n)
        return day, n

    def _audit(
        self, uow: UnitOfWork, actor: Actor, loan_id: int, event: LoanEventRow, kind: str
    ) -> None:
        record_change(
            uow,
            self._clock,
            actor,
            action="loan.fee_charge",
            object_type="loan",
            object_id=loan_id,
            summary={
                "kind": kind,
                "amount": Money.of_minor(event.amount_minor, event.currency).to_api(),
                "event_id": event.id,
            },
        )
