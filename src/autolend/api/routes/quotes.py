"""The public car-loan quote calculator: no sign-in, nothing stored.

``POST /api/v1/quotes`` prices a deal (installment, totals, APR with every fee, the
cost-ceiling check), compares it over 12 to 60 months and, given a monthly income,
says what share of it the payment takes and what price fits a chosen share.  The deal is
priced under the lender's jurisdiction's regulation pack (``AUTOLEND_JURISDICTION``): its
currency (CN: CNY, US: USD; another is 422 naming ``currency``), its APR rule and cost
ceiling, and under US the Regulation Z figures (``regz``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends

from autolend.api.deps import ServicesDep, get_settings
from autolend.api.schema_quotes import QuoteRequestBody, QuoteResponse
from autolend.config import Settings
from autolend.domain.quote_input import price_quote, quote_wire
from autolend.domain.regulation import pack_for

router = APIRouter(tags=["calculators"])
SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.post("/quotes", response_model=QuoteResponse)
def create_quote(
    body: QuoteRequestBody, services: ServicesDep, settings: SettingsDep
) -> QuoteResponse:
    """Quote the deal in ``body``: installment, totals, APR with every fee, the cost
    ceiling's check, a comparison over terms and, given an income, its affordability.
    No sign-in needed (the public calculator); nothing stored; a bad value answers 422
    naming the field."""
    today: date = services.clock.today()
    wire = quote_wire(price_quote(body.to_input(), today, pack_for(settings.jurisdiction)))
    return QuoteResponse.model_validate(wire)
