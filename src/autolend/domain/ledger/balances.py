"""Balances, the trial balance and the sub-ledger to GL reconciliation.

A balance is *normal-signed*: positive when it sits on the account's normal side (a
loan's principal is a positive debit balance, an overpayment in suspense a positive
credit balance).  :func:`trial_balance` instead reports raw debits less credits, so
that its amounts add up to zero per currency (RELIABILITY invariant 2).

Balances are point in time by *value date*: a backdated entry counts from its value
date, whenever it was posted.

>>> from datetime import date
>>> from autolend.domain.money import Money
>>> from autolend.domain.ledger import accrual_entry, repayment_entry
>>> ten = Money.parse("10.00", "CNY")
>>> entries = [accrual_entry(3, date(2024, 5, 1), ten), accrual_entry(3, date(2024, 5, 2), ten),
...            repayment_entry(3, date(2024, 5, 2), {SubLedger.INTEREST: ten}, cash=ten)]
>>> interest = AccountRef.loan(3, SubLedger.INTEREST)
>>> balance_at(dated_postings(entries), interest, date(2024, 5, 1)).to_api()
'10.00'
>>> balance_at(dated_postings(entries), GlAccount.INTEREST_INCOME, date(2024, 5, 2)).to_api()
'20.00'
>>> trial_balance_holds(entries), subledger_matches_gl(entries)
(True, [])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from autolend.domain.errors import CurrencyMismatch
from autolend.domain.ledger.accounts import AccountRef, GlAccount, Side, SubLedger
from autolend.domain.ledger.entries import JournalEntry, Posting
from autolend.domain.money import Money, currency

__all__ = [
    "DEFAULT_CURRENCY", "Mismatch", "balance_at", "dated_postings", "loan_balances",
    "signed_amount", "subledger_matches_gl", "trial_balance", "trial_balance_holds",
]  # fmt: skip

DEFAULT_CURRENCY = "CNY"
"""Currency of a balance with no postings at all (China is the default jurisdiction)."""


def signed_amount(posting: Posting) -> int:
    """Minor units, positive on the account's normal side and negative on the other.

    >>> from autolend.domain.money import Money
    >>> pay = Money.of_minor(500, "CNY")
    >>> signed_amount(Posting(AccountRef(GlAccount.SUSPENSE_ADVANCE), Side.CREDIT, pay))
    500
    >>> signed_amount(Posting(AccountRef(GlAccount.CASH_SETTLEMENT), Side.CREDIT, pay))
    -500
    """
    minor = posting.amount.minor
    return minor if posting.side is posting.account.normal_side else -minor


def _debit_minus_credit(posting: Posting) -> int:
    return posting.amount.minor if posting.side is Side.DEBIT else -posting.amount.minor


def dated_postings(entries: Iterable[JournalEntry]) -> Iterator[tuple[date, Posting]]:
    """Every posting of ``entries`` with its entry's value date."""
    for entry in entries:
        for posting in entry.postings:
            yield entry.value_date, posting


def _matches(ref: AccountRef, account: AccountRef | GlAccount) -> bool:
    return ref.gl is account if isinstance(account, GlAccount) else ref == account


def balance_at(
    postings_with_dates: Iterable[tuple[date, Posting]],
    account: AccountRef | GlAccount,
    as_of: date,
    *,
    currency_code: str = DEFAULT_CURRENCY,
) -> Money:
    """Normal-signed balance of ``account`` from postings with value date <= ``as_of``.

    ``account`` is one reference (a loan's sub-ledger, or a GL-only account) or a
    :class:`GlAccount`, meaning the whole control account across all loans.  With no
    matching postings the balance is zero in ``currency_code``; postings in two
    currencies are a :class:`~autolend.domain.errors.CurrencyMismatch`.
    """
    total: Money | None = None
    for value_date, posting in postings_with_dates:
        if value_date > as_of or not _matches(posting.account, account):
            continue
        amount = Money(signed_amount(posting), posting.amount.currency)
        total = amount if total is None else total + amount
    return total if total is not None else Money.zero(currency(currency_code))


def _account_order(key: tuple[GlAccount, str]) -> tuple[str, str]:
    return key[0].code, key[1]


def trial_balance(
    entries: Iterable[JournalEntry], *, as_of: date | None = None
) -> dict[tuple[GlAccount, str], int]:
    """Debits less credits in minor units per (GL account, currency code), sorted by
    account code then currency; entries after ``as_of`` (if given) are left out.

    Debit-normal accounts come out positive, credit-normal ones negative.
    """
    totals: dict[tuple[GlAccount, str], int] = {}
    for entry in entries:
        if as_of is not None and entry.value_date > as_of:
            continue
        for posting in entry.postings:
            key = (posting.account.gl, posting.amount.currency.code)
            totals[key] = totals.get(key, 0) + _debit_minus_credit(posting)
    return {key: totals[key] for key in sorted(totals, key=_account_order)}


def trial_balance_holds(entries: Iterable[JournalEntry]) -> bool:
    """True when the trial balance sums to zero in every currency."""
    per_currency: dict[str, int] = {}
    for (_, code), amount in trial_balance(entries).items():
        per_currency[code] = per_currency.get(code, 0) + amount
    return all(total == 0 for total in per_currency.values())


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A control account whose GL total differs from the sum of its loans' sub-ledgers.

    Totals are normal-signed; ``unattributed`` (GL less sub-ledgers) is what was posted
    to the control account without a loan.
    """

    gl: GlAccount
    currency: str
    gl_total: Money
    subledger_total: Money

    @property
    def unattributed(self) -> Money:
        """GL total less the sub-ledger total."""
        return self.gl_total - self.subledger_total

    def __str__(self) -> str:
        return (
            f"{self.gl.label} {self.currency}: GL {self.gl_total.to_api()} != sub-ledgers "
            f"{self.subledger_total.to_api()} ({self.unattributed.to_api()} without a loan)"
        )


def subledger_matches_gl(entries: Iterable[JournalEntry]) -> list[Mismatch]:
    """Control accounts whose loan sub-ledgers do not add up to the GL (invariant 3).

    The GL total counts every posting to a control account; the sub-ledger total only
    those made to a loan's sub-ledger.  Since a sub-ledger posting *is* a posting to its
    control account, the two differ exactly when something was posted to a control
    account without a loan.  An empty list means everything reconciles.
    """
    gl_totals: dict[tuple[GlAccount, str], int] = {}
    sub_totals: dict[tuple[GlAccount, str], int] = {}
    for _, posting in dated_postings(entries):
        account = posting.account
        if not account.gl.is_control:
            continue
        key = (account.gl, posting.amount.currency.code)
        gl_totals[key] = gl_totals.get(key, 0) + signed_amount(posting)
        if account.loan_id is not None:
            sub_totals[key] = sub_totals.get(key, 0) + signed_amount(posting)
    mismatches = []
    for key in sorted(gl_totals, key=_account_order):
        gl_total, sub_total = gl_totals[key], sub_totals.get(key, 0)
        if gl_total != sub_total:
            cur = currency(key[1])
            mismatches.append(Mismatch(key[0], key[1], Money(gl_total, cur), Money(sub_total, cur)))
    return mismatches


def loan_balances(
    entries: Iterable[JournalEntry], loan_id: int, as_of: date
) -> dict[SubLedger, Money]:
    """Normal-signed balance of each of the loan's sub-ledgers at ``as_of``.

    Every :class:`SubLedger` is present (zero where nothing was posted), in the loan's
    currency (CNY when the loan has no postings yet); a loan posted in two currencies is
    a :class:`~autolend.domain.errors.CurrencyMismatch`.
    """
    totals = dict.fromkeys(SubLedger, 0)
    codes: set[str] = set()
    for value_date, posting in dated_postings(entries):
        ref = posting.account
        if value_date > as_of or ref.loan_id != loan_id or ref.sub is None:
            continue
        totals[ref.sub] += signed_amount(posting)
        codes.add(posting.amount.currency.code)
    if len(codes) > 1:
        listed = ", ".join(sorted(codes))
        raise CurrencyMismatch(f"loan {loan_id} has postings in {listed}", field="currency")
    cur = currency(codes.pop() if codes else DEFAULT_CURRENCY)
    return {sub: Money(minor, cur) for sub, minor in totals.items()}
