"""SQL repositories of contracts (documents, registry chain, signing challenges) and of the
notification outbox; tables in :mod:`autolend.adapters.db.contract_tables`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, or_, select, update

from autolend.adapters.db import contract_tables as t
from autolend.domain.contract_registry import RegistryEntry, RegistryEvent
from autolend.services.contract_ports import (
    ChallengeRow,
    ContractRow,
    MessageRow,
    NewContract,
    NewMessage,
    StoredDocument,
)
from autolend.services.ports import SealedFields

_UNREADABLE = datetime(1970, 1, 1, tzinfo=UTC)
_DOCUMENT = ("pdf", "text_layer", "key_id", "wrapped_data_key", "text_enc")
_SUMMARY = [c for c in t.contracts.c if c.name not in _DOCUMENT]


def _inserted_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _aware(at: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=UTC)


def _contract(row: Row[Any]) -> ContractRow:
    created = _aware(row.created_at)
    assert created is not None
    return ContractRow(row.id, row.loan_id, row.reference, row.locale, row.status, row.sha256,
                       created, row.created_by, _aware(row.signed_at), row.signed_by)  # fmt: skip


def _document(row: Row[Any]) -> StoredDocument:
    if row.key_id is None:  # issued before contracts were sealed (migration 0017)
        return StoredDocument(None, bytes(row.pdf), str(row.text_layer))
    fields = {"pdf": bytes(row.pdf), "text": bytes(row.text_enc)}
    return StoredDocument(SealedFields(row.key_id, bytes(row.wrapped_data_key), fields))


def _entry(row: Row[Any]) -> RegistryEntry:
    # An entry edited into an unreadable time still comes back, so verify reports it.
    try:
        at = datetime.fromisoformat(row.created_at)
    except (TypeError, ValueError):
        at = _UNREADABLE
    body = RegistryEvent(row.contract_id, row.reference, row.event, row.sha256,
                         row.actor_user_id, at)  # fmt: skip
    return RegistryEntry(row.seq, body, row.prev_hash, row.hash)


class SqlContractRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, contract: NewContract) -> int:
        sealed = contract.document
        plain = ("loan_id", "reference", "locale", "sha256", "created_at", "created_by")
        values = {name: getattr(contract, name) for name in plain}
        values |= {"status": "issued", "key_id": sealed.key_id,
                   "wrapped_data_key": sealed.wrapped_data_key,
                   "pdf": sealed.fields["pdf"], "text_enc": sealed.fields["text"]}  # fmt: skip
        result = self._conn.execute(insert(t.contracts).values(**values))
        return _inserted_id(result)

    def get(self, contract_id: int, *, for_update: bool = False) -> ContractRow | None:
        query = select(*_SUMMARY).where(t.contracts.c.id == contract_id)
        if for_update:
            query = query.with_for_update()
        row = self._conn.execute(query).first()
        return None if row is None else _contract(row)

    def for_loan(self, loan_id: int) -> list[ContractRow]:
        query = select(*_SUMMARY).where(t.contracts.c.loan_id == loan_id)
        return [_contract(row) for row in self._conn.execute(query.order_by(t.contracts.c.id))]

    def document(self, contract_id: int) -> StoredDocument | None:
        columns = [t.contracts.c[name] for name in _DOCUMENT]
        row = self._conn.execute(select(*columns).where(t.contracts.c.id == contract_id)).first()
        return None if row is None else _document(row)

    def mark_signed(self, contract_id: int, at: datetime, by: int) -> None:
        self._conn.execute(
            update(t.contracts)
            .where(t.contracts.c.id == contract_id)
            .values(status="signed", signed_at=at, signed_by=by)
        )

    def mark_voided(self, contract_id: int) -> None:
        self._conn.execute(
            update(t.contracts).where(t.contracts.c.id == contract_id).values(status="voided")
        )

    def iter_documents(self) -> Iterator[tuple[ContractRow, StoredDocument]]:
        columns = [t.contracts.c[name] for name in _DOCUMENT]
        query = select(*_SUMMARY, *columns).order_by(t.contracts.c.id)
        for row in self._conn.execute(query):
            yield _contract(row), _document(row)

    def registry_head(self, *, for_update: bool = False) -> RegistryEntry | None:
        """The last entry; with ``for_update`` the head row is locked first."""
        head = select(t.contract_registry_head.c.seq).where(t.contract_registry_head.c.id == 1)
        if for_update:
            head = head.with_for_update()
        seq = self._conn.execute(head).scalar()
        if not seq:
            return None
        row = self._conn.execute(
            select(t.contract_registry).where(t.contract_registry.c.seq == seq)
        ).first()
        return None if row is None else _entry(row)

    def head_pointer(self) -> tuple[int, str]:
        head = t.contract_registry_head
        row = self._conn.execute(select(head.c.seq, head.c.hash).where(head.c.id == 1)).one()
        return int(row.seq), str(row.hash)

    def append_registry(self, entry: RegistryEntry) -> None:
        body = entry.body
        self._conn.execute(
            insert(t.contract_registry).values(
                seq=entry.seq, contract_id=body.contract_id, reference=body.reference,
                event=body.event, sha256=body.sha256, actor_user_id=body.actor_user_id,
                created_at=body.created_at.isoformat(timespec="microseconds"),
                prev_hash=entry.prev_hash, hash=entry.hash,
            )
        )  # fmt: skip
        self._conn.execute(
            update(t.contract_registry_head)
            .where(t.contract_registry_head.c.id == 1)
            .values(seq=entry.seq, hash=entry.hash)
        )

    def iter_registry(self) -> Iterator[RegistryEntry]:
        query = select(t.contract_registry).order_by(t.contract_registry.c.seq)
        for row in self._conn.execute(query):
            yield _entry(row)

    def add_challenge(
        self,
        contract_id: int,
        code_hash: str,
        expires_at: datetime,
        created_at: datetime,
        created_by: int,
    ) -> int:
        result = self._conn.execute(
            insert(t.contract_challenges).values(
                contract_id=contract_id, code_hash=code_hash, expires_at=expires_at,
                attempts=0, status="open", created_at=created_at, created_by=created_by,
            )
        )  # fmt: skip
        return _inserted_id(result)

    def latest_challenge(self, contract_id: int) -> ChallengeRow | None:
        c = t.contract_challenges.c
        query = (
            select(c.id, c.contract_id, c.code_hash, c.expires_at, c.attempts, c.status)
            .where(c.contract_id == contract_id)
            .order_by(c.id.desc())
            .limit(1)
            .with_for_update()
        )
        row = self._conn.execute(query).first()
        if row is None:
            return None
        expires = _aware(row.expires_at)
        assert expires is not None
        return ChallengeRow(row.id, row.contract_id, row.code_hash, expires, row.attempts,
                            row.status)  # fmt: skip

    def code_requests_since(self, contract_id: int, since: datetime) -> list[datetime]:
        """When each code of the contract asked for after ``since`` was made."""
        c = t.contract_challenges.c
        query = select(c.created_at).where(c.contract_id == contract_id, c.created_at > since)
        return [at for at in (_aware(v) for v in self._conn.execute(query).scalars()) if at]

    def update_challenge(self, challenge_id: int, attempts: int, status: str) -> None:
        self._conn.execute(
            update(t.contract_challenges)
            .where(t.contract_challenges.c.id == challenge_id)
            .values(attempts=attempts, status=status)
        )

    def supersede_open(self, contract_id: int) -> None:
        c = t.contract_challenges.c
        self._conn.execute(
            update(t.contract_challenges)
            .where(c.contract_id == contract_id, c.status == "open")
            .values(status="superseded")
        )


def _message(row: Row[Any]) -> MessageRow:
    fields = {"recipient": bytes(row.recipient)}
    if row.secret is not None:
        fields["secret"] = bytes(row.secret)
    sealed = SealedFields(row.key_id, bytes(row.wrapped_data_key), fields)
    created = _aware(row.created_at)
    assert created is not None
    return MessageRow(row.id, row.channel, row.template, row.payload, sealed, row.status,
                      row.attempts, created, _aware(row.sent_at), row.last_error)  # fmt: skip


class SqlOutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, message: NewMessage) -> int:
        sealed = message.sealed
        result = self._conn.execute(
            insert(t.outbox).values(
                channel=message.channel, template=message.template, payload=message.payload,
                key_id=sealed.key_id, wrapped_data_key=sealed.wrapped_data_key,
                recipient=sealed.fields["recipient"], secret=sealed.fields.get("secret"),
                status="pending", attempts=0, created_at=message.created_at,
            )
        )  # fmt: skip
        return _inserted_id(result)

    def claim(
        self, limit: int, *, now: datetime, until: datetime, newest_first: bool = False
    ) -> list[MessageRow]:
        """Lease up to ``limit`` pending messages no live lease holds, oldest first (or the
        newest: the ones a request has just queued).

        Each is taken by a conditional ``UPDATE`` (pending and unleased, checked again on
        the row): on PostgreSQL a second dispatcher waits for the first's row lock and then
        finds the lease taken, on SQLite write transactions run one at a time, so a message
        is held by one dispatcher at a time. A lease left by a crashed dispatcher runs out
        at ``until`` and the message is sent again then (at least once, never concurrently).
        """
        claimable = (t.outbox.c.status == "pending") & or_(
            t.outbox.c.claimed_until.is_(None), t.outbox.c.claimed_until <= now
        )
        order = t.outbox.c.id.desc() if newest_first else t.outbox.c.id
        ids = self._conn.execute(
            select(t.outbox.c.id).where(claimable).order_by(order).limit(limit)
        ).scalars()
        taken = [
            message_id
            for message_id in list(ids)
            if self._conn.execute(
                update(t.outbox)
                .where(t.outbox.c.id == message_id, claimable)
                .values(claimed_until=until)
            ).rowcount
            == 1
        ]
        query = select(t.outbox).where(t.outbox.c.id.in_(taken)).order_by(t.outbox.c.id)
        return [_message(row) for row in self._conn.execute(query)]

    def get(self, message_id: int) -> MessageRow | None:
        row = self._conn.execute(select(t.outbox).where(t.outbox.c.id == message_id)).first()
        return None if row is None else _message(row)

    def mark(
        self,
        message_id: int,
        *,
        status: str,
        attempts: int,
        error: str | None,
        sent_at: datetime | None,
    ) -> None:
        self._conn.execute(
            update(t.outbox)
            .where(t.outbox.c.id == message_id)
            .values(status=status, attempts=attempts, last_error=error, sent_at=sent_at,
                    claimed_until=None)
        )  # fmt: skip
