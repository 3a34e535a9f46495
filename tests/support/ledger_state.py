"""The final state of loans, comparable across two databases: what R4 compares between
the world that took concurrent requests and its serial replay.

Per loan: every posting of the entries in force (not a reversal, not reversed) by fact,
the net balance per account, the servicing row, installments, accrual records and money
events. Event ids differ between databases, so an event (and its fact ``ev:<id>``) is
named by its rank in the loan's (value date, id) order; gross debits and credits differ
with the path taken (restating reverses and posts again), so only net balances count.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container

_EVENT_FACT = re.compile(r"^ev:(\d+)$")


def _event_ranks(conn: Any) -> dict[int, int]:
    """Each event's position in its loan's (value date, id) order."""
    c = t.repayments.c
    rows = conn.execute(select(c.id, c.loan_id).order_by(c.loan_id, c.value_date, c.id)).all()
    ranks, seen = {}, dict[int, int]()
    for event_id, loan_id in rows:
        ranks[event_id] = seen.get(loan_id, 0)
        seen[loan_id] = ranks[event_id] + 1
    return ranks


def _effective_lines(conn: Any, ranks: dict[int, int]) -> list[tuple[Any, ...]]:
    """Every posting of every entry in force (not a reversal, not reversed), by fact."""
    je, p, undo = t.journal_entries.c, t.postings.c, t.journal_entries.alias("undo")
    query = (
        select(
            je.loan_id,
            je.fact,
            je.kind,
            je.value_date,
            p.gl_code,
            p.sub_ledger,
            p.side,
            p.amount_minor,
        )
        .join_from(t.journal_entries, t.postings, p.entry_id == je.id)
        .where(
            je.kind != "reversal", ~select(undo.c.id).where(undo.c.reverses_id == je.id).exists()
        )
    )

    def fact(text: str | None) -> str | None:
        found = _EVENT_FACT.match(text or "")
        return f"ev#{ranks[int(found.group(1))]}" if found else text

    return [(r[0], fact(r[1]), *r[2:]) for r in conn.execute(query)]


def final_state(container: Container, ids: list[int]) -> dict[str, list[tuple[Any, ...]]]:
    """Ledger in force, balances per account, servicing rows, installments, accruals and
    events of the loans ``ids``; event ids replaced by their rank."""
    p, lo, ev = t.postings.c, t.loans.c, t.repayments.c
    debit = func.sum(p.amount_minor).filter(p.side == "D")
    credit = func.sum(p.amount_minor).filter(p.side == "C")
    queries = {
        "balances": select(p.loan_id, p.gl_code, p.sub_ledger, debit, credit)
        .group_by(p.loan_id, p.gl_code, p.sub_ledger),
        "loans": select(lo.id, lo.status, lo.approved_minor, lo.principal_minor,
                        lo.disbursed_minor, lo.accrued_through, lo.closed_on, lo.state),
        "installments": select(t.installments),
        "accruals": select(*(c for c in t.accruals.c if c.name != "entry_id")),
    }  # fmt: skip
    with container.engine.connect() as conn:
        ranks = _event_ranks(conn)
        found = {name: [tuple(r) for r in conn.execute(q)] for name, q in queries.items()}
        net = [(*r[:3], (r[3] or 0) - (r[4] or 0)) for r in found["balances"]]
        found["balances"] = [r for r in net if r[3]]  # an account netted to nil is no balance
        found["lines"] = _effective_lines(conn, ranks)
        events = select(ev.id, ev.loan_id, ev.kind, ev.amount_minor, ev.value_date, ev.status,
                        ev.reference, ev.allocation)  # fmt: skip
        found["events"] = [(r[1], ranks[r[0]], *r[2:]) for r in conn.execute(events)]
    return {
        name: sorted((r for r in rows if r[0] in ids), key=repr) for name, rows in found.items()
    }


def assert_same_state(mine: dict[str, list[Any]], theirs: dict[str, list[Any]]) -> None:
    """Equal final states; on failure only what differs is shown, per table."""
    for name, rows in mine.items():
        extra = [row for row in rows if row not in theirs[name]]
        missing = [row for row in theirs[name] if row not in rows]
        assert (name, extra) == (name, missing)
