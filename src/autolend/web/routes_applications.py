"""The origination pages of one application: its decision, its offers side by side,
signing with a one-time code, the contract PDF, documents, withdrawal and disbursement
(the list and the form that files one: :mod:`autolend.web.routes_application_form`).

Who sees what follows the services: a dealer reaches only its dealer's applications and a
borrower only their own (anything else is the 404 page); staff see rule hits; PD, score,
grade and model version need ``model:read`` or ``application:review``; which steps' forms
are drawn for whom: :mod:`autolend.web.application_steps`. Each action posts a
form (with the session's CSRF token) and, when it succeeds, redirects to the application
page (``?done=<action>``), so reloading the page never repeats it. Disbursement carries a
key made when the page was drawn: the same form sent twice pays once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from autolend.domain.access import Actor, Permission
from autolend.domain.application_parts import MAX_DOCUMENT_BYTES
from autolend.domain.application_status import ApplicationStatus
from autolend.domain.date_text import DateStyle, clock_text, in_utc
from autolend.domain.decision_codec import decision_from_dict
from autolend.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from autolend.domain.money import Money
from autolend.domain.regulation import CN_PACK, known_pack, pack_for
from autolend.domain.regulation.packs import pack_code_for_currency
from autolend.domain.score_features import card_utilisation
from autolend.services.contract_ports import ContractFontMissing
from autolend.services.idempotency import IdempotencyRequest, request_hash
from autolend.threads import calling_the_bureau
from autolend.web.application_steps import allowed_steps
from autolend.web.charts import offers_chart
from autolend.web.counter_offer import counter_offer
from autolend.web.deps import (
    CsrfCheckedDep,
    PageForbidden,
    PageNotFound,
    SignedIn,
    WebState,
    WebStateDep,
    form_fields,
    needs,
)
from autolend.web.i18n import page_date_style
from autolend.web.loan_views import product_names
from autolend.web.offer_compare import offer_comparison
from autolend.web.problem_text import page_status, problem_of

router = APIRouter(include_in_schema=False)
MAX_ID = 2**53
STATUSES = tuple(status.value for status in ApplicationStatus)
DONE = ("created", "submitted", "accepted", "code_sent", "code_queued", "signed", "disbursed",
        "uploaded", "reviewed", "confirmed", "sent_back", "vin_added", "withdrawn")  # fmt: skip
CODE_NOTICES = ("code_sent", "code_queued")
Reader = Annotated[SignedIn, Depends(needs(Permission.APPLICATION_READ))]
Applicant = Annotated[SignedIn, Depends(needs(Permission.APPLICATION_CREATE))]
ACTION_ERRORS = (InvalidInput, Conflict, PermissionDenied, ContractFontMissing)
NAV = {"nav_section": "applications"}


def application_id_of(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise PageNotFound("not an application id")
    return int(text)


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _decision(
    view: dict[str, Any], actor: Actor, locale: str, style: DateStyle = "iso"
) -> dict[str, Any] | None:
    """What the page shows of the stored decision, in the page's language; the adverse
    action notice dated in the page's ``style`` (``12/01/2026`` on a US lender's English
    page)."""
    stored = view["decision"]
    if stored is None:
        return None
    zh = locale.startswith("zh")
    notice = decision_from_dict(stored).adverse_action
    return {
        "outcome": stored["outcome"],
        "reasons": [r["text_zh"] if zh else r["text_en"] for r in stored["reasons"]],
        "counter_offers": [c["text_zh"] if zh else c["text_en"] for c in stored["counter_offers"]],
        "rule_hits": [
            {"rule": h["rule"], "effect": h["effect"], "field": h["field"],
             "message": h["message_zh"] if zh else h["message_en"]}
            for h in stored["rule_hits"]
        ] if actor.can(Permission.APPLICATION_READ_ALL) else None,
        "model": {key: stored[key] for key in ("pd", "score", "grade", "model_version")}
        if actor.can(Permission.MODEL_READ) or actor.can(Permission.APPLICATION_REVIEW) else None,
        "notice": notice.text(locale, style) if notice is not None else None,
        "annual_rate": stored["annual_rate"],
        "counter_offer": counter_offer(view),
    }  # fmt: skip


def _bureau(state: WebState, actor: Actor, customer_id: int) -> Any:
    """The borrower's latest credit-bureau query with its summary, for roles that query
    the bureau (underwriters); None for everyone else."""
    if not actor.can(Permission.BUREAU_QUERY):
        return None
    found = state.services.bureau.history(actor, customer_id, limit=1)
    if not found:
        return {"query": None}
    query, summary = found[0], found[0].summary
    code = query.currency  # the report's: its subject's pack's (USD for an SSN)
    amounts = {} if summary is None else {
        "outstanding": Money.of_minor(summary.total_outstanding_minor, code).to_api(),
        "monthly": Money.of_minor(summary.monthly_obligations_minor, code).to_api(),
        "utilisation": card_utilisation(summary),
    }  # fmt: skip
    return {"query": query, "summary": summary, "currency": code, **amounts}


def _code(
    state: WebState, actor: Actor, view: dict[str, Any], style: DateStyle
) -> dict[str, Any] | None:
    """What the notice after a code was asked says of it: the last four digits of the
    mobile it goes to and until when it is valid, the time of day in the lender's time
    zone in the page's ``style`` (``15:05``; ``3:05 PM`` on a US lender's English page;
    ``until_at``, the instant in ISO 8601 for the page's data attribute), from the stored
    code and its lifetime (:data:`autolend.domain.signing.OTP_TTL`)."""
    if view["contract_id"] is None:
        return None
    try:
        latest = state.services.contracts.latest_code(actor, view["contract_id"])
    except (NotFound, PermissionDenied):
        return None
    if latest is None:
        return None
    until = datetime.fromisoformat(latest["expires_at"])
    local = in_utc(until).astimezone(ZoneInfo(state.settings.timezone))
    return {"ending": latest["mobile_ending"], "until": clock_text(local, style),
            "until_at": local.isoformat(timespec="minutes"),
            "minutes": latest["minutes"]}  # fmt: skip


def _pack_words(view: dict[str, Any]) -> dict[str, Any]:
    """What the page words by the application's pack (that of its currency; CN's words
    for a currency no pack has): ``taxpayer_id``, the applicants known by SSN or ITIN (a
    masked ID number shows none of its form) with a phone, not a mobile; ``reg_z``, the
    APR is Reg Z's (Appendix J), so the principal is the "loan amount" ("amount
    financed" is Reg Z's own figure) and the offers show that APR alone; the documents
    offered for upload and whether the driving licence is the photo ID (the pack's
    ``form_look``; the API takes every kind whatever the pack); ``application_pack``, the
    pack's code, for words a pack says its own way (``"US"``: "Gas (ICE)", not
    "Combustion engine (ICE)")."""
    pack = known_pack(pack_code_for_currency(view["currency"]))
    look = (pack or CN_PACK).form_look
    return {"application_pack": (pack or CN_PACK).code,
            "taxpayer_id": pack is not None and pack.uses_taxpayer_id,
            "reg_z": pack is not None and pack.apr_method == "appendix_j",
            "document_kinds": look.document_kinds,
            "licence_is_photo_id": look.licence_is_photo_id}  # fmt: skip


def render_page(
    request: Request,
    state: WebState,
    signed: SignedIn,
    application_id: int,
    *,
    error: dict[str, Any] | None = None,
    done: str | None = None,
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> Response:
    """The application page (also after a failed action, with its problem shown and
    ``typed``, what its form held, filled in again)."""
    actor = signed.actor
    try:
        view = state.services.applications.get(actor, application_id)
    except NotFound:
        raise PageNotFound("application not found") from None
    except PermissionDenied as denied:
        raise PageForbidden(denied.message) from None
    locale = state.renderer.locale_of(request)
    gettext = state.renderer.gettext(locale)
    style = page_date_style(locale, pack_for(state.settings.jurisdiction).form_look.date_style)
    decision = _decision(view, actor, locale, style)
    counter = decision and decision["counter_offer"]  # a person's: its structure alone is offered
    offers = [o for o in view["offers"] if not counter or o["option"] == counter["option"]]
    context = {
        "a": view, "decision": decision, "offers": offers, "compare": offer_comparison(offers),
        "chart_option": offers_chart(offers, gettext, locale) if len(offers) > 1 else None,
        "events": [e | {"at": _moment(e["at"])} for e in view["events"]],
        "may": allowed_steps(actor, view), "error": error, "typed": typed or {},
        "code": _code(state, actor, view, style) if done in CODE_NOTICES else None,
        "done": done if done in DONE else None,
        "disburse_key": str(uuid.uuid4()), "created_at": _moment(view["created_at"]), **NAV,
        "bureau": _bureau(state, actor, view["customer_id"]),
        "product_name": product_names(state.services, actor, locale).get(view["product_code"]),
        "second_approval": state.services.review.second_approval(actor, application_id),
        **_pack_words(view),
    }  # fmt: skip
    return state.renderer.render(request, "application.html", context, signed=signed, status=status)


@router.get("/applications/{application_id}")
def application(
    application_id: str,
    request: Request,
    state: WebStateDep,
    signed: Reader,
    done: str | None = None,
) -> Response:
    return render_page(request, state, signed, application_id_of(application_id), done=done)


def after(
    request: Request,
    state: WebState,
    signed: SignedIn,
    application_id: int,
    *,
    action: str,
    run: Callable[[], object],
    notice: Callable[[object], str] | None = None,
    typed: dict[str, str] | None = None,
    anchor: str = "",
) -> Response:
    """Run one action; on success go back to the page (``?done=`` the action, or what
    ``notice`` makes of its result; at ``#anchor``, the part of the page the form is in,
    when given), else show the page with the problem and the form's ``typed`` values
    kept."""
    try:
        result = run()
    except NotFound:
        raise PageNotFound("application not found") from None
    except ACTION_ERRORS as error:
        return render_page(request, state, signed, application_id,
                           error=problem_of(error, action=action),
                           status=page_status(error), typed=typed)  # fmt: skip
    done = action if notice is None else notice(result)
    place = f"#{anchor}" if anchor else ""
    return RedirectResponse(f"/applications/{application_id}?done={done}{place}", status_code=303)


@router.post("/applications/{application_id}/submit")
async def submit(application_id: str, request: Request, state: WebStateDep,
                 signed: CsrfCheckedDep) -> Response:  # fmt: skip
    """Run the automated decision (on the bureau's threads: :mod:`autolend.threads`)."""
    app_id = application_id_of(application_id)
    run = lambda: state.services.decisions.submit(signed.actor, app_id)  # noqa: E731
    return await calling_the_bureau(
        request.app.state,
        lambda: after(request, state, signed, app_id, action="submitted", run=run),
    )


@router.post("/applications/{application_id}/accept")
async def accept(application_id: str, request: Request, state: WebStateDep,
                 signed: CsrfCheckedDep) -> Response:  # fmt: skip
    """Take one of the offers (the loan is booked from it)."""
    app_id = application_id_of(application_id)
    option = (await form_fields(request)).get("option", "")

    def run() -> object:
        if not (option.isascii() and option.isdigit() and 1 <= int(option) <= MAX_ID):
            raise InvalidInput("choose one of the offers", field="option")  # "²" too
        return state.services.origination.accept(signed.actor, app_id, int(option))

    return after(request, state, signed, app_id, action="accepted", run=run)


@router.post("/applications/{application_id}/sign")
async def sign(application_id: str, request: Request, state: WebStateDep,
               signed: CsrfCheckedDep) -> Response:  # fmt: skip
    """Without a code: issue the contract and send a code to the borrower's mobile. With
    the code: sign.

    The code is sent at once; the page then says what happened to it: sent (``code_sent``)
    or still in the outbox because the SMS gateway did not answer (``code_queued``: it goes
    out with the next dispatch while it is valid). A contract found signed already (through
    the contracts API) says ``signed``."""
    app_id = application_id_of(application_id)
    code = (await form_fields(request)).get("code") or None
    locale = state.renderer.locale_of(request)
    services = state.services

    def run() -> dict[str, Any]:
        result = services.origination.sign(signed.actor, app_id, code=code, locale=locale)
        if result.get("messages"):  # the code leaves now; a failure stays pending
            services.notifications.send_now(len(result["messages"]))
        return result

    def notice(result: object) -> str:
        assert isinstance(result, dict)
        if result["status"] == "signed":
            return "signed"
        sent = [services.notifications.message(m) for m in result.get("messages", [])]
        left = bool(sent) and all(m is not None and m.status == "sent" for m in sent)
        return "code_sent" if left else "code_queued"

    return after(request, state, signed, app_id, action="code_sent" if code is None else "signed",
                 run=run, notice=notice)  # fmt: skip


@router.post("/applications/{application_id}/withdraw")
async def withdraw(application_id: str, request: Request, state: WebStateDep,
                   signed: CsrfCheckedDep) -> Response:  # fmt: skip
    """Withdraw the application (after acceptance: the booked loan is cancelled and the
    contract withdrawn, :mod:`autolend.services.application_withdrawal`)."""
    app_id = application_id_of(application_id)
    reason = (await form_fields(request)).get("reason", "")
    run = lambda: state.services.applications.withdraw(signed.actor, app_id, reason)  # noqa: E731
    return after(request, state, signed, app_id, action="withdrawn", run=run)


@router.post("/applications/{application_id}/disburse")
async def disburse(application_id: str, request: Request, state: WebStateDep,
                   signed: CsrfCheckedDep) -> Response:  # fmt: skip
    """Pay the dealer (servicing), once per form however often it is sent."""
    app_id = application_id_of(application_id)
    key = (await form_fields(request)).get("idempotency_key", "")
    route = f"POST /applications/{app_id}/disburse"

    def run() -> object:
        if not key or len(key) > 128:
            raise InvalidInput("the form has no idempotency key; reload the page", field="form")
        idem = IdempotencyRequest(key, signed.actor.user_id, route, request_hash({}))
        return state.services.origination.disburse(signed.actor, app_id, idem)

    return after(request, state, signed, app_id, action="disbursed", run=run)


@router.post("/applications/{application_id}/documents")
async def upload(application_id: str, request: Request, state: WebStateDep,
                 signed: CsrfCheckedDep) -> Response:  # fmt: skip
    """A document (kind + file): type and size checked by the service. Refused, the page
    says why at the form with the kind chosen kept; added, it goes back to the documents
    (``#documents``), where the notice stands."""
    app_id = application_id_of(application_id)
    form = await request.form()
    field, file = form.get("kind"), form.get("file")
    kind = field if isinstance(field, str) else ""
    content = await file.read(MAX_DOCUMENT_BYTES + 1) if isinstance(file, UploadFile) else b""
    content_type = (file.content_type or "") if isinstance(file, UploadFile) else ""

    def run() -> object:
        if not content:
            raise InvalidInput("choose a file of 1 byte to 10 MiB", field="file",
                               message_zh="请选择大小为 1 字节至 10 MiB 的文件")  # fmt: skip
        return state.services.applications.add_document(
            signed.actor, app_id, kind=kind, content_type=content_type, content=content
        )

    return after(request, state, signed, app_id, action="uploaded", run=run,
                 typed={"kind": kind}, anchor="documents")  # fmt: skip


@router.get("/applications/{application_id}/documents/{document_id}")
def document(application_id: str, document_id: str, state: WebStateDep,
             signed: Reader) -> Response:  # fmt: skip
    try:
        doc, content = state.services.applications.document(
            signed.actor, application_id_of(application_id), application_id_of(document_id)
        )
    except NotFound:
        raise PageNotFound("document not found") from None
    disposition = f'attachment; filename="document-{doc.id}"'
    return Response(content, media_type=doc.content_type,
                    headers={"Content-Disposition": disposition})  # fmt: skip


@router.get("/applications/{application_id}/contract.pdf")
def contract_pdf(application_id: str, state: WebStateDep, signed: Reader) -> Response:
    """The contract as issued (the API's ``/contracts/{id}/pdf`` needs a token)."""
    actor = signed.actor
    try:
        view = state.services.applications.get(actor, application_id_of(application_id))
        if view["contract_id"] is None:
            raise NotFound("no contract yet")
        data = state.services.contracts.pdf(actor, view["contract_id"])
    except (NotFound, PermissionDenied):
        raise PageNotFound("contract not found") from None
    name = f"contract-{view['contract_id']}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})  # fmt: skip
