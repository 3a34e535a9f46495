"""The pages of a signed-in user: home, customers, audit trail and users.

Every page checks the permission its navigation entry needs (403 page otherwise); a customer
the actor may not reach answers the 404 page, exactly like an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from autolend.domain.access import Actor, Permission
from autolend.domain.audit import ChainReport
from autolend.domain.errors import NotFound, PermissionDenied
from autolend.domain.regulation import pack_for
from autolend.services.customers import CustomerView
from autolend.services.eod import may_read_runs
from autolend.services.portfolio import may_read_portfolio
from autolend.services.ports import UserRecord
from autolend.web.deps import (
    CsrfCheckedDep,
    PageForbidden,
    PageNotFound,
    SignedIn,
    SignedInDep,
    WebStateDep,
    is_htmx,
    needs,
)
from autolend.web.home_view import home_chart, outside_user
from autolend.web.loan_views import dpd_level, loan_rows, product_names
from autolend.web.paging import PAGE_SIZE, Pager, offset_of, page_number, uncounted_page
from autolend.web.permission_names import permission_rows
from autolend.web.render import own_records_only

router = APIRouter(include_in_schema=False)
MAX_ID = 2**63 - 1
# No ID scheme has IDs longer than this: a longer search is cut, and finds no one.
MAX_ID_NUMBER = 64
AUDIT_PAGE_SIZE = 50

CustomerReader = Annotated[SignedIn, Depends(needs(Permission.CUSTOMER_READ))]
AuditReader = Annotated[SignedIn, Depends(needs(Permission.AUDIT_READ))]
UserReader = Annotated[SignedIn, Depends(needs(Permission.USER_READ))]


@dataclass(frozen=True)
class UserRow:
    """A user as the users page shows it: the record and ``active``/``locked``/``disabled``."""

    user: UserRecord
    status: str


def user_status(user: UserRecord, now: datetime) -> str:
    """``disabled``, ``locked`` (a lock-out still running) or ``active``."""
    if not user.is_active:
        return "disabled"
    until = user.locked_until
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    if until is not None and until > now:
        return "locked"
    return "active"


@router.get("/")
def home(request: Request, state: WebStateDep, signed: SignedInDep) -> Response:
    """Greeting, roles, shortcuts and the chart of the actor's own work
    (:mod:`autolend.web.home_view`)."""
    locale = state.renderer.locale_of(request)
    gettext = state.renderer.gettext(locale)
    chart = home_chart(signed.actor, state.services, gettext)
    borrower = own_records_only(signed.actor)
    context = {
        "chart_kind": chart.kind,
        "chart_option": chart.option,
        "chart_facts": chart.facts,
        # A borrower's own loans come first: what is due next, and whether anything is late.
        "my_loans": loan_rows(state.services, signed.actor, "active")[0] if borrower else [],
        "product_names": product_names(state.services, signed.actor, locale) if borrower else {},
        "dpd_level": dpd_level,
        # What their roles grant helps staff, in words (the code kept for the title); to
        # a borrower or a dealer (outside the lender) it is noise.
        "permissions": []
        if outside_user(signed.actor)
        else permission_rows(signed.actor.permissions, gettext),
    }
    return state.renderer.render(request, "home.html", context, signed=signed)


@router.get("/customers")
def customers(
    request: Request,
    state: WebStateDep,
    signed: CustomerReader,
    page: str | None = None,
    id_number: str | None = None,
) -> Response:
    """The customers the actor may reach, masked by the service as their role requires,
    newest first, a page at a time (one row more is read to know whether more follow);
    ``id_number`` (staff who may search) narrows them to the one with that ID."""
    number = page_number(page)
    wanted = (id_number or "").strip()[:MAX_ID_NUMBER]
    searching = bool(wanted) and signed.actor.can(Permission.CUSTOMER_SEARCH)
    try:
        if searching:
            rows = _found(state, signed.actor, wanted)
            number = 1
        else:
            rows = state.services.customers.list(
                signed.actor, PAGE_SIZE + 1, offset_of(number, PAGE_SIZE)
            )
    except PermissionDenied as error:
        raise PageForbidden(error.message) from None
    shown, pager = uncounted_page(rows, number, PAGE_SIZE, "/customers")
    scheme = _id_scheme(shown, state.settings.jurisdiction)
    context = {"customers": shown, "pager": pager, "id_scheme": scheme,
               "may_search": signed.actor.can(Permission.CUSTOMER_SEARCH),
               "searched": wanted if searching else None}  # fmt: skip
    return state.renderer.render(request, "customers.html", context, signed=signed)


def _found(state: WebStateDep, actor: Actor, id_number: str) -> list[CustomerView]:
    """The customer whose ID is ``id_number`` as the lender's pack writes it (a CN resident
    ID with a final ``x`` or ``X``, a US SSN with or without dashes), or none."""
    try:
        pack = state.settings.jurisdiction
        return [state.services.customers.find_by_id_number(actor, id_number, pack=pack)]
    except NotFound:
        return []


def _id_scheme(customers: Sequence[CustomerView], jurisdiction: str) -> str:
    """What the ID column is headed by: the identity scheme of the customers shown when
    they share one (a US lender's are SSNs or ITINs), else the lender's jurisdiction's."""
    schemes = {customer.identity_scheme for customer in customers}
    return schemes.pop() if len(schemes) == 1 else pack_for(jurisdiction).identity_scheme


def _customer_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise PageNotFound("not a customer id")
    return int(text)


@router.get("/customers/{customer_id}")
def customer(
    customer_id: str, request: Request, state: WebStateDep, signed: CustomerReader
) -> Response:
    """One customer, what they applied for and their loans; one the actor may not reach
    is "not found", never "forbidden"."""
    actor = signed.actor
    try:
        view = state.services.customers.get(actor, _customer_id(customer_id))
        filed = state.services.customers.applications_of(actor, view.id)
        loans = state.services.loans.of_customer(actor, view.id)
    except NotFound:
        raise PageNotFound("customer not found") from None
    except PermissionDenied as error:
        raise PageForbidden(error.message) from None
    locale = state.renderer.locale_of(request)
    context = {
        "customer": view,
        # Staff go from a customer to what they applied for and the loans it became.
        "applications": filed,
        "may_read_applications": actor.can(Permission.APPLICATION_READ),
        # And to the loans no application shown became (booked by the loan API or the
        # command line, migrated): each loan is on the page once.
        "loans": _not_through(loans, filed),
        "may_read_loans": actor.can(Permission.LOAN_READ),
        # A borrower on their own page is spoken to, not about.
        "own_profile": view.owner_user_id == actor.user_id,
        "may_apply": actor.can(Permission.APPLICATION_CREATE),
        "product_names": product_names(state.services, actor, locale),
    }
    return state.renderer.render(request, "customer.html", context, signed=signed)


def _not_through(
    loans: Sequence[dict[str, Any]], applications: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The ``loans`` that none of ``applications`` became: loan 7 of application 12 is
    in that application's row already."""
    listed = {application.get("loan_id") for application in applications}
    return [loan for loan in loans if loan["id"] not in listed]


@router.get("/audit")
def audit(
    request: Request, state: WebStateDep, signed: AuditReader, page: str | None = None
) -> Response:
    """The audit records, newest first, a page at a time (an auditor reads back as far as
    the trail goes), and the chain verification button."""
    context = _audit_page(state, signed.actor, page_number(page), None)
    context["may_verify"] = signed.actor.can(Permission.AUDIT_VERIFY)
    return state.renderer.render(request, "audit.html", context, signed=signed)


# Who may open the page of each kind of audited object: an auditor who reads every loan
# follows "Loan no. 12" to /loans/12; an administrator, who reads none, sees it unlinked.
# Only a permission over every object of its kind links: one narrower (a dealer's own
# loans) would link to pages that answer "not found".
_OBJECT_PAGES: dict[str, Callable[[Actor], bool]] = {
    "loan": lambda actor: actor.can(Permission.LOAN_READ_ALL),
    "application": lambda actor: actor.can(Permission.APPLICATION_READ_ALL),
    "customer": lambda actor: actor.can(Permission.CUSTOMER_READ_ALL),
    "portfolio": may_read_portfolio,
    "eod_run": may_read_runs,
    "model": lambda actor: actor.can(Permission.MODEL_READ),
}


def _audit_page(
    state: WebStateDep, actor: Actor, number: int, report: ChainReport | None
) -> dict[str, Any]:
    """Page ``number`` of the audit records with its pager, a verification report, and
    the kinds of object whose page the reader may open (an object is linked to it)."""
    offset = offset_of(number, AUDIT_PAGE_SIZE)
    records, total = state.services.audit.page(AUDIT_PAGE_SIZE, offset)
    pager = Pager(number, AUDIT_PAGE_SIZE, len(records), total, "/audit")
    linked = sorted(kind for kind, may_open in _OBJECT_PAGES.items() if may_open(actor))
    return {"records": records, "pager": pager, "report": report, "linked": linked}


@router.post("/audit/verify")
def audit_verify(request: Request, state: WebStateDep, signed: CsrfCheckedDep) -> Response:
    """Recompute the hash chain; HTMX gets the result fragment, a plain form the whole page."""
    if not signed.actor.can(Permission.AUDIT_VERIFY):
        raise PageForbidden(Permission.AUDIT_VERIFY.value)
    report = state.services.audit.verify()
    if is_htmx(request):
        return state.renderer.render(
            request, "_verify_result.html", {"report": report}, signed=signed
        )
    context = _audit_page(state, signed.actor, 1, report) | {"may_verify": True}
    return state.renderer.render(request, "audit.html", context, signed=signed)


@router.get("/users")
def users(request: Request, state: WebStateDep, signed: UserReader) -> Response:
    """Every user with roles and state (administrators)."""
    try:
        rows = state.services.users.list(signed.actor)
    except PermissionDenied as error:
        raise PageForbidden(error.message) from None
    now = state.services.clock.now()
    shown = [UserRow(user, user_status(user, now)) for user in rows]
    # A dealer user works for a dealership: its name says which, its number did not.
    dealers = state.services.users.dealer_names(signed.actor, rows)
    context = {"users": shown, "dealer_names": dealers}
    return state.renderer.render(request, "users.html", context, signed=signed)
