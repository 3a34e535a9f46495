"""Customers (borrowers as people): registering them, and reading them back safely.

Personal data (name, resident ID, mobile, bank account, monthly income) is sealed before it
reaches a repository and opened only here. Screens and API responses show it masked unless
the caller's role needs the full value (``pii:read_full``). A caller who may not reach a
customer gets "not found", exactly as for an id that does not exist.

A customer is a person of a jurisdiction (``CustomerInput.pack``: CN by default, US):
the pack says how their ID and phone are checked and stored (CN a resident ID and an
11-digit mobile; US an SSN or ITIN as its 9 digits and a phone in E.164, e.g. ``+16145550100``)
and the currency of their income. The pack's code is stored with the customer
(:func:`pack_of_customer`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from autolend.domain import masking
from autolend.domain.access import Actor, Ownership, Permission, Role, may_reach
from autolend.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from autolend.domain.identity import (
    pack_of_id_number,
    uses_taxpayer_id,
    validate_bank_account,
    validate_person_id,
    validate_phone,
)
from autolend.domain.identity_us import validate_us_tin
from autolend.domain.money import Money
from autolend.domain.regulation import pack_for
from autolend.domain.text_input import check_text
from autolend.services.application_ports import ApplicationFilter
from autolend.services.application_records import may_see
from autolend.services.application_views import summary_view
from autolend.services.audit import record_change
from autolend.services.ports import (
    Clock,
    CustomerRow,
    NewCustomer,
    PersonalDataCipher,
    UnitOfWork,
    UnitOfWorkFactory,
)

NOT_FOUND = "customer not found"
# A customer's own page lists their latest applications; a person files a handful at most.
CUSTOMER_APPLICATIONS = 50


@dataclass(frozen=True)
class CustomerInput:
    name: str
    id_number: str
    phone: str
    bank_account: str | None = None
    monthly_income: Money | None = None
    pack: str = "CN"


@dataclass(frozen=True)
class CustomerView:
    id: int
    name: str
    id_number: str
    phone: str
    bank_account: str | None
    monthly_income: str | None
    masked: bool
    dealer_id: int | None
    owner_user_id: int | None
    created_at: datetime
    currency: str = "CNY"
    # How the customer's ID is known (their pack's): a page labels "SSN or ITIN" or
    # "Resident ID" by it.
    identity_scheme: str = "resident_id"


@dataclass(frozen=True)
class CustomerPage:
    """One page of customers, newest first, and how many the reader may reach in all."""

    items: tuple[CustomerView, ...]
    total: int
    limit: int
    offset: int


def sealing_context(id_number_index: str) -> str:
    """Ciphertexts are bound to their customer through the (unique) ID blind index, which is
    known before the row id exists; a ciphertext copied to another row will not open."""
    return f"customer:{id_number_index}"


class CustomerService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, cipher: PersonalDataCipher, clock: Clock
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock

    def register(self, actor: Actor, data: CustomerInput, *, as_of: date) -> CustomerView:
        """Validate, seal and store a customer; one transaction with its audit record."""
        if not actor.can(Permission.CUSTOMER_CREATE):
            raise PermissionDenied("your role may not register customers")
        clean = _validated(data, as_of)
        id_index = self._cipher.blind_index("id_number", clean.id_number)
        self_service = actor.self_service
        with self._uow(write=True) as uow:
            if uow.customers.by_id_number_index(id_index) is not None:
                raise Conflict("a customer with this ID number already exists", field="id_number")
            if self_service and has_own_profile(uow, actor):
                raise Conflict("you already have a customer profile")
            customer_id = self._insert(uow, actor, clean, id_index, self_service)
            record_change(
                uow,
                self._clock,
                actor,
                action="customer.register",
                object_type="customer",
                object_id=customer_id,
                summary={"dealer_id": actor.dealer_id, "self_service": self_service},
            )
            row = uow.customers.by_id(customer_id)
            uow.commit()
        assert row is not None
        return self._view(actor, row)

    def _insert(
        self, uow: UnitOfWork, actor: Actor, data: CustomerInput, id_index: str, own: bool
    ) -> int:
        return insert_customer(uow, self._cipher, self._clock, actor, data, own=own)

    def get(self, actor: Actor, customer_id: int) -> CustomerView:
        if not actor.can(Permission.CUSTOMER_READ):
            raise PermissionDenied("your role may not read customers")
        with self._uow() as uow:
            row = uow.customers.by_id(customer_id)
        if row is None or not may_reach(actor, Ownership(row.owner_user_id, row.dealer_id)):
            raise NotFound(NOT_FOUND)
        return self._view(actor, row)

    def list(self, actor: Actor, limit: int = 100, offset: int = 0) -> list[CustomerView]:
        """The customers the actor may reach, newest first, ``limit`` from ``offset``."""
        reach = _reach(actor)
        with self._uow() as uow:
            rows = uow.customers.list_reachable(**reach, limit=limit, offset=offset)
        return [self._view(actor, r) for r in rows]

    def page(self, actor: Actor, limit: int = 100, offset: int = 0) -> CustomerPage:
        """:meth:`list`, and how many customers the actor may reach in all (the loans
        list's page: ``total`` 120, ``limit`` 50, ``offset`` 100 is the third page)."""
        reach = _reach(actor)
        with self._uow() as uow:
            rows = uow.customers.list_reachable(**reach, limit=limit, offset=offset)
            total = uow.customers.count_reachable(**reach)
        items = tuple(self._view(actor, r) for r in rows)
        return CustomerPage(items, total, limit, offset)

    def find_by_id_number(self, actor: Actor, id_number: str, *, pack: str = "CN") -> CustomerView:
        """Exact lookup through the blind index; the ID itself is never queried in clear.
        A US ID is looked up as stored, its 9 digits (``123-45-6788`` finds ``123456788``)."""
        if not actor.can(Permission.CUSTOMER_SEARCH):
            raise PermissionDenied("your role may not search customers")
        index = self._cipher.blind_index("id_number", _search_key(id_number, pack))
        with self._uow() as uow:
            row = uow.customers.by_id_number_index(index)
        if row is None or not may_reach(actor, Ownership(row.owner_user_id, row.dealer_id)):
            raise NotFound(NOT_FOUND)
        return self._view(actor, row)

    def applications_of(self, actor: Actor, customer_id: int) -> tuple[dict[str, Any], ...]:
        """The applications the customer filed as borrower that ``actor`` may read, newest
        first, in their list form (no personal data; ``loan_id`` once disbursed); none for a
        role that reads no applications. A customer the actor may not reach is "not found".
        Example: a servicing agent on the page of 张伟 (customer 1) reads his application
        12, disbursed as loan 7; a dealer reads only those filed through their dealer."""
        self.get(actor, customer_id)
        if not actor.can(Permission.APPLICATION_READ):
            return ()
        query = ApplicationFilter(customer_ids=(customer_id,), limit=CUSTOMER_APPLICATIONS)
        with self._uow() as uow:
            rows = uow.applications.search(query)
        return tuple(summary_view(row) for row in rows if may_see(actor, row))

    def _view(self, actor: Actor, row: CustomerRow) -> CustomerView:
        plain = self._cipher.open(row.sealed, context=sealing_context(row.id_number_index))
        full = actor.can(Permission.PII_READ_FULL) or row.owner_user_id == actor.user_id
        bank, income = plain.get("bank_account"), plain.get("monthly_income")
        pack = pack_for(pack_of_customer(row, self._cipher))
        return CustomerView(
            id=row.id,
            name=plain["name"] if full else masking.mask_name(plain["name"]),
            id_number=plain["id_number"] if full else masking.mask_id_number(plain["id_number"]),
            phone=plain["phone"] if full else masking.mask_phone(plain["phone"]),
            bank_account=(bank if full else masking.mask_bank_account(bank)) if bank else None,
            monthly_income=(income.split()[0] if full else masking.mask_income(income))
            if income
            else None,
            masked=not full,
            dealer_id=row.dealer_id,
            owner_user_id=row.owner_user_id,
            created_at=row.created_at,
            currency=pack.currency,
            identity_scheme=pack.identity_scheme,
        )


def pack_of_customer(row: CustomerRow, cipher: PersonalDataCipher) -> str:
    """The code of the customer's regulation pack, as registered. A customer registered
    before the pack was stored (migration 0020) has none: their ID's stored shape says it
    (9 digits an SSN or ITIN, so US; else a CN resident ID), opened for that only."""
    if row.pack is not None:
        return row.pack
    plain = cipher.open(row.sealed, context=sealing_context(row.id_number_index))
    return pack_of_id_number(plain["id_number"])


def _search_key(id_number: str, pack: str) -> str:
    """The ID as it is stored: CN upper-case (a final ``x`` is ``X``), US its 9 digits
    when it is a well-formed SSN or ITIN (else as typed: it finds no one)."""
    if not uses_taxpayer_id(pack):
        return id_number.strip().upper()
    try:
        return validate_us_tin(id_number)
    except InvalidInput:
        return id_number.strip()


def _reach(actor: Actor) -> dict[str, Any]:
    """Which customers ``actor`` may list: their own, their dealer's, or every one."""
    if not actor.can(Permission.CUSTOMER_READ):
        raise PermissionDenied("your role may not read customers")
    return {
        "owner_user_id": actor.user_id,
        "dealer_id": _own_dealer(actor),
        "all_rows": actor.can(Permission.CUSTOMER_READ_ALL),
    }


def has_own_profile(uow: UnitOfWork, actor: Actor) -> bool:
    """Whether a borrower's sign-in already owns a customer profile (one each)."""
    mine = uow.customers.list_reachable(
        owner_user_id=actor.user_id, dealer_id=None, all_rows=False, limit=1
    )
    return bool(mine)


def _own_dealer(actor: Actor) -> int | None:
    return actor.dealer_id if Role.DEALER in actor.roles else None


def insert_customer(
    uow: UnitOfWork,
    cipher: PersonalDataCipher,
    clock: Clock,
    actor: Actor,
    data: CustomerInput,
    *,
    own: bool,
    dealer_id: int | None = None,
) -> int:
    """Seal and insert an already validated customer (the caller audits and commits);
    ``own`` makes the signed-in borrower its owner. The customer belongs to the dealer
    ``dealer_id``, else to the signed-in dealer's own (none for other roles)."""
    id_index = cipher.blind_index("id_number", data.id_number)
    fields = {"name": data.name, "id_number": data.id_number, "phone": data.phone}
    if data.bank_account:
        fields["bank_account"] = data.bank_account
    if data.monthly_income is not None:
        income = data.monthly_income
        fields["monthly_income"] = f"{income.to_api()} {income.currency.code}"
    bank_index = (
        cipher.blind_index("bank_account", data.bank_account) if data.bank_account else None
    )
    return uow.customers.add(
        NewCustomer(
            owner_user_id=actor.user_id if own else None,
            dealer_id=dealer_id if dealer_id is not None else _own_dealer(actor),
            sealed=cipher.seal(fields, context=sealing_context(id_index)),
            id_number_index=id_index,
            phone_index=cipher.blind_index("phone", data.phone),
            bank_account_index=bank_index,
            created_by=actor.user_id,
            created_at=clock.now(),
            pack=data.pack,
        )
    )


def validated_customer(data: CustomerInput, as_of: date) -> CustomerInput:
    """The customer's fields checked and normalised (InvalidInput names the field)."""
    return _validated(data, as_of)


def _validated(data: CustomerInput, as_of: date) -> CustomerInput:
    """Checked and normalised under the customer's pack: a US customer ``John Smith``,
    ``123-45-6788``, ``6145550100`` is stored as ``123456788``, ``+16145550100``."""
    name = check_text(data.name, "name").strip()
    if not name or len(name) > 100:
        raise InvalidInput("name must have 1 to 100 characters", field="name")
    income = data.monthly_income
    if income is not None and income.is_negative():
        raise InvalidInput("monthly income cannot be negative", field="monthly_income")
    if income is not None and income.currency.code != pack_for(data.pack).currency:
        raise InvalidInput(f"monthly income is in {pack_for(data.pack).currency}",
                           field="monthly_income")  # fmt: skip
    return CustomerInput(
        name=name,
        id_number=validate_person_id(data.id_number, pack=data.pack, as_of=as_of),
        phone=validate_phone(data.phone, pack=data.pack),
        bank_account=validate_bank_account(data.bank_account) if data.bank_account else None,
        monthly_income=income,
        pack=data.pack,
    )
