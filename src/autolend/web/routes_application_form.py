"""The application pages a caller starts from: the list of their applications (a dealer:
its dealer's) and the application form (a dealer for a customer, or the borrower), under
the chosen product's regulation pack (CN: resident ID, mobile, one address line and
PIPL's consents; US: SSN or ITIN, date of birth, US phone, street, city, state and ZIP,
and the FCRA authorization and GLBA privacy-notice consent). A problem shows the form
again as typed, the field marked; a filed application opens on its own page
(:mod:`autolend.web.routes_applications`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from autolend.domain.access import Actor, Permission, Role
from autolend.domain.errors import InvalidInput
from autolend.web.application_form import (
    CONSENT_VERSION,
    EMPLOYMENTS,
    PARTY_SLOTS,
    application_body,
    channel_for,
    form_consents,
    form_pack,
    form_path,
    form_terms,
    own_details,
    state_choices,
    unfolded_slots,
)
from autolend.web.deps import (
    CsrfCheckedDep,
    PageForbidden,
    SignedIn,
    WebState,
    WebStateDep,
    form_fields,
)
from autolend.web.loan_views import product_names
from autolend.web.paging import PAGE_SIZE, offset_of, page_number, uncounted_page
from autolend.web.problem_text import problem_of
from autolend.web.routes_applications import NAV, STATUSES, Applicant, Reader

router = APIRouter(include_in_schema=False)


@router.get("/applications")
def applications(
    request: Request, state: WebStateDep, signed: Reader, status: str | None = None,
    page: str | None = None,
) -> Response:  # fmt: skip
    """The caller's applications (a dealer: its dealer's), newest first, a page at a time
    (one row more is read to know whether a next page exists)."""
    chosen, number = (status if status in STATUSES else None), page_number(page)
    rows = state.services.applications.search(
        signed.actor, status=chosen, limit=PAGE_SIZE + 1, offset=offset_of(number, PAGE_SIZE)
    )
    shown, pager = uncounted_page(rows, number, PAGE_SIZE, "/applications",
                                  {"status": chosen or ""})  # fmt: skip
    names = product_names(state.services, signed.actor, state.renderer.locale_of(request))
    context = {"rows": shown, "pager": pager, "statuses": STATUSES, "chosen": chosen,
               "may_apply": signed.actor.can(Permission.APPLICATION_CREATE),
               "product_names": names, **NAV}  # fmt: skip
    return state.renderer.render(request, "applications.html", context, signed=signed)


def _dealers(state: WebState, actor: Actor) -> list[tuple[str, str]]:
    if Role.DEALER in actor.roles:
        return []  # a dealer files for its own
    listed = state.services.applications.dealers(actor)
    return [(str(d.id), f"{d.name} · {d.city}" if d.city else d.name) for d in listed]


def _form(
    request: Request,
    state: WebState,
    signed: SignedIn,
    values: dict[str, str],
    error: dict[str, Any] | None = None,
) -> Response:
    """The form under the chosen product's pack, else the lender's (see ``form_pack``);
    a first visit (``values`` without an energy) offers the pack's usual energy first."""
    actor = signed.actor
    products = state.services.products.active(actor)
    pack = form_pack(products, values.get("product_code"), state.settings.jurisdiction)
    today = state.services.clock.today()
    terms = form_terms(pack, products, values.get("product_code"), today)
    look = pack.form_look
    values = {"vehicle.energy": look.energy} | values
    shown, on_file = own_details(actor, state.services.customers, values)
    context = {
        "products": products, "own_profile": on_file, "look": look,
        "application_pack": pack.code, "taxpayer_id": pack.uses_taxpayer_id,
        "consumer_report": pack.credit_reporting == "fcra",
        "separate_consent": "sensitive_data" in pack.filing_consents,
        "us_states": state_choices(state.renderer.locale_of(request)),
        "unfolded": frozenset[int]().union(*(unfolded_slots(values, f) for f in _wrong(error))),
        "values": shown, "error": error, "slots": PARTY_SLOTS, "employments": EMPLOYMENTS,
        "terms": terms, "all_terms": form_terms(pack, products, None, today),
        "product_terms": {p.code: " ".join(str(t) for t in p.terms) for p in products},
        "consent_kinds": form_consents(pack), "consent_version": CONSENT_VERSION,
        "is_dealer": Role.DEALER in actor.roles, "dealers": _dealers(state, actor),
        "choose_channel": Role.DEALER not in actor.roles and not actor.self_service,
        **NAV,
    }  # fmt: skip
    status = 422 if error else 200
    return state.renderer.render(
        request, "application_form.html", context, signed=signed, status=status
    )


def _shown(error: InvalidInput, slots: tuple[int, ...]) -> dict[str, Any]:
    """What the form shows of a refusal: the first wrong field (the banner's link), and
    every wrong field by its input (``fields``: the service names them all at once)."""
    every = [problem_of(e, action="create") | {"field": form_path(e.field, slots)}
             for e in error.every()]  # fmt: skip
    by_input: dict[str, dict[str, Any]] = {}
    for problem in every:
        by_input.setdefault(problem["field"], problem)  # the first said of an input
    return every[0] | {"fields": by_input}


def _wrong(error: dict[str, Any] | None) -> list[str | None]:
    """The inputs a refusal names (one None: no refusal)."""
    if error is None:
        return [None]
    return list(error.get("fields") or [error["field"]])


@router.get("/applications/new")
def new_application(
    request: Request, state: WebStateDep, signed: Applicant, product: str | None = None
) -> Response:
    """A blank form; ``?product=CODE`` chooses the product, and with it the form's pack."""
    defaults = {"term_months": "36", "vehicle.condition": "new"}
    chosen = {"product_code": product[:40]} if product else {}
    return _form(request, state, signed, defaults | chosen)


@router.post("/applications/new")
async def file_application(
    request: Request, state: WebStateDep, signed: CsrfCheckedDep
) -> Response:
    """File the form; a problem shows the form again, as typed, with the field marked."""
    actor = signed.actor
    if not actor.can(Permission.APPLICATION_CREATE):
        raise PageForbidden(Permission.APPLICATION_CREATE.value)
    fields = await form_fields(request)
    fields.pop("csrf_token", None)
    dealer = actor.dealer_id if Role.DEALER in actor.roles else None
    slots: tuple[int, ...] = ()  # none yet: a misplaced separator names the form's own path
    # The pack the form is shown again under, so a refusal marks the inputs it shows.
    pack = form_pack(state.services.products.active(actor), fields.get("product_code"),
                     state.settings.jurisdiction)  # fmt: skip
    try:
        body, slots = application_body(fields, channel=channel_for(actor, fields),
                                       dealer_id=dealer,
                                       postal_address=pack.form_look.postal_address)  # fmt: skip
        made = state.services.applications.create(actor, body)
    except InvalidInput as error:
        return _form(request, state, signed, fields, _shown(error, slots))
    return RedirectResponse(f"/applications/{made['id']}?done=created", status_code=303)
