"""One business day of a partition on the bulk path: the kernel's accrual turned into
the journal entries and loan updates the single-loan path would write.

:func:`bulk_day` runs :func:`~autolend.batch.accrual_kernel.accrue_day` over the
partition's one-day book (:mod:`autolend.batch.bulk_book`) and keeps on the bulk path
every eligible loan the kernel accrued that day, did not refer, and whose advance it
did not touch (an advance applied on a due date moves installments and may pay the loan
off: those eligible loans are listed in ``settle`` for the runner to settle in memory,
:mod:`autolend.batch.bulk_advance`). For each kept loan it states the facts the
servicing replay states (:mod:`autolend.services.projection`), with the same entries,
keys and fingerprints:

* ``ai:<D>`` -- the day's interest, :func:`~autolend.domain.ledger.accrual_entry`, key
  ``accrual_interest:<loan>:<D>``, accrual record ``interest``;
* ``ap:<D>`` -- penalty plus compound interest,
  :func:`~autolend.domain.ledger.penalty_accrual_entry`, key
  ``accrual_penalty:<loan>:<D>``, accrual record ``penalty``;
* ``mf:<D>`` -- the monthly fees billed on a due date,
  :func:`~autolend.domain.ledger.fee_charge_entry`, key ``loan:<loan>:mf:<D>``;

and the loan's new servicing snapshot (serviced through ``D``). Every other loan of the
partition is handed back for the per-loan path.

Example: a loan whose current 30-day period carries 50.00 of interest earns 1.67 on
the period's first day (2026-02-06, say): ``ai:2026-02-06`` Dr 1110 interest receivable
(loan) / Cr 4100 interest income, 167 fen, and ``accrued_through`` becomes 2026-02-06.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from autolend.batch.accrual_kernel import DayAccrual, accrue_day
from autolend.batch.book import STATUS_ACTIVE, day_number
from autolend.batch.bulk_book import LoanBook, loan_book
from autolend.domain.ledger import (
    JournalEntry,
    Side,
    accrual_entry,
    entry_fingerprint,
    fee_charge_entry,
    penalty_accrual_entry,
)
from autolend.domain.money import Money
from autolend.services.eod_ports import BulkEntry, BulkLoans, BulkLoanUpdate

__all__ = ["FACTS", "BulkDay", "FactTemplate", "bulk_day", "bulk_entry", "fast_entry"]

_SIDE = {Side.DEBIT: "D", Side.CREDIT: "C"}


@dataclass(frozen=True)
class BulkDay:
    """The loans kept on the bulk path (with their entries and updates, by loan id)
    and the loans left to the per-loan path; of those, ``settle`` are eligible loans
    whose advance the day applies (or that it pays off), which the runner may settle
    in memory (:mod:`autolend.batch.bulk_advance`)."""

    entries: dict[int, list[BulkEntry]]
    updates: dict[int, BulkLoanUpdate]
    rest: list[int]
    settle: list[int] = field(default_factory=list)


def bulk_entry(entry: JournalEntry, fact: str, accrual: str | None = None) -> BulkEntry:
    """A domain entry as the bulk writer takes it (the key as the single-loan path
    gives it: the entry's own, else ``loan:<id>:<fact>``)."""
    loan_id = entry.loan_id
    assert loan_id is not None
    postings = tuple(
        (
            p.account.gl.code, p.account.loan_id, p.account.sub.value if p.account.sub else None,
            _SIDE[p.side], p.amount.minor, p.amount.currency.code,
        )
        for p in entry.postings
    )  # fmt: skip
    key = entry.idempotency_key or f"loan:{loan_id}:{fact}"
    return BulkEntry(
        entry.kind.value, entry.value_date, loan_id, entry.description[:200], key,
        entry_fingerprint(entry), fact, postings, accrual,
    )  # fmt: skip


@dataclass(frozen=True)
class FactTemplate:
    """How the single-loan path states one kind of daily fact: the domain builder, the
    fact prefix, the key and description (as the builder writes them, checked by the
    tests against it), and the accrual record's component."""

    prefix: str
    build: Callable[[int, date, Money], JournalEntry]
    key: str
    description: str
    accrual: str | None


FACTS = (
    FactTemplate("ai", accrual_entry, "accrual_interest:{loan}:{day}",
          "interest on loan {loan} for {day}", "interest"),
    FactTemplate("ap", penalty_accrual_entry, "accrual_penalty:{loan}:{day}",
          "penalty on loan {loan} for {day}", "penalty"),
    FactTemplate("mf", fee_charge_entry, "loan:{loan}:mf:{day}", "fee on loan {loan}", None),
)  # fmt: skip


_LOAN, _AMOUNT, _DAY_TEXT = 987_654_321_987, 123_456_789_123, "1901-02-03"
"""Stand-ins written into an entry's template, replaced per loan (no entry of a real
book holds them: an amount of 1.2 billion yuan, a loan id near 10^12, a date in 1901)."""


@dataclass(frozen=True)
class _Template:
    """One kind of daily fact in one currency: the entry kind, the canonical JSON of
    its fingerprint and its postings, with stand-ins for the loan, amount and day."""

    kind: str
    canonical: str
    postings: tuple[tuple[str, bool, str | None, str], ...]


_TEMPLATES: dict[tuple[str, str, str], _Template] = {}


def _template(fact: FactTemplate, code: str) -> _Template:
    """Read off one entry the domain builder makes (cached per fact and currency); its
    canonical JSON is :func:`~autolend.domain.ledger.entry_fingerprint`'s content."""
    found = _TEMPLATES.get((fact.prefix, fact.description, code))
    if found is not None:
        return found
    proto = fact.build(_LOAN, date.fromisoformat(_DAY_TEXT), Money.of_minor(_AMOUNT, code))
    keys = sorted(
        (p.account.gl.code, p.account.loan_id or 0, p.account.sub.value if p.account.sub
         else "", p.side.value, p.amount.currency.code, p.amount.minor)
        for p in proto.postings
    )  # fmt: skip
    content = {
        "kind": proto.kind.value, "value_date": _DAY_TEXT, "loan_id": proto.loan_id,
        "reverses": None, "description": proto.description, "external_ref": None,
        "postings": keys,
    }  # fmt: skip
    lines = tuple(
        (p.account.gl.code, p.account.loan_id is not None,
         p.account.sub.value if p.account.sub else None, _SIDE[p.side])
        for p in proto.postings
    )  # fmt: skip
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    made = _Template(proto.kind.value, canonical, lines)
    _TEMPLATES[(fact.prefix, fact.description, code)] = made
    return made


def fast_entry(fact: FactTemplate, loan_id: int, day: date, minor: int, code: str) -> BulkEntry:
    """:func:`bulk_entry` of ``fact.build(loan_id, day, minor)`` without building the
    domain entry: the same postings, key, description and fingerprint (the template's
    canonical JSON with the stand-ins replaced; the tests compare with the builder)."""
    template = _template(fact, code)
    iso, loan = day.isoformat(), str(loan_id)
    canonical = (
        template.canonical.replace(str(_LOAN), loan)
        .replace(str(_AMOUNT), str(minor))
        .replace(_DAY_TEXT, iso)
    )
    postings = tuple(
        (gl, loan_id if on_loan else None, sub, side, minor, code)
        for gl, on_loan, sub, side in template.postings
    )
    return BulkEntry(
        template.kind, day, loan_id, fact.description.format(loan=loan, day=iso),
        fact.key.format(loan=loan, day=iso),
        hashlib.sha256(canonical.encode("ascii")).hexdigest(), f"{fact.prefix}:{iso}",
        postings, fact.accrual,
    )  # fmt: skip


def _entries(loan_id: int, day: date, code: str, amounts: tuple[int, int, int]) -> list[BulkEntry]:
    """The day's facts of one loan: interest, penalty + compound, monthly fee."""
    return [
        fast_entry(fact, loan_id, day, minor, code)
        for fact, minor in zip(FACTS, amounts, strict=True)
        if minor
    ]


def _snapshot(held: LoanBook, i: int, day: date) -> str:
    """The servicing snapshot exactly as ``json.dumps`` of
    :func:`autolend.services.loan_books.state_snapshot` writes it (same keys, same
    order, same spacing; the tests compare the two)."""
    book = held.book
    reached = "true" if book["ceiling_reached"][i] else "false"
    return (
        f'{{"advance": {book["advance"][i]}, "accrued_interest": {book["accrued_interest"][i]}, '
        f'"penalty": {book["penalty"][i]}, "compound": {book["compound"][i]}, '
        f'"penalty_paid": {held.penalty_paid[i]}, "compound_paid": {held.compound_paid[i]}, '
        f'"cost_charged": {book["cost_charged"][i]}, "ceiling_reached": {reached}, '
        f'"accrued_through": "{day.isoformat()}"}}'
    )


def _kept(held: LoanBook, after: LoanBook, result: DayAccrual) -> list[int]:
    keep = held.eligible & result.accrued & ~result.referred
    keep &= (result.advance_applied == 0) & (after.book["status"] == STATUS_ACTIVE)
    return [int(i) for i in np.flatnonzero(keep)]


def bulk_day(loans: BulkLoans, loan_ids: list[int], held: LoanBook | None = None) -> BulkDay:
    """Day ``loans.day`` for the partition's planned ``loan_ids`` (module docstring);
    ``held``: the loans' book when the caller built it already."""
    day = loans.day
    held = loan_book(loans) if held is None else held
    book, result = accrue_day(held.book, day_number(day))
    after = LoanBook(book, held.eligible, held.penalty_paid, held.compound_paid)
    entries: dict[int, list[BulkEntry]] = {}
    updates: dict[int, BulkLoanUpdate] = {}
    for i in _kept(held, after, result):
        loan_id = loans.loan_id[i]
        amounts = (
            int(result.interest[i]),
            int(result.penalty[i] + result.compound[i]),
            int(result.fee[i]),
        )
        entries[loan_id] = _entries(loan_id, day, loans.currency[i], amounts)
        updates[loan_id] = BulkLoanUpdate(loan_id, day, "active", _snapshot(after, i, day))
    rest = [loan_id for loan_id in loan_ids if loan_id not in updates]
    settle = [loans.loan_id[int(i)] for i in np.flatnonzero(held.eligible & result.accrued)]
    return BulkDay(entries, updates, rest, [i for i in settle if i not in updates])
