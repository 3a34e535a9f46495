"""Ports: what the services need from the outside world, as Protocols.

Adapters (``autolend.adapters``) implement them; only ``autolend.bootstrap`` wires concrete
classes in. Services depend on these names, never on SQLAlchemy or cryptography.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from autolend.domain.access import Role
from autolend.domain.audit import AuditEvent, AuditRecord, ChainHead
from autolend.services.eod_ports import EodRepository
from autolend.services.loan_ports import (
    ApprovalRepository,
    IdempotencyRepository,
    LedgerChecks,
    LedgerRepository,
    LoanRepository,
)
from autolend.services.model_ports import ModelRepository
from autolend.services.portfolio_ports import PortfolioRepository
from autolend.services.product_ports import ProductRepository

if TYPE_CHECKING:  # bureau_ports imports SealedFields from here
    from autolend.services.application_ports import ApplicationRepository
    from autolend.services.bureau_ports import BureauRepository, ConsentRepository
    from autolend.services.contract_ports import ContractRepository, OutboxRepository


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def today(self) -> date:
        """The lender's business day: the date of :meth:`now` in the lender's time zone
        (Beijing: from 16:00 UTC it is the next day's date)."""
        ...

    def day_of(self, at: datetime) -> date:
        """The business day of a stored instant (an application's filing time): its date
        in the lender's time zone. 2026-11-29 20:00 UTC is 2026-11-30 in Beijing."""
        ...

    def start_of(self, day: date) -> datetime:
        """The instant (UTC) the business day ``day`` begins: 2026-11-30 in Beijing
        begins at 2026-11-29 16:00 UTC."""
        ...

    @property
    def zone(self) -> str:
        """The lender's time zone by its IANA name (``Asia/Shanghai``): where its business
        day turns over, and the clock its documents tell the time by."""
        ...


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    password_hash: str
    roles: tuple[Role, ...]
    dealer_id: int | None
    display_name: str | None
    locale: str | None
    is_active: bool
    failed_sign_ins: int
    locked_until: datetime | None


@dataclass(frozen=True)
class NewUser:
    username: str
    password_hash: str
    roles: tuple[Role, ...]
    dealer_id: int | None
    display_name: str | None
    created_at: datetime


@dataclass(frozen=True)
class WebSessionRecord:
    user_id: int
    csrf_token: str
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class SealedFields:
    """Personal data as stored: ciphertexts under one wrapped per-record data key."""

    key_id: str
    wrapped_data_key: bytes
    fields: Mapping[str, bytes]


@dataclass(frozen=True)
class CustomerRow:
    id: int
    id_number_index: str
    owner_user_id: int | None
    dealer_id: int | None
    sealed: SealedFields
    created_by: int
    created_at: datetime
    pack: str | None = None  # None: registered before migration 0020


@dataclass(frozen=True)
class NewCustomer:
    owner_user_id: int | None
    dealer_id: int | None
    sealed: SealedFields
    id_number_index: str
    phone_index: str
    bank_account_index: str | None
    created_by: int
    created_at: datetime
    pack: str  # the regulation pack's code


class UserRepository(Protocol):
    def add(self, user: NewUser) -> int: ...
    def by_id(self, user_id: int) -> UserRecord | None: ...
    def for_token(self, user_id: int, jti: str) -> tuple[UserRecord | None, bool]:
        """The user (None if unknown) and whether the token ``jti`` is revoked (False for
        an unknown user)."""
        ...

    def by_username(self, username: str, *, for_update: bool = False) -> UserRecord | None: ...
    def list_all(self) -> list[UserRecord]: ...
    def record_failure(self, user_id: int, failed: int, locked_until: datetime | None) -> None: ...
    def record_success(self, user_id: int) -> None: ...
    def set_active(self, user_id: int, active: bool) -> None: ...
    def set_password(self, user_id: int, password_hash: str, at: datetime) -> None: ...
    def count(self) -> int: ...


class TokenRepository(Protocol):
    def revoke(self, jti: str, user_id: int, expires_at: datetime) -> None: ...
    def is_revoked(self, jti: str) -> bool: ...


class SessionRepository(Protocol):
    def add(self, id_hash: str, record: WebSessionRecord, created_at: datetime) -> None: ...
    def get(self, id_hash: str) -> WebSessionRecord | None: ...
    def revoke(self, id_hash: str, at: datetime) -> None: ...


@dataclass(frozen=True)
class DealerEntry:
    id: int
    code: str
    name: str
    city: str | None


class DealerRepository(Protocol):
    def add(self, code: str, name: str, city: str | None, created_at: datetime) -> int: ...
    def by_code(self, code: str) -> int | None: ...
    def name_of(self, dealer_id: int) -> str | None: ...
    def directory(self, limit: int) -> list[DealerEntry]:
        """The dealers by name, for an applicant to choose from."""
        ...


class CustomerRepository(Protocol):
    def add(self, customer: NewCustomer) -> int: ...
    def by_id(self, customer_id: int) -> CustomerRow | None: ...
    def lock(self, customer_id: int) -> None:
        """Hold the customer's row until the transaction ends (PostgreSQL: ``FOR
        UPDATE``; SQLite's write transactions take turns already)."""
        ...

    def by_id_number_index(self, index: str) -> CustomerRow | None: ...
    def list_reachable(
        self,
        *,
        owner_user_id: int | None,
        dealer_id: int | None,
        all_rows: bool,
        limit: int,
        offset: int = 0,
    ) -> list[CustomerRow]: ...
    def count_reachable(
        self, *, owner_user_id: int | None, dealer_id: int | None, all_rows: bool
    ) -> int: ...
    def count(self) -> int: ...


class AuditRepository(Protocol):
    def head(self, *, for_update: bool = False) -> ChainHead | None: ...
    def add(self, event: AuditEvent) -> None:
        """Queue ``event``: it is chained and written when the unit of work commits."""
        ...

    def chain_queued(self, limit: int) -> int:
        """Chain up to ``limit`` committed events from the queue; how many."""
        ...

    def has_queued(self) -> bool: ...
    def iter_records(self) -> Iterator[AuditRecord]: ...
    def recent(self, limit: int, offset: int = 0) -> list[AuditRecord]: ...
    def count(self) -> int: ...


SEALED_KINDS = (
    "customer",
    "application",
    "application_document",
    "bureau_report",
    "outbox",
    "contract",
)
"""The kinds of record that hold sealed personal data (each with its own wrapped data key)."""


@dataclass(frozen=True)
class WrappedKey:
    """One sealed record's data key as stored: wrapped under master key ``key_id``, and
    ``binding``, the values its sealing context is made of (e.g. a customer's ID blind
    index; an application document's application id and SHA-256)."""

    kind: str
    row_id: int
    key_id: str
    wrapped_data_key: bytes
    binding: tuple[str, ...]


class SealedKeyRepository(Protocol):
    def wrapped_keys(self, kind: str) -> list[WrappedKey]: ...
    def replace_key(self, kind: str, row_id: int, key_id: str,
                    wrapped_data_key: bytes) -> None: ...  # fmt: skip


class UnitOfWork(Protocol):
    """One transaction. Only services call ``commit``; leaving without it rolls back."""

    @property
    def users(self) -> UserRepository: ...
    @property
    def tokens(self) -> TokenRepository: ...
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def dealers(self) -> DealerRepository: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def loans(self) -> LoanRepository: ...
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def idempotency(self) -> IdempotencyRepository: ...
    @property
    def checks(self) -> LedgerChecks: ...
    @property
    def approvals(self) -> ApprovalRepository: ...
    @property
    def models(self) -> ModelRepository: ...
    @property
    def consents(self) -> ConsentRepository: ...
    @property
    def bureau(self) -> BureauRepository: ...
    @property
    def eod(self) -> EodRepository: ...
    @property
    def products(self) -> ProductRepository: ...
    @property
    def contracts(self) -> ContractRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def applications(self) -> ApplicationRepository: ...
    @property
    def portfolio(self) -> PortfolioRepository: ...
    @property
    def sealed_keys(self) -> SealedKeyRepository: ...

    def savepoint(self) -> AbstractContextManager[object]:
        """A nested transaction: rolled back alone when its block raises, with the
        audit events recorded inside it."""
        ...

    def commit(self) -> None: ...
    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWorkFactory(Protocol):
    """``write``: a use case that changes state (one writer at a time on SQLite).
    ``snapshot``: a read that must see one consistent state across its statements (the
    invariant checks, the audit chain's walk); other reads see each statement's own."""

    def __call__(self, *, write: bool = False, snapshot: bool = False) -> UnitOfWork: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    jti: str
    expires_at: datetime


class TokenIssuer(Protocol):
    def issue(self, user_id: int, roles: Sequence[Role], now: datetime) -> tuple[str, datetime]:
        """A signed token and the instant it expires."""
        ...

    def read(self, token: str, now: datetime) -> TokenClaims:
        """Verify signature, audience and expiry; raise AuthenticationFailed otherwise."""
        ...


class PersonalDataCipher(Protocol):
    """Envelope encryption and blind indexing for personal data."""

    def seal(self, fields: Mapping[str, str], *, context: str) -> SealedFields: ...
    def open(self, sealed: SealedFields, *, context: str) -> dict[str, str]: ...
    def rewrap(self, sealed: SealedFields, *, context: str) -> SealedFields: ...
    def blind_index(self, kind: str, value: str) -> str: ...
    @property
    def active_key_id(self) -> str: ...
