"""Settling a promotion's subsidy receivable when the car maker (or the state) pays.

A 0 % promotion whose maker subsidy was booked as owed at disbursement
(``subsidy_settlement: receivable``) carries Dr 1140 subsidy receivable (loan). When the
maker's money arrives, :meth:`SubsidyService.receive` posts **Dr 1000 cash / Cr 1140
subsidy receivable (loan)**, at most what is still owed, once per ``Idempotency-Key``.
Example: 6,000.00 owed, 4,000.00 received -> 2,000.00 still owed; 2,500.00 more is refused
(422 naming ``amount``). Nothing else about the loan changes, so no replay is needed.
"""

from __future__ import annotations

import uuid
from datetime import date

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import InvalidInput, PermissionDenied
from autolend.domain.ledger import subsidy_entry
from autolend.domain.money import Money
from autolend.services.audit import record_change
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, claim, replayed
from autolend.services.loan_books import locked_loan, post
from autolend.services.loan_views import money_text
from autolend.services.ports import Clock, UnitOfWorkFactory

__all__ = ["SubsidyService"]


class SubsidyService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def receive(self, actor: Actor, loan_id: int, amount: Money, value_date: date, *,
                idem: IdempotencyRequest | None = None) -> MoneyResult:  # fmt: skip
        """Post the maker's payment against the loan's subsidy receivable."""
        if not actor.can(Permission.REPAYMENT_POST):
            raise PermissionDenied("your role may not post subsidy receipts")
        with self._uow(write=True) as uow:
            loan = locked_loan(uow, loan_id)
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            amount_minor = amount.minor
            if amount.currency.code != loan.currency or amount_minor <= 0:
                raise InvalidInput(f"amount must be positive {loan.currency}", field="amount")
            if not loan.start_date <= value_date <= self._clock.now().date():
                raise InvalidInput("value date is before the loan start or in the future",
                                   field="value_date")  # fmt: skip
            owed = uow.ledger.loan_balances(loan.id).get("subsidy", 0)
            if amount_minor > owed:
                raise InvalidInput(f"the subsidy still owed is {money_text(owed, loan.currency)}",
                                   field="amount")  # fmt: skip
            entry = subsidy_entry(loan.id, value_date, Money.of_minor(amount_minor, loan.currency),
                                  received=True)  # fmt: skip
            entry_id = post(uow, self._clock, actor, entry, f"sr:{uuid.uuid4().hex}")
            body: dict[str, str | int] = {"loan_id": loan.id, "entry_id": entry_id,
                    "amount": money_text(amount_minor, loan.currency), "currency": loan.currency,
                    "value_date": value_date.isoformat(),
                    "still_owed": money_text(owed - amount_minor, loan.currency)}  # fmt: skip
            record_change(uow, self._clock, actor, action="loan.subsidy_receipt",
                          object_type="loan", object_id=loan.id, summary=body)  # fmt: skip
            result = MoneyResult(201, body)
            claim(uow, self._clock, idem, result)
            uow.commit()
        return result
