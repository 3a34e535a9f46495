"""Migrating a loan from another system (存量迁移): its contract, and what it stood at on
the cut-over date, so that servicing continues here from that date.

The loan is booked from its original terms (the schedule it was sold with), then the
other system's figures at the end of the cut-over day are laid over it
(:func:`autolend.services.contract.opening_state`): the amounts already paid per
installment (or simply the number of installments fully paid), the penalty unpaid and
the advance held. Interest of the running period is accrued through the cut-over by the
contract's own daily rule; a figure sent for it must agree to the fen. The opening state
is stored with the contract (terms JSON ``opening``), so every later replay starts from
the cut-over, never from booking, and events dated before it are refused.

The ledger gets the opening balances in one entry
(:func:`autolend.domain.ledger.migration_entry`, fact ``migration``): Dr each loan
receivable (principal outstanding, interest due and accrued, fees billed, penalty), Cr
the advance held, and 3000 equity migration the net. E.g. 12,000.00 at 12 % over 12
months, two installments paid, cut over on 2026-03-20: Dr principal 10,103.00 (12,000.00
less the 946.19 and 950.81 repaid, as the schedule says), Dr interest the accrued part
of installment 3, Cr equity migration their sum. The loan is active, accrued through the
cut-over, disbursed = its principal (disbursed by the other system, within approved).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import InvalidInput, PermissionDenied
from autolend.domain.ledger import JournalEntry, SubLedger, migration_entry
from autolend.domain.money import Money
from autolend.domain.servicing import LoanState
from autolend.services.audit import record_change
from autolend.services.contract import Opening, ServicingTerms, parse_monthly_fees
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, claim, replayed
from autolend.services.loan_books import post, state_snapshot
from autolend.services.loan_ports import LoanUpdate
from autolend.services.loans import BookingRequest, add_loan, booked_view
from autolend.services.ports import Clock, UnitOfWorkFactory
from autolend.services.projection import initial_state, receivables


@dataclass(frozen=True)
class MigrationRequest:
    """``paid``: per installment number, the (principal, interest, fee) already paid;
    ``installments_paid``: installments 1..k fully paid (an entry in ``paid`` wins)."""

    booking: BookingRequest
    cut_over: date
    installments_paid: int = 0
    paid: Mapping[int, tuple[Money, Money, Money]] = field(default_factory=dict)
    penalty: Money | None = None
    advance: Money | None = None
    accrued_interest: Money | None = None  # checked against the contract's daily rule


def _minor(money: Money | None, code: str, name: str) -> int:
    if money is None:
        return 0
    if money.currency.code != code or money.minor < 0:
        raise InvalidInput(f"{name} must be >= 0 in {code}", field=name)
    return money.minor


def _opening(request: MigrationRequest, state: LoanState) -> Opening:
    """The opening figures in minor units (the booked ``state`` gives the amounts due)."""
    code, rows = state.currency.code, state.installments
    if not 0 <= request.installments_paid <= len(rows):
        raise InvalidInput(f"installments_paid must be 0..{len(rows)}", field="installments_paid")
    paid = {
        r.n: (r.principal_due, r.interest_due, r.fee_due) for r in rows[: request.installments_paid]
    }
    for n, parts in request.paid.items():
        paid[n] = tuple(_minor(m, code, "paid") for m in parts)  # type: ignore[assignment]
    return Opening(
        request.cut_over,
        tuple((n, *parts) for n, parts in sorted(paid.items())),
        _minor(request.penalty, code, "penalty"),
        _minor(request.advance, code, "advance"),
    )


def _opening_entry(loan_id: int, state: LoanState) -> JournalEntry:
    """Opening balances: the receivables at the cut-over and the advance held."""
    assert state.accrued_through is not None
    cut = state.accrued_through
    owed = {sub: state.money(minor) for sub, minor in receivables(state, cut).items()}
    owed[SubLedger.SUSPENSE] = state.money(state.advance)
    return migration_entry(loan_id, cut, owed)


class MigrationService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def migrate(
        self, actor: Actor, request: MigrationRequest, idem: IdempotencyRequest | None = None
    ) -> MoneyResult:
        """Book the loan with its opening state and post its opening balances; one
        transaction. Answers 201 with the loan as booked; with ``idem``, a replay of the
        same request answers that again and books nothing (a key reused for another
        request is refused)."""
        if not actor.can(Permission.LOAN_BOOK):
            raise PermissionDenied("your role may not book loans")
        booking, cut = request.booking, request.cut_over
        terms = booking.terms
        if not terms.start < cut <= self._clock.today():
            raise InvalidInput(
                f"cut_over must be after {terms.start} and not in the future", field="cut_over"
            )
        fees = parse_monthly_fees(booking.monthly_fees, terms.principal.currency.code)
        booked = initial_state(1, terms, ServicingTerms(booking.waterfall, fees))  # amounts due
        with self._uow(write=True) as uow:
            if idem is not None:
                uow.idempotency.hold(idem.key, idem.user_id)
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            loan_id, state = add_loan(uow, self._clock, booking, _opening(request, booked))
            self._check_accrued(request, state)
            entry_id = post(uow, self._clock, actor, _opening_entry(loan_id, state), "migration")
            snapshot = json.dumps(state_snapshot(state))
            change = LoanUpdate("active", cut, None, snapshot, terms.principal.minor)
            uow.loans.update(loan_id, change)
            summary: dict[str, str | int] = {"cut_over": cut.isoformat(), "entry_id": entry_id}
            record_change(
                uow,
                self._clock,
                actor,
                action="loan.migrate",
                object_type="loan",
                object_id=loan_id,
                summary=summary,
            )
            result = MoneyResult(201, booked_view(uow, loan_id))
            claim(uow, self._clock, idem, result)
            uow.commit()
        return result

    @staticmethod
    def _check_accrued(request: MigrationRequest, state: LoanState) -> None:
        sent = request.accrued_interest
        if sent is not None and sent.minor != state.accrued_interest:
            expected = state.money(state.accrued_interest).to_api()
            raise InvalidInput(
                f"accrued interest on the cut-over is {expected} by the contract's daily rule",
                field="accrued_interest",
            )
