"""Ports for loans, the ledger and idempotency keys (declared beside the services that
use them; :mod:`autolend.services.ports` exposes them on the unit of work)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from autolend.domain.ledger import JournalEntry


@dataclass(frozen=True)
class NewLoan:
    customer_id: int | None
    dealer_id: int | None
    product_code: str
    currency: str
    approved_minor: int
    principal_minor: int
    annual_rate: str
    terms_json: str
    start_date: date
    created_at: datetime


@dataclass(frozen=True)
class LoanRecord:
    """A loan row; ``owner_user_id`` is its customer's owner (a borrower user)."""

    id: int
    customer_id: int | None
    dealer_id: int | None
    owner_user_id: int | None
    product_code: str
    status: str
    currency: str
    approved_minor: int
    principal_minor: int
    disbursed_minor: int
    terms_json: str
    start_date: date
    accrued_through: date | None
    closed_on: date | None
    version: int
    state_json: str | None
    created_at: datetime
    down_payment_minor: int | None = None  # recorded at disbursement (None: not recorded)


@dataclass(frozen=True)
class LoanUpdate:
    """The servicing columns written after every use case (the version goes up by one)."""

    status: str
    accrued_through: date | None
    closed_on: date | None
    state_json: str | None
    disbursed_minor: int | None = None


@dataclass(frozen=True)
class InstallmentRow:
    n: int
    due_date: date
    principal_due: int
    interest_due: int
    fee_due: int
    principal_paid: int
    interest_paid: int
    fee_paid: int


@dataclass(frozen=True)
class NewLoanEvent:
    loan_id: int
    kind: str
    amount_minor: int
    currency: str
    value_date: date
    channel: str | None
    reference: str | None
    details_json: str | None
    created_at: datetime


@dataclass(frozen=True)
class LoanEventRow:
    """A money event of a loan (table ``repayments``): repayment, prepayment, payoff,
    write_off or recovery; ``status`` posted or reversed."""

    id: int
    loan_id: int
    kind: str
    amount_minor: int
    currency: str
    value_date: date
    channel: str | None
    reference: str | None
    status: str
    entry_id: int | None
    reversal_entry_id: int | None
    allocation_json: str | None
    details_json: str | None
    seq: int
    created_at: datetime


@dataclass(frozen=True)
class EntryMeta:
    booked_at: datetime
    booked_by: int
    request_id: str | None
    fact: str | None


@dataclass(frozen=True)
class StoredEntry:
    id: int
    entry: JournalEntry
    fingerprint: str
    fact: str | None
    booked_at: datetime


@dataclass(frozen=True)
class IdempotencyRecord:
    key: str
    user_id: int
    route: str
    request_hash: str
    status_code: int
    response_body: str
    created_at: datetime
    expires_at: datetime


class LoanRepository(Protocol):
    def add(self, loan: NewLoan) -> int: ...
    def get(self, loan_id: int, *, for_update: bool = False) -> LoanRecord | None: ...
    def find(
        self,
        *,
        status: str | None,
        owner_user_id: int | None,
        dealer_id: int | None,
        all_rows: bool,
        limit: int,
        offset: int = 0,
        overdue: bool = False,
    ) -> list[LoanRecord]: ...
    def count(
        self, *, status: str | None, owner_user_id: int | None, dealer_id: int | None,
        all_rows: bool, overdue: bool = False,
    ) -> int: ...  # fmt: skip
    # The customer's loans within the reach given (as find's), newest first.
    def of_customer(
        self, customer_id: int, *, owner_user_id: int | None, dealer_id: int | None,
        all_rows: bool, limit: int,
    ) -> list[LoanRecord]: ...  # fmt: skip
    def update(self, loan_id: int, change: LoanUpdate) -> None: ...
    def installments(self, loan_id: int) -> list[InstallmentRow]: ...
    def replace_installments(self, loan_id: int, rows: Sequence[InstallmentRow]) -> None: ...
    def add_event(self, event: NewLoanEvent) -> int: ...
    def events(self, loan_id: int) -> list[LoanEventRow]: ...
    def event(self, loan_id: int, event_id: int) -> LoanEventRow | None: ...
    def set_event_entry(self, event_id: int, entry_id: int, allocation_json: str) -> None: ...
    def mark_reversed(self, event_id: int, reversal_entry_id: int | None) -> None: ...
    def record_payout(self, loan_id: int, down_payment_minor: int | None, terms_json: str) -> None:
        """Store what the disbursement fixes: the down payment and the terms (with the
        subsidy schedule)."""
        ...

    def deferred_subsidies(self, day: date, since: date | None = None) -> list[int]:
        """The loans whose 2400 deferred subsidy income balance is not zero and that have
        an installment due on ``day`` (or after ``since`` and by ``day``) or were closed
        (paid off, written off) on or before it, and the active loans whose subsidy was
        earned in full when they closed (an effective entry of fact ``sa:end``): a
        reversed payoff reopened them."""
        ...

    def subsidy_end_entry(self, loan_id: int) -> int | None:
        """The loan's effective (not reversed) entry of fact ``sa:end``, if any."""
        ...

    def deferred_subsidy(self, loan_id: int) -> tuple[int, int]:
        """The loan's 2400 deferred subsidy income (credit positive, minor units): what
        was deferred (every entry but the amortisation, facts ``sa:...``) and what is
        left."""
        ...


class LedgerRepository(Protocol):
    def post(self, entry: JournalEntry, meta: EntryMeta) -> int: ...
    def entry(self, entry_id: int) -> StoredEntry | None: ...
    def entries_for_loan(self, loan_id: int, newest: int | None = None) -> list[StoredEntry]:
        """The loan's entries, oldest first; only the ``newest`` so many when given."""
        ...

    def count_entries_for_loan(self, loan_id: int) -> int: ...
    def effective_facts(
        self, loan_id: int, since: date, prefix: str | None = None
    ) -> dict[str, StoredEntry]:
        """The entry now stating each fact (not a reversal, not reversed), on or after
        ``since``; with ``prefix``, only the facts whose key starts with it ("lf:")."""
        ...

    def subsidy_earned(self, loan_id: int, through: date) -> tuple[int, date | None]:
        """The loan's deferred subsidy earned by entries dated ``through`` or before (its
        2400 amortisation, facts ``sa:...``, net of reversals and true-ups), and the date
        of its latest such entry (None: none yet)."""
        ...

    def has_key(self, idempotency_key: str) -> bool: ...
    def existing_keys(self, idempotency_keys: Sequence[str]) -> set[str]:
        """Those of ``idempotency_keys`` that an entry already carries."""
        ...

    def loan_balances(self, loan_id: int) -> dict[str, int]:
        """Debits less credits per sub-ledger of the loan."""
        ...

    def record_accrual(
        self, loan_id: int, day: date, component: str, amount: int, entry_id: int
    ) -> None: ...
    def drop_accrual(self, loan_id: int, day: date, component: str) -> None: ...


class IdempotencyRepository(Protocol):
    def get(self, key: str, user_id: int) -> IdempotencyRecord | None: ...
    def claim(self, record: IdempotencyRecord) -> None: ...
    def hold(self, key: str, user_id: int) -> None:
        """Wait, until the transaction ends, for any other transaction holding this key:
        for a request with no loan row to lock first (a migration books a new loan), so
        two identical requests run one after the other (SQLite's writer does already)."""
        ...


@dataclass(frozen=True)
class NewApprovalRequest:
    """A maker's request awaiting a checker (table ``approval_requests``)."""

    kind: str
    loan_id: int | None
    payload_json: str
    maker_user_id: int
    created_at: datetime


@dataclass(frozen=True)
class ApprovalRequestRow:
    """A maker-checker request: ``status`` pending, approved or rejected."""

    id: int
    kind: str
    loan_id: int | None
    payload_json: str
    status: str
    maker_user_id: int
    checker_user_id: int | None
    created_at: datetime
    decided_at: datetime | None


class ApprovalRepository(Protocol):
    def add(self, request: NewApprovalRequest) -> int: ...
    def get(self, request_id: int, *, for_update: bool = False) -> ApprovalRequestRow | None: ...
    def find(
        self,
        *,
        status: str | None,
        kind: str | None,
        limit: int,
        loan_id: int | None = None,
        newest_first: bool = False,
    ) -> list[ApprovalRequestRow]:
        """Requests by id, the oldest first (the queue's order) or the newest first."""
        ...

    def decide(self, request_id: int, status: str, checker_user_id: int, at: datetime) -> None: ...


@dataclass(frozen=True)
class Violation:
    """One broken invariant: its number (RELIABILITY.md) and a readable detail."""

    invariant: int
    detail: str


class LedgerChecks(Protocol):
    """SQL-level checks of the ledger invariants (``autolend verify``)."""

    def entry_shape(self) -> list[Violation]: ...
    def trial_balance(self) -> list[Violation]: ...
    def subledger_vs_gl(self) -> list[Violation]: ...
    def duplicates(self) -> list[Violation]: ...
    def bounds(self) -> list[Violation]: ...
    def accrued_through(self, business_date: date | None) -> list[Violation]: ...
