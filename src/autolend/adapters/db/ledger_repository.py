"""The ledger: journal entries and their postings (append-only), and accrual records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)

from autolend.adapters.db import tables as t
from autolend.domain.ledger import (
    AccountRef,
    EntryKind,
    GlAccount,
    JournalEntry,
    Posting,
    Side,
    SubLedger,
    entry_fingerprint,
)
from autolend.domain.money import Money, currency
from autolend.services.loan_ports import EntryMeta, StoredEntry

_SIDE = {Side.DEBIT: "D", Side.CREDIT: "C"}
_DEFERRED_SUBSIDY_GL = GlAccount.DEFERRED_SUBSIDY_INCOME.code
_SIDE_BACK = {"D": Side.DEBIT, "C": Side.CREDIT}


def _effective_facts(*, prefixed: bool = False) -> Any:
    # Built once: an alias made per call rebuilds its column proxies and cache key each time
    # (a few per cent of a repayment's CPU). The postings come in the same statement, one
    # row each beside their entry's columns: a second select with an expanding IN list of
    # entry ids cost a round trip and its post-compilation on every repayment.
    je, p = t.journal_entries, t.postings
    undo = je.alias("undo")
    lines = [c.label(f"p_{c.name}") for c in (p.c.gl_code, p.c.loan_id, p.c.sub_ledger,
                                             p.c.side, p.c.amount_minor, p.c.currency)]  # fmt: skip
    return (
        select(je, *lines)
        .join(p, p.c.entry_id == je.c.id)
        .where(
            je.c.loan_id == bindparam("loan_id"),
            je.c.fact.is_not(None),
            je.c.kind != EntryKind.REVERSAL.value,
            je.c.value_date >= bindparam("since"),
            ~exists().where(undo.c.reverses_id == je.c.id),
            *([je.c.fact.like(bindparam("pattern"), escape="\\")] if prefixed else []),
        )
        .order_by(je.c.id, p.c.id)
    )


_EFFECTIVE_FACTS = _effective_facts()
_EFFECTIVE_FACTS_OF = _effective_facts(prefixed=True)  # only the facts of one prefix


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _posting(row: Any) -> Posting:
    gl = GlAccount.from_code(row.gl_code)
    sub = SubLedger(row.sub_ledger) if row.sub_ledger else None
    account = AccountRef(gl, row.loan_id if sub else None, sub)
    return Posting(account, _SIDE_BACK[row.side], Money(row.amount_minor, currency(row.currency)))


def _joined_posting(row: Any) -> Posting:
    """A posting from a row of :data:`_EFFECTIVE_FACTS` (its columns prefixed ``p_``)."""
    gl = GlAccount.from_code(row.p_gl_code)
    sub = SubLedger(row.p_sub_ledger) if row.p_sub_ledger else None
    account = AccountRef(gl, row.p_loan_id if sub else None, sub)
    amount = Money(row.p_amount_minor, currency(row.p_currency))
    return Posting(account, _SIDE_BACK[row.p_side], amount)


class SqlLedgerRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def post(self, entry: JournalEntry, meta: EntryMeta) -> int:
        """Insert one balanced entry and its postings; returns the entry id."""
        result = self._conn.execute(
            insert(t.journal_entries),
            {
                "kind": entry.kind.value,
                "value_date": entry.value_date,
                "loan_id": entry.loan_id,
                "description": entry.description[:200],
                "reverses_id": entry.reverses,
                "idempotency_key": entry.idempotency_key,
                "fingerprint": entry_fingerprint(entry),
                "booked_at": meta.booked_at,
                "booked_by": meta.booked_by,
                "request_id": meta.request_id,
                "fact": meta.fact,
            },
        )
        key = result.inserted_primary_key
        assert key is not None
        entry_id = int(key[0])
        self._conn.execute(
            insert(t.postings),
            [
                {
                    "entry_id": entry_id,
                    "gl_code": p.account.gl.code,
                    "loan_id": p.account.loan_id,
                    "sub_ledger": p.account.sub.value if p.account.sub else None,
                    "side": _SIDE[p.side],
                    "amount_minor": p.amount.minor,
                    "currency": p.amount.currency.code,
                    "value_date": entry.value_date,
                }
                for p in entry.postings
            ],
        )
        return entry_id

    def _load(self, rows: list[Any]) -> list[StoredEntry]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        lines: dict[int, list[Posting]] = defaultdict(list)
        for p in self._conn.execute(
            select(t.postings).where(t.postings.c.entry_id.in_(ids)).order_by(t.postings.c.id)
        ):
            lines[p.entry_id].append(_posting(p))
        return [self._stored(r, lines[r.id]) for r in rows]

    @staticmethod
    def _stored(r: Any, postings: list[Posting]) -> StoredEntry:
        return StoredEntry(
            id=r.id,
            entry=JournalEntry(
                EntryKind(r.kind),
                r.value_date,
                tuple(postings),
                description=r.description,
                reverses=r.reverses_id,
                idempotency_key=r.idempotency_key,
                loan_id=r.loan_id,
            ),
            fingerprint=r.fingerprint,
            fact=r.fact,
            booked_at=_utc(r.booked_at),
        )

    def entry(self, entry_id: int) -> StoredEntry | None:
        rows = list(
            self._conn.execute(select(t.journal_entries).where(t.journal_entries.c.id == entry_id))
        )
        loaded = self._load(rows)
        return loaded[0] if loaded else None

    def entries_for_loan(self, loan_id: int, newest: int | None = None) -> list[StoredEntry]:
        je = t.journal_entries
        query = select(je).where(je.c.loan_id == loan_id)
        if newest is None:
            return self._load(list(self._conn.execute(query.order_by(je.c.id))))
        rows = list(self._conn.execute(query.order_by(je.c.id.desc()).limit(newest)))
        return self._load(rows[::-1])

    def count_entries_for_loan(self, loan_id: int) -> int:
        je = t.journal_entries.c
        counted = select(func.count()).select_from(t.journal_entries).where(je.loan_id == loan_id)
        return int(self._conn.execute(counted).scalar_one())

    def effective_facts(
        self, loan_id: int, since: date, prefix: str | None = None
    ) -> dict[str, StoredEntry]:
        params: dict[str, object] = {"loan_id": loan_id, "since": since}
        if prefix is not None:
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params["pattern"] = escaped + "%"
        query = _EFFECTIVE_FACTS if prefix is None else _EFFECTIVE_FACTS_OF
        rows = list(self._conn.execute(query, params))
        lines: dict[int, list[Posting]] = defaultdict(list)
        heads: dict[int, Any] = {}
        for row in rows:  # ordered by entry, then posting
            heads.setdefault(row.id, row)
            lines[row.id].append(_joined_posting(row))
        stored = (self._stored(head, lines[entry_id]) for entry_id, head in heads.items())
        return {s.fact: s for s in stored if s.fact}

    def subsidy_earned(self, loan_id: int, through: date) -> tuple[int, date | None]:
        p, je = t.postings.c, t.journal_entries.c
        # Dr 2400 earns, Cr 2400 (a reversal or a true-up taking back) unearns.
        signed = case((p.side == "D", p.amount_minor), else_=-p.amount_minor)
        by_then = func.sum(case((je.value_date <= through, signed), else_=0))
        row = self._conn.execute(
            select(func.coalesce(by_then, 0), func.max(je.value_date))
            .select_from(t.postings.join(t.journal_entries, je.id == p.entry_id))
            .where(p.gl_code == _DEFERRED_SUBSIDY_GL, je.loan_id == loan_id,
                   je.fact.like("sa:%"))
        ).one()  # fmt: skip
        return int(row[0]), row[1]

    def has_key(self, idempotency_key: str) -> bool:
        je = t.journal_entries.c
        found = self._conn.execute(select(je.id).where(je.idempotency_key == idempotency_key))
        return found.first() is not None

    def existing_keys(self, idempotency_keys: Sequence[str]) -> set[str]:
        if not idempotency_keys:
            return set()
        key = t.journal_entries.c.idempotency_key
        found = self._conn.execute(select(key).where(key.in_(idempotency_keys)))
        return {row.idempotency_key for row in found}

    def loan_balances(self, loan_id: int) -> dict[str, int]:
        p = t.postings.c
        signed = func.sum(case((p.side == "D", p.amount_minor), else_=-p.amount_minor))
        rows = self._conn.execute(
            select(p.sub_ledger, signed)
            .where(and_(p.loan_id == loan_id, p.sub_ledger.is_not(None)))
            .group_by(p.sub_ledger)
        )
        return {str(sub): int(total or 0) for sub, total in rows}

    def record_accrual(
        self, loan_id: int, day: date, component: str, amount: int, entry_id: int
    ) -> None:
        a = t.accruals.c
        where = and_(a.loan_id == loan_id, a.accrual_date == day, a.component == component)
        moved = self._conn.execute(
            update(t.accruals).where(where).values(amount_minor=amount, entry_id=entry_id)
        )
        if moved.rowcount == 0:
            self._conn.execute(
                insert(t.accruals),
                {
                    "loan_id": loan_id,
                    "accrual_date": day,
                    "component": component,
                    "amount_minor": amount,
                    "entry_id": entry_id,
                },
            )

    def drop_accrual(self, loan_id: int, day: date, component: str) -> None:
        a = t.accruals.c
        self._conn.execute(
            delete(t.accruals).where(
                a.loan_id == loan_id, a.accrual_date == day, a.component == component
            )
        )
