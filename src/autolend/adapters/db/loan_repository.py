"""Loans, their installments and their money events (table ``repayments``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from autolend.adapters.db import tables as t
from autolend.domain.ledger import GlAccount
from autolend.services.loan_ports import (
    InstallmentRow,
    LoanEventRow,
    LoanRecord,
    LoanUpdate,
    NewLoan,
    NewLoanEvent,
)

_LOAN_COLUMNS = (*t.loans.c, t.customers.c.owner_user_id)
# The loans with their owner, and one loan by id (for update: the loan row alone on
# PostgreSQL; SQLite holds BEGIN IMMEDIATE), built once: a statement built per call pays
# for its cache key each time.
_LOANS = select(*_LOAN_COLUMNS).select_from(
    t.loans.outerjoin(t.customers, t.customers.c.id == t.loans.c.customer_id)
)
_LOAN = _LOANS.where(t.loans.c.id == bindparam("loan_id"))
_I = t.installments.c
# An installment due before its loan's serviced-through date with principal or interest
# unpaid: what the loan view counts as overdue (a fee alone is payable, not past due). A
# loan with one is late; the oldest such due date orders the late loans, most days past
# due first, as LoanState.days_past_due counts them.
_PAST_DUE_UNPAID = (
    _I.loan_id == t.loans.c.id,
    _I.due_date < func.coalesce(t.loans.c.accrued_through, t.loans.c.start_date),
    _I.principal_paid + _I.interest_paid < _I.principal_due + _I.interest_due,
)
# Only a loan in repayment is late: a written-off loan's unpaid installments are written
# off (the loan view shows no overdue amount for it), not past due.
_LATE = and_(t.loans.c.status == "active", exists().where(*_PAST_DUE_UNPAID).correlate(t.loans))
_OLDEST_UNPAID = (
    select(func.min(_I.due_date)).where(*_PAST_DUE_UNPAID).correlate(t.loans).scalar_subquery()
)
_LOAN_FOR_UPDATE = _LOAN.with_for_update(of=t.loans)
_INSTALLMENTS = (
    select(t.installments)
    .where(t.installments.c.loan_id == bindparam("loan_id"))
    .order_by(t.installments.c.n)
)
_EVENTS = (
    select(t.repayments)
    .where(t.repayments.c.loan_id == bindparam("loan_id"))
    .order_by(t.repayments.c.value_date, t.repayments.c.seq, t.repayments.c.id)
)
# A repayment's order among the loan's events of its value date, counted in the insert
# itself (the loan's row is locked, so the count cannot move underneath).
_ADD_EVENT = insert(t.repayments).values(
    seq=select(func.count())
    .select_from(t.repayments)
    .where(
        t.repayments.c.loan_id == bindparam("seq_loan"),
        t.repayments.c.value_date == bindparam("seq_day"),
    )
    .scalar_subquery()
)
# 2400 deferred subsidy income is a GL-only account (its postings carry no loan id): the
# journal entry names the loan.
_DEFERRED_SUBSIDY_GL = GlAccount.DEFERRED_SUBSIDY_INCOME.code
_DEFERRED = t.postings.join(t.journal_entries, t.journal_entries.c.id == t.postings.c.entry_id)
_SIGNED_CREDIT = case(
    (t.postings.c.side == "C", t.postings.c.amount_minor), else_=-t.postings.c.amount_minor
)
_CREDIT = func.sum(_SIGNED_CREDIT)


def _effective_end() -> tuple[Any, ...]:
    """Conditions on ``journal_entries``: the deferred subsidy's rest earned at a loan's
    close (fact ``sa:end``), not a reversal and not reversed."""
    je, undo = t.journal_entries.c, aliased(t.journal_entries)
    return (
        je.fact == "sa:end",
        je.kind != "reversal",
        ~exists().where(undo.c.reverses_id == je.id),
    )


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _reachable(
    query: Select[Any], status: str | None, owner_user_id: int | None, dealer_id: int | None,
    *, all_rows: bool,
) -> Select[Any]:  # fmt: skip
    """``query`` narrowed to one status and, unless ``all_rows``, to the loans of the
    owner's customers or of the dealer."""
    if status is not None:
        query = query.where(t.loans.c.status == status)
    if not all_rows:
        reach = t.customers.c.owner_user_id == owner_user_id
        if dealer_id is not None:
            reach = reach | (t.loans.c.dealer_id == dealer_id)
        query = query.where(reach)
    return query


def _loan(row: Row[Any]) -> LoanRecord:
    return LoanRecord(
        id=row.id,
        customer_id=row.customer_id,
        dealer_id=row.dealer_id,
        owner_user_id=row.owner_user_id,
        product_code=row.product_code,
        status=row.status,
        currency=row.currency,
        approved_minor=row.approved_minor,
        principal_minor=row.principal_minor,
        disbursed_minor=row.disbursed_minor,
        terms_json=row.terms,
        start_date=row.start_date,
        accrued_through=row.accrued_through,
        closed_on=row.closed_on,
        version=row.version,
        state_json=row.state,
        created_at=_utc(row.created_at),
        down_payment_minor=row.down_payment_minor,
    )


def _event(row: Row[Any]) -> LoanEventRow:
    return LoanEventRow(
        id=row.id,
        loan_id=row.loan_id,
        kind=row.kind,
        amount_minor=row.amount_minor,
        currency=row.currency,
        value_date=row.value_date,
        channel=row.channel,
        reference=row.reference,
        status=row.status,
        entry_id=row.entry_id,
        reversal_entry_id=row.reversal_entry_id,
        allocation_json=row.allocation,
        details_json=row.details,
        seq=row.seq,
        created_at=_utc(row.created_at),
    )


_INSTALLMENT_FIELDS = tuple(f.name for f in fields(InstallmentRow) if f.name != "n")


class SqlLoanRepository:
    """Loans, installments and money events; one instance per unit of work (transaction)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        # The installments as this transaction last read or wrote them: only this
        # repository writes installments, so within the transaction the copy stays true.
        self._installments_seen: dict[int, list[InstallmentRow]] = {}

    def add(self, loan: NewLoan) -> int:
        result = self._conn.execute(
            insert(t.loans),
            {
                "customer_id": loan.customer_id,
                "dealer_id": loan.dealer_id,
                "product_code": loan.product_code,
                "status": "booked",
                "currency": loan.currency,
                "approved_minor": loan.approved_minor,
                "principal_minor": loan.principal_minor,
                "disbursed_minor": 0,
                "annual_rate": loan.annual_rate,
                "terms": loan.terms_json,
                "start_date": loan.start_date,
                "version": 0,
                "created_at": loan.created_at,
            },
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def get(self, loan_id: int, *, for_update: bool = False) -> LoanRecord | None:
        query = _LOAN_FOR_UPDATE if for_update else _LOAN
        row = self._conn.execute(query, {"loan_id": loan_id}).first()
        return None if row is None else _loan(row)

    def find(
        self,
        *,
        status: str | None,
        owner_user_id: int | None,
        dealer_id: int | None,
        all_rows: bool,
        limit: int,
        offset: int = 0,
        overdue: bool = False,
    ) -> list[LoanRecord]:
        query = _reachable(_LOANS, status, owner_user_id, dealer_id, all_rows=all_rows)
        if overdue:  # a collector's work list: the longest late first
            query = query.where(_LATE).order_by(_OLDEST_UNPAID, t.loans.c.id)
        else:
            query = query.order_by(t.loans.c.id)
        rows = self._conn.execute(query.limit(limit).offset(offset))
        return [_loan(r) for r in rows]

    def of_customer(
        self, customer_id: int, *, owner_user_id: int | None, dealer_id: int | None,
        all_rows: bool, limit: int,
    ) -> list[LoanRecord]:  # fmt: skip
        """The customer's loans the reader may reach (as :meth:`find`), newest first;
        the loans' ``customer_id`` index finds them."""
        query = _LOANS.where(t.loans.c.customer_id == customer_id)
        query = _reachable(query, None, owner_user_id, dealer_id, all_rows=all_rows)
        rows = self._conn.execute(query.order_by(t.loans.c.id.desc()).limit(limit))
        return [_loan(r) for r in rows]

    def count(
        self, *, status: str | None, owner_user_id: int | None, dealer_id: int | None,
        all_rows: bool, overdue: bool = False,
    ) -> int:  # fmt: skip
        counted = select(func.count()).select_from(
            t.loans.outerjoin(t.customers, t.customers.c.id == t.loans.c.customer_id)
        )
        query = _reachable(counted, status, owner_user_id, dealer_id, all_rows=all_rows)
        query = query.where(_LATE) if overdue else query
        return int(self._conn.execute(query).scalar_one())

    def update(self, loan_id: int, change: LoanUpdate) -> None:
        values: dict[str, Any] = {
            "status": change.status,
            "accrued_through": change.accrued_through,
            "closed_on": change.closed_on,
            "state": change.state_json,
            "version": t.loans.c.version + 1,
        }
        if change.disbursed_minor is not None:
            values["disbursed_minor"] = change.disbursed_minor
        self._conn.execute(update(t.loans).where(t.loans.c.id == loan_id).values(**values))

    def installments(self, loan_id: int) -> list[InstallmentRow]:
        seen = self._installments_seen.get(loan_id)
        if seen is not None:
            return list(seen)
        rows = self._conn.execute(_INSTALLMENTS, {"loan_id": loan_id})
        found = [
            InstallmentRow(r.n, *(getattr(r, name) for name in _INSTALLMENT_FIELDS)) for r in rows
        ]
        self._installments_seen[loan_id] = found
        return list(found)

    def replace_installments(self, loan_id: int, rows: Sequence[InstallmentRow]) -> None:
        """Store the loan's installments as ``rows``, writing only the rows that changed
        (a repayment usually touches one or two of a loan's 36 rows)."""
        stored = {row.n: row for row in self.installments(loan_id)}
        wanted = {row.n: row for row in rows}
        self._installments_seen[loan_id] = sorted(wanted.values(), key=lambda row: row.n)
        c = t.installments.c
        gone = [n for n in stored if n not in wanted]
        if gone:
            self._conn.execute(delete(t.installments).where(c.loan_id == loan_id, c.n.in_(gone)))
        added = [
            {"loan_id": loan_id, **row.__dict__} for n, row in wanted.items() if n not in stored
        ]
        if added:
            self._conn.execute(insert(t.installments), added)
        changed = [
            {"k_loan": loan_id, "k_n": n} | {f"v_{k}": getattr(row, k) for k in _INSTALLMENT_FIELDS}
            for n, row in wanted.items()
            if n in stored and stored[n] != row
        ]
        if changed:
            self._conn.execute(
                update(t.installments)
                .where(c.loan_id == bindparam("k_loan"), c.n == bindparam("k_n"))
                .values({name: bindparam(f"v_{name}") for name in _INSTALLMENT_FIELDS}),
                changed,
            )

    def add_event(self, event: NewLoanEvent) -> int:
        result = self._conn.execute(
            _ADD_EVENT,
            {
                "loan_id": event.loan_id,
                "kind": event.kind,
                "amount_minor": event.amount_minor,
                "currency": event.currency,
                "value_date": event.value_date,
                "channel": event.channel,
                "reference": event.reference,
                "status": "posted",
                "details": event.details_json,
                "created_at": event.created_at,
                "seq_loan": event.loan_id,
                "seq_day": event.value_date,
            },
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def events(self, loan_id: int) -> list[LoanEventRow]:
        rows = self._conn.execute(_EVENTS, {"loan_id": loan_id})
        return [_event(r) for r in rows]

    def event(self, loan_id: int, event_id: int) -> LoanEventRow | None:
        c = t.repayments.c
        row = self._conn.execute(
            select(t.repayments).where(c.loan_id == loan_id, c.id == event_id)
        ).first()
        return None if row is None else _event(row)

    def set_event_entry(self, event_id: int, entry_id: int, allocation_json: str) -> None:
        self._conn.execute(
            update(t.repayments)
            .where(t.repayments.c.id == event_id)
            .values(entry_id=entry_id, allocation=allocation_json)
        )

    def mark_reversed(self, event_id: int, reversal_entry_id: int | None) -> None:
        self._conn.execute(
            update(t.repayments)
            .where(t.repayments.c.id == event_id)
            .values(status="reversed", reversal_entry_id=reversal_entry_id)
        )

    def record_payout(self, loan_id: int, down_payment_minor: int | None, terms_json: str) -> None:
        self._conn.execute(
            update(t.loans)
            .where(t.loans.c.id == loan_id)
            .values(down_payment_minor=down_payment_minor, terms=terms_json)
        )

    def deferred_subsidies(self, day: date, since: date | None = None) -> list[int]:
        p, je, loans, inst = t.postings.c, t.journal_entries.c, t.loans.c, t.installments.c
        balances = (
            select(je.loan_id.label("loan_id"))
            .select_from(_DEFERRED)
            .where(p.gl_code == _DEFERRED_SUBSIDY_GL, je.loan_id.is_not(None))
            .group_by(je.loan_id)
            .having(_CREDIT != 0)
            .subquery()
        )
        after = since if since is not None else day - timedelta(days=1)
        due = exists().where(
            inst.loan_id == balances.c.loan_id, inst.due_date > after, inst.due_date <= day
        )
        closed = and_(loans.status != "active", loans.closed_on <= day)
        deferred = (
            select(balances.c.loan_id)
            .join(t.loans, loans.id == balances.c.loan_id)
            .where(or_(due, closed))
        )
        reopened = (
            select(je.loan_id)
            .join(t.loans, loans.id == je.loan_id)
            .where(loans.status == "active", *_effective_end())
        )
        found = {int(i) for (i,) in self._conn.execute(deferred)}
        found |= {int(i) for (i,) in self._conn.execute(reopened)}
        return sorted(found)

    def subsidy_end_entry(self, loan_id: int) -> int | None:
        je = t.journal_entries.c
        found = self._conn.execute(
            select(je.id).where(je.loan_id == loan_id, *_effective_end()).order_by(je.id.desc())
        ).first()
        return None if found is None else int(found[0])

    def deferred_subsidy(self, loan_id: int) -> tuple[int, int]:
        p, je = t.postings.c, t.journal_entries.c
        amortised = func.coalesce(je.fact, "").like("sa:%")
        deferred = func.sum(case((amortised, 0), else_=_SIGNED_CREDIT))
        row = self._conn.execute(
            select(func.coalesce(deferred, 0), func.coalesce(_CREDIT, 0))
            .select_from(_DEFERRED)
            .where(p.gl_code == _DEFERRED_SUBSIDY_GL, je.loan_id == loan_id)
        ).one()
        return int(row[0]), int(row[1])
