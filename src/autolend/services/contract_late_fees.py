"""The late fees a loan's contract charged by itself, read from what its ledger states now.

The contract's late fee (:mod:`autolend.domain.servicing.late_fee`) is part of the daily
rule, so no one posts it and no event stands behind it: the servicing replay states it as
the fact ``lf:<day>``, a fee charge (Dr 1130 fees / Cr 4120 fee income) dated the day it
was charged, on the installment due ``after_days`` before. Only the entry now stating
each such fact counts (not a reversal, not reversed): a backdated repayment that paid the
installment in time makes the replay reverse the fee, and it is gone from here too.

Example: 50.00 after 15 days, installment 1 due 2026-02-05 and left unpaid: the fact
``lf:2026-02-20`` states 50.00, a late fee on installment 1 charged on 2026-02-20.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from autolend.domain.servicing import LateFeeRule
from autolend.services.loan_ports import InstallmentRow, StoredEntry

LATE_FEE_FACT = "lf:"
"""The fact-key prefix of the contract's late fees (``lf:<day>``), as the replay states them."""


@dataclass(frozen=True)
class ChargedLateFee:
    """A late fee the contract charged on ``value_date``: ``amount`` (minor units of
    ``currency``), on installment ``n`` (None where no installment fell due ``after_days``
    before, a schedule since rebuilt, say), stated by ledger entry ``entry_id``."""

    value_date: date
    amount: int
    currency: str
    n: int | None
    entry_id: int


def late_fees_from(rule: LateFeeRule | None, rows: Sequence[InstallmentRow]) -> date | None:
    """The first day the contract can charge its late fee: ``after_days`` after the first
    installment's due date (None: the contract has no late fee, or no installments).

    >>> row = InstallmentRow(1, date(2026, 2, 5), 0, 0, 0, 0, 0, 0)
    >>> late_fees_from(LateFeeRule(5_000, 15), [row]), late_fees_from(None, [row])
    (datetime.date(2026, 2, 20), None)
    """
    if rule is None or not rows:
        return None
    return min(r.due_date for r in rows) + timedelta(days=rule.after_days)


def charged_late_fees(
    stated: Mapping[str, StoredEntry],
    rule: LateFeeRule | None,
    rows: Sequence[InstallmentRow],
    currency: str,
) -> list[ChargedLateFee]:
    """The contract's late fees the ledger states now, oldest first, each on the
    installment due ``rule.after_days`` before its day; ``stated`` holds the entry now
    stating each fact, the late fees' (``lf:``) at least, from :func:`late_fees_from` on
    (other facts are left alone). Nothing without a rule."""
    if rule is None:
        return []
    due = {r.due_date: r.n for r in rows}
    fees = []
    for fact, stored in stated.items():
        if not fact.startswith(LATE_FEE_FACT):
            continue
        day = stored.entry.value_date
        amount = stored.entry.totals().get(currency, (0, 0))[0]
        n = due.get(day - timedelta(days=rule.after_days))
        fees.append(ChargedLateFee(day, amount, currency, n, stored.id))
    return sorted(fees, key=lambda fee: fee.value_date)
