"""Loans: booking from terms, disbursement to the dealer, and reading them back.

Money moves only in :mod:`autolend.services.servicing` and here (disbursement); each use
case is one transaction with its audit record. A caller who may not reach a loan gets
"not found": a borrower reaches the loans of their own customer profile, a dealer its
dealership's loans, staff with ``loan:read_all`` every loan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from autolend.domain.access import Actor, Permission, Role
from autolend.domain.calendar import add_months
from autolend.domain.closing_duties import check_disburser
from autolend.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from autolend.domain.money import Money
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import LoanTerms
from autolend.domain.servicing import LoanState, LoanStatus
from autolend.services.audit import record_change
from autolend.services.contract import (
    Collateral,
    Opening,
    ServicingTerms,
    opening_state,
    parse_late_fee,
    parse_monthly_fees,
)
from autolend.services.disbursement import (
    DisbursementInput,
    disbursement_of,
    record_payout,
    refuse_application_loan,
)
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, claim, replayed
from autolend.services.loan_books import (
    LOAN_NOT_FOUND,
    current_projection,
    installment_rows,
    locked_loan,
    post,
    serviced_through,
    terms_of,
)
from autolend.services.loan_ledger import ledger_read
from autolend.services.loan_ports import LoanRecord, LoanUpdate, NewLoan
from autolend.services.loan_views import (
    loan_summary,
    loan_transactions,
    loan_view,
    money_text,
)
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.prepayment_fees import fee_on_principal, fee_terms
from autolend.services.projection import initial_state, receivables
from autolend.services.terms_codec import dump_terms

__all__ = [
    "BookingRequest", "DisbursementInput", "LoanService", "loan_summary", "loan_view", "reachable",
]  # fmt: skip


PAYOFF_HORIZON_MONTHS = 12
"""How far ahead a payoff quote may be dated: a year to the day (2026-12-02 -> 2027-12-02)."""
LOAN_STATUSES = ("booked", *(status.value for status in LoanStatus), "cancelled")
"""A loan's life-cycle statuses: booked (not yet paid out), the servicing ones, and
cancelled (the borrower withdrew the application before the loan was paid out: it never
held money and takes none)."""
CUSTOMER_LOANS = 50
"""The most loans a customer's page lists: a person holds a handful at most."""


@dataclass(frozen=True)
class BookingRequest:
    terms: LoanTerms
    approved: Money
    product_code: str = "standard"
    customer_id: int | None = None
    dealer_id: int | None = None
    pack_code: str = "CN"  # must lend in the principal's currency (CN CNY, US USD)
    prepayment_fee_rule: str = "none"  # none | percent_of_prepaid | waived_trade_in
    prepayment_fee_rate: Decimal | None = None  # a fraction, 0.02 is 2 %
    waterfall: str = "standard"  # the product's policy: standard | principal_first | ...
    monthly_fees: object = None  # {"gps": "30.00"} or [{"kind": ..., "amount": ...}]
    collateral: Collateral | None = None  # the car, when known (origination knows it)
    late_fee: object = None  # {"amount": "50.00", "after_days": 15}, or None: no late fee
    penalty_uplift: Decimal | None = None  # 0.3 is +30 %; None: the pack's default
    pd_orig: Decimal | None = None  # the decision's PD (0.08 is 8 %); None: not known
    model_version: str | None = None  # the credit model that gave ``pd_orig``


def _checked_uplift(request: BookingRequest) -> Decimal | None:
    """The contract's penalty uplift, refused outside the pack's range on the start date
    (CN 30 %..50 %), naming ``penalty_uplift``."""
    uplift = request.penalty_uplift
    if uplift is not None:
        try:
            policy_from_pack(pack_for(request.pack_code), request.terms.start, uplift)
        except InvalidInput as error:
            raise InvalidInput(f"penalty_{error.message}", field="penalty_uplift") from error
    return uplift


def _check_pack(request: BookingRequest) -> None:
    """The pack must exist and lend in the principal's currency: a USD loan under CN would
    be serviced with CN's 50 % penalty and 24 %/360 ceiling. Refusals name ``pack_code``
    (unknown) or ``currency`` (another pack's)."""
    try:
        pack = pack_for(request.pack_code)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="pack_code") from error
    code = request.terms.principal.currency.code
    if code != pack.currency:
        message = f"the {pack.code} pack lends in {pack.currency}, not {code}"
        raise InvalidInput(message, field="currency")


def add_loan(
    uow: UnitOfWork, clock: Clock, request: BookingRequest, opening: Opening | None = None
) -> tuple[int, LoanState]:
    """Insert the loan (status booked) and its installments: the schedule with the
    contract's monthly fees, or a migrated loan's ``opening`` state; the caller audits
    and commits."""
    terms = request.terms
    _check_pack(request)
    fee_rule = fee_terms(request.prepayment_fee_rule, request.prepayment_fee_rate)
    code = terms.principal.currency.code
    fees = parse_monthly_fees(request.monthly_fees, code)
    late = parse_late_fee(request.late_fee, code)
    uplift = _checked_uplift(request)
    servicing = ServicingTerms(request.waterfall, fees, opening, collateral=request.collateral,
                               late_fee=late, penalty_uplift=uplift, pd_orig=request.pd_orig,
                               model_version=request.model_version)  # fmt: skip
    if request.approved.currency != terms.principal.currency:
        raise InvalidInput("approved and principal differ in currency", field="currency")
    if terms.principal.minor > request.approved.minor:
        raise InvalidInput("the principal exceeds the approved amount", field="principal")
    if request.customer_id is not None and uow.customers.by_id(request.customer_id) is None:
        raise InvalidInput("no such customer", field="customer_id")
    if request.dealer_id is not None and uow.dealers.name_of(request.dealer_id) is None:
        raise InvalidInput("no such dealer", field="dealer_id")
    loan_id = uow.loans.add(
        NewLoan(request.customer_id, request.dealer_id, request.product_code, code,
                request.approved.minor, terms.principal.minor, str(terms.annual_rate),
                dump_terms(terms, request.pack_code, fee_rule, servicing), terms.start,
                clock.now()),
    )  # fmt: skip
    state = initial_state(loan_id, terms, servicing)
    if opening is not None:
        state = opening_state(state, opening)
    uow.loans.replace_installments(loan_id, installment_rows(state))
    return loan_id, state


def booked_view(uow: UnitOfWork, loan_id: int) -> dict[str, Any]:
    """The loan as :func:`~autolend.services.loan_views.loan_view` shows it, read in
    ``uow`` (a migration answers with it inside its own transaction)."""
    loan = uow.loans.get(loan_id)
    if loan is None:
        raise NotFound("loan not found")
    return loan_view(loan, uow.ledger.loan_balances(loan_id), uow.loans.installments(loan_id))


def reachable(actor: Actor, loan: LoanRecord) -> bool:
    """May ``actor`` learn that ``loan`` exists?"""
    if actor.can(Permission.LOAN_READ_ALL):
        return True
    if loan.owner_user_id is not None and loan.owner_user_id == actor.user_id:
        return True
    dealer = Role.DEALER in actor.roles and actor.dealer_id is not None
    return dealer and loan.dealer_id == actor.dealer_id


def _reach(actor: Actor) -> dict[str, Any]:
    """Which loans ``actor`` may list, as :func:`reachable` decides for one: their own
    customer profile's, their dealership's, or every one (``loan:read_all``)."""
    return {
        "owner_user_id": actor.user_id,
        "dealer_id": actor.dealer_id if Role.DEALER in actor.roles else None,
        "all_rows": actor.can(Permission.LOAN_READ_ALL),
    }


class LoanService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def book(self, actor: Actor, request: BookingRequest) -> int:
        """Book a loan from its terms; the schedule is stored as installments. Its start
        is at most ten years back (a book older than that comes in by migration, from a
        cut-over): end of day catches up every day from the oldest loan's, and a typo such
        as 0026-01-01 would have set it two thousand years to run."""
        if not actor.can(Permission.LOAN_BOOK):
            raise PermissionDenied("your role may not book loans")
        earliest = add_months(self._clock.today(), -120)
        if request.terms.start < earliest:
            raise InvalidInput(
                f"start {request.terms.start} is before {earliest}, ten years back", field="start"
            )
        with self._uow(write=True) as uow:
            loan_id, _ = add_loan(uow, self._clock, request)
            record_change(
                uow,
                self._clock,
                actor,
                action="loan.book",
                object_type="loan",
                object_id=loan_id,
                summary={"principal": request.terms.principal.to_api(),
                         "periods": request.terms.periods},
            )  # fmt: skip
            uow.commit()
        return loan_id

    def disburse(
        self,
        actor: Actor,
        loan_id: int,
        data: DisbursementInput,
        idem: IdempotencyRequest | None = None,
    ) -> MoneyResult:
        """Pay the principal out to the dealer (fees deducted at source); never more
        than approved, and once; a loan booked from an application only through it."""
        check_disburser(actor)  # 403 in both languages: servicing (loan:book) pays out
        with self._uow(write=True) as uow:
            loan = locked_loan(uow, loan_id)
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            refuse_application_loan(uow, loan)
            result = self.disburse_in(uow, actor, loan, data)
            claim(uow, self._clock, idem, result)
            uow.commit()
        return result

    def disburse_in(
        self, uow: UnitOfWork, actor: Actor, loan: LoanRecord, data: DisbursementInput
    ) -> MoneyResult:
        """The disbursement's postings and the loan's move to active, in the caller's
        transaction (origination pays out with the application's own move). Cash moves
        on a business day already here: a value date (by default the loan's start) after
        today is refused, as for repayments."""
        day, today = data.value_date or loan.start_date, self._clock.today()
        if day > today:
            raise InvalidInput(
                f"the value date {day} is in the future: pay out on or before {today}",
                field="value_date",
            )
        entry, body = disbursement_of(loan, data)
        entry_id = post(uow, self._clock, actor, entry, "disbursement")
        uow.loans.update(loan.id, LoanUpdate("active", None, None, None, data.amount.minor))
        record_payout(uow, loan, data)  # the down payment and the subsidy schedule
        summary = {k: v for k, v in body.items() if k not in ("loan_id", "currency")}
        record_change(uow, self._clock, actor, action="loan.disburse", object_type="loan",
                      object_id=loan.id, summary=summary | {"entry_id": entry_id})  # fmt: skip
        return MoneyResult(201, {"loan_id": loan.id, "entry_id": entry_id} | body)

    def _reachable_loan(self, uow: UnitOfWork, actor: Actor, loan_id: int) -> LoanRecord:
        if not actor.can(Permission.LOAN_READ):
            raise PermissionDenied("your role may not read loans")
        loan = uow.loans.get(loan_id)
        if loan is None or not reachable(actor, loan):
            raise NotFound(LOAN_NOT_FOUND)
        return loan

    def get(self, actor: Actor, loan_id: int) -> dict[str, Any]:
        """Balances by component, next due, days past due, status and the schedule."""
        with self._uow() as uow:
            loan = self._reachable_loan(uow, actor, loan_id)
            return booked_view(uow, loan.id)

    def list_loans(
        self,
        actor: Actor,
        *,
        status: str | None = None,
        limit: int = 100,
        offset: int = 0,
        overdue: bool = False,
    ) -> dict[str, Any]:
        """One page of the loans the actor may reach, by loan number, and how many there
        are in all: ``{"items": [...], "total": 120, "limit": 50, "offset": 100}`` is the
        third page of 50 (20 items). ``overdue``: only loans with an installment past due
        with principal or interest unpaid (days past due above 0; a fee alone is not),
        the longest late first."""
        if not actor.can(Permission.LOAN_READ):
            raise PermissionDenied("your role may not read loans")
        if status is not None and status not in LOAN_STATUSES:
            raise InvalidInput(
                f"unknown loan status; one of: {', '.join(LOAN_STATUSES)}", field="status"
            )
        reach = {"status": status, **_reach(actor), "overdue": overdue}
        with self._uow() as uow:
            loans = uow.loans.find(**reach, limit=limit, offset=offset)
            total = uow.loans.count(**reach)
        items = [loan_summary(loan) for loan in loans]
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    def of_customer(self, actor: Actor, customer_id: int) -> list[dict[str, Any]]:
        """The customer's loans ``actor`` may reach (as :func:`reachable`), newest first,
        in their list form, whether an application became them or they were booked
        directly (the loan API, a migrated book); none for a role that reads no loans.
        Example: 张伟's page shows loan 7, booked by the API with no application, to
        servicing staff; a dealer sees it only if the dealer sold it."""
        if not actor.can(Permission.LOAN_READ):
            return []
        with self._uow() as uow:
            loans = uow.loans.of_customer(customer_id, **_reach(actor), limit=CUSTOMER_LOANS)
        return [loan_summary(loan) for loan in loans]

    def transactions(self, actor: Actor, loan_id: int) -> list[dict[str, Any]]:
        """The loan's money events (repayments, prepayments, payoffs, write-off, recoveries,
        fees, waivers: a waiver at what the ledger waived) and the late fees its contract
        charged by itself (``source`` "contract"), by value date (:func:`loan_transactions`)."""
        with self._uow() as uow:
            loan = self._reachable_loan(uow, actor, loan_id)
            return loan_transactions(uow, loan)

    def ledger(self, actor: Actor, loan_id: int) -> list[dict[str, Any]]:
        """The loan's journal entries with their postings, oldest first (its customer's:
        without the lender's provisioning)."""
        return self.newest_ledger(actor, loan_id, None)[0]

    def newest_ledger(
        self, actor: Actor, loan_id: int, newest: int | None
    ) -> tuple[list[dict[str, Any]], int]:
        """The loan's ``newest`` journal entries (every one for None), oldest first, and
        how many it has: daily accruals make thousands over a loan's life. Its customer
        reads them without the lender's provisioning (:mod:`.loan_ledger`)."""
        with self._uow() as uow:
            loan = self._reachable_loan(uow, actor, loan_id)
            return ledger_read(uow, actor, loan.id, newest)

    def payoff_quote(
        self, actor: Actor, loan_id: int, on: date, *, trade_in: bool = False
    ) -> dict[str, Any]:
        """What settles the loan on ``on``: principal, interest accrued to that day (Art.
        677), penalty and fees, plus the prepayment fee on the principal under the loan's
        rule (``trade_in`` may waive it), less the advance; valid for that date only."""
        with self._uow() as uow:
            loan = self._reachable_loan(uow, actor, loan_id)
            if loan.status != "active":
                raise Conflict(f"the loan is {loan.status}, not active")
            if on < (first := serviced_through(loan)) or on < terms_of(loan).start:
                raise InvalidInput(f"date must be on or after {first}", field="date")
            latest = add_months(self._clock.today(), PAYOFF_HORIZON_MONTHS)
            if on > latest:  # each day to it is projected: 9999-12-31 ran for minutes
                zh = f"结清报价的日期最晚为 {latest}（今天起一年内）"
                raise InvalidInput(f"date must be on or before {latest}", field="date",
                                   message_zh=zh)  # fmt: skip
            state = current_projection(uow, loan, on).state
        owed = receivables(state, on)
        fee = fee_on_principal(loan, state.outstanding_principal, trade_in=trade_in)
        due = sum(owed.values()) + fee.minor
        used = min(state.advance, due)  # an advance above it stays held, to be refunded
        body: dict[str, Any] = {
            sub.value: money_text(minor, loan.currency) for sub, minor in owed.items()
        }
        body.update(
            loan_id=loan.id,
            currency=loan.currency,
            valid_until=on.isoformat(),
            advance=money_text(state.advance, loan.currency),
            prepayment_fee=fee.to_api(),
            total=money_text(due - used, loan.currency),
            advance_left=money_text(state.advance - used, loan.currency),
        )
        return body
