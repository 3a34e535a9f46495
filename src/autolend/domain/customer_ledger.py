"""What a loan's customer reads of its ledger: the loan's own money, not the lender's
provisioning.

A borrower (and the dealer that sold the loan) reads the loan's journal entries: the
booking and disbursement, repayments, interest and penalty accruals, fees and waivers,
refunds, the subsidy, and the receivables a write-off took. Provisioning stays with the
lender: 1190 allowance and 5100 impairment expense hold the lender's estimate of its
loss. The month-end booking moves that estimate as the ECL changes, and a write-off uses
it up. Staff who read every loan (``loan:read_all``) read every posting.

:func:`customer_postings` keeps the postings of an entry that are on accounts a customer
reads (:func:`customer_reads`). An entry left with none is not shown at all: a month-end
allowance charge or release, or the reversal of one.

>>> from datetime import date
>>> from autolend.domain.ledger import allowance_entry, write_off_entry, SubLedger
>>> from autolend.domain.money import Money
>>> cny = lambda text: Money.parse(text, "CNY")
>>> customer_postings(allowance_entry(7, date(2026, 1, 31), cny("120.00")))
()
>>> took = write_off_entry(7, date(2026, 9, 30), {SubLedger.PRINCIPAL: cny("9000")},
...                        allowance=cny("8000"))
>>> [f"{p.side.value} {p.account.gl.code}" for p in customer_postings(took)]
['credit 1100']
"""

from __future__ import annotations

from autolend.domain.ledger import GlAccount, JournalEntry, Posting

__all__ = ["PROVISIONING", "customer_postings", "customer_reads"]

PROVISIONING = frozenset({GlAccount.ALLOWANCE, GlAccount.IMPAIRMENT_EXPENSE})
"""The lender's own accounts, which a customer does not read: 1190 and 5100."""


def customer_reads(account: GlAccount) -> bool:
    """Whether a loan's customer reads postings on ``account``: every account except the
    lender's provisioning (:data:`PROVISIONING`).

    >>> customer_reads(GlAccount.INTEREST_RECEIVABLE), customer_reads(GlAccount.ALLOWANCE)
    (True, False)
    """
    return account not in PROVISIONING


def customer_postings(entry: JournalEntry) -> tuple[Posting, ...]:
    """The postings of ``entry`` that a customer reads, in the entry's order: none for an
    allowance entry, and only the receivables for a write-off."""
    return tuple(p for p in entry.postings if customer_reads(p.account.gl))
