"""The bulk path's loans whose advance is applied on the day, settled in memory.

On a due date an advance (suspense) pays what falls due: in full (the accrual kernel
computes that), in part, or beside something overdue (the product's waterfall, which
the kernel does not vectorise: it refers the loan). Either way the day touches the
installment rows and may pay the loan off, which the kernel's one-row book does not
write. Such a loan -- eligible for the bulk path, serviced through the day before, with
nothing pending -- is settled here from the rows already read, without a database round
trip of its own: its stored servicing state is rebuilt exactly as the per-loan path
rebuilds it (:func:`autolend.services.loan_books.restate` resuming from the stored
state: the booked schedule with the stored rows and snapshot), the servicing replay
runs the one day (:func:`~autolend.services.projection.project_from`), and its facts
(``ai:``, ``ap:``, ``mf:``, ``aa:``), changed installment rows and new snapshot go to
the bulk writer with the partition's other loans. The result is the per-loan path's by
construction; the equivalence tests compare them line by line.

Example: a loan holding an advance of 500.00 whose installment of 1,066.19 falls due
today gets ``ai:<D>`` and ``aa:<D>`` (Dr 2100 suspense 500.00 / Cr interest, fees and
principal by the waterfall), the installment row's paid amounts, and ``advance`` 0 in
its snapshot; the rest of the installment is overdue from tomorrow.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from autolend.batch.bulk_day import BulkDay, bulk_entry
from autolend.domain.servicing import LoanState
from autolend.services.eod_ports import BulkEntry, BulkInstallment, BulkLoans, BulkLoanUpdate
from autolend.services.loan_books import installment_rows, state_snapshot
from autolend.services.projection import initial_state, project_from
from autolend.services.terms_codec import load_servicing, load_terms

__all__ = ["Planned", "Settled", "settle_day", "with_settled"]

_ACCRUAL = {"ai": "interest", "ap": "penalty"}


@dataclass(frozen=True)
class Settled:
    """One loan's day: its entries, its loan update and its changed installment rows."""

    entries: list[BulkEntry]
    update: BulkLoanUpdate
    installments: list[BulkInstallment]


def _stored_state(
    loan_id: int, terms_json: str, state_json: str | None, rows: Sequence[BulkInstallment]
) -> LoanState | None:
    """The stored servicing state, as the per-loan path rebuilds it (``None`` when there
    is none, or the stored rows do not match the booked schedule: the per-loan path
    takes the loan)."""
    if state_json is None:
        return None
    terms = load_terms(terms_json)[0]
    booked = initial_state(loan_id, terms)
    if len(rows) != len(booked.installments):
        return None
    installments = []
    for row, fresh in zip(rows, booked.installments, strict=True):
        if row[1] != fresh.n or row[2] != fresh.due_date:
            return None
        p_due, i_due, f_due, p_paid, i_paid, f_paid = row[3:]
        installments.append(
            replace(fresh, principal_due=p_due, interest_due=i_due, fee_due=f_due,
                    principal_paid=p_paid, interest_paid=i_paid, fee_paid=f_paid)
        )  # fmt: skip
    snapshot = json.loads(state_json)
    accrued = snapshot.get("accrued_through")
    return replace(
        booked, installments=tuple(installments), advance=int(snapshot["advance"]),
        accrued_interest=int(snapshot["accrued_interest"]), penalty=int(snapshot["penalty"]),
        compound=int(snapshot["compound"]), penalty_paid=int(snapshot["penalty_paid"]),
        compound_paid=int(snapshot["compound_paid"]),
        cost_charged=int(snapshot["cost_charged"]),
        ceiling_reached=bool(snapshot["ceiling_reached"]),
        accrued_through=date.fromisoformat(accrued) if accrued else None,
    )  # fmt: skip


def settle_day(
    loan_id: int,
    terms_json: str,
    state_json: str | None,
    rows: Sequence[BulkInstallment],
    day: date,
) -> Settled | None:
    """Loan ``loan_id``'s day ``day`` from its stored state and installment ``rows``
    (see the module docstring); ``None`` to leave it to the per-loan path."""
    state = _stored_state(loan_id, terms_json, state_json, rows)
    if state is None or state.accrued_through is None or (day - state.accrued_through).days != 1:
        return None
    terms, pack = load_terms(terms_json)
    servicing = load_servicing(terms_json)
    projected = project_from(loan_id, terms, pack, state, [], through=day, servicing=servicing)
    entries = [
        bulk_entry(entry, fact, _ACCRUAL.get(fact[:2]))
        for fact, entry in sorted(projected.facts.items())
        if entry.value_date >= day
    ]
    after = projected.state
    update = BulkLoanUpdate(
        loan_id, day, after.status.value, json.dumps(state_snapshot(after)), projected.closed_on
    )
    before = {row[1]: row for row in rows}
    changed = [
        row
        for r in installment_rows(after)
        if (row := (loan_id, r.n, r.due_date, r.principal_due, r.interest_due, r.fee_due,
                    r.principal_paid, r.interest_paid, r.fee_paid)) != before.get(r.n)
    ]  # fmt: skip
    return Settled(entries, update, changed)


@dataclass(frozen=True)
class Planned:
    """A partition's bulk day with its advances settled: entries and loan updates by
    loan, the changed installment rows by loan, and the loans left to the per-loan
    path."""

    entries: dict[int, list[BulkEntry]]
    updates: dict[int, BulkLoanUpdate]
    installments: dict[int, list[BulkInstallment]]
    rest: list[int]


def with_settled(
    read_rows: Callable[[Sequence[int]], dict[int, list[BulkInstallment]]],
    loans: BulkLoans,
    day_plan: BulkDay,
) -> Planned:
    """The kernel's loans, and those whose advance the day applies settled in memory
    (:func:`settle_day`, their installment rows read by ``read_rows`` in one query);
    what cannot be settled so stays with the per-loan path."""
    entries, updates = dict(day_plan.entries), dict(day_plan.updates)
    installments: dict[int, list[BulkInstallment]] = {}
    rows = read_rows(day_plan.settle) if day_plan.settle else {}
    at = {loan_id: i for i, loan_id in enumerate(loans.loan_id)}
    for loan_id in day_plan.settle:
        i = at[loan_id]
        done = settle_day(loan_id, loans.terms_json[i], loans.state_json[i],
                          rows.get(loan_id, []), loans.day)  # fmt: skip
        if done is not None:
            entries[loan_id], updates[loan_id] = done.entries, done.update
            installments[loan_id] = done.installments
    rest = [loan_id for loan_id in day_plan.rest if loan_id not in updates]
    return Planned(entries, updates, installments, rest)
