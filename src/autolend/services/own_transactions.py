"""What a borrower (or a dealer) reads of a loan's transactions: what staff read, less
the lender's own references.

A payment's reference (a repayment, prepayment, payoff, recovery or refund: the bank
transfer's, often the one the borrower wrote on it) is theirs to see. A reference staff
put on anything else is the lender's: a fee waiver's ``approval:12`` names the
maker-checker request behind it, a fee's or a write-off's would be an internal note.
Staff (``loan:read_all``: servicing, collectors, auditors ...) read every row as stored.

>>> from autolend.domain.access import Actor, Role
>>> rows = [{"kind": "repayment", "reference": "BANK-77"},
...         {"kind": "fee_waiver", "reference": "approval:12"}]
>>> borrower = Actor(user_id=5, username="zhang", roles=(Role.BORROWER,))
>>> [row["reference"] for row in transactions_shown(borrower, rows)]
['BANK-77', None]
>>> auditor = Actor(user_id=6, username="audit", roles=(Role.AUDITOR,))
>>> transactions_shown(auditor, rows) == rows
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from autolend.domain.access import Actor, Permission

__all__ = ["PAYMENT_KINDS", "transactions_shown"]

PAYMENT_KINDS = ("repayment", "prepayment", "payoff", "recovery", "refund")
"""Money paid in or back, whose reference is the payment's own."""


def transactions_shown(actor: Actor, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (the loan's transactions list) as ``actor`` may read them: whole for
    staff; for anyone else the ``reference`` of a row that is not a payment is None."""
    if actor.can(Permission.LOAN_READ_ALL):
        return [dict(row) for row in rows]
    return [
        dict(row) if row["kind"] in PAYMENT_KINDS else {**row, "reference": None} for row in rows
    ]
