"""SQL repository of applications, their parties, documents and events; tables in
:mod:`autolend.adapters.db.application_tables`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)

from autolend.adapters.db import application_tables as t
from autolend.adapters.db import tables
from autolend.adapters.db.advisory import hold_until_commit
from autolend.services.application_ports import (
    ApplicationFilter,
    ApplicationRow,
    ApplicationUpdate,
    DocumentRow,
    EventRow,
    NewApplication,
    NewDocument,
    NewEvent,
)
from autolend.services.ports import SealedFields

__all__ = ["SqlApplicationRepository"]

_A = t.applications
_D = t.application_documents
_E = t.application_events
_DOC_COLUMNS = [c for c in _D.c if c.name not in ("key_id", "wrapped_data_key", "content_enc")]
# Built once: every intake reads the application and its events (a statement built per
# call pays for its construction and cache key each time).
_GET = select(_A).where(_A.c.id == bindparam("application_id"))
_GET_FOR_UPDATE = _GET.with_for_update()
_EVENTS = select(_E).where(_E.c.application_id == bindparam("application_id")).order_by(_E.c.id)


def _fraud_counts() -> Any:
    """Other applications in the window with the same resident ID, with the same mobile,
    and the customer's written-off loans (the internal blacklist): one round trip."""
    recent = (_A.c.created_at >= bindparam("since"), _A.c.id != bindparam("excluding"))

    def applications(column: Any, key: str) -> Any:
        return (select(func.count()).select_from(_A)
                .where(*recent, column == bindparam(key)).scalar_subquery())  # fmt: skip

    loans = tables.loans.c
    written_off = (
        select(func.count()).select_from(tables.loans)
        .where(loans.customer_id == bindparam("customer_id"), loans.status == "written_off")
        .scalar_subquery()
    )  # fmt: skip
    return select(
        applications(_A.c.id_number_bidx, "id_bidx").label("same_id"),
        applications(_A.c.phone_bidx, "phone_bidx").label("same_phone"),
        written_off.label("written_off"),
    )


_FRAUD_COUNTS = _fraud_counts()


def _aware(at: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=UTC)


def _when(at: datetime | None) -> datetime:
    value = _aware(at)
    assert value is not None
    return value


def _filtered(q: Select[Any], query: ApplicationFilter) -> Select[Any]:
    if query.status is not None:
        q = q.where(_A.c.status == query.status)
    if query.statuses is not None:
        q = q.where(_A.c.status.in_(query.statuses))
    if query.dealer_id is not None:
        q = q.where(_A.c.dealer_id == query.dealer_id)
    if query.channel is not None:
        q = q.where(_A.c.channel == query.channel)
    if query.created_by is not None:
        q = q.where(_A.c.created_by == query.created_by)
    if query.customer_ids is not None:
        q = q.where(_A.c.customer_id.in_(query.customer_ids))
    if query.loan_id is not None:
        q = q.where(_A.c.loan_id == query.loan_id)
    if query.contract_id is not None:
        q = q.where(_A.c.contract_id == query.contract_id)
    return q


def _application(row: Row[Any]) -> ApplicationRow:
    sealed = SealedFields(row.key_id, bytes(row.wrapped_data_key),
                          {"details": bytes(row.details_enc)})  # fmt: skip
    return ApplicationRow(
        row.id, row.status, row.channel, row.product_code, row.dealer_id, row.customer_id,
        row.currency, row.amount_minor, row.price_minor, row.term_months, sealed, row.outcome,
        row.decision, row.offers, row.accepted_option, row.loan_id, row.contract_id,
        row.created_by, _when(row.created_at), _when(row.updated_at), _aware(row.submitted_at),
    )  # fmt: skip


def _document(row: Row[Any]) -> DocumentRow:
    return DocumentRow(row.id, row.application_id, row.kind, row.content_type, row.size,
                       row.sha256, row.uploaded_by, _when(row.uploaded_at))  # fmt: skip


def _event(row: Row[Any]) -> EventRow:
    return EventRow(row.id, row.application_id, row.action, row.status_from, row.status_to,
                    row.actor_user_id, row.reason, row.detail, bool(row.automated),
                    _when(row.created_at))  # fmt: skip


class SqlApplicationRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, application: NewApplication) -> int:
        a = application
        values = {
            "status": a.status, "channel": a.channel, "product_code": a.product_code,
            "dealer_id": a.dealer_id, "customer_id": a.customer_id, "currency": a.currency,
            "amount_minor": a.amount_minor, "price_minor": a.price_minor,
            "term_months": a.term_months, "id_number_bidx": a.id_number_bidx,
            "phone_bidx": a.phone_bidx, "vin_bidx": a.vin_bidx, "key_id": a.sealed.key_id,
            "wrapped_data_key": a.sealed.wrapped_data_key,
            "details_enc": a.sealed.fields["details"], "created_by": a.created_by,
            "created_at": a.created_at, "updated_at": a.created_at,
        }  # fmt: skip
        key = self._conn.execute(insert(_A), values).inserted_primary_key
        assert key is not None
        return int(key[0])

    def get(self, application_id: int, *, for_update: bool = False) -> ApplicationRow | None:
        query = _GET_FOR_UPDATE if for_update else _GET
        row = self._conn.execute(query, {"application_id": application_id}).first()
        return None if row is None else _application(row)

    def update(self, application_id: int, change: ApplicationUpdate) -> None:
        values = {k: v for k, v in vars(change).items() if v is not None}
        self._conn.execute(update(_A).where(_A.c.id == application_id).values(**values))

    def reseal(self, application_id: int, sealed: SealedFields) -> None:
        self._conn.execute(update(_A).where(_A.c.id == application_id).values(
            key_id=sealed.key_id, wrapped_data_key=sealed.wrapped_data_key,
            details_enc=sealed.fields["details"],
        ))  # fmt: skip

    def set_vin_index(self, application_id: int, vin_bidx: str) -> None:
        self._conn.execute(update(_A).where(_A.c.id == application_id).values(vin_bidx=vin_bidx))

    def hold_car(self, vin_bidx: str) -> None:
        hold_until_commit(self._conn, f"car:{vin_bidx}")

    def financing_car(self, vin_bidx: str, *, excluding: int) -> int | None:
        loans = tables.loans.c
        live = or_(
            _A.c.status.in_(("accepted", "signing", "signed")),
            and_(_A.c.status == "disbursed", loans.status.in_(("booked", "active"))),
        )
        query = (select(_A.c.id).select_from(_A.outerjoin(tables.loans, loans.id == _A.c.loan_id))
                 .where(_A.c.vin_bidx == vin_bidx, _A.c.id != excluding, live)
                 .order_by(_A.c.id).limit(1))  # fmt: skip
        found = self._conn.execute(query).scalar()
        return None if found is None else int(found)

    def unindexed_vins(self, after: int, limit: int) -> list[ApplicationRow]:
        query = select(_A).where(_A.c.vin_bidx.is_(None), _A.c.id > after)
        return [_application(r) for r in self._conn.execute(query.order_by(_A.c.id).limit(limit))]

    def search(self, query: ApplicationFilter) -> list[ApplicationRow]:
        """A work queue (``oldest_first``) by its last change, the longest waiting first;
        a list (the dealer's, the borrower's, the API's) newest filed first, as its pages
        say: by ``created_at``, ties by id, so a submission or a signature does not move
        an old application to the top."""
        order = ((_A.c.updated_at, _A.c.id) if query.oldest_first
                 else (_A.c.created_at.desc(), _A.c.id.desc()))  # fmt: skip
        q = _filtered(select(_A).order_by(*order), query)
        rows = self._conn.execute(q.limit(query.limit).offset(query.offset))
        return [_application(row) for row in rows]

    def count_by_status(self, query: ApplicationFilter) -> dict[str, int]:
        """How many applications the filter finds per status (``limit`` and ``offset``
        aside)."""
        q = _filtered(select(_A.c.status, func.count()).group_by(_A.c.status), query)
        return {status: int(n) for status, n in self._conn.execute(q)}

    def add_party(self, application_id: int, position: int, customer_id: int, role: str) -> None:
        self._conn.execute(insert(t.application_parties), {
            "application_id": application_id, "position": position, "customer_id": customer_id,
            "role": role,
        })  # fmt: skip

    def parties(self, application_id: int) -> list[tuple[int, str]]:
        p = t.application_parties
        rows = self._conn.execute(
            select(p.c.customer_id, p.c.role)
            .where(p.c.application_id == application_id)
            .order_by(p.c.position)
        )
        return [(row.customer_id, row.role) for row in rows]

    def fraud_counts(
        self, *, id_number_bidx: str, phone_bidx: str, since: datetime, excluding: int,
        customer_id: int,
    ) -> tuple[int, int, int]:  # fmt: skip
        row = self._conn.execute(_FRAUD_COUNTS, {
            "id_bidx": id_number_bidx, "phone_bidx": phone_bidx, "since": since,
            "excluding": excluding, "customer_id": customer_id,
        }).one()  # fmt: skip
        return int(row.same_id), int(row.same_phone), int(row.written_off)

    def add_document(self, document: NewDocument) -> int:
        d = document
        key = self._conn.execute(insert(_D), {
            "application_id": d.application_id, "kind": d.kind, "content_type": d.content_type,
            "size": d.size, "sha256": d.sha256, "key_id": d.sealed.key_id,
            "wrapped_data_key": d.sealed.wrapped_data_key,
            "content_enc": d.sealed.fields["content"], "uploaded_by": d.uploaded_by,
            "uploaded_at": d.uploaded_at,
        }).inserted_primary_key  # fmt: skip
        assert key is not None
        return int(key[0])

    def documents(self, application_id: int) -> list[DocumentRow]:
        rows = self._conn.execute(
            select(*_DOC_COLUMNS).where(_D.c.application_id == application_id).order_by(_D.c.id)
        )
        return [_document(row) for row in rows]

    def document_content(self, document_id: int) -> tuple[DocumentRow, SealedFields] | None:
        row = self._conn.execute(select(_D).where(_D.c.id == document_id)).first()
        if row is None:
            return None
        sealed = SealedFields(row.key_id, bytes(row.wrapped_data_key),
                              {"content": bytes(row.content_enc)})  # fmt: skip
        return _document(row), sealed

    def add_event(self, event: NewEvent) -> int:
        e = event
        key = self._conn.execute(insert(_E), {
            "application_id": e.application_id, "action": e.action,
            "status_from": e.status_from, "status_to": e.status_to,
            "actor_user_id": e.actor_user_id, "reason": e.reason, "detail": e.detail,
            "automated": e.automated, "created_at": e.created_at,
        }).inserted_primary_key  # fmt: skip
        assert key is not None
        return int(key[0])

    def events(self, application_id: int) -> list[EventRow]:
        rows = self._conn.execute(_EVENTS, {"application_id": application_id})
        return [_event(row) for row in rows]

    def events_of(self, application_ids: Sequence[int]) -> dict[int, list[EventRow]]:
        """The events of several applications in one statement, each list oldest first."""
        found: dict[int, list[EventRow]] = {i: [] for i in application_ids}
        if application_ids:
            query = select(_E).where(_E.c.application_id.in_(application_ids)).order_by(_E.c.id)
            for row in self._conn.execute(query):
                found[row.application_id].append(_event(row))
        return found

    def submitted_between(self, start: datetime, end: datetime) -> list[ApplicationRow]:
        rows = self._conn.execute(
            select(_A)
            .where(_A.c.submitted_at >= start, _A.c.submitted_at < end)
            .order_by(_A.c.submitted_at, _A.c.id)
        )
        return [_application(row) for row in rows]
