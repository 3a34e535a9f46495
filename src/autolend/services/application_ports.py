"""Ports of origination: the application repository and the rows it hands back
(:mod:`autolend.adapters.db.application_repository` implements them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from autolend.services.ports import SealedFields

__all__ = [
    "ApplicationFilter", "ApplicationRepository", "ApplicationRow", "ApplicationUpdate",
    "DocumentRow", "EventRow", "NewApplication", "NewDocument", "NewEvent",
]  # fmt: skip


@dataclass(frozen=True)
class NewApplication:
    status: str
    channel: str
    product_code: str
    dealer_id: int | None
    customer_id: int
    currency: str
    amount_minor: int
    price_minor: int
    term_months: int
    id_number_bidx: str
    phone_bidx: str
    sealed: SealedFields
    created_by: int
    created_at: datetime
    vin_bidx: str | None = None


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    status: str
    channel: str
    product_code: str
    dealer_id: int | None
    customer_id: int
    currency: str
    amount_minor: int
    price_minor: int
    term_months: int
    sealed: SealedFields
    outcome: str | None
    decision: str | None
    offers: str | None
    accepted_option: int | None
    loan_id: int | None
    contract_id: int | None
    created_by: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None


@dataclass(frozen=True)
class ApplicationUpdate:
    """The columns a move changes; ``None`` leaves a column as it is."""

    status: str
    updated_at: datetime
    outcome: str | None = None
    decision: str | None = None
    offers: str | None = None
    accepted_option: int | None = None
    loan_id: int | None = None
    contract_id: int | None = None
    submitted_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ApplicationFilter:
    """Which applications a list reads: ``status`` one status, ``statuses`` any of
    several; newest filed first, or ``oldest_first`` (a work queue: the longest
    waiting at the top). ``loan_id`` / ``contract_id``: the application a loan was
    booked from, the one a contract was drawn up for."""

    status: str | None = None
    statuses: tuple[str, ...] | None = None
    oldest_first: bool = False
    dealer_id: int | None = None
    channel: str | None = None
    created_by: int | None = None
    customer_ids: tuple[int, ...] | None = None
    loan_id: int | None = None
    contract_id: int | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class NewDocument:
    application_id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    sealed: SealedFields
    uploaded_by: int
    uploaded_at: datetime


@dataclass(frozen=True)
class DocumentRow:
    id: int
    application_id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: int
    uploaded_at: datetime


@dataclass(frozen=True)
class NewEvent:
    application_id: int
    action: str
    status_from: str | None
    status_to: str
    actor_user_id: int
    created_at: datetime
    reason: str | None = None
    detail: str | None = None
    automated: bool = False


@dataclass(frozen=True)
class EventRow:
    id: int
    application_id: int
    action: str
    status_from: str | None
    status_to: str
    actor_user_id: int
    reason: str | None
    detail: str | None
    automated: bool
    created_at: datetime


class ApplicationRepository(Protocol):
    def add(self, application: NewApplication) -> int: ...
    def get(self, application_id: int, *, for_update: bool = False) -> ApplicationRow | None: ...
    def update(self, application_id: int, change: ApplicationUpdate) -> None: ...
    def reseal(self, application_id: int, sealed: SealedFields) -> None:
        """Replace the sealed details (the VIN added later). ``updated_at`` stays: it is
        the last move, which the review queue orders by (a VIN is not a move)."""
        ...

    def set_vin_index(self, application_id: int, vin_bidx: str) -> None: ...
    def hold_car(self, vin_bidx: str) -> None:
        """Hold the car until this transaction ends: another writer holding it waits (two
        offers accepted at once for one car are then taken one after the other)."""
        ...

    def financing_car(self, vin_bidx: str, *, excluding: int) -> int | None:
        """Another application (not ``excluding``) whose loan this car secures or is about
        to: accepted, signing, signed, or paid out with its loan booked or active; its id."""
        ...

    def unindexed_vins(self, after: int, limit: int) -> list[ApplicationRow]:
        """Applications with id above ``after`` and no VIN index yet, by id."""
        ...

    def search(self, query: ApplicationFilter) -> list[ApplicationRow]: ...
    def count_by_status(self, query: ApplicationFilter) -> dict[str, int]: ...
    def add_party(
        self, application_id: int, position: int, customer_id: int, role: str
    ) -> None: ...
    def parties(self, application_id: int) -> list[tuple[int, str]]: ...
    def fraud_counts(self, *, id_number_bidx: str, phone_bidx: str, since: datetime,
                     excluding: int, customer_id: int) -> tuple[int, int, int]:  # fmt: skip
        """Applications since ``since`` other than ``excluding`` with this resident-ID index,
        with this mobile index, and the customer's written-off loans."""
        ...

    def add_document(self, document: NewDocument) -> int: ...
    def documents(self, application_id: int) -> list[DocumentRow]: ...
    def document_content(self, document_id: int) -> tuple[DocumentRow, SealedFields] | None: ...
    def add_event(self, event: NewEvent) -> int: ...
    def events(self, application_id: int) -> list[EventRow]: ...
    def events_of(self, application_ids: Sequence[int]) -> dict[int, list[EventRow]]: ...
    def submitted_between(self, start: datetime, end: datetime) -> list[ApplicationRow]: ...
