"""Applications: filing one (by the borrower or a dealer for a customer), reading it back
masked, documents, withdrawing.

:meth:`ApplicationService.create` validates the body (:func:`parse_new_application`:
every problem at once is a 422 naming the JSON path, and nothing
is stored), then in one transaction registers each applicant as a customer (or reuses
the customer with the same resident ID), records the consents given with their text
version and time, seals the details (names, IDs, income, obligations, vehicle) and
stores the application as ``draft`` with its ``create`` event and an audit record.
Example: a dealer files for 张三 (new) and a guarantor already known: one new customer,
two parties, status ``draft``.

Consents: each party's personal data is processed only with the pack's filing consents
(CN data processing and sensitive data, PIPL Art. 13, 29; US data processing under the
GLBA privacy notice: :func:`check_new_application`). A dealer or the lender records the
body's consents for every party (collected in person); a borrower filing for themselves
consents for themselves only, so a co-borrower or guarantor they name must have them on
file already (else 422 naming their ``applicants[i].id_number``). Example: a borrower
names their spouse, new to the lender, as co-borrower: refused; the dealer files it: 201.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from autolend.domain.access import Actor, Permission, Role
from autolend.domain.application import (
    ApplicationInput,
    Party,
    check_document,
    parse_new_application,
)
from autolend.domain.application_status import Action, ApplicationStatus, check_transition
from autolend.domain.consent import default_expiry
from autolend.domain.errors import InvalidInput, NotFound, PermissionDenied
from autolend.domain.products import CODE, Product
from autolend.services.application_checks import (
    channel_for,
    check_others_consented,
    check_self_application,
    hard_limits,
)
from autolend.services.application_ports import (
    ApplicationFilter,
    DocumentRow,
    NewApplication,
    NewDocument,
    NewEvent,
)
from autolend.services.application_records import (
    booking_application,
    details_of,
    reachable_application,
    readable_application,
    sealing_context,
)
from autolend.services.application_views import application_view, document_view, summary_view
from autolend.services.application_withdrawal import withdraw_row
from autolend.services.audit import record_change
from autolend.services.bureau_ports import NewConsent
from autolend.services.customers import CustomerInput, insert_customer, validated_customer
from autolend.services.ports import (
    Clock,
    DealerEntry,
    PersonalDataCipher,
    UnitOfWork,
    UnitOfWorkFactory,
)
from autolend.services.products import product_of_row
from autolend.services.vehicle_financing import vin_index

__all__ = ["ApplicationService"]

FRAUD_WINDOW = timedelta(days=30)


def document_context(application_id: int, digest: str) -> str:
    return f"application_document:{application_id}:{digest}"


def product_in_force(uow: UnitOfWork, code: str, day: date) -> Product | None:
    """The version of product ``code`` in force on ``day``, if any (none for a code no
    product may have, "\x00" say, which PostgreSQL would not even compare)."""
    rows = uow.products.in_force(day, code) if CODE.match(code) else []
    return product_of_row(rows[0]) if rows else None


DEALER_CHOICES = 500


class ApplicationService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, cipher: PersonalDataCipher, clock: Clock
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock

    def create(self, actor: Actor, body: Mapping[str, Any]) -> dict[str, Any]:
        """File an application (``application:create``); see the module docstring."""
        if not actor.can(Permission.APPLICATION_CREATE):
            raise PermissionDenied("your role may not file applications")
        now = self._clock.now()
        # The body is read under the product's pack: its currency, the identity check
        # and the phone format (CN resident ID and mobile, US SSN / ITIN and +1 phone).
        pack, currency = self._reading(body)
        data = parse_new_application(body, as_of=self._clock.day_of(now), pack=pack,
                                     currency=currency)  # fmt: skip
        channel_for(actor, data)
        with self._uow(write=True) as uow:
            product = self._check_references(uow, actor, data)
            customers = [self._customer(uow, actor, data, party) for party in data.parties]
            # The borrower need not come first in ``applicants``: the application (and the
            # bureau query of its decision) is theirs wherever they are listed.
            borrower = customers[data.parties.index(data.borrower)]
            application_id = self._insert(uow, actor, data, body, borrower)
            for position, (party, customer_id) in enumerate(
                zip(data.parties, customers, strict=True)
            ):
                uow.applications.add_party(application_id, position, customer_id, party.role.value)
                if party is data.borrower or not actor.self_service:
                    # A borrower consents for themselves only: a co-borrower's or a
                    # guarantor's consent is theirs to give (a dealer collects it in person).
                    self._consents(uow, actor, data, customer_id)
            uow.applications.add_event(
                NewEvent(application_id, "create", None, "draft", actor.user_id, now)
            )
            record_change(uow, self._clock, actor, action="application.create",
                          object_type="application", object_id=application_id,
                          summary={"channel": data.channel.value, "product": data.product_code,
                                   "parties": len(data.parties)})  # fmt: skip
            row = uow.applications.get(application_id)
            assert row is not None
            events = uow.applications.events(application_id)
            view = application_view(actor, row, data, events, [], product=product)
            uow.commit()
        return view

    def _reading(self, body: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """The pack and currency of the product the body names, in force today. With none
        such, the body is read under the pack every product in force shares (a US lender's:
        not CN's resident ID), else CN (None, None), and :meth:`_check_references` refuses
        the product after the body's own problems."""
        code = body.get("product_code") if isinstance(body, Mapping) else None
        code, day = (code.strip() if isinstance(code, str) else ""), self._clock.today()
        with self._uow() as uow:
            named = product_in_force(uow, code, day) if code else None
            found = [named] if named else [product_of_row(r) for r in uow.products.in_force(day)]
        packs = {(p.pack, p.currency) for p in found}
        return packs.pop() if len(packs) == 1 else (None, None)

    def _check_references(self, uow: UnitOfWork, actor: Actor, data: ApplicationInput) -> Product:
        """The product (returned) and the dealer exist, and (a borrower filing for
        themselves) the other parties have consented on their own."""
        if actor.self_service:
            check_others_consented(uow, self._cipher, data, self._clock.now())
        day = self._clock.today()
        product = product_in_force(uow, data.product_code, day)
        if product is None:
            raise InvalidInput(f"no product {data.product_code!r} in force", field="product_code")
        hard_limits(product, data, day)
        dealer = data.vehicle.dealer_id
        if dealer is not None and uow.dealers.name_of(dealer) is None:
            raise InvalidInput("no such dealer", field="vehicle.dealer_id")
        return product

    def _customer(self, uow: UnitOfWork, actor: Actor, data: ApplicationInput, party: Party) -> int:
        index = self._cipher.blind_index("id_number", party.id_number)
        known = uow.customers.by_id_number_index(index)
        own = actor.self_service and party is data.borrower
        if own:
            check_self_application(uow, actor, data, known)
        if known is not None:
            return known.id
        clean = validated_customer(
            CustomerInput(
                party.name, party.id_number, party.mobile, None, party.monthly_income, data.pack
            ),
            self._clock.today(),
        )
        return insert_customer(uow, self._cipher, self._clock, actor, clean, own=own)

    def _consents(
        self, uow: UnitOfWork, actor: Actor, data: ApplicationInput, customer: int
    ) -> None:
        now = self._clock.now()
        uow.consents.add_all(
            [
                NewConsent(
                    customer,
                    consent.kind.value,
                    consent.text_version,
                    now,
                    default_expiry(consent.kind, now),
                    actor.user_id,
                )
                for consent in data.consents
            ]
        )

    def _insert(
        self,
        uow: UnitOfWork,
        actor: Actor,
        data: ApplicationInput,
        body: Mapping[str, Any],
        customer_id: int,
    ) -> int:
        borrower = data.borrower
        dealer = actor.dealer_id if Role.DEALER in actor.roles else data.vehicle.dealer_id
        sealed = self._cipher.seal(
            {"details": json.dumps(_as_filed(body), ensure_ascii=False, default=str)},
            context=sealing_context(customer_id),
        )
        return uow.applications.add(
            NewApplication(
                status=ApplicationStatus.DRAFT.value,
                channel=data.channel.value,
                product_code=data.product_code,
                dealer_id=dealer,
                customer_id=customer_id,
                currency=data.vehicle.price.currency.code,
                amount_minor=data.financed.minor,
                price_minor=data.vehicle.price.minor,
                term_months=data.term_months,
                id_number_bidx=self._cipher.blind_index("id_number", borrower.id_number),
                phone_bidx=self._cipher.blind_index("phone", borrower.mobile),
                vin_bidx=vin_index(self._cipher, data.vehicle.vin),
                sealed=sealed,
                created_by=actor.user_id,
                created_at=self._clock.now(),
            )
        )

    def get(self, actor: Actor, application_id: int) -> dict[str, Any]:
        with self._uow() as uow:
            row, applicant = readable_application(uow, actor, application_id)
            events = uow.applications.events(row.id)
            documents = uow.applications.documents(row.id)
            product = product_in_force(uow, row.product_code, self._clock.day_of(row.created_at))
        data = details_of(self._cipher, self._clock, row)
        return application_view(actor, row, data, events, documents, product=product,
                                applicant=applicant)  # fmt: skip

    def booked_from(self, actor: Actor, loan_id: int) -> int | None:
        """The application loan ``loan_id`` was booked from, if ``actor`` may open it
        (:func:`~autolend.services.application_records.booking_application`)."""
        with self._uow() as uow:
            return booking_application(uow, actor, loan_id)

    def search(
        self, actor: Actor, *, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Applications the caller may see (a dealer: its own), newest filed first: by
        when they were filed, the later id first on a tie (a submission, an acceptance
        or a signature does not move an older application up the list)."""
        query = _scope(actor, status, max(1, min(limit, 200)), max(0, offset))
        with self._uow() as uow:
            rows = uow.applications.search(query)
        return [summary_view(row) for row in rows]

    def page(
        self, actor: Actor, *, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        """A page of :meth:`search` with ``total``, how many match on every page together
        (as the loans and customers lists): ``{"items": [...], "total": 120, "limit": 50,
        "offset": 100}`` is the last page of 120; both read in one transaction."""
        query = _scope(actor, status, max(1, min(limit, 200)), max(0, offset))
        with self._uow() as uow:
            rows = uow.applications.search(query)
            total = sum(uow.applications.count_by_status(query).values())
        items = [summary_view(row) for row in rows]
        return {"items": items, "total": total, "limit": query.limit, "offset": query.offset}

    def dealers(self, actor: Actor) -> list[DealerEntry]:
        """The dealers an applicant may name (by name; at most 500 on a form)."""
        if not actor.can(Permission.APPLICATION_CREATE):
            raise PermissionDenied("your role may not file applications")
        with self._uow() as uow:
            return uow.dealers.directory(DEALER_CHOICES)

    def status_counts(self, actor: Actor) -> dict[str, int]:
        """How many of the applications the caller may see are in each status, e.g.
        ``{"referred": 3, "approved": 5}`` (statuses with none are left out)."""
        with self._uow() as uow:
            return uow.applications.count_by_status(_scope(actor, None, 1, 0))

    def add_document(
        self, actor: Actor, application_id: int, *, kind: str, content_type: str, content: bytes
    ) -> dict[str, Any]:
        """Store an uploaded document (type and size checked, bytes sealed)."""
        if not actor.can(Permission.APPLICATION_CREATE):
            raise PermissionDenied("your role may not add documents")
        checked = check_document(kind, content_type, len(content), content[:16])
        digest = hashlib.sha256(content).hexdigest()
        with self._uow(write=True) as uow:
            row = reachable_application(uow, actor, application_id, for_update=True)
            check_transition(row.status, Action.UPLOAD)
            text = base64.b64encode(content).decode("ascii")
            sealed = self._cipher.seal({"content": text}, context=document_context(row.id, digest))
            declared = content_type.split(";", 1)[0].strip().lower()
            new = NewDocument(
                row.id,
                checked.value,
                declared,
                len(content),
                digest,
                sealed,
                actor.user_id,
                self._clock.now(),
            )
            document_id = uow.applications.add_document(new)
            record_change(
                uow,
                self._clock,
                actor,
                action="application.document",
                object_type="application",
                object_id=row.id,
                summary={"document_id": document_id, "kind": checked.value, "sha256": digest},
            )
            [doc] = [d for d in uow.applications.documents(row.id) if d.id == document_id]
            uow.commit()
        return document_view(doc)

    def document(
        self, actor: Actor, application_id: int, document_id: int
    ) -> tuple[DocumentRow, bytes]:
        with self._uow() as uow:
            row = readable_application(uow, actor, application_id)[0]
            found = uow.applications.document_content(document_id)
        if found is None or found[0].application_id != row.id:
            raise NotFound("no such document")
        doc, sealed = found
        opened = self._cipher.open(sealed, context=document_context(row.id, doc.sha256))
        return doc, base64.b64decode(opened["content"])

    def withdraw(self, actor: Actor, application_id: int, reason: str) -> dict[str, Any]:
        """The applicant (or their dealer) withdraws until the loan is paid out; after
        acceptance the booked loan is cancelled and the contract withdrawn with it
        (:mod:`autolend.services.application_withdrawal`)."""
        if not actor.can(Permission.APPLICATION_CREATE):
            raise PermissionDenied("your role may not withdraw applications",
                                   message_zh="您的角色不能撤回申请")  # fmt: skip
        with self._uow(write=True) as uow:
            row = reachable_application(uow, actor, application_id, for_update=True)
            withdraw_row(uow, self._clock, actor, row, reason)
            uow.commit()
        return self.get(actor, application_id)


def _as_filed(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The body as stored: an applicant's ``birth_date`` left null (the API model's
    default; a CN applicant's is read from the ID) is left out, so a CN application's
    details are stored as they always were."""
    applicants = body.get("applicants")
    if not isinstance(applicants, list):
        return body
    kept = [
        {k: v for k, v in item.items() if not (k == "birth_date" and v is None)}
        if isinstance(item, Mapping) else item
        for item in applicants
    ]  # fmt: skip
    return {**body, "applicants": kept}


def _bad_status(status: str) -> None:
    known = ", ".join(s.value for s in ApplicationStatus)
    raise InvalidInput(f"unknown status {status!r}; known: {known}", field="status")


def _scope(actor: Actor, status: str | None, limit: int, offset: int) -> ApplicationFilter:
    """The applications ``actor`` may read (as :func:`may_see` decides for one): all, the
    ones filed through a dealer's own dealer, else the ones the actor filed; refuses an
    unknown status and a role that reads none. A borrower's own application naming the
    dealer is not the dealer's to read."""
    if not actor.can(Permission.APPLICATION_READ):
        raise PermissionDenied("your role may not read applications")
    if status is not None and status not in set(ApplicationStatus):
        _bad_status(status)
    page = ApplicationFilter(status=status, limit=limit, offset=offset)
    if actor.can(Permission.APPLICATION_READ_ALL):
        return page
    if Role.DEALER in actor.roles and actor.dealer_id is not None:
        return replace(page, dealer_id=actor.dealer_id, channel="dealer")
    return replace(page, created_by=actor.user_id)
