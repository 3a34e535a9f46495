"""Shared checks and line helpers for the entry builders (:mod:`.builders`, :mod:`.accruals`).

Amounts handed to a builder must be positive :class:`~autolend.domain.money.Money`;
optional amounts may also be None or zero, meaning "nothing to post".

>>> positive(Money.of_minor(-1, "CNY"), "cash")
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: cash must be a positive Money amount, got Money(...)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from autolend.domain.choices import coerce_enum as coerce
from autolend.domain.errors import InvalidInput
from autolend.domain.ledger.accounts import AccountRef, GlAccount, Side, SubLedger
from autolend.domain.ledger.entries import EntryKind, JournalEntry, Line
from autolend.domain.money import Money

__all__ = [
    "CR",
    "DR",
    "REPAYABLE",
    "add_up",
    "general",
    "nonzero_parts",
    "optional",
    "positive",
    "two_line_entry",
]

DR, CR = Side.DEBIT, Side.CREDIT
REPAYABLE = (SubLedger.PENALTY, SubLedger.INTEREST, SubLedger.FEES, SubLedger.PRINCIPAL)
"""The borrower's receivables, in the default order of allocation."""


def general(account: GlAccount) -> AccountRef:
    """A GL-only account reference (cash, income, payables)."""
    return AccountRef.general(account)


def positive(amount: object, name: str) -> Money:
    """``amount`` if it is Money > 0, else InvalidInput naming ``name``."""
    if not isinstance(amount, Money) or amount.minor <= 0:
        raise InvalidInput(f"{name} must be a positive Money amount, got {amount!r}", field=name)
    return amount


def optional(amount: Money | None, name: str) -> Money | None:
    """None or zero means "none"; a negative amount is refused."""
    if amount is None or (isinstance(amount, Money) and amount.is_zero()):
        return None
    return positive(amount, name)


def nonzero_parts(
    parts: Mapping[SubLedger, Money], allowed: tuple[SubLedger, ...], name: str
) -> list[tuple[SubLedger, Money]]:
    """The non-zero parts in ``allowed`` order; unknown keys or negatives are refused."""
    if not isinstance(parts, Mapping):
        raise InvalidInput(f"{name} must map sub-ledgers to Money", field=name)
    subs = {coerce(key, SubLedger, name): value for key, value in parts.items()}
    extra = sorted(set(subs) - set(allowed))
    if extra:
        names = ", ".join(extra)
        raise InvalidInput(f"{name} cannot include {names}", field=name)
    found = [(sub, optional(subs[sub], f"{name}.{sub}")) for sub in allowed if sub in subs]
    return [(sub, money) for sub, money in found if money is not None]


def add_up(amounts: list[Money], name: str) -> Money:
    """The sum of a non-empty list of amounts in one currency."""
    if not amounts:
        raise InvalidInput(f"{name} has nothing to post", field=name)
    total = amounts[0]
    for amount in amounts[1:]:
        total = total + amount
    return total


def two_line_entry(
    kind: EntryKind,
    day: date,
    debit: AccountRef,
    credit: AccountRef,
    amount: Money,
    *,
    loan_id: int | None = None,
    description: str = "",
    key: str | None = None,
) -> JournalEntry:
    """Dr ``debit`` / Cr ``credit`` for ``amount``: the shape of most entries."""
    lines: list[Line] = [(debit, DR, amount), (credit, CR, amount)]
    return JournalEntry.build(
        kind, day, lines, description=description, loan_id=loan_id, idempotency_key=key
    )
