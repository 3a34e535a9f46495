"""Shared steps of the origination services: reaching an application, opening its sealed
details, and moving it from one status to the next with its event (callers commit).

Who reaches an application: staff with ``application:read_all``; a dealer's users the
applications their dealer started; a borrower the ones they started. Anyone else gets
"not found", exactly as for an id that does not exist. Reading is wider for one person:
the borrower an application is for reads it, whoever filed it (:func:`is_applicant`,
:func:`readable_application`), and acts on it only where the rules above let them.
Reading the loan an application booked is a wider rule on purpose
(:func:`booking_application`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from autolend.domain.access import Actor, Permission, Role
from autolend.domain.application import ApplicationInput, parse_application
from autolend.domain.application_status import Action, ApplicationStatus, check_transition
from autolend.domain.errors import InvalidInput, NotFound, PermissionDenied
from autolend.domain.offers import Offer, offer_to_dict
from autolend.services.application_ports import (
    ApplicationFilter,
    ApplicationRow,
    ApplicationUpdate,
    NewEvent,
)
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWork

__all__ = [
    "NOT_FOUND", "booking_application", "details_of", "hold_to_counter_offer", "is_applicant",
    "may_see", "move", "offers_json", "raw_details", "reachable_application",
    "readable_application", "sealing_context",
]  # fmt: skip

NOT_FOUND = "no such application"


def sealing_context(customer_id: int) -> str:
    """An application's details open only bound to its borrower's customer record."""
    return f"application:customer:{customer_id}"


def may_see(actor: Actor, row: ApplicationRow) -> bool:
    if actor.can(Permission.APPLICATION_READ_ALL):
        return True
    if Role.DEALER in actor.roles and actor.dealer_id is not None:
        return row.channel == "dealer" and row.dealer_id == actor.dealer_id
    return row.created_by == actor.user_id


def reachable_application(
    uow: UnitOfWork, actor: Actor, application_id: int, *, for_update: bool = False
) -> ApplicationRow:
    if not actor.can(Permission.APPLICATION_READ):
        raise PermissionDenied("your role may not read applications")
    row = uow.applications.get(application_id, for_update=for_update)
    if row is None or not may_see(actor, row):
        raise NotFound(NOT_FOUND)
    return row


def is_applicant(uow: UnitOfWork, actor: Actor, row: ApplicationRow) -> bool:
    """Whether ``actor`` is the borrower the application ``row`` is for: a borrower user
    whose own customer profile is its borrower. A dealer that filed for 张伟 named the ID
    number of the profile he registered himself, so 张伟 is its applicant; another
    borrower is not, nor is a dealer's user."""
    if Role.BORROWER not in actor.roles or not actor.can(Permission.APPLICATION_READ):
        return False
    customer = uow.customers.by_id(row.customer_id)
    return customer is not None and customer.owner_user_id == actor.user_id


def readable_application(
    uow: UnitOfWork, actor: Actor, application_id: int
) -> tuple[ApplicationRow, bool]:
    """The application ``actor`` may read, and whether they read it as its applicant
    only (:func:`is_applicant`: a dealer filed it for them). Reading only: every step on
    it still asks :func:`reachable_application`. Anyone else gets "not found", as there.

    Example: dealer 1 filed application 12 for 张伟, a borrower with his own profile:
    (12, True) for 张伟, (12, False) for dealer 1's users, "not found" for 李娜."""
    if not actor.can(Permission.APPLICATION_READ):
        raise PermissionDenied("your role may not read applications")
    row = uow.applications.get(application_id)
    if row is not None and may_see(actor, row):
        return row, False
    if row is None or not is_applicant(uow, actor, row):
        raise NotFound(NOT_FOUND)
    return row, True


def booking_application(uow: UnitOfWork, actor: Actor, loan_id: int) -> int | None:
    """The id of the application loan ``loan_id`` was booked from, when ``actor`` may open
    it (:func:`may_see`, or they are its applicant: :func:`is_applicant`); None when no
    application booked it (a loan booked directly) or it is not theirs to read.

    Who reads a loan is wider on purpose (:func:`autolend.services.loans.reachable`): the
    dealer a borrower's own application names (the showroom selling the car, paid at
    disbursement) reads its loan, not the application, which did not come through it; a
    collector reads loans, no application. Example: the borrower's own application 12
    naming dealer 1 booked loan 7: for the borrower 12, for dealer 1's users None; an
    application dealer 1 filed for the borrower: 12 for every user of dealer 1 and for
    the borrower.
    """
    if not actor.can(Permission.APPLICATION_READ):
        return None
    found = uow.applications.search(ApplicationFilter(loan_id=loan_id, limit=1))
    return next(
        (row.id for row in found if may_see(actor, row) or is_applicant(uow, actor, row)), None
    )


def raw_details(cipher: PersonalDataCipher, row: ApplicationRow) -> dict[str, Any]:
    opened = cipher.open(row.sealed, context=sealing_context(row.customer_id))
    body: dict[str, Any] = json.loads(opened["details"])
    return body


def details_of(cipher: PersonalDataCipher, clock: Clock, row: ApplicationRow) -> ApplicationInput:
    """The validated application as it was filed: re-read as of its filing day, the
    lender's business day when it was created (``clock.day_of``), under the pack of its
    currency (CNY CN, USD US: a US applicant's ID is an SSN)."""
    day = clock.day_of(row.created_at)
    return parse_application(raw_details(cipher, row), as_of=day, currency=row.currency)


def offers_json(offers: Sequence[Offer], start: date) -> str:
    """The offers as stored: each with the day its loan would start (the decision's day)."""
    return json.dumps([offer_to_dict(offer) | {"start": start.isoformat()} for offer in offers])


def move(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    row: ApplicationRow,
    *,
    action: Action,
    change: ApplicationUpdate,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    automated: bool = False,
) -> None:
    """Check that ``action`` is allowed now, apply ``change`` and record the event."""
    check_transition(row.status, action)
    ApplicationStatus(change.status)
    uow.applications.update(row.id, change)
    uow.applications.add_event(NewEvent(
        row.id, action.value, row.status, change.status, actor.user_id, clock.now(),
        reason=reason, detail=None if detail is None else json.dumps(detail, sort_keys=True),
        automated=automated,
    ))  # fmt: skip


def hold_to_counter_offer(row: ApplicationRow, option: int) -> None:
    """Refuse (422 on ``option``) an offer that is not the structure an underwriter
    counter-offered (``counter_offer`` in the stored decision). Since 2026-12 such an
    application has that offer alone; one counter-offered before also listed other
    terms: 80,000.00 down over 36 months counter-offered, its 60-month option refused."""
    counter = json.loads(row.decision).get("counter_offer") if row.decision else None
    offers = {o["option"]: o for o in json.loads(row.offers or "[]")}
    if counter is None or option not in offers:
        return  # nothing to hold it to, or no such offer: accepting says so
    term, down = counter["term_months"], counter["down_payment"]
    if (offers[option]["term_months"], offers[option]["down_payment"]) != (term, down):
        raise InvalidInput(
            f"only the counter-offer can be accepted: {down} down over {term} months",
            field="option", message_zh=f"只能接受附条件审批方案：首付 {down}，期限 {term} 个月",
        )  # fmt: skip
