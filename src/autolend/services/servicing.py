"""Servicing use cases that move money: repayments and their reversal, prepayments and
payoff, single-loan accrual (the reference for end of day), write-off and recovery.

Each is one transaction: lock the loan row (FOR UPDATE on PostgreSQL; SQLite writes hold
BEGIN IMMEDIATE), answer a replayed idempotency key with the stored response, record the
event, replay the loan and post the ledger difference
(:func:`autolend.services.loan_books.restate`), claim the key, audit, commit. A backdated
value date replays accrual and penalty from that date; a reversal restates the loan as if
the repayment had never been received.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import Conflict, InvalidInput, PermissionDenied
from autolend.domain.field_errors import gather
from autolend.domain.ledger import recovery_entry
from autolend.domain.money import Money
from autolend.services.audit import record_change
from autolend.services.eod import accrue_in
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, claim, replayed
from autolend.services.loan_books import (
    current_projection,
    locked_loan,
    post,
    restate,
    serviced_through,
)
from autolend.services.loan_ports import LoanEventRow, LoanRecord, NewLoanEvent
from autolend.services.paid_off import payoff_stands
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.prepayment_fees import (
    add_fee_event,
    fee_installment,
    fee_on,
    fee_on_principal,
)
from autolend.services.recoveries import check_recovery_room, reverse_recovery
from autolend.services.reversals import restate_without, reversible_event
from autolend.services.servicing_input import (
    MoneyIn,
    after_write_off,
    in_currency,
    positive,
    prepayment_mode,
    value_day,
    with_reason,
    zero_or_more,
)

__all__ = ["MoneyIn", "ServicingService", "event_body"]  # MoneyIn: servicing_input's

_DAY = timedelta(days=1)
# Money may still arrive after a payoff: it lands in the advance, and is refunded from it.
_AFTER_PAYOFF = ("repayment", "refund")
LOAN_STATUS_ZH = {"booked": "尚未放款", "active": "在还款中", "paid_off": "已结清",
                  "written_off": "已核销", "cancelled": "已取消"}  # fmt: skip
# A write-off moves no cash; a payoff the advance covers brings none.
_AMOUNT_CHECK: dict[str, Callable[[Money], Money]] = {
    "write_off": lambda amount: amount, "payoff": zero_or_more,
}  # fmt: skip


def event_body(event: LoanEventRow) -> dict[str, Any]:
    """The wire form of a money event, as stored for idempotent replays."""
    return {
        "id": event.id,
        "loan_id": event.loan_id,
        "kind": event.kind,
        "amount": Money.of_minor(event.amount_minor, event.currency).to_api(),
        "currency": event.currency,
        "value_date": event.value_date.isoformat(),
        "channel": event.channel,
        "reference": event.reference,
        "status": event.status,
        "entry_id": event.entry_id,
        "reversal_entry_id": event.reversal_entry_id,
        "allocation": json.loads(event.allocation_json) if event.allocation_json else {},
    }


class ServicingService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def _check(self, actor: Actor, permission: Permission) -> None:
        if not actor.can(permission):
            raise PermissionDenied(f"this needs the permission '{permission.value}'")

    def _value_date(self, loan: LoanRecord, day: date) -> date:
        return value_day(day, loan.start_date, self._clock.today())

    def _money_event(
        self,
        actor: Actor,
        loan_id: int,
        kind: str,
        data: MoneyIn,
        idem: IdempotencyRequest | None,
    ) -> MoneyResult:
        with self._uow(write=True) as uow:
            loan = locked_loan(uow, loan_id)
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            result = MoneyResult(201, self._post(uow, actor, loan, kind, data))
            claim(uow, self._clock, idem, result)
            uow.commit()
        return result

    def _post(
        self, uow: UnitOfWork, actor: Actor, loan: LoanRecord, kind: str, data: MoneyIn
    ) -> dict[str, Any]:
        """Record the money event on the locked ``loan``, restate it and audit, in the
        caller's transaction; returns the event's wire form."""
        if loan.status in ("booked", "cancelled", "written_off") or (
            kind not in _AFTER_PAYOFF and loan.status != "active"
        ):
            status = loan.status.replace("_", " ")
            zh = f"该贷款{LOAN_STATUS_ZH.get(loan.status, status)}，不能登记此交易"
            raise Conflict(f"the loan is {status}; a {kind} cannot be posted", message_zh=zh)
        # every wrong field at once: a zero amount on a day to come is refused on both
        day: date = gather({
            "currency": lambda: in_currency(data.amount, loan.currency),
            "amount": lambda: _AMOUNT_CHECK.get(kind, positive)(data.amount),
            "value_date": lambda: self._value_date(loan, data.value_date),
        })["value_date"]  # fmt: skip
        event_id, fee = self._record(uow, loan, kind, data, day)
        through = max(serviced_through(loan), day)
        since = min(day, serviced_through(loan) + _DAY)
        with payoff_stands(uow, loan, f"a {kind} dated {day}"):
            restate(uow, self._clock, actor, loan, through=through, since=since, resume=True)
        event = uow.loans.event(loan.id, event_id)
        assert event is not None
        body = event_body(event)
        if fee is not None:
            body["prepayment_fee"] = fee.to_api()
        self._audit(uow, actor, f"loan.{kind}", loan.id, amount=data.amount, ref=event_id)
        return body

    def _record(
        self, uow: UnitOfWork, loan: LoanRecord, kind: str, data: MoneyIn, day: date
    ) -> tuple[int, Money | None]:
        """Record the money event, and the prepayment fee of a prepayment or payoff (see
        :mod:`autolend.services.prepayment_fees`); returns the event id and the fee."""
        details: dict[str, object] = {"mode": data.mode} if data.mode else {}
        if kind == "write_off":
            # The allowance the loss is charged against: the loan's 1190 balance now
            # (credit-normal; no allowance entry is dated after the serviced-through date).
            held = -uow.ledger.loan_balances(loan.id).get("allowance", 0)
            details |= {"allowance": str(max(held, 0)), "nets_advance": True}
        fee: Money | None = None
        # Only a prepayment or payoff needs the installments (for its fee's due date).
        rows = uow.loans.installments(loan.id) if kind in ("payoff", "prepayment") else []
        if kind == "payoff":
            on = max(day, serviced_through(loan))
            principal = current_projection(uow, loan, on).state.outstanding_principal
            fee = fee_on_principal(loan, principal, trade_in=data.trade_in)
            if fee.minor:  # on the installment the payoff falls in, as a prepayment's
                n = fee_installment(rows, day)
                details["fee_event"] = add_fee_event(
                    uow, self._clock, loan, fee, day, n=n, for_event=None
                )
        event_id = uow.loans.add_event(
            NewLoanEvent(
                loan.id,
                kind,
                data.amount.minor,
                loan.currency,
                day,
                data.channel,
                data.reference,
                json.dumps(details) if details else None,
                self._clock.now(),
            )
        )
        if kind == "prepayment":
            fee = fee_on(loan, data.amount, trade_in=data.trade_in)
            if fee.minor:
                n = fee_installment(rows, day)
                add_fee_event(uow, self._clock, loan, fee, day, n=n, for_event=event_id)
        return event_id, fee

    def _audit(
        self, uow: UnitOfWork, actor: Actor, action: str, loan_id: int, *, amount: Money, ref: int
    ) -> None:
        record_change(
            uow,
            self._clock,
            actor,
            action=action,
            object_type="loan",
            object_id=loan_id,
            summary={"amount": amount.to_api(), "event_id": ref},
        )

    def post_repayment(
        self, actor: Actor, loan_id: int, data: MoneyIn, idem: IdempotencyRequest | None = None
    ) -> MoneyResult:
        """Allocate a repayment by the waterfall; any excess goes to the advance
        (suspense). A backdated value date replays accrual and penalty from it."""
        self._check(actor, Permission.REPAYMENT_POST)
        return self._money_event(actor, loan_id, "repayment", data, idem)

    def prepay(
        self, actor: Actor, loan_id: int, data: MoneyIn, idem: IdempotencyRequest | None = None
    ) -> MoneyResult:
        """A partial prepayment (``mode`` lower_installment or shorten_term, on a due date)
        or, with ``mode`` payoff, the payoff that closes the loan (the exact quote)."""
        self._check(actor, Permission.PREPAYMENT_POST)
        kind = "payoff" if prepayment_mode(data.mode) == "payoff" else "prepayment"
        return self._money_event(actor, loan_id, kind, data, idem)

    def refund_advance(
        self,
        actor: Actor,
        loan_id: int,
        amount: Money,
        value_date: date,
        idem: IdempotencyRequest | None = None,
    ) -> MoneyResult:
        """Return an overpayment held in the loan's advance (suspense) to the borrower:
        the replayed event ``refund``, **Dr 2100 suspense (loan) / Cr 2300 borrower refund
        payable** (treasury pays the payable out). Refused (409, nothing posted) when the
        amount exceeds the advance on its value date. A paid-off loan's advance (100.00
        received after the payoff) is refunded the same way; the loan stays paid off."""
        self._check(actor, Permission.REPAYMENT_POST)
        return self._money_event(actor, loan_id, "refund", MoneyIn(amount, value_date), idem)

    def post_write_off(
        self, uow: UnitOfWork, checker: Actor, loan_id: int, on: date
    ) -> dict[str, Any]:
        """Write off everything outstanding (核销) on ``on``, in the caller's transaction:
        the checker's approval of a write-off request (maker-checker,
        :meth:`autolend.services.approvals.ApprovalService.decide`) posts it."""
        self._check(checker, Permission.LOAN_WRITE_OFF_APPROVE)
        loan = locked_loan(uow, loan_id)
        if on < (first := serviced_through(loan)):
            raise InvalidInput(f"write off on or after {first}", field="value_date",
                               message_zh=f"核销日期不能早于 {first}")  # fmt: skip
        zero = Money.of_minor(0, loan.currency)
        return self._post(uow, checker, loan, "write_off", MoneyIn(zero, on))

    def reverse_repayment(
        self,
        actor: Actor,
        loan_id: int,
        event_id: int,
        reason: str,
        idem: IdempotencyRequest | None = None,
    ) -> MoneyResult:
        """Reverse a repayment (or prepayment, payoff) or a refund of the advance: a
        reversing entry, and the loan restated from its value date as if it had never
        been received (paid back); a repayment whose advance a refund paid back waits for
        that refund's reversal (:mod:`autolend.services.reversals`). A recovery on a
        written-off loan is reversed by the opposite entry at its value date."""
        self._check(actor, Permission.REPAYMENT_REVERSE)
        with_reason(reason, "a reversal needs a reason")
        with self._uow(write=True) as uow:
            loan = locked_loan(uow, loan_id)
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            event = reversible_event(uow, loan, event_id)
            if event.kind == "recovery":
                reverse_recovery(uow, self._clock, actor, event, reason=reason)
            else:
                restate_without(uow, self._clock, actor, loan, event)
            after = uow.loans.event(loan.id, event.id)
            assert after is not None
            result = MoneyResult(200, event_body(after))
            claim(uow, self._clock, idem, result)
            record_change(
                uow,
                self._clock,
                actor,
                action="loan.reverse_repayment",
                object_type="loan",
                object_id=loan.id,
                summary={"event_id": event.id, "kind": event.kind, "reason": reason[:200]},
            )
            uow.commit()
        return result

    def accrue_loan(self, actor: Actor, loan_id: int, through: date) -> int:
        """Accrue one loan through ``through``: one entry per (loan, day, component), at
        most once; returns the number of entries posted. Nothing accrues on a loan that
        is not active, nor for a day still to come: interest is earned day by day, and a
        loan serviced through next month refused a payoff quote for today."""
        self._check(actor, Permission.LOAN_ACCRUE)
        today = self._clock.today()
        if through > today:
            raise InvalidInput(
                f"through is in the future: accrue through {today} at the latest", field="through"
            )
        with self._uow(write=True) as uow:
            done = accrue_in(uow, self._clock, actor, loan_id, through)
            if done is None:
                return 0
            if done.posted:
                record_change(
                    uow,
                    self._clock,
                    actor,
                    action="loan.accrue",
                    object_type="loan",
                    object_id=loan_id,
                    summary={"through": through.isoformat(), "entries": len(done.posted)},
                )
            uow.commit()
        return len(done.posted)

    def _recovery_date(self, loan: LoanRecord, data: MoneyIn) -> date:
        """The value date of a recovery on ``loan``: written off, in its currency, a
        positive amount, dated from the write-off (``closed_on``) to today."""
        if loan.status != "written_off":
            raise Conflict("only a written-off loan takes recoveries",
                           message_zh="只有已核销的贷款才能登记回收")  # fmt: skip
        written_off_on = loan.closed_on or loan.start_date
        day: date = gather({
            "currency": lambda: in_currency(data.amount, loan.currency),
            "amount": lambda: positive(data.amount),
            "value_date": lambda: self._value_date(
                loan, after_write_off(data.value_date, written_off_on)),
        })["value_date"]  # fmt: skip
        return day

    def recover(
        self, actor: Actor, loan_id: int, data: MoneyIn, idem: IdempotencyRequest | None = None
    ) -> MoneyResult:
        """Cash collected on a written-off loan: Dr cash / Cr recovery income, dated on or
        after the write-off (written off on 2026-11-30: a recovery dated 2026-04-01, when
        the loan was still on the books, is refused on ``value_date``)."""
        self._check(actor, Permission.REPAYMENT_POST)
        with self._uow(write=True) as uow:
            loan = locked_loan(uow, loan_id)
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            day = self._recovery_date(loan, data)
            check_recovery_room(uow, loan, data.amount)
            event_id = uow.loans.add_event(
                NewLoanEvent(
                    loan.id,
                    "recovery",
                    data.amount.minor,
                    loan.currency,
                    day,
                    data.channel,
                    data.reference,
                    None,
                    self._clock.now(),
                )
            )
            entry = recovery_entry(
                loan.id, day, data.amount, idempotency_key=f"loan:{loan.id}:rc:{event_id}"
            )
            entry_id = post(uow, self._clock, actor, entry, f"rc:{event_id}")
            uow.loans.set_event_entry(event_id, entry_id, "{}")
            event = uow.loans.event(loan.id, event_id)
            assert event is not None
            result = MoneyResult(201, event_body(event))
            claim(uow, self._clock, idem, result)
            self._audit(uow, actor, "loan.recovery", loan.id, amount=data.amount, ref=event_id)
            uow.commit()
        return result
