"""Booking loans: from their terms (``POST /loans``) and, for a book moved from another
system, with their opening balances (``POST /loans/migrations``). Servicing books
(``loan:book``); the answer is the loan as ``GET /loans/{id}`` shows it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from autolend.api.deps import KeyHeader, ServicesDep, require
from autolend.api.routes.loans import _idem, _json
from autolend.api.schema_loan_responses import LoanDetail
from autolend.api.schema_loans import BookingBody, CollateralItem, MigrationBody
from autolend.domain.access import Actor, Permission
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, parse_money
from autolend.domain.regulation import pack_for
from autolend.domain.regulation.packs import pack_code_for_currency
from autolend.domain.schedule_input import ScheduleInput, loan_terms, parse_date, parse_percent
from autolend.services.contract import Collateral, parse_pd
from autolend.services.loans import BookingRequest
from autolend.services.migration import MigrationRequest

router = APIRouter(tags=["loans"])
Booker = Annotated[Actor, Depends(require(Permission.LOAN_BOOK))]


def booking_request(body: BookingBody) -> BookingRequest:
    """The service's booking request from the API body (errors name the body field)."""
    terms = loan_terms(ScheduleInput(**body.schedule_fields()))
    code = terms.principal.currency.code
    approved = parse_money(body.approved, code, field="approved") if body.approved else None
    rate, uplift = body.prepayment_fee_rate, body.penalty_uplift
    fees = body.monthly_fees
    return BookingRequest(
        terms=terms,
        approved=approved or terms.principal,
        product_code=body.product_code,
        pack_code=booking_pack(body.pack_code, code),
        customer_id=body.customer_id,
        dealer_id=body.dealer_id,
        prepayment_fee_rule=body.prepayment_fee_rule,
        prepayment_fee_rate=parse_percent(rate, "prepayment_fee_rate") if rate else None,
        waterfall=body.waterfall,
        monthly_fees=[f.model_dump() for f in fees] if isinstance(fees, list) else fees,
        collateral=collateral_of(body.collateral, code),
        late_fee=body.late_fee.model_dump() if body.late_fee is not None else None,
        penalty_uplift=parse_percent(uplift, "penalty_uplift") if uplift else None,
        pd_orig=parse_pd(body.pd_orig),
    )


def booking_pack(asked: str | None, currency: str) -> str:
    """The regulation pack a loan is booked under: ``asked``, else the pack whose currency
    is the loan's (CNY -> CN, USD -> US). An unknown pack, or one that lends in another
    currency (a USD loan under CN would carry CN's 50 % penalty and 24 %/360 ceiling), is
    refused naming ``pack_code``; a currency no pack lends in, naming ``currency``."""
    if asked is None:
        found = pack_code_for_currency(currency)
        if found is None:
            raise InvalidInput(f"no regulation pack lends in {currency}", field="currency")
        return found
    try:
        pack = pack_for(asked)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="pack_code") from error
    if pack.currency != currency:
        message = f"the {pack.code} pack lends in {pack.currency}, not {currency}"
        raise InvalidInput(message, field="pack_code")
    return pack.code


def collateral_of(item: CollateralItem | None, code: str) -> Collateral | None:
    """The car from the body (errors name ``collateral.<field>``)."""
    if item is None:
        return None
    price = parse_money(item.price, code, field="collateral.price")
    if price.minor <= 0:
        raise InvalidInput("the car's price must be positive", field="collateral.price")
    if item.energy not in ("ice", "nev"):
        raise InvalidInput("energy is ice or nev", field="collateral.energy")
    if item.condition not in ("new", "used"):
        raise InvalidInput("condition is new or used", field="collateral.condition")
    return Collateral.of(price.minor, nev=item.energy == "nev", used=item.condition == "used")


@router.post("/loans", status_code=201, response_model=None, responses={201: {"model": LoanDetail}})
def book_loan(body: BookingBody, actor: Booker, services: ServicesDep) -> dict[str, Any]:
    """Book a loan (status ``booked``) with its schedule stored as installments."""
    loan_id = services.loans.book(actor, booking_request(body))
    return services.loans.get(actor, loan_id)


@router.post("/loans/migrations", status_code=201, responses={201: {"model": LoanDetail}})
def migrate_loan(
    body: MigrationBody, actor: Booker, services: ServicesDep, idempotency_key: KeyHeader = None
) -> JSONResponse:
    """Book a loan from another system with its state at the cut-over date: opening
    balances against 3000 equity migration; servicing continues from the cut-over. It
    moves money on the books, so it needs an ``Idempotency-Key`` header like the other
    money-moving requests: a replay answers the first response and books nothing."""
    booking = booking_request(body)
    code = booking.terms.principal.currency.code

    def money(text: str | None, field: str) -> Money | None:
        return parse_money(text, code, field=field) if text else None

    paid = {
        item.n: (
            parse_money(item.principal, code, field="paid.principal"),
            parse_money(item.interest, code, field="paid.interest"),
            parse_money(item.fee, code, field="paid.fee"),
        )
        for item in body.paid
    }
    request = MigrationRequest(
        booking=booking,
        cut_over=parse_date(body.cut_over, "cut_over"),
        installments_paid=body.installments_paid,
        paid=paid,
        penalty=money(body.penalty, "penalty"),
        advance=money(body.advance, "advance"),
        accrued_interest=money(body.accrued_interest, "accrued_interest"),
    )
    idem = _idem(idempotency_key, actor, "POST /loans/migrations", body.model_dump())
    result = services.migrations.migrate(actor, request, idem)
    return _json(result)
