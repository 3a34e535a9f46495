"""SQL checks of the ledger invariants (RELIABILITY.md 1-5 and 7) for ``autolend verify``.

They read whole tables with aggregate queries, so they scale with the database rather
than with Python loops, and each finding names the rows at fault.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from autolend.adapters.db import eod_tables
from autolend.adapters.db import tables as t
from autolend.domain.ledger import GlAccount, SubLedger
from autolend.services.loan_ports import Violation

_LIMIT = 50
_ACCRUAL_KINDS = ("accrual_interest", "accrual_penalty")
_CONTROL = {sub.value: sub.control.code for sub in SubLedger}
_P = t.postings.c
_J = t.journal_entries.c
_SIGNED = case((_P.side == "D", _P.amount_minor), else_=-_P.amount_minor)
_DEFERRED_SUBSIDY_GL = GlAccount.DEFERRED_SUBSIDY_INCOME.code
_CLOSED = ("paid_off", "written_off", "closed")
# SubLedger values. Not suspense: money paid beyond what was owed stays the borrower's
# after the payoff (an advance that paid the last installment and more) until refunded.
_SETTLED_BY_PAYOFF = ("principal", "interest", "penalty", "fees")


class SqlLedgerChecks:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def entry_shape(self) -> list[Violation]:
        """Invariant 1: >= 2 postings, amounts > 0, balanced per currency."""
        found: list[Violation] = []
        counts = (
            select(_J.id, func.count(_P.id).label("n"))
            .select_from(t.journal_entries.outerjoin(t.postings, _P.entry_id == _J.id))
            .group_by(_J.id)
            .having(func.count(_P.id) < 2)
        )
        for row in self._conn.execute(counts.limit(_LIMIT)):
            found.append(Violation(1, f"entry {row.id} has {row.n} posting(s), needs >= 2"))
        for row in self._conn.execute(
            select(_P.id, _P.entry_id, _P.amount_minor).where(_P.amount_minor <= 0).limit(_LIMIT)
        ):
            found.append(
                Violation(
                    1,
                    f"posting {row.id} of entry {row.entry_id} has amount {row.amount_minor} <= 0",
                )
            )
        unbalanced = (
            select(_P.entry_id, _P.currency, func.sum(_SIGNED).label("diff"))
            .group_by(_P.entry_id, _P.currency)
            .having(func.sum(_SIGNED) != 0)
        )
        for row in self._conn.execute(unbalanced.limit(_LIMIT)):
            found.append(
                Violation(
                    1,
                    f"entry {row.entry_id} does not balance in {row.currency}: "
                    f"debits - credits = {row.diff} minor units",
                )
            )
        return found

    def trial_balance(self) -> list[Violation]:
        """Invariant 2: debits equal credits over the whole ledger, per currency."""
        rows = self._conn.execute(
            select(_P.currency, func.sum(_SIGNED).label("diff"))
            .group_by(_P.currency)
            .having(func.sum(_SIGNED) != 0)
        )
        off = "trial balance off in {}: debits - credits = {} minor units"
        return [Violation(2, off.format(r.currency, r.diff)) for r in rows]

    def subledger_vs_gl(self) -> list[Violation]:
        """Invariant 3: every posting to a control account is a loan sub-ledger posting
        of that control account, so sub-ledger totals equal the GL."""
        controls = sorted(set(_CONTROL.values()))
        found: list[Violation] = []
        loose = (
            select(_P.gl_code, _P.currency, func.sum(_SIGNED).label("total"))
            .where(_P.gl_code.in_(controls), or_(_P.loan_id.is_(None), _P.sub_ledger.is_(None)))
            .group_by(_P.gl_code, _P.currency)
        )
        for row in self._conn.execute(loose):
            found.append(
                Violation(
                    3,
                    f"GL {row.gl_code} {row.currency}: {row.total} minor "
                    "units posted without a loan sub-ledger",
                )
            )
        misfiled = select(_P.id, _P.gl_code, _P.sub_ledger).where(_P.sub_ledger.is_not(None))
        for row in self._conn.execute(misfiled):
            if _CONTROL.get(row.sub_ledger) != row.gl_code:
                found.append(
                    Violation(
                        3,
                        f"posting {row.id}: sub-ledger {row.sub_ledger} "
                        f"does not roll up to GL {row.gl_code}",
                    )
                )
        return found[:_LIMIT]

    def duplicates(self) -> list[Violation]:
        """Invariant 4: one effective accrual per (loan, day, component); one entry per
        idempotency key."""
        undo = aliased(t.journal_entries)
        effective = ~exists().where(undo.c.reverses_id == _J.id)
        dupes = (
            select(_J.loan_id, _J.value_date, _J.kind, func.count().label("n"))
            .where(_J.kind.in_(_ACCRUAL_KINDS), effective)
            .group_by(_J.loan_id, _J.value_date, _J.kind)
            .having(func.count() > 1)
        )
        found = [
            Violation(4, f"loan {r.loan_id} has {r.n} {r.kind} entries for {r.value_date}")
            for r in self._conn.execute(dupes.limit(_LIMIT))
        ]
        keys = (
            select(_J.idempotency_key, func.count().label("n"))
            .where(_J.idempotency_key.is_not(None))
            .group_by(_J.idempotency_key)
            .having(func.count() > 1)
        )
        found += [
            Violation(4, f"idempotency key {r.idempotency_key!r} has {r.n} entries")
            for r in self._conn.execute(keys.limit(_LIMIT))
        ]
        return found

    def bounds(self) -> list[Violation]:
        """Invariant 5: principal outstanding >= 0, disbursed <= approved, no accrual on a
        closed or written-off loan after it closed."""
        loans = t.loans.c
        found = [
            Violation(5, f"loan {r.id} disbursed {r.disbursed_minor} > approved {r.approved_minor}")
            for r in self._conn.execute(
                select(loans.id, loans.disbursed_minor, loans.approved_minor)
                .where(loans.disbursed_minor > loans.approved_minor)
                .limit(_LIMIT)
            )
        ]
        negative = (
            select(_P.loan_id, func.sum(_SIGNED).label("balance"))
            .where(_P.sub_ledger == SubLedger.PRINCIPAL.value)
            .group_by(_P.loan_id)
            .having(func.sum(_SIGNED) < 0)
        )
        found += [
            Violation(5, f"loan {r.loan_id} principal outstanding is {r.balance} < 0")
            for r in self._conn.execute(negative.limit(_LIMIT))
        ]
        undo = aliased(t.journal_entries)
        late = (
            select(_J.id, _J.loan_id, _J.value_date, loans.status, loans.closed_on)
            .join(t.loans, t.loans.c.id == _J.loan_id)
            .where(
                _J.kind.in_(_ACCRUAL_KINDS),
                loans.status.in_(_CLOSED),
                and_(loans.closed_on.is_not(None), _J.value_date > loans.closed_on),
                ~exists().where(undo.c.reverses_id == _J.id),
            )
        )
        found += [
            Violation(
                5,
                f"entry {r.id} accrues on {r.status} loan {r.loan_id} on "
                f"{r.value_date}, after it closed on {r.closed_on}",
            )
            for r in self._conn.execute(late.limit(_LIMIT))
        ]
        return found + self._owed_after_payoff() + self._deferred_after_close() + self._cancelled()

    def _cancelled(self) -> list[Violation]:
        """Invariant 5, a cancelled loan (withdrawn before it was paid out) never held
        money: no journal entry names it."""
        held = (
            select(_J.loan_id, func.count().label("entries"))
            .join(t.loans, t.loans.c.id == _J.loan_id)
            .where(t.loans.c.status == "cancelled")
            .group_by(_J.loan_id)
        )
        return [
            Violation(5, f"cancelled loan {r.loan_id} has {r.entries} journal entries")
            for r in self._conn.execute(held.limit(_LIMIT))
        ]

    def _owed_after_payoff(self) -> list[Violation]:
        """Invariant 5, a payoff settles everything owed: a paid-off loan holds nothing in
        its principal, interest, penalty or fees sub-ledgers (a fee left in 1130 after the
        payoff was money the quote never asked for)."""
        left = (
            select(_P.loan_id, _P.sub_ledger, func.sum(_SIGNED).label("balance"))
            .join(t.loans, t.loans.c.id == _P.loan_id)
            .where(t.loans.c.status == "paid_off", _P.sub_ledger.in_(_SETTLED_BY_PAYOFF))
            .group_by(_P.loan_id, _P.sub_ledger)
            .having(func.sum(_SIGNED) != 0)
            .order_by(_P.loan_id, _P.sub_ledger)
        )
        text = "loan {} is paid off but its {} sub-ledger holds {}"
        return [
            Violation(5, text.format(r.loan_id, r.sub_ledger, abs(r.balance)))
            for r in self._conn.execute(left.limit(_LIMIT))
        ]

    def _deferred_after_close(self) -> list[Violation]:
        """Invariant 5, the deferred subsidy: a closed loan (paid off, written off) keeps nothing
        in 2400 once an end-of-day run that started after its last money event and
        covers its closing date is done (that run's subsidy step earns the rest). A
        loan closed since the last run is not judged: its rest is earned by the next."""
        loans, runs, events = t.loans.c, eod_tables.eod_runs.c, t.repayments.c
        deferred = (
            select(_J.loan_id, func.sum(-_SIGNED).label("left"))
            .select_from(t.postings.join(t.journal_entries, _J.id == _P.entry_id))
            .where(_P.gl_code == _DEFERRED_SUBSIDY_GL, _J.loan_id.is_not(None))
            .group_by(_J.loan_id)
            .having(func.sum(_SIGNED) != 0)
            .subquery()
        )
        last_event = (select(func.max(events.created_at)).where(events.loan_id == loans.id)
                      .scalar_subquery())  # fmt: skip
        run_after = exists().where(
            runs.status == "done",
            runs.through_day >= loans.closed_on,
            runs.started_at > func.coalesce(last_event, loans.created_at),
        )
        closed = (loans.status.in_(_CLOSED), loans.closed_on.is_not(None))
        query = (
            select(loans.id, loans.status, loans.closed_on, deferred.c.left)
            .join(deferred, deferred.c.loan_id == loans.id)
            .where(*closed, run_after)
        )
        return [
            Violation(5, f"{r.status} loan {r.id} (closed {r.closed_on}) still defers "
                         f"{r.left} minor units of subsidy in 2400 after end of day")
            for r in self._conn.execute(query.order_by(loans.id).limit(_LIMIT))
        ]  # fmt: skip

    def accrued_through(self, business_date: date | None) -> list[Violation]:
        """Invariant 7: every active loan accrued through the business date, no further
        (the business date defaults to the latest accrued-through date). A loan not
        accrued yet stands at its start: one starting on the business date is up to it,
        one starting after it was not there for that end of day (paid out today, before
        tonight's run) and is not judged."""
        loans = t.loans.c
        active = loans.status == "active"
        if business_date is None:
            business_date = self._conn.execute(
                select(func.max(loans.accrued_through)).where(active)
            ).scalar()
            if business_date is None:
                return []
        rows = self._conn.execute(
            select(loans.id, loans.accrued_through)
            .where(
                active,
                or_(
                    and_(loans.accrued_through.is_(None), loans.start_date < business_date),
                    loans.accrued_through != business_date,
                ),
            )
            .limit(_LIMIT)
        )
        return [
            Violation(
                7,
                f"active loan {r.id} is accrued through {r.accrued_through}, "
                f"not the business date {business_date}",
            )
            for r in rows
        ]
