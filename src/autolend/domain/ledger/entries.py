"""Journal entries: balanced, immutable sets of postings.

The rules a :class:`JournalEntry` enforces when it is built (RELIABILITY invariant 1):

* two or more postings, each a positive amount on the debit or the credit side;
* debits equal credits **per currency** (a CNY debit is never offset by a USD credit),
  else :class:`UnbalancedEntry` naming the currency and the difference;
* one loan per entry: the sub-ledger postings of an entry all belong to the same loan
  (a cash receipt that pays two loans is two entries), recorded as ``loan_id``;
* a ``reversal`` entry names the entry it reverses, and only a reversal does.

Entries are never edited: a correction is :func:`reverse` (the same postings with the
sides swapped) followed, if needed, by a new entry.

Worked example: accrue one day's interest of 15.00 on loan 7 (Dr 1110 interest
receivable / Cr 4100 interest income), then reverse it.

>>> from datetime import date
>>> from autolend.domain.money import Money
>>> from autolend.domain.ledger.accounts import AccountRef, GlAccount, SubLedger
>>> fifteen = Money.parse("15.00", "CNY")
>>> entry = JournalEntry.build(EntryKind.ACCRUAL_INTEREST, date(2024, 3, 1), [
...     (AccountRef.loan(7, SubLedger.INTEREST), "debit", fifteen),
...     (AccountRef.general(GlAccount.INTEREST_INCOME), "credit", fifteen)])
>>> entry.loan_id, entry.totals()
(7, {'CNY': (1500, 1500)})
>>> undo = reverse(entry, 101, date(2024, 3, 2), "accrued twice")
>>> [(str(p.account), p.side.value) for p in undo.postings]
[('1110 interest_receivable / loan 7 interest', 'credit'), ('4100 interest_income', 'debit')]
>>> JournalEntry.build("fee_charge", date(2024, 3, 1), [
...     (AccountRef.loan(7, SubLedger.FEES), "debit", Money.parse("50.00", "CNY")),
...     (AccountRef.general(GlAccount.FEE_INCOME), "credit", Money.parse("5.00", "CNY"))])
Traceback (most recent call last):
...
autolend.domain.ledger.entries.UnbalancedEntry: entry does not balance in CNY: ... 45.00
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from autolend.domain.choices import coerce_enum as coerce
from autolend.domain.errors import InvalidInput
from autolend.domain.ledger.accounts import AccountRef, Side
from autolend.domain.money import Money

__all__ = [
    "EntryKind", "JournalEntry", "Line", "Posting", "Side", "UnbalancedEntry",
    "entry_fingerprint", "reverse",
]  # fmt: skip

MAX_KEY_LENGTH = 200
"""Longest idempotency key or external reference accepted."""


class EntryKind(StrEnum):
    """What business event a journal entry records."""

    BOOKING = "booking"  # loan booked against the dealer payable, no cash yet
    DISBURSEMENT = "disbursement"  # cash leaves: loan proceeds paid out
    REPAYMENT = "repayment"  # scheduled installment received
    ACCRUAL_INTEREST = "accrual_interest"  # one day's contract interest
    ACCRUAL_PENALTY = "accrual_penalty"  # one day's penalty / compound interest
    FEE_CHARGE = "fee_charge"
    FEE_WAIVER = "fee_waiver"
    SUBSIDY = "subsidy"  # rate buy-down earned or received (car maker, dealer, state)
    PREPAYMENT = "prepayment"  # partial prepayment
    PAYOFF = "payoff"  # early settlement in full
    WRITE_OFF = "write_off"  # 核销
    RECOVERY = "recovery"  # cash collected after write-off
    ALLOWANCE = "allowance"  # ECL allowance charge or release
    REFUND = "refund"  # overpayment returned to the borrower
    REVERSAL = "reversal"  # mirror image of an earlier entry
    MIGRATION = "migration"  # opening balances of a migrated book


class UnbalancedEntry(InvalidInput):
    """The debits and credits of an entry differ in one currency (HTTP 422).

    ``currency`` is the ISO code and ``difference`` is debits less credits.
    """

    code = "unbalanced_entry"

    def __init__(self, debits: Money, credits: Money) -> None:
        difference = debits - credits
        message = (
            f"entry does not balance in {debits.currency.code}: debits {debits.to_api()}, "
            f"credits {credits.to_api()}, difference {difference.to_api()}"
        )
        super().__init__(message, field="postings")
        self.currency = debits.currency.code
        self.difference = difference


@dataclass(frozen=True, slots=True)
class Posting:
    """One line of an entry: a positive ``amount`` on one ``side`` of ``account``.

    >>> from autolend.domain.ledger.accounts import GlAccount
    >>> Posting(AccountRef(GlAccount.CASH_SETTLEMENT), "debit", Money.of_minor(0, "CNY"))
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: posting amount must be > 0, got 0.00 CNY on ...
    """

    account: AccountRef
    side: Side
    amount: Money

    def __post_init__(self) -> None:
        if not isinstance(self.account, AccountRef):
            message = f"posting account must be an AccountRef, got {self.account!r}"
            raise InvalidInput(message, field="account")
        object.__setattr__(self, "side", coerce(self.side, Side, "side"))
        if not isinstance(self.amount, Money):
            message = f"posting amount must be Money, got {self.amount!r}"
            raise InvalidInput(message, field="amount")
        if self.amount.minor <= 0:
            message = f"posting amount must be > 0, got {self.amount} on {self.account}"
            raise InvalidInput(message, field="amount")

    def reversed(self) -> Posting:
        """The same amount on the same account, on the opposite side."""
        return Posting(self.account, self.side.opposite, self.amount)


Line = tuple[AccountRef, Side | str, Money]
"""A compact posting for :meth:`JournalEntry.build`: (account, "debit" | "credit", amount)."""


def _check_date(value: object) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInput(f"value_date must be a date, got {value!r}", field="value_date")


def _check_optional_text(value: object, name: str) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value or len(value) > MAX_KEY_LENGTH:
        message = f"{name} must be a non-empty string of at most {MAX_KEY_LENGTH} characters"
        raise InvalidInput(message, field=name)


def _check_balanced(postings: tuple[Posting, ...]) -> None:
    """Debits equal credits in every currency, reported in currency-code order."""
    debits: dict[str, Money] = {}
    credits: dict[str, Money] = {}
    for posting in postings:
        code = posting.amount.currency.code
        zero = Money.zero(posting.amount.currency)
        debits.setdefault(code, zero)
        credits.setdefault(code, zero)
        bucket = debits if posting.side is Side.DEBIT else credits
        bucket[code] = bucket[code] + posting.amount
    for code in sorted(debits):
        if debits[code] != credits[code]:
            raise UnbalancedEntry(debits[code], credits[code])


def _entry_loan(postings: tuple[Posting, ...], declared: int | None) -> int | None:
    """The one loan the entry's sub-ledger postings belong to (or the declared one)."""
    loans = sorted({p.account.loan_id for p in postings if p.account.loan_id is not None})
    if len(loans) > 1:
        listed = ", ".join(str(loan) for loan in loans)
        message = f"an entry may touch one loan only, got loans {listed}; post one per loan"
        raise InvalidInput(message, field="postings")
    if declared is not None:
        if isinstance(declared, bool) or not isinstance(declared, int) or declared <= 0:
            message = f"loan_id must be a positive int, got {declared!r}"
            raise InvalidInput(message, field="loan_id")
        if loans and loans[0] != declared:
            message = f"entry is for loan {declared} but posts to loan {loans[0]}"
            raise InvalidInput(message, field="loan_id")
        return declared
    return loans[0] if loans else None


def _check_reverses(kind: EntryKind, reverses: object) -> None:
    if kind is EntryKind.REVERSAL:
        if isinstance(reverses, bool) or not isinstance(reverses, int) or reverses <= 0:
            message = f"a reversal must name the entry id it reverses, got {reverses!r}"
            raise InvalidInput(message, field="reverses")
    elif reverses is not None:
        message = f"only a reversal entry may set reverses, not a {kind} entry"
        raise InvalidInput(message, field="reverses")


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A balanced, immutable journal entry; see the module docstring for the rules.

    ``loan_id`` is filled in from the sub-ledger postings when not given.
    ``idempotency_key`` identifies the request that produced it (at most one entry per
    key); ``external_ref`` is e.g. the payment-rail transaction id.
    """

    kind: EntryKind
    value_date: date
    postings: tuple[Posting, ...]
    description: str = ""
    reverses: int | None = None
    idempotency_key: str | None = None
    external_ref: str | None = None
    loan_id: int | None = None

    def __post_init__(self) -> None:
        kind = coerce(self.kind, EntryKind, "kind")
        object.__setattr__(self, "kind", kind)
        _check_date(self.value_date)
        if not isinstance(self.postings, tuple | list):
            raise InvalidInput("postings must be a tuple of Posting", field="postings")
        postings = tuple(self.postings)
        object.__setattr__(self, "postings", postings)
        if not all(isinstance(p, Posting) for p in postings):
            raise InvalidInput("postings must all be Posting instances", field="postings")
        if len(postings) < 2:
            message = f"an entry needs at least 2 postings, got {len(postings)}"
            raise InvalidInput(message, field="postings")
        _check_balanced(postings)
        object.__setattr__(self, "loan_id", _entry_loan(postings, self.loan_id))
        _check_reverses(kind, self.reverses)
        if not isinstance(self.description, str):
            raise InvalidInput("description must be a string", field="description")
        _check_optional_text(self.idempotency_key, "idempotency_key")
        _check_optional_text(self.external_ref, "external_ref")

    @classmethod
    def build(
        cls,
        kind: EntryKind | str,
        value_date: date,
        lines: Iterable[Line],
        *,
        description: str = "",
        reverses: int | None = None,
        idempotency_key: str | None = None,
        external_ref: str | None = None,
        loan_id: int | None = None,
    ) -> JournalEntry:
        """An entry from compact ``(account, side, amount)`` lines."""
        postings = tuple(
            Posting(account, coerce(side, Side, "side"), amount) for account, side, amount in lines
        )
        return cls(
            coerce(kind, EntryKind, "kind"),
            value_date,
            postings,
            description=description,
            reverses=reverses,
            idempotency_key=idempotency_key,
            external_ref=external_ref,
            loan_id=loan_id,
        )

    def totals(self) -> dict[str, tuple[int, int]]:
        """(debits, credits) in minor units per currency code; the two are always equal."""
        out: dict[str, tuple[int, int]] = {}
        for posting in self.postings:
            debit, credit = out.get(posting.amount.currency.code, (0, 0))
            if posting.side is Side.DEBIT:
                debit += posting.amount.minor
            else:
                credit += posting.amount.minor
            out[posting.amount.currency.code] = (debit, credit)
        return out


def reverse(
    entry: JournalEntry,
    entry_id: int,
    value_date: date,
    reason: str,
    *,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """The reversing entry for ``entry`` (stored under ``entry_id``): every posting
    on the opposite side, so together the two net every account to zero.

    ``value_date`` is the reversal's own value date: the original's to undo it as if it
    never happened (balances before that date are then unchanged), or the business
    date to undo it from now on.  ``reason`` is required and kept in the description.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("a reversal needs a reason", field="reason")
    return JournalEntry(
        EntryKind.REVERSAL,
        value_date,
        tuple(p.reversed() for p in entry.postings),
        description=f"reversal of entry {entry_id}: {reason.strip()}",
        reverses=entry_id,
        idempotency_key=idempotency_key,
        loan_id=entry.loan_id,
    )


def _posting_key(posting: Posting) -> tuple[str, int, str, str, str, int]:
    account = posting.account
    return (
        account.gl.code,
        account.loan_id or 0,
        account.sub.value if account.sub is not None else "",
        posting.side.value,
        posting.amount.currency.code,
        posting.amount.minor,
    )


def entry_fingerprint(entry: JournalEntry) -> str:
    """SHA-256 (hex) of the entry's canonical content, to spot duplicates and replays.

    It covers the kind, value date, loan, reversed entry, description, external
    reference and the postings taken as a multiset (their order does not matter); it
    leaves out the idempotency key, so that "same key, same body" can be told from
    "same key, different body".

    >>> from datetime import date
    >>> from autolend.domain.ledger.accounts import GlAccount
    >>> a, b = AccountRef(GlAccount.CASH_SETTLEMENT), AccountRef(GlAccount.FEE_INCOME)
    >>> one = Money.of_minor(100, "CNY")
    >>> e1 = JournalEntry.build("fee_charge", date(2024, 1, 2), [(a, "debit", one),
    ...                                                          (b, "credit", one)])
    >>> e2 = JournalEntry.build("fee_charge", date(2024, 1, 2), [(b, "credit", one),
    ...                                                          (a, "debit", one)])
    >>> entry_fingerprint(e1) == entry_fingerprint(e2), len(entry_fingerprint(e1))
    (True, 64)
    """
    content = {
        "kind": entry.kind.value,
        "value_date": entry.value_date.isoformat(),
        "loan_id": entry.loan_id,
        "reverses": entry.reverses,
        "description": entry.description,
        "external_ref": entry.external_ref,
        "postings": sorted(_posting_key(p) for p in entry.postings),
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
