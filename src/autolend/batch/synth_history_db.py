"""Writing a synthetic book with history (:mod:`autolend.batch.synth_history`) into the
database: the rows the services would have written, in a few transactions.

For each loan, as the services do it:

1. **booking** (:func:`autolend.services.loans.add_loan`): the loan and its schedule;
   a loan started before the cut-over is booked as **migrated** there (its opening
   state; the opening-balances entry ``migration:<id>`` against 3000 equity migration,
   as :class:`~autolend.services.migration.MigrationService` posts it), a later one is
   disbursed on its start date (``loan:<id>:disbursement``, as disbursement posts it);
2. **events**: each repayment and payoff recorded (table ``repayments``) with its
   reference, the payoff at its exact quote on its value date;
3. **replay** (:func:`autolend.services.projection.project`) from the cut-over (or the
   start) through ``as_of`` -- through the closing day for a loan that closed -- with
   those events: the same replay every repayment and every end of day runs, so its facts
   (``ai:``, ``ap:``, ``mf:``, ``aa:`` per day, ``ev:<event id>`` per event) are the
   entries the services and the end of day would have posted one day after the other,
   under the same keys and fingerprints. The daily facts go in set-based
   (``uow.eod.bulk_write``: ``COPY`` on PostgreSQL), each event's entry one by one (the
   event row keeps its entry id and allocation);
4. **servicing state**: installments, status, serviced-through date, closing date and
   the state snapshot, as :func:`autolend.services.loan_books.restate` saves them.

No audit record per loan (one per transaction, ``loan.synthetic_book``) and no
idempotency records: what a bulk load from another system would leave. Each loan gets its
borrower as a customer when the caller passes a ``customers`` maker (the demo does:
:func:`autolend.services.demo_people.add_synthetic_customer`), in the loan's transaction.

Example: ``insert_history_book(uow, clock, 2_000, seed=1, as_of=date(2026, 11, 28))``
books 2,000 loans migrated on 2026-08-31 (or started since) with their history through
2026-11-28, every active loan serviced through that day.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from autolend.batch.bulk_day import bulk_entry
from autolend.batch.synth_book import SYNTHETIC_MODEL_VERSION
from autolend.batch.synth_history import (
    CURRENCY,
    LoanPlan,
    MoneyEvent,
    cut_over_for,
    events_of,
    opening_paid,
    opening_penalty,
    plan_book,
)
from autolend.domain.access import Actor
from autolend.domain.errors import InvalidInput
from autolend.domain.ledger import JournalEntry, SubLedger, disbursement_entry, migration_entry
from autolend.domain.money import Money
from autolend.domain.servicing import InstallmentState, LoanState, LoanStatus
from autolend.services.audit import record_change
from autolend.services.contract import (
    Opening,
    ServicingTerms,
    parse_late_fee,
    parse_monthly_fees,
)
from autolend.services.eod_ports import BulkEntry, BulkWrite
from autolend.services.loan_books import (
    allocation_wire,
    installment_rows,
    post,
    split_wire,
    state_snapshot,
)
from autolend.services.loan_ports import LoanUpdate, NewLoanEvent
from autolend.services.loans import BookingRequest, add_loan
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.projection import Event, Projection, initial_state, project, receivables

__all__ = [
    "CHUNK", "HISTORY_MONTHS", "HistoryBook", "Replayed", "booking_request",
    "insert_history_book", "opening_of", "quoted_events", "replay_history", "servicing_terms",
    "write_plans",
]  # fmt: skip

CHUNK = 500
"""Loans per transaction."""

HISTORY_MONTHS = 3
"""The cut-over is the last day of the month this many months before ``as_of``'s."""

_ACCRUAL = {"ai": "interest", "ap": "penalty"}

Progress = Callable[[int, int], None]
"""Called with (loans written, loans in all) after each transaction."""

CustomerMaker = Callable[[UnitOfWork, int, int | None], int]
"""Makes the borrower of the ``serial``-th loan for a dealer, in the loan's unit of work:
``(uow, serial, dealer id) -> customer id``."""


@dataclass(frozen=True)
class HistoryBook:
    """The loans written (ids ascending), their cut-over and the business date."""

    loan_ids: list[int]
    cut_over: date
    as_of: date


def booking_request(
    plan: LoanPlan, dealer_id: int | None, customer_id: int | None = None
) -> BookingRequest:
    """The booking the plan stands for: its terms, approved at its principal, under the
    product's catalogue code, waterfall, monthly fees, penalty uplift and late fee, with
    the plan's PD at origination (model version ``"synthetic"``); CN pack, no prepayment
    fee."""
    terms, spec = plan.terms(), plan.product
    late = None if spec.late_fee is None else {
        "amount": Money.of_minor(spec.late_fee[0], CURRENCY), "after_days": spec.late_fee[1],
    }  # fmt: skip
    return BookingRequest(
        terms=terms, approved=terms.principal, product_code=spec.code,
        customer_id=customer_id, dealer_id=dealer_id, waterfall=spec.waterfall,
        monthly_fees=plan.monthly_fees(), collateral=plan.collateral(), late_fee=late,
        penalty_uplift=spec.penalty_uplift, pd_orig=plan.pd_orig,
        model_version=SYNTHETIC_MODEL_VERSION,
    )  # fmt: skip


def servicing_terms(request: BookingRequest, opening: Opening | None) -> ServicingTerms:
    """The contract's servicing terms as booking stores them (with a migrated loan's
    ``opening``): every one the replay reads, so it charges what the stored loan will."""
    fees = parse_monthly_fees(request.monthly_fees, CURRENCY)
    return ServicingTerms(
        request.waterfall, fees, opening, collateral=request.collateral,
        late_fee=parse_late_fee(request.late_fee, CURRENCY),
        penalty_uplift=request.penalty_uplift, pd_orig=request.pd_orig,
        model_version=request.model_version,
    )  # fmt: skip


def opening_of(
    plan: LoanPlan, rows: Sequence[InstallmentState], cut: date, as_of: date
) -> Opening | None:
    """The migration opening state of a loan started before the cut-over."""
    if plan.start >= cut:
        return None
    paid = opening_paid(plan, rows, cut, as_of)
    penalty = opening_penalty(plan, rows, {n for n, *_ in paid}, cut)
    return Opening(cut, paid, penalty, 0)


def _first_entry(loan_id: int, plan: LoanPlan, state: LoanState) -> JournalEntry:
    """The opening balances of a migrated loan (as the migration service states them),
    or the disbursement of a new one."""
    money = Money.of_minor(plan.principal, CURRENCY)
    if state.accrued_through is None:
        return disbursement_entry(
            loan_id, plan.start, principal=money, to_dealer=money, paid=True,
            idempotency_key=f"loan:{loan_id}:disbursement",
        )  # fmt: skip
    cut = state.accrued_through
    owed = {sub: state.money(minor) for sub, minor in receivables(state, cut).items()}
    owed[SubLedger.SUSPENSE] = state.money(state.advance)
    return migration_entry(loan_id, cut, owed)


def _numbered(planned: Sequence[MoneyEvent]) -> list[Event]:
    """The events as replayed, numbered 1, 2, ... in value-date order (stand-ins for
    the ids the database gives them; ``seq`` counts the events before on the same day)."""
    out: list[Event] = []
    for k, e in enumerate(planned, start=1):
        seq = sum(1 for o in out if o.value_date == e.value_date)
        money = Money.of_minor(e.amount, CURRENCY)
        out.append(Event(k, e.kind, e.value_date, seq, money, e.reference))
    return out


def _record_events(
    uow: UnitOfWork, clock: Clock, loan_id: int, planned: Sequence[MoneyEvent]
) -> dict[int, int]:
    """Record the events in order; their ids by number (see :func:`_numbered`)."""
    ids = {}
    for k, e in enumerate(planned, start=1):
        row = NewLoanEvent(loan_id, e.kind, e.amount, CURRENCY, e.value_date, "bank_transfer",
                           e.reference, None, clock.now())  # fmt: skip
        ids[k] = uow.loans.add_event(row)
    return ids


def _renumbered(projection: Projection, ids: dict[int, int]) -> Projection:
    """The projection with its events' stand-in numbers replaced by their ids (no
    entry holds an event id: only the ``ev:`` fact names and the allocations do)."""
    facts = {(f"ev:{ids[int(f[3:])]}" if f.startswith("ev:") else f): e
             for f, e in projection.facts.items()}  # fmt: skip
    allocations = {ids[k]: a for k, a in projection.allocations.items()}
    splits = {ids[k]: split for k, split in projection.splits.items()}
    return Projection(projection.state, facts, allocations, projection.closed_on, splits)


def quoted_events(
    loan_id: int, request: BookingRequest, servicing: ServicingTerms, planned: list[MoneyEvent]
) -> list[MoneyEvent]:
    """The payoff (last, if any) at its exact quote, or dropped if the loan closed
    before it; ``Event`` ids are stand-ins for this replay only."""
    if not planned or planned[-1].kind != "payoff":
        return planned
    before, payoff = planned[:-1], planned[-1]
    stand_ins = [Event(-i - 1, e.kind, e.value_date, 0, Money.of_minor(e.amount, CURRENCY))
                 for i, e in enumerate(before)]  # fmt: skip
    day = payoff.value_date
    state = project(loan_id, request.terms, "CN", stand_ins, day, servicing=servicing).state
    if state.status is not LoanStatus.ACTIVE:
        return before
    quote = sum(receivables(state, day).values()) - state.advance
    return [*before, replace(payoff, amount=quote)]


@dataclass(frozen=True)
class Replayed:
    """One loan's history, replayed without the database: its money events at their
    amounts, and the projection through the day it is serviced through (the closing day
    of a loan that closed, else ``as_of``) with the events numbered by :func:`_numbered`."""

    planned: list[MoneyEvent]
    projection: Projection
    through: date


Job = tuple[int, LoanPlan, Opening | None, date, date]
"""Loan id, plan, opening (``None``: booked after the cut-over), cut-over, ``as_of``."""


def replay_history(job: Job) -> Replayed:
    """The money events and the replay of one loan (see :class:`Replayed`)."""
    loan_id, plan, opening, cut, as_of = job
    request = booking_request(plan, None)
    rows = initial_state(loan_id, request.terms, servicing_terms(request, None)).installments
    servicing = servicing_terms(request, opening)
    planned = quoted_events(loan_id, request, servicing, events_of(plan, rows, cut, as_of))
    events = _numbered(planned)
    projection = project(loan_id, request.terms, "CN", events, as_of, servicing=servicing)
    if projection.closed_on is None:
        return Replayed(planned, projection, as_of)
    through = projection.closed_on  # serviced through the day it closed
    projection = project(loan_id, request.terms, "CN", events, through, servicing=servicing)
    return Replayed(planned, projection, through)


def _book(
    uow: UnitOfWork, clock: Clock, plan: LoanPlan, party: tuple[int | None, int | None],
    span: tuple[date, date],
) -> tuple[Job, BulkEntry]:  # fmt: skip
    """Book one loan for ``party`` (dealer id, customer id) (migrated at the cut-over, or
    booked and disbursed after it); its replay job and its first entry (opening balances
    or disbursement)."""
    cut, as_of = span
    request = booking_request(plan, *party)
    rows = initial_state(0, request.terms, servicing_terms(request, None)).installments  # as booked
    opening = opening_of(plan, rows, cut, as_of)
    loan_id, booked = add_loan(uow, clock, request, opening)
    first = _first_entry(loan_id, plan, booked)
    return (loan_id, plan, opening, cut, as_of), bulk_entry(
        first, "migration" if opening else "disbursement"
    )


def _write_history(
    uow: UnitOfWork, clock: Clock, actor: Actor, job: Job, replayed: Replayed
) -> list[BulkEntry]:
    """Record the events, post their entries, save the servicing state; the daily
    facts left for the set-based write."""
    loan_id, plan = job[0], job[1]
    ids = _record_events(uow, clock, loan_id, replayed.planned)
    projection = _renumbered(replayed.projection, ids)
    bulk = _facts(uow, clock, actor, loan_id, projection)
    state = projection.state
    uow.loans.replace_installments(loan_id, installment_rows(state))
    change = LoanUpdate(state.status.value, replayed.through, projection.closed_on,
                        json.dumps(state_snapshot(state)), plan.principal)  # fmt: skip
    uow.loans.update(loan_id, change)
    return bulk


def _facts(
    uow: UnitOfWork, clock: Clock, actor: Actor, loan_id: int, projection: Projection
) -> list[BulkEntry]:
    """Post each event's entry (its id goes on the event row with the allocation, as
    :func:`~autolend.services.loan_books.restate` does); the daily facts for the
    set-based write, under the keys the single-loan path gives them."""
    out = []
    for fact, entry in projection.facts.items():
        key = entry.idempotency_key or f"loan:{loan_id}:{fact}"
        if not fact.startswith("ev:"):
            out.append(
                bulk_entry(replace(entry, idempotency_key=key), fact, _ACCRUAL.get(fact[:2]))
            )
            continue
        entry_id = post(uow, clock, actor, replace(entry, idempotency_key=key), fact)
        event_id = int(fact[3:])
        allocation = projection.allocations.get(event_id)
        wire = (
            allocation_wire(allocation)
            if allocation is not None
            else split_wire(projection.splits.get(event_id), CURRENCY)
        )
        uow.loans.set_event_entry(event_id, entry_id, json.dumps(wire))
    return out


def write_plans(
    uow_factory: UnitOfWorkFactory, clock: Clock, actor: Actor, plans: Sequence[LoanPlan],
    span: tuple[date, date], *, dealers: Sequence[int | None] = (None,),
    progress: Progress | None = None, customers: CustomerMaker | None = None,
) -> list[int]:  # fmt: skip
    """Write ``plans`` (cut-over and ``as_of`` in ``span``), :data:`CHUNK` loans per
    transaction; the loan ids. ``dealers``: the dealer ids a plan's ``dealer`` picks from;
    ``customers`` makes each loan's borrower (else the loans have none).

    (The replays are pure, but running them in worker processes measured slower here:
    sending the projections back costs more than computing them.)"""
    ids: list[int] = []
    for part in range(0, len(plans), CHUNK):
        with uow_factory(write=True) as uow:
            booked = [_book(uow, clock, plan, _party(uow, plan, part + n, dealers, customers),
                            span)
                      for n, plan in enumerate(plans[part : part + CHUNK])]  # fmt: skip
            entries = [first for _, first in booked]
            for job, _ in booked:
                entries += _write_history(uow, clock, actor, job, replay_history(job))
            uow.eod.bulk_write(BulkWrite(entries, [], clock.now(), actor.user_id, None))
            ids += [job[0] for job, _ in booked]
            summary: dict[str, str | int] = {"loans": len(booked), "through": span[1].isoformat()}
            record_change(uow, clock, actor, action="loan.synthetic_book", object_type="loan",
                          object_id=booked[0][0][0], summary=summary)  # fmt: skip
            uow.commit()
        if progress is not None:
            progress(len(ids), len(plans))
    return ids


def _party(
    uow: UnitOfWork, plan: LoanPlan, serial: int, dealers: Sequence[int | None],
    customers: CustomerMaker | None,
) -> tuple[int | None, int | None]:  # fmt: skip
    """The dealer the plan picks and the borrower made for it (the ``serial``-th)."""
    dealer_id = dealers[plan.dealer % len(dealers)]
    return dealer_id, None if customers is None else customers(uow, serial, dealer_id)


def insert_history_book(
    uow_factory: UnitOfWorkFactory, clock: Clock, actor: Actor, n: int, *, seed: int,
    as_of: date, cut_over: date | None = None, dealers: Sequence[int | None] = (None,),
    progress: Progress | None = None, customers: CustomerMaker | None = None,
) -> HistoryBook:  # fmt: skip
    """Plan ``n`` loans (:func:`~autolend.batch.synth_history.plan_book`) and write them
    with their history through ``as_of``, migrated at ``cut_over`` (by default the
    month-end :data:`HISTORY_MONTHS` months back; module docstring)."""
    cut = cut_over or cut_over_for(as_of, HISTORY_MONTHS)
    if not cut < as_of:
        raise InvalidInput(f"the cut-over {cut} must be before {as_of}", field="cut_over")
    plans = plan_book(n, seed=seed, as_of=as_of, cut_over=cut, dealers=max(len(dealers), 1))
    ids = write_plans(uow_factory, clock, actor, plans, (cut, as_of), dealers=dealers,
                      progress=progress, customers=customers)  # fmt: skip
    return HistoryBook(ids, cut, as_of)
