"""The loan pages: the list of loans the actor may reach and one loan in full.

A loan the actor may not reach answers the 404 page. Servicing officers get forms to post a
repayment, a prepayment and a reversal (on a paid-off loan its payoff too), a refund of
what the advance holds, and on a written-off loan a recovery (and its reversal); each form
carries a server-made idempotency key, so submitting the same form twice is a replay of
the first posting, never a second one (:mod:`autolend.web.routes_loans_forms` posts them).
A form done answers 303 to the loan page, which says what was done (Post/Redirect/Get,
:mod:`autolend.web.loan_notices`): a refresh posts nothing. A refused one answers the page
at once (4xx), every wrong field marked at its input and what was typed kept.
A repayment above everything the loan owes (its payoff) is asked about before it is
posted (:mod:`autolend.services.overpayment`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from autolend.domain.access import Permission
from autolend.domain.date_text import DateStyle
from autolend.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from autolend.domain.money import parse_money
from autolend.domain.regulation import pack_for
from autolend.domain.regulation.packs import pack_code_for_currency
from autolend.domain.schedule_input import parse_date
from autolend.services.loan_views import prepaid_principal
from autolend.services.overpayment import confirms, repayment_over_payoff
from autolend.services.own_transactions import transactions_shown
from autolend.services.servicing_input import value_day
from autolend.web.charts import currency_sign
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
from autolend.web.loan_notices import done_url, notice_of, see_loan
from autolend.web.loan_views import (
    charges_no_penalty,
    dpd_level,
    ledger_lines,
    loan_rows,
    outstanding,
    prepayment_day,
    product_names,
    refusal,
    schedule_chart,
    schedule_totals,
    write_off_totals,
)
from autolend.web.paging import page_number
from autolend.web.problem_text import in_date_style, problem_of
from autolend.web.routes_loans_forms import (
    MAX_ID,
    checked_reference,
    forms_context,
    run_form,
)

router = APIRouter(include_in_schema=False)
STATUSES = ("booked", "active", "paid_off", "closed", "written_off", "cancelled")
OWN_STATUSES = ("active", "paid_off", "written_off")
"""What a borrower's filter offers: a loan being repaid, repaid or written off. Not the
lender's book-keeping steps around it: booked (accepted, not yet paid out: the application
page follows it), cancelled (withdrawn before payout, it never held money) and closed
(no loan reaches it); the list under "All" still shows every loan of theirs."""
LEDGER_SHOWN = 100  # entries on the loan page; ?ledger=all shows every one
LoanReader = Annotated[SignedIn, Depends(needs(Permission.LOAN_READ))]


def _loan_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise PageNotFound("not a loan id")
    return int(text)


@router.get("/loans")
def loans(
    request: Request,
    state: WebStateDep,
    signed: LoanReader,
    *,
    status: str | None = None,
    page: str | None = None,
    overdue: str | None = None,
) -> Response:
    """The loans the actor may reach, optionally of one status or only the overdue ones,
    a page at a time. Staff may filter by every status, a borrower by ``OWN_STATUSES``
    (``?status=booked`` from a borrower lists all their loans, as an unknown status does)."""
    offered = OWN_STATUSES if signed.actor.self_service else STATUSES
    chosen, late = (status if status in offered else None), overdue == "1"
    rows, pager = loan_rows(state.services, signed.actor, chosen, page_number(page), overdue=late)
    names = product_names(state.services, signed.actor, state.renderer.locale_of(request))
    context = {"rows": rows, "pager": pager, "statuses": offered, "chosen": chosen,
               "overdue": late, "dpd_level": dpd_level, "product_names": names}  # fmt: skip
    return state.renderer.render(request, "loans.html", context, signed=signed)


@router.get("/loans/{loan_id}")
def loan(
    loan_id: str,
    request: Request,
    state: WebStateDep,
    signed: LoanReader,
    *,
    payoff_date: str | None = None,
    ledger: str | None = None,
) -> Response:
    """One loan: balances, chart, schedule, transactions, ledger (staff: its newest
    entries, or every one with ``?ledger=all``), payoff, forms; after a form was done,
    what it did (``?done=``, :func:`autolend.web.loan_notices.notice_of`)."""
    return loan_page(request, state, signed, _loan_id(loan_id), payoff_date=payoff_date,
                     whole_ledger=ledger == "all", done=request.query_params)  # fmt: skip


def _payoff(
    state: WebState, signed: SignedIn, view: dict[str, Any], on_text: str | None
) -> dict[str, Any]:
    on_text = on_text or state.services.clock.today().isoformat()
    result: dict[str, Any] = {"date": on_text, "quote": None, "error": None}
    if view["status"] != "active":
        return result
    try:
        on = parse_date(on_text, "date")
        result["quote"] = state.services.loans.payoff_quote(signed.actor, view["id"], on)
    except (InvalidInput, Conflict) as error:
        result["error"] = in_date_style(problem_of(error), _date_style(state))
    return result


def _date_style(state: WebState) -> DateStyle:
    """The style the page writes days in (the renderer's: the lender's pack's)."""
    return pack_for(state.settings.jurisdiction).form_look.date_style


def loan_page(
    request: Request,
    state: WebState,
    signed: SignedIn,
    loan_id: int,
    *,
    payoff_date: str | None = None,
    whole_ledger: bool = False,
    done: Mapping[str, str] | None = None,
    error: dict[str, Any] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
    confirm: dict[str, Any] | None = None,
) -> Response:
    """The loan page; after a refused form, ``error`` says why and ``typed`` holds what was
    typed into it (``error["form"]`` names the form), so nothing has to be typed again;
    ``confirm`` (with ``typed``), a repayment above the payoff, asked about before posting;
    ``done``, the query of the page a form done went to. A problem's days are written in
    the page's date style (a US English page: 02/05/2026)."""
    actor, services = signed.actor, state.services
    try:
        view = services.loans.get(actor, loan_id)
        # a borrower's (dealer's) page: a payment's reference, not the lender's own
        transactions = transactions_shown(actor, services.loans.transactions(actor, loan_id))
        staff = actor.can(Permission.LOAN_READ_ALL)
        entries, entry_count = (
            services.loans.newest_ledger(actor, loan_id, None if whole_ledger else LEDGER_SHOWN)
            if staff
            else ([], 0)
        )
    except NotFound:
        raise PageNotFound("loan not found") from None
    except PermissionDenied as problem:
        raise PageForbidden(problem.message) from None
    locale = state.renderer.locale_of(request)
    gettext = state.renderer.gettext(locale)
    today = services.clock.today()
    kept = error or confirm
    context = {
        "loan": view,
        "product_name": product_names(services, actor, locale).get(view["product_code"]),
        "application_id": services.applications.booked_from(actor, loan_id),  # its link
        "outstanding": outstanding(view),
        "dpd_level": dpd_level,
        # US: the "penalty" balance is interest on overdue principal at the contract rate.
        "no_penalty": charges_no_penalty(view),
        "transactions": transactions,
        # a written-off loan: what was written off, and recovered since
        "write_off": write_off_totals(transactions),
        # Daily accruals make thousands of entries over a loan's life: the newest are shown.
        "ledger": ledger_lines(entries) if staff else None,
        "ledger_count": entry_count,
        "ledger_shown": len(entries),
        "chart_option": schedule_chart(
            view["schedule"], gettext, currency_sign(view["currency"], locale)
        ),
        "schedule_totals": schedule_totals(view["schedule"]),
        # a partial prepayment's principal is in no installment: said under the schedule
        "prepaid_principal": prepaid_principal(transactions, view["currency"]),
        "prepay_day": prepayment_day(view, today),
        "payoff": _payoff(state, signed, view, payoff_date),
        # the loan's own jurisdiction (a US loan's car is "electric", not "NEV")
        "loan_pack": pack_code_for_currency(view["currency"]) or "CN",
        # beside each amount input: the amounts it takes are in the loan's currency
        "currency_sign": currency_sign(view["currency"], locale),
        "today": today.isoformat(),
        **forms_context(actor, view, transactions, today),
        "notice": notice_of(done, transactions) if done else None,
        "error": in_date_style(error, _date_style(state)),
        "confirm": confirm,
        # what the refused form held, keyed by the form's name ("repayment", "payoff" ...)
        "typed": {kept.get("form") or kept.get("action"): typed} if kept and typed else {},
    }
    return state.renderer.render(request, "loan.html", context, signed=signed, status=status)


async def _posted(
    request: Request, state: WebState, signed: SignedIn, loan_id: int, action: str
) -> Response:
    """Run one servicing form: done, go to the loan page that says so (303); refused, the
    page with the problem at the form (422)."""
    actor = signed.actor
    needed = {
        "repayment": Permission.REPAYMENT_POST,
        "prepayment": Permission.PREPAYMENT_POST,
        "reversal": Permission.REPAYMENT_REVERSE,
        "recovery": Permission.REPAYMENT_POST,
        "refund": Permission.REPAYMENT_POST,
    }[action]
    if not actor.can(needed):
        raise PageForbidden(needed.value)
    fields = await form_fields(request)
    try:
        view = state.services.loans.get(actor, loan_id)
    except NotFound:
        raise PageNotFound("loan not found") from None
    ask = _over_payoff(state, signed, view, fields) if action == "repayment" else None
    if ask is not None:
        return loan_page(request, state, signed, loan_id, confirm=ask, typed=fields)
    written_off = view["status"] == "written_off"  # its reversal form reverses recoveries
    try:
        result = run_form(state, signed, view, action, fields=fields)
    except (InvalidInput, Conflict, NotFound) as problem:
        # the payoff panel posts a prepayment too: its own form shows what was typed
        form = "payoff" if fields.get("mode") == "payoff" else action
        error = refusal(problem, action=action, form=form)
        if written_off and action == "reversal":
            error["subject"] = "recovery"  # the banner names "Recovery to reverse"
        return loan_page(request, state, signed, loan_id, error=error, typed=fields, status=422)
    event = result.body if "id" in result.body else None
    return see_loan(request, done_url(loan_id, action, replayed=result.replayed, event=event))


def _over_payoff(
    state: WebState, signed: SignedIn, view: dict[str, Any], fields: dict[str, str]
) -> dict[str, Any] | None:
    """What the page asks before posting a repayment above everything the loan owes on its
    value date (a backdated one: on the day the loan is serviced through), unless it was
    confirmed for that very amount (``confirm_over``); None: post it, or refuse it, as
    always. The API posts it unasked (the excess is held as the advance)."""
    key, start = fields.get("idempotency_key", ""), date.fromisoformat(view["start_date"])
    try:
        amount = parse_money(fields.get("amount", ""), view["currency"])
        day = parse_date(fields.get("value_date", ""), "value_date")
        value_day(day, start, state.services.clock.today())
        checked_reference(fields.get("reference"))
    except InvalidInput:
        return None  # the posting names every wrong field
    if not 0 < len(key) <= 128 or confirms(fields.get("confirm_over", ""), amount):
        return None
    on = max(day, date.fromisoformat(view["as_of"]))
    over = repayment_over_payoff(state.services.loans, signed.actor, view["id"], amount, on)
    if over is None:
        return None
    # the confirmation posts with the form's own key: posted once, however often it is sent
    return {"form": "repayment", "key": key, "amount": over.amount.to_api(),
            "payoff": over.payoff.to_api(), "excess": over.excess.to_api(),
            "date": over.on.isoformat()}  # fmt: skip


@router.post("/loans/{loan_id}/repayments")
async def repay(
    loan_id: str, request: Request, state: WebStateDep, signed: CsrfCheckedDep
) -> Response:
    return await _posted(request, state, signed, _loan_id(loan_id), "repayment")


@router.post("/loans/{loan_id}/prepayments")
async def prepay(
    loan_id: str, request: Request, state: WebStateDep, signed: CsrfCheckedDep
) -> Response:
    return await _posted(request, state, signed, _loan_id(loan_id), "prepayment")


@router.post("/loans/{loan_id}/reversals")
async def reverse(
    loan_id: str, request: Request, state: WebStateDep, signed: CsrfCheckedDep
) -> Response:
    return await _posted(request, state, signed, _loan_id(loan_id), "reversal")


@router.post("/loans/{loan_id}/recoveries")
async def recover(
    loan_id: str, request: Request, state: WebStateDep, signed: CsrfCheckedDep
) -> Response:
    """Money collected on a written-off loan (a recovery: Dr cash / Cr recovery income)."""
    return await _posted(request, state, signed, _loan_id(loan_id), "recovery")


@router.post("/loans/{loan_id}/refunds")
async def refund(
    loan_id: str, request: Request, state: WebStateDep, signed: CsrfCheckedDep
) -> Response:
    """Money held in the loan's advance paid back to the borrower (Dr suspense / Cr
    refunds payable), as ``POST /api/v1/loans/{id}/refunds``."""
    return await _posted(request, state, signed, _loan_id(loan_id), "refund")
