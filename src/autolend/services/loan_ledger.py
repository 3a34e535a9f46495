"""The read side of a loan's ledger: its journal entries as the API and the loan page
show them, to staff in full and to the loan's customer without the lender's
provisioning.

Staff who read every loan (``loan:read_all``) read every entry and every posting. A
borrower (or the dealer that sold the loan) reads the postings on the accounts a
customer reads (:func:`autolend.domain.customer_ledger.customer_postings`). An entry
left with none is not listed: after a month-end, 张伟 sees his disbursement, repayments
and accruals, but not the Jan 31 allowance of 120.00 (Dr 5100 / Cr 1190) that
servicing sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.customer_ledger import customer_postings
from autolend.domain.ledger import Posting
from autolend.services.loan_ports import StoredEntry
from autolend.services.ports import UnitOfWork

__all__ = ["ledger_read"]


def ledger_read(
    uow: UnitOfWork, actor: Actor, loan_id: int, newest: int | None
) -> tuple[list[dict[str, Any]], int]:
    """The ``newest`` entries of loan ``loan_id`` that ``actor`` reads (every one for
    None), oldest first, and how many it reads in all. The caller has checked that
    ``actor`` may reach the loan."""
    if actor.can(Permission.LOAN_READ_ALL):
        entries = uow.ledger.entries_for_loan(loan_id, newest)
        count = len(entries) if newest is None else uow.ledger.count_entries_for_loan(loan_id)
        return [_entry_dict(s, s.entry.postings) for s in entries], count
    shown = [
        _entry_dict(s, postings)
        for s in uow.ledger.entries_for_loan(loan_id, None)
        if (postings := customer_postings(s.entry))
    ]
    return (shown if newest is None else shown[-newest:] if newest > 0 else []), len(shown)


def _entry_dict(stored: StoredEntry, postings: Sequence[Posting]) -> dict[str, Any]:
    entry = stored.entry
    return {
        "id": stored.id,
        "kind": entry.kind.value,
        "value_date": entry.value_date.isoformat(),
        "description": entry.description,
        "reverses": entry.reverses,
        "fact": stored.fact,
        "postings": [
            {
                "account": p.account.gl.code,
                "name": p.account.gl.value,
                "sub_ledger": p.account.sub.value if p.account.sub else None,
                "side": p.side.value,
                "amount": p.amount.to_api(),
                "currency": p.amount.currency.code,
            }
            for p in postings
        ],
    }
