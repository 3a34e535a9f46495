"""Ports of the credit bureau and of consent / bureau-query storage.

The gateway (``autolend.adapters.bureau``) talks to the bureau over HTTP; the repositories
(``autolend.adapters.db.bureau_repository``) store consents, the log of every query and the
sealed reports. Gateway failures are typed :class:`BureauError` subclasses, mapped to HTTP
statuses in ``api/errors.py`` like every other domain error:

=======================  ======================  ====
class                    code                    HTTP
=======================  ======================  ====
``BureauUnavailable``    ``bureau_unavailable``  503
``BureauRejected``       ``bureau_rejected``     502
``BureauNoRecord``       ``bureau_no_record``    404
=======================  ======================  ====
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from autolend.domain.errors import DomainError
from autolend.services.ports import SealedFields

REPORT_FIELD = "report"  # the one sealed field of a stored report: the bureau's JSON


class BureauError(DomainError):
    """The bureau did not give a report; ``attempts`` says how many requests were sent."""

    code = "bureau_error"

    def __init__(self, message: str, *, attempts: int = 0) -> None:
        super().__init__(message)
        self.attempts = attempts


class BureauUnavailable(BureauError):  # noqa: N818 - API-facing name
    """Timed out, unreachable, busy (429/5xx) after every retry, or the circuit is open."""

    code = "bureau_unavailable"


class BureauRejected(BureauError):  # noqa: N818 - API-facing name
    """The bureau refused the query as malformed (its 400)."""

    code = "bureau_rejected"


class BureauNoRecord(BureauError):  # noqa: N818 - API-facing name
    """The bureau holds no file for this person (its 404): an outcome, not a failure."""

    code = "bureau_no_record"


@dataclass(frozen=True)
class BureauQuery:
    id_number: str
    name: str
    purpose: str
    consent_reference: str


@dataclass(frozen=True)
class BureauReport:
    """The bureau's report as received (JSON text) and how many attempts it took."""

    body: str
    attempts: int


class BureauGateway(Protocol):
    def fetch_report(self, query: BureauQuery) -> BureauReport:
        """The report, or BureauUnavailable / BureauRejected / BureauNoRecord."""
        ...

    def close(self) -> None:
        """Let go of the connections kept open to the bureau."""
        ...


@dataclass(frozen=True)
class NewConsent:
    customer_id: int
    kind: str
    text_version: str
    granted_at: datetime
    expires_at: datetime | None
    granted_by: int


@dataclass(frozen=True)
class ConsentRow:
    id: int
    customer_id: int
    kind: str
    text_version: str
    granted_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    granted_by: int


class ConsentRepository(Protocol):
    def add(self, consent: NewConsent) -> int: ...
    def add_all(self, consents: Sequence[NewConsent]) -> None: ...
    def get(self, consent_id: int) -> ConsentRow | None: ...
    def list_for(self, customer_id: int) -> list[ConsentRow]: ...
    def revoke(self, consent_id: int, at: datetime) -> None: ...


@dataclass(frozen=True)
class NewBureauQuery:
    """One line of the query log: who asked, for whom, why, and what came of it."""

    customer_id: int
    reference: str
    purpose: str
    consent_id: int
    outcome: str  # ok | no_record | unavailable | rejected
    detail: str | None
    latency_ms: int
    attempts: int
    queried_by: int
    queried_at: datetime
    request_id: str | None


@dataclass(frozen=True)
class BureauQueryRow:
    id: int
    customer_id: int
    reference: str
    purpose: str
    consent_id: int
    outcome: str
    detail: str | None
    latency_ms: int
    attempts: int
    queried_by: int
    queried_at: datetime


class BureauRepository(Protocol):
    def add_query(self, query: NewBureauQuery) -> int: ...
    def add_report(self, query_id: int, sealed: SealedFields) -> None: ...
    def queries_for(self, customer_id: int, limit: int) -> list[BureauQueryRow]: ...
    def query(self, query_id: int) -> BureauQueryRow | None: ...
    def report(self, query_id: int) -> SealedFields | None: ...
    def reports_of(
        self, query_ids: Sequence[int]
    ) -> dict[int, tuple[BureauQueryRow, SealedFields]]: ...
