"""Keeping the ledger and the servicing columns in line with a loan's projection.

:func:`restate` replays the loan (:mod:`autolend.services.projection`) and posts the
difference: a fact whose entry changed is reversed (at its own value date) and posted
again under a new idempotency key; a fact that disappeared is reversed; a new one is
posted. Only facts dated on or after ``since`` can change (events are causal), so only
those are compared. The loan row, its installments, the accrual records and the events'
entries are updated in the same transaction.

With ``resume`` (new events on or after the serviced-through date, nothing reversed),
the replay starts from the stored servicing state (installments, the ``state`` snapshot,
``accrued_through``) instead of from booking, when that state can be trusted: an active
loan with no partial prepayment applied so far (its booked terms still hold) and every
new event ordered after every event already applied. The facts it yields are the full
replay's from the day after the serviced-through date on; the facts of that day itself
that it does not restate (its accrual, the events already applied) stay as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from autolend.domain.access import Actor
from autolend.domain.errors import NotFound
from autolend.domain.ledger import JournalEntry, entry_fingerprint, reverse
from autolend.domain.money import Money, currency
from autolend.domain.schedule import LoanTerms
from autolend.domain.servicing import Allocation, Component, LoanState
from autolend.domain.servicing.prepayment_rule import refuse_waiting
from autolend.services.loan_ports import (
    EntryMeta,
    InstallmentRow,
    LoanEventRow,
    LoanRecord,
    LoanUpdate,
)
from autolend.services.ports import Clock, UnitOfWork
from autolend.services.projection import (
    REPLAYED_KINDS,
    Event,
    Projection,
    initial_state,
    project,
    project_from,
)
from autolend.services.terms_codec import load_servicing, load_terms

LOAN_NOT_FOUND = "loan not found"
_ACCRUAL_COMPONENT = {"ai": "interest", "ap": "penalty"}


def locked_loan(uow: UnitOfWork, loan_id: int) -> LoanRecord:
    """The loan row, locked for the rest of the transaction (FOR UPDATE)."""
    loan = uow.loans.get(loan_id, for_update=True)
    if loan is None:
        raise NotFound(LOAN_NOT_FOUND)
    return loan


def _replayed(e: LoanEventRow) -> Event:
    return Event(
        e.id,
        e.kind,
        e.value_date,
        e.seq,
        Money(e.amount_minor, currency(e.currency)),
        e.reference,
        json.loads(e.details_json) if e.details_json else {},
    )


def _posted(uow: UnitOfWork, loan: LoanRecord) -> list[LoanEventRow]:
    return [
        e for e in uow.loans.events(loan.id) if e.status == "posted" and e.kind in REPLAYED_KINDS
    ]


def loan_events(uow: UnitOfWork, loan: LoanRecord) -> list[Event]:
    """The loan's posted (not reversed) events that the servicing replay applies."""
    return [_replayed(e) for e in _posted(uow, loan)]


def current_projection(uow: UnitOfWork, loan: LoanRecord, through: date) -> Projection:
    """Replay the loan from its booked terms through ``through``."""
    terms, pack = load_terms(loan.terms_json)
    servicing = load_servicing(loan.terms_json)
    return project(loan.id, terms, pack, loan_events(uow, loan), through, servicing=servicing)


def terms_of(loan: LoanRecord) -> LoanTerms:
    return load_terms(loan.terms_json)[0]


def serviced_through(loan: LoanRecord) -> date:
    """The date the loan's servicing stands at (its start before any accrual)."""
    return loan.accrued_through or loan.start_date


@dataclass(frozen=True)
class Restated:
    """The projection, and the entries posted (and reversed) per fact."""

    projection: Projection
    posted: dict[str, int]
    reversals: dict[str, int]


def restate(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    loan: LoanRecord,
    *,
    through: date,
    since: date,
    resume: bool = False,
) -> Restated:
    """Replay, post the ledger difference from ``since`` on, update the servicing rows.

    ``resume``: the caller only added events dated on or after ``serviced_through(loan)``
    and reversed none; the replay then resumes from the stored state where it can (see
    the module docstring), with the same result as the full replay."""
    resumed = _resumed_projection(uow, loan, through) if resume else None
    if resumed is None:
        projection, floor = current_projection(uow, loan, through), None
    else:
        projection, floor = resumed
    refuse_waiting(projection.waiting)  # a partial prepayment whose installments went unpaid
    posted, reversals = _sync(uow, clock, actor, loan, projection, since=since, floor=floor)
    for fact, entry_id in posted.items():
        if fact.startswith("ev:"):
            event_id = int(fact[3:])
            allocation = projection.allocations.get(event_id)
            wire = (
                allocation_wire(allocation)
                if allocation is not None
                else split_wire(projection.splits.get(event_id), loan.currency)
            )
            uow.loans.set_event_entry(event_id, entry_id, json.dumps(wire))
    _save_state(uow, loan, projection, through)
    return Restated(projection, posted, reversals)


def _resumed_projection(
    uow: UnitOfWork, loan: LoanRecord, through: date
) -> tuple[Projection, date] | None:
    """The replay resumed from the stored state with the events not yet applied to it
    (no entry yet), and the serviced-through date it resumed at; ``None`` when the
    stored state cannot stand in for the full replay."""
    base = loan.accrued_through
    if loan.status != "active" or loan.state_json is None or base is None or through < base:
        return None
    applied: list[LoanEventRow] = []
    new: list[LoanEventRow] = []
    for e in _posted(uow, loan):
        (new if e.entry_id is None else applied).append(e)
    if any(e.kind == "prepayment" for e in applied):
        return None  # the terms changed: the replay would need them
    last = max(((e.value_date, e.seq, e.id) for e in applied), default=None)
    for e in new:
        if e.value_date < base or (last is not None and (e.value_date, e.seq, e.id) <= last):
            return None
    terms, pack = load_terms(loan.terms_json)
    state = _stored_state(uow, loan, terms.start, base)
    if state is None:
        return None
    events = [_replayed(e) for e in new]
    servicing = load_servicing(loan.terms_json)
    projected = project_from(
        loan.id, terms, pack, state, events, through=through, servicing=servicing
    )
    return projected, base


@lru_cache(maxsize=4096)
def _booked_state(loan_id: int, terms_json: str) -> LoanState:
    """The state as booked from the loan's stored terms. Building the schedule anew for
    every repayment was about a sixth of its CPU; the state is immutable and the terms
    text fixes it, so one is shared per (loan, terms text)."""
    return initial_state(loan_id, load_terms(terms_json)[0])


def _stored_state(uow: UnitOfWork, loan: LoanRecord, start: date, base: date) -> LoanState | None:
    """The servicing state saved with the loan (as :func:`_save_state` wrote it)."""
    assert loan.state_json is not None
    snapshot = json.loads(loan.state_json)
    accrued = snapshot.get("accrued_through")
    accrued_through = date.fromisoformat(accrued) if accrued else None
    if (accrued_through or start) != base:
        return None
    booked = _booked_state(loan.id, loan.terms_json)
    rows = uow.loans.installments(loan.id)
    if len(rows) != len(booked.installments):
        return None
    installments = []
    for row, fresh in zip(rows, booked.installments, strict=True):
        if row.n != fresh.n or row.due_date != fresh.due_date:
            return None
        installments.append(
            replace(
                fresh,
                principal_due=row.principal_due,
                interest_due=row.interest_due,
                fee_due=row.fee_due,
                principal_paid=row.principal_paid,
                interest_paid=row.interest_paid,
                fee_paid=row.fee_paid,
            )
        )
    return replace(
        booked,
        installments=tuple(installments),
        advance=int(snapshot["advance"]),
        accrued_interest=int(snapshot["accrued_interest"]),
        penalty=int(snapshot["penalty"]),
        compound=int(snapshot["compound"]),
        penalty_paid=int(snapshot["penalty_paid"]),
        compound_paid=int(snapshot["compound_paid"]),
        cost_charged=int(snapshot["cost_charged"]),
        ceiling_reached=bool(snapshot["ceiling_reached"]),
        accrued_through=accrued_through,
    )


REPLAYED_FACTS = ("ai:", "ap:", "aa:", "mf:", "lf:", "ev:")
"""Fact keys the replay owns: accrued interest, accrued penalty, advance applied, monthly
fees billed, late fees charged, events."""


def _meta(clock: Clock, actor: Actor, fact: str | None) -> EntryMeta:
    return EntryMeta(clock.now(), actor.user_id, actor.request_id, fact)


def post(uow: UnitOfWork, clock: Clock, actor: Actor, entry: JournalEntry, fact: str) -> int:
    """Post one entry stating ``fact``."""
    return uow.ledger.post(entry, _meta(clock, actor, fact))


def _sync(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    loan: LoanRecord,
    projection: Projection,
    *,
    since: date,
    floor: date | None = None,
) -> tuple[dict[str, int], dict[str, int]]:
    loan_id = loan.id
    # Only facts the replay states are restated; the disbursement and recoveries are
    # posted once, outside the replay, and must never be reversed by it. A replay resumed
    # after ``floor`` states nothing of that day but its new events: the rest stands.
    current = {
        fact: stored
        for fact, stored in uow.ledger.effective_facts(loan_id, since).items()
        if fact.startswith(REPLAYED_FACTS)
        and (floor is None or stored.entry.value_date > floor or fact in projection.facts)
    }
    desired = {f: e for f, e in projection.facts.items() if e.value_date >= since}
    changed: dict[str, int] = {}
    reversals: dict[str, int] = {}
    facts = sorted(set(current) | set(desired))
    # The keys of facts posted anew, looked up at once: one posted before and reversed
    # since must not be reused.
    taken = uow.ledger.existing_keys(
        [_entry_key(loan_id, f, desired[f]) for f in facts if f in desired and f not in current]
    )
    for fact in facts:
        want, have = desired.get(fact), current.get(fact)
        if have is not None and want is not None and entry_fingerprint(want) == have.fingerprint:
            continue
        suffix = ""
        if have is not None:
            undo = reverse(
                have.entry,
                have.id,
                have.entry.value_date,
                "restated by replay",
                idempotency_key=f"reversal:{have.id}",
            )
            reversals[fact] = post(uow, clock, actor, undo, fact)
            suffix = f":r{have.id}"
        if want is not None:
            key = _entry_key(loan_id, fact, want)
            if not suffix and key in taken:  # posted once, reversed since
                suffix = f":v{loan.version + 1}"
            key += suffix
            changed[fact] = post(uow, clock, actor, replace(want, idempotency_key=key), fact)
        _track_accrual(uow, loan_id, fact, want, changed.get(fact))
    return changed, reversals


def _entry_key(loan_id: int, fact: str, entry: JournalEntry) -> str:
    return entry.idempotency_key or f"loan:{loan_id}:{fact}"


def _track_accrual(
    uow: UnitOfWork, loan_id: int, fact: str, want: JournalEntry | None, entry_id: int | None
) -> None:
    component = _ACCRUAL_COMPONENT.get(fact[:2])
    if component is None:
        return
    day = date.fromisoformat(fact[3:])
    if want is None or entry_id is None:
        uow.ledger.drop_accrual(loan_id, day, component)
        return
    amount = want.postings[0].amount.minor
    uow.ledger.record_accrual(loan_id, day, component, amount, entry_id)


def _save_state(uow: UnitOfWork, loan: LoanRecord, projection: Projection, through: date) -> None:
    state = projection.state
    uow.loans.replace_installments(loan.id, installment_rows(state))
    uow.loans.update(
        loan.id,
        LoanUpdate(
            status=state.status.value,
            accrued_through=through,
            closed_on=projection.closed_on,
            state_json=json.dumps(state_snapshot(state)),
        ),
    )


def installment_rows(state: LoanState) -> list[InstallmentRow]:
    return [
        InstallmentRow(
            r.n,
            r.due_date,
            r.principal_due,
            r.interest_due,
            r.fee_due,
            r.principal_paid,
            r.interest_paid,
            r.fee_paid,
        )
        for r in state.installments
    ]


def state_snapshot(state: LoanState) -> dict[str, object]:
    """The loan-level servicing amounts (minor units) kept beside the installments."""
    return {
        "advance": state.advance,
        "accrued_interest": state.accrued_interest,
        "penalty": state.penalty,
        "compound": state.compound,
        "penalty_paid": state.penalty_paid,
        "compound_paid": state.compound_paid,
        "cost_charged": state.cost_charged,
        "ceiling_reached": state.ceiling_reached,
        "accrued_through": state.accrued_through.isoformat() if state.accrued_through else None,
    }


def allocation_wire(allocation: Allocation | None) -> dict[str, object]:
    """An allocation as decimal strings per component, and its installment lines."""
    if allocation is None:
        return {}

    def text(minor: int) -> str:
        return Money(minor, allocation.amount.currency).to_api()

    return {
        "penalty": text(allocation.to_component(Component.PENALTY)),
        "interest": text(allocation.to_component(Component.INTEREST)),
        "fees": text(allocation.to_component(Component.FEE)),
        "principal": text(allocation.to_component(Component.PRINCIPAL)),
        "advance": text(allocation.to_advance),
        "waterfall": allocation.waterfall,
        "lines": [
            {"n": line.n, "component": line.component.value, "amount": text(line.amount)}
            for line in allocation.lines
        ],
    }


def split_wire(split: tuple[str, dict[str, int]] | None, code: str) -> dict[str, object]:
    """A payoff's or a partial prepayment's split as decimal strings, in the allocation's
    shape (``waterfall`` names which): e.g. a payoff of 10,152.00 = principal 10,000.00 +
    interest 152.00 gives ``{"principal": "10000.00", "interest": "152.00", ...}``."""
    if split is None:
        return {}
    kind, parts = split
    unit = currency(code)

    def text(key: str) -> str:
        return Money(int(parts.get(key, 0)), unit).to_api()

    wire: dict[str, object] = {k: text(k) for k in ("penalty", "interest", "fees", "principal")}
    return wire | {
        "advance": text("-"),
        "from_advance": text("from_advance"),
        "waterfall": kind,
        "lines": [],
    }
