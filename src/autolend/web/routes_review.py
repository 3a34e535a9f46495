"""Manual review (人工审核): the queue of referred cases and approvals waiting for a second
person, oldest first, and the underwriter's forms on the application page.

``/review`` needs ``application:review``. An underwriter approves, declines or
counter-offers (another down payment and / or term) with a reason; a rate may be given in
percent a year (``5.5`` means 5.5%, sent to the service as ``0.055``). An approval above
the policy's limit, or at a rate below the one the decision priced (a rate override), waits
in ``pending_second`` for another underwriter: the service refuses the same person, and the
page shows its message. The queue and the second person's form say what a rate override
gives away: "Rate override: 5.49% instead of 6.99%".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from autolend.domain.access import Permission
from autolend.domain.errors import InvalidInput
from autolend.web.counter_offer import typed_amount
from autolend.web.deps import (
    CsrfCheckedDep,
    PageForbidden,
    SignedIn,
    WebStateDep,
    form_fields,
    needs,
)
from autolend.web.loan_views import product_names
from autolend.web.paging import PAGE_SIZE, Pager, offset_of, page_number
from autolend.web.routes_applications import after, application_id_of

router = APIRouter(include_in_schema=False)
Reviewer = Annotated[SignedIn, Depends(needs(Permission.APPLICATION_REVIEW))]


@router.get("/review")
def review_queue(
    request: Request, state: WebStateDep, signed: Reviewer, page: str | None = None
) -> Response:
    """Referred cases and approvals waiting for a second person, the longest waiting
    first, a page at a time."""
    locale = state.renderer.locale_of(request)
    zh = locale.startswith("zh")
    number = page_number(page)
    queue = state.services.review.queue(
        signed.actor, limit=PAGE_SIZE, offset=offset_of(number, PAGE_SIZE)
    )
    items = [
        item | {"shown_reasons": item["reasons_zh"] if zh else item["reasons"]}
        for item in queue["items"]
    ]
    pager = Pager(number, PAGE_SIZE, len(items), queue["total"], "/review")
    context = {"items": items, "pager": pager, "waiting": queue["waiting"],
               "nav_section": "review",
               "product_names": product_names(state.services, signed.actor, locale)}  # fmt: skip
    return state.renderer.render(request, "review_queue.html", context, signed=signed)


def rate_fraction(text: str) -> str | None:
    """A rate typed in percent as the service's fraction: ``"5.5"`` -> ``"0.055"``; text
    that is not a number goes as typed, for the service to name. More than 2 decimal
    places is refused (422 on ``annual_rate``): 4.999 would be stored so but shown and
    put in the contract as 5.00 %.

    >>> rate_fraction("5.5"), rate_fraction(""), rate_fraction("abc"), rate_fraction("5.490")
    ('0.055', None, 'abc', '0.0549')
    >>> rate_fraction("4.999")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: the rate has at most 2 decimal places, such as 5.49
    """
    if not text:
        return None
    try:
        percent = Decimal(text)
    except InvalidOperation:
        return text
    places = percent.normalize().as_tuple().exponent if percent.is_finite() else 0
    if isinstance(places, int) and places < -2:
        raise InvalidInput("the rate has at most 2 decimal places, such as 5.49",
                           field="annual_rate",
                           message_zh="利率最多保留两位小数，例如 5.49")  # fmt: skip
    return str(percent / 100) if percent.is_finite() else text


def review_body(fields: dict[str, str]) -> dict[str, Any]:
    term = fields.get("term_months", "")
    return {
        "action": fields.get("action", ""),
        "reason": fields.get("reason", ""),
        "annual_rate": rate_fraction(fields.get("annual_rate", "")),
        # As typed on a form: 80,000 or ８０，０００ (the JSON API keeps its strict format).
        "down_payment": typed_amount(fields.get("down_payment")) or None,
        "term_months": int(term) if term.isascii() and term.isdigit() else (term or None),
    }


def _kept(fields: dict[str, str]) -> dict[str, str]:
    """What a review form held, to fill it in again when the service refuses it."""
    return {name: value for name, value in fields.items() if name != "csrf_token"}


@router.post("/applications/{application_id}/review")
async def review(application_id: str, request: Request, state: WebStateDep,
                 signed: CsrfCheckedDep) -> Response:  # fmt: skip
    """Approve, decline or counter-offer a referred case, with a reason."""
    if not signed.actor.can(Permission.APPLICATION_REVIEW):
        raise PageForbidden(Permission.APPLICATION_REVIEW.value)
    app_id = application_id_of(application_id)
    fields = await form_fields(request)
    run = lambda: state.services.review.review(signed.actor, app_id, review_body(fields))  # noqa: E731
    return after(request, state, signed, app_id, action="reviewed", run=run,
                 typed=_kept(fields))  # fmt: skip


@router.post("/applications/{application_id}/second-approval")
async def second_approval(application_id: str, request: Request, state: WebStateDep,
                          signed: CsrfCheckedDep) -> Response:  # fmt: skip
    """The second person confirms an approval above the limit or a rate override, or
    sends it back to review (``referred``: never a decline of the customer)."""
    if not signed.actor.can(Permission.APPLICATION_REVIEW):
        raise PageForbidden(Permission.APPLICATION_REVIEW.value)
    app_id = application_id_of(application_id)
    fields = await form_fields(request)
    body = {"approve": fields.get("approve") == "true", "reason": fields.get("reason", "")}
    run = lambda: state.services.review.confirm(signed.actor, app_id, body)  # noqa: E731
    return after(request, state, signed, app_id, action="confirmed", run=run,
                 notice=_second_notice, typed=_kept(fields))  # fmt: skip


def _second_notice(result: object) -> str:
    """What the page says after a second approval: confirmed, or sent back to review.

    >>> _second_notice({"status": "referred"}), _second_notice({"status": "approved"})
    ('sent_back', 'confirmed')
    """
    assert isinstance(result, dict)
    return "sent_back" if result["status"] == "referred" else "confirmed"
