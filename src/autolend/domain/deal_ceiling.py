"""A deal against the regulation pack's cost ceiling (综合融资成本上限).

The disclosed APR (every borrower-paid fee included) must stay at or below the pack's
ceiling on the deal's start date (REGULATION.md: 24 % in CN, the judicial protection
line). A decision lowers its risk-based rate in 0.25-point steps, never below the
product's ``rate_min``, until the APR is within it; an offer is never made above it.

Worked example (STD_NEW at its 8.99 % maximum, 12 months, its origination and GPS fees):
a 150,000.00 loan on a 200,000.00 car costs an APR of 12.78 %, within 24 %, so the rate
stays; a 3,000.00 loan on a 4,000.00 car carries the same 1,500.00 GPS fee and costs
95.65 % at any rate the product allows: no rate.

>>> from datetime import date
>>> from autolend.domain.decision_rules import deal_request
>>> from autolend.domain.money import Money
>>> from autolend.domain.product_catalogue import STANDARD_NEW
>>> def deal(price, down):
...     return deal_request(STANDARD_NEW, price=Money.parse(price, "CNY"),
...         down_payment=Money.parse(down, "CNY"), term_months=12,
...         rate=STANDARD_NEW.rate_max, start=date(2026, 11, 28))
>>> quote_within_ceiling(deal("200000", "50000"), "CN").apr.nominal_percent()
Decimal('12.78')
>>> ceiling_rate(STANDARD_NEW, deal("200000", "50000"), "CN")
Decimal('0.0899')
>>> ceiling_rate(STANDARD_NEW, deal("4000", "1000"), "CN") is None
True
"""

from __future__ import annotations

from decimal import Decimal

from autolend.domain.errors import InvalidInput
from autolend.domain.product_rules import with_subsidy
from autolend.domain.products import Product
from autolend.domain.quote import (
    CeilingStatus,
    Quote,
    QuoteRequest,
    build_quote,
    cost_ceiling_check,
)
from autolend.domain.regulation import pack_for

__all__ = ["CEILING_STEP", "ceiling_rate", "quote_within_ceiling", "within_ceiling"]

CEILING_STEP = Decimal("0.0025")


def quote_within_ceiling(request: QuoteRequest, pack: str) -> Quote | None:
    """The deal's quote when its APR is within the pack's cost ceiling, else None (also
    when no APR can be computed, e.g. fees in cash above the amount): one pricing serves
    both the check and the offer that shows it."""
    limits = pack_for(pack).cost_ceiling(request.start)
    try:
        quote = build_quote(request)
    except InvalidInput:
        return None
    status = cost_ceiling_check(quote.apr, limits.ceiling, limits.warn_at)
    return None if status is CeilingStatus.BREACH else quote


def within_ceiling(request: QuoteRequest, pack: str) -> bool:
    """Whether the deal's disclosed APR stays at or below the pack's cost ceiling."""
    return quote_within_ceiling(request, pack) is not None


def ceiling_rate(product: Product, request: QuoteRequest, pack: str) -> Decimal | None:
    """The rate, lowered in 0.25-point steps (not below ``rate_min``) until the APR with
    every fee is within the cost ceiling; None when even ``rate_min`` breaches it."""
    rate = request.annual_rate
    while rate >= product.rate_min:
        candidate = with_subsidy(product, request, rate)
        if within_ceiling(candidate, pack):
            return rate
        rate -= CEILING_STEP
    return None
