"""Repositories over SQLAlchemy Core. They read and write; they never commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Row,
    bindparam,
    exists,
    func,
    insert,
    select,
    update,
)

from autolend.adapters.db import tables as t
from autolend.domain.access import Role
from autolend.services.ports import (
    CustomerRow,
    DealerEntry,
    NewCustomer,
    NewUser,
    SealedFields,
    UserRecord,
    WebSessionRecord,
)

PII_COLUMNS = {
    "name": "name_enc",
    "id_number": "id_number_enc",
    "phone": "phone_enc",
    "bank_account": "bank_account_enc",
    "monthly_income": "monthly_income_enc",
}


_USER_WITH_ROLES = (
    select(t.users, t.user_roles.c.role)
    .select_from(t.users.outerjoin(t.user_roles, t.user_roles.c.user_id == t.users.c.id))
    .where(t.users.c.id == bindparam("user_id"))
)
_REVOKED = select(t.revoked_tokens.c.jti).where(t.revoked_tokens.c.jti == bindparam("jti"))
_USER_FOR_TOKEN = _USER_WITH_ROLES.add_columns(
    exists().where(t.revoked_tokens.c.jti == bindparam("jti")).label("token_revoked")
)
_DEALER_NAME = select(t.dealers.c.name).where(t.dealers.c.id == bindparam("dealer_id"))
_CUSTOMER = select(t.customers).where(t.customers.c.id == bindparam("customer_id"))
_CUSTOMER_LOCK = (
    select(t.customers.c.id).where(t.customers.c.id == bindparam("customer_id")).with_for_update()
)
_CUSTOMER_BY_ID_NUMBER = select(t.customers).where(
    t.customers.c.id_number_bidx == bindparam("index")
)


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None, "insert returned no primary key"
    return int(key[0])


def _utc(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes; everything we store is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class SqlUserRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, user: NewUser) -> int:
        result = self._conn.execute(
            insert(t.users).values(
                username=user.username,
                password_hash=user.password_hash,
                display_name=user.display_name,
                dealer_id=user.dealer_id,
                is_active=True,
                failed_sign_ins=0,
                created_at=user.created_at,
                password_changed_at=user.created_at,
            )
        )
        user_id = _new_id(result)
        self._conn.execute(
            insert(t.user_roles), [{"user_id": user_id, "role": r.value} for r in user.roles]
        )
        return user_id

    def _record(self, row: Row[Any], roles: Iterable[str] | None = None) -> UserRecord:
        if roles is None:
            roles = self._conn.execute(
                select(t.user_roles.c.role).where(t.user_roles.c.user_id == row.id)
            ).scalars()
        return UserRecord(
            id=row.id,
            username=row.username,
            password_hash=row.password_hash,
            roles=tuple(sorted((Role(r) for r in roles), key=list(Role).index)),
            dealer_id=row.dealer_id,
            display_name=row.display_name,
            locale=row.locale,
            is_active=row.is_active,
            failed_sign_ins=row.failed_sign_ins,
            locked_until=_utc(row.locked_until),
        )

    def by_id(self, user_id: int) -> UserRecord | None:
        # One round trip over a statement built once: every authenticated request asks.
        rows = self._conn.execute(_USER_WITH_ROLES, {"user_id": user_id}).all()
        if not rows:
            return None
        return self._record(rows[0], [r.role for r in rows if r.role is not None])

    def for_token(self, user_id: int, jti: str) -> tuple[UserRecord | None, bool]:
        # The user, roles and the token's revocation in one round trip: every request
        # with a bearer token asks.
        rows = self._conn.execute(_USER_FOR_TOKEN, {"user_id": user_id, "jti": jti}).all()
        if not rows:
            return None, False
        user = self._record(rows[0], [r.role for r in rows if r.role is not None])
        return user, bool(rows[0].token_revoked)

    def by_username(self, username: str, *, for_update: bool = False) -> UserRecord | None:
        query = select(t.users).where(t.users.c.username == username)
        if for_update:
            query = query.with_for_update()
        row = self._conn.execute(query).first()
        return None if row is None else self._record(row)

    def list_all(self) -> list[UserRecord]:
        rows = self._conn.execute(select(t.users).order_by(t.users.c.id)).all()
        return [self._record(r) for r in rows]

    def record_failure(self, user_id: int, failed: int, locked_until: datetime | None) -> None:
        self._conn.execute(
            update(t.users)
            .where(t.users.c.id == user_id)
            .values(failed_sign_ins=failed, locked_until=locked_until)
        )

    def record_success(self, user_id: int) -> None:
        self._conn.execute(
            update(t.users)
            .where(t.users.c.id == user_id)
            .values(failed_sign_ins=0, locked_until=None)
        )

    def set_active(self, user_id: int, active: bool) -> None:
        self._conn.execute(update(t.users).where(t.users.c.id == user_id).values(is_active=active))

    def set_password(self, user_id: int, password_hash: str, at: datetime) -> None:
        self._conn.execute(
            update(t.users)
            .where(t.users.c.id == user_id)
            .values(password_hash=password_hash, password_changed_at=at)
        )

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(t.users)).scalar_one())


class SqlTokenRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def revoke(self, jti: str, user_id: int, expires_at: datetime) -> None:
        if not self.is_revoked(jti):
            self._conn.execute(
                insert(t.revoked_tokens).values(jti=jti, user_id=user_id, expires_at=expires_at)
            )

    def is_revoked(self, jti: str) -> bool:
        return self._conn.execute(_REVOKED, {"jti": jti}).first() is not None


class SqlSessionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, id_hash: str, record: WebSessionRecord, created_at: datetime) -> None:
        self._conn.execute(
            insert(t.web_sessions).values(
                id_hash=id_hash,
                user_id=record.user_id,
                csrf_token=record.csrf_token,
                created_at=created_at,
                expires_at=record.expires_at,
            )
        )

    def get(self, id_hash: str) -> WebSessionRecord | None:
        row = self._conn.execute(
            select(t.web_sessions).where(t.web_sessions.c.id_hash == id_hash)
        ).first()
        if row is None:
            return None
        expires_at = _utc(row.expires_at)
        assert expires_at is not None
        return WebSessionRecord(
            user_id=row.user_id,
            csrf_token=row.csrf_token,
            expires_at=expires_at,
            revoked_at=_utc(row.revoked_at),
        )

    def revoke(self, id_hash: str, at: datetime) -> None:
        self._conn.execute(
            update(t.web_sessions).where(t.web_sessions.c.id_hash == id_hash).values(revoked_at=at)
        )


class SqlDealerRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, code: str, name: str, city: str | None, created_at: datetime) -> int:
        result = self._conn.execute(
            insert(t.dealers).values(code=code, name=name, city=city, created_at=created_at)
        )
        return _new_id(result)

    def by_code(self, code: str) -> int | None:
        return self._conn.execute(
            select(t.dealers.c.id).where(t.dealers.c.code == code)
        ).scalar_one_or_none()

    def name_of(self, dealer_id: int) -> str | None:
        return self._conn.execute(_DEALER_NAME, {"dealer_id": dealer_id}).scalar_one_or_none()

    def directory(self, limit: int) -> list[DealerEntry]:
        d = t.dealers.c
        rows = self._conn.execute(
            select(d.id, d.code, d.name, d.city).order_by(d.name, d.id).limit(limit)
        )
        return [DealerEntry(r.id, r.code, r.name, r.city) for r in rows]


class SqlCustomerRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, customer: NewCustomer) -> int:
        values: dict[str, Any] = {
            "owner_user_id": customer.owner_user_id,
            "dealer_id": customer.dealer_id,
            "key_id": customer.sealed.key_id,
            "wrapped_data_key": customer.sealed.wrapped_data_key,
            "id_number_bidx": customer.id_number_index,
            "phone_bidx": customer.phone_index,
            "bank_account_bidx": customer.bank_account_index,
            "created_by": customer.created_by,
            "created_at": customer.created_at,
            "pack": customer.pack,
        }
        for name, column in PII_COLUMNS.items():
            values[column] = customer.sealed.fields.get(name)
        result = self._conn.execute(insert(t.customers), values)
        return _new_id(result)

    def _row(self, row: Row[Any]) -> CustomerRow:
        fields = {
            name: bytes(getattr(row, column))
            for name, column in PII_COLUMNS.items()
            if getattr(row, column) is not None
        }
        created_at = _utc(row.created_at)
        assert created_at is not None
        return CustomerRow(
            id=row.id,
            id_number_index=row.id_number_bidx,
            owner_user_id=row.owner_user_id,
            dealer_id=row.dealer_id,
            sealed=SealedFields(row.key_id, bytes(row.wrapped_data_key), fields),
            created_by=row.created_by,
            created_at=created_at,
            pack=row.pack,
        )

    def by_id(self, customer_id: int) -> CustomerRow | None:
        row = self._conn.execute(_CUSTOMER, {"customer_id": customer_id}).first()
        return None if row is None else self._row(row)

    def lock(self, customer_id: int) -> None:
        self._conn.execute(_CUSTOMER_LOCK, {"customer_id": customer_id})

    def by_id_number_index(self, index: str) -> CustomerRow | None:
        row = self._conn.execute(_CUSTOMER_BY_ID_NUMBER, {"index": index}).first()
        return None if row is None else self._row(row)

    def list_reachable(
        self,
        *,
        owner_user_id: int | None,
        dealer_id: int | None,
        all_rows: bool,
        limit: int,
        offset: int = 0,
    ) -> list[CustomerRow]:
        query = select(t.customers).order_by(t.customers.c.id.desc()).limit(limit).offset(offset)
        if not all_rows:
            query = query.where(_reachable_customer(owner_user_id, dealer_id))
        return [self._row(r) for r in self._conn.execute(query).all()]

    def count_reachable(
        self, *, owner_user_id: int | None, dealer_id: int | None, all_rows: bool
    ) -> int:
        query = select(func.count()).select_from(t.customers)
        if not all_rows:
            query = query.where(_reachable_customer(owner_user_id, dealer_id))
        return int(self._conn.execute(query).scalar_one())

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(t.customers)).scalar_one())


def _reachable_customer(owner_user_id: int | None, dealer_id: int | None) -> Any:
    """The customers a borrower owns or a dealer registered (``list_reachable``)."""
    c = t.customers.c
    return (c.owner_user_id == owner_user_id) | (
        (c.dealer_id == dealer_id) & c.dealer_id.is_not(None)
    )
