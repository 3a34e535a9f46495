"""An offer's interest subsidy within what its plan leaves the borrower (贴息额度).

A plan with a per-borrower ``cap`` (:class:`~autolend.domain.products.ProductSubsidy`:
the 2025 state plan pays one borrower at most 3,000.00 at this lender, over all their
loans) may leave a borrower less ``room`` than a new loan's full subsidy would take.
The offer is then priced so that the subsidiser pays at most that room over the loan
(:func:`capped_subsidy`): the borrower's rate is the lowest on the 0.01 % grid, above
the product's subsidised rate and below the contract rate, whose schedule's subsidy
interest totals no more than the room; no room left (or none on the grid): no subsidy,
the borrower pays the contract rate. The offer's installment, APR and totals are priced
at that rate, and the contract and the loan booked from the offer carry it
(:func:`~autolend.domain.offers.build_offers` prices each structure with
:func:`priced_structure`; the product's rules, the DSR among them, are checked at the
rate the borrower pays).

Worked example (NEV_GREEN 2025, checked by the doctest): 140,000.00 over 36 months at
6.99 % from 2026-06-01 is subsidised at 6.6328... % (1 point on the first 50,000.00 of
it), the state paying 795.60 over the loan. A borrower granted 2,800.00 under the plan
has 200.00 of room left: the borrower's rate becomes 6.91 % (the state pays 178.43; at
6.90 % it would pay 200.76, above the room), and with 3,000.00 granted it is 6.99 %
with no subsidy.

>>> from datetime import date
>>> from autolend.domain.decision_rules import deal_request
>>> from autolend.domain.money import Money
>>> from autolend.domain.product_catalogue import NEV_GREEN_2025
>>> deal = deal_request(NEV_GREEN_2025, price=Money.parse("200000", "CNY"),
...     down_payment=Money.parse("60000", "CNY"), term_months=36,
...     rate=Decimal("0.0699"), start=date(2026, 6, 1))
>>> subsidy_paid(deal), capped_subsidy(deal, 100_000) is deal
(79560, True)
>>> capped = capped_subsidy(deal, 20_000)
>>> capped.subsidy.customer_rate, subsidy_paid(capped), subsidy_paid(deal, Decimal("0.069"))
(Decimal('0.0691'), 17843, 20076)
>>> capped_subsidy(deal, 0).subsidy is None
True
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from autolend.domain.application import ApplicationInput
from autolend.domain.deal_ceiling import quote_within_ceiling
from autolend.domain.decision_rules import RuleHit, deal_request, product_request, violation_hit
from autolend.domain.money import Money
from autolend.domain.product_rules import ProductRequest, check_request
from autolend.domain.products import Product
from autolend.domain.quote import Quote, QuoteRequest
from autolend.domain.schedule import Subsidy, build_schedule

__all__ = [
    "OfferBasis", "capped_subsidy", "priced_structure", "stated_subsidy", "structure_hits",
    "subsidy_paid",
]  # fmt: skip

RATE_STEP = Decimal("0.0001")  # 0.01 %: the borrower's capped rate is stated exactly


def subsidy_paid(request: QuoteRequest, customer_rate: Decimal | None = None) -> int:
    """What the subsidiser pays over the loan of ``request`` (minor units), with the
    borrower at ``customer_rate`` (default: the request's own subsidised rate); 0
    without a subsidy."""
    subsidy = request.subsidy
    if subsidy is None:
        return 0
    rate = subsidy.customer_rate if customer_rate is None else customer_rate
    terms = replace(request.loan_terms(), subsidy=Subsidy(rate, subsidy.subsidiser))
    return build_schedule(terms).total_subsidy.minor


def capped_subsidy(request: QuoteRequest, room: int | None) -> QuoteRequest:
    """``request`` with a subsidy that pays at most ``room`` minor units over the loan
    (see the module docstring); ``request`` itself when it has no subsidy, ``room`` is
    None (no per-borrower cap) or its full subsidy fits. The rate is found by bisection
    over the grid, keeping a rate whose subsidy fits: the result never exceeds ``room``."""
    subsidy = request.subsidy
    if subsidy is None or room is None:
        return request
    if room > 0 and subsidy_paid(request) <= room:
        return request
    contract = request.annual_rate
    low = int((subsidy.customer_rate / RATE_STEP).to_integral_value(ROUND_FLOOR))
    high = int((contract / RATE_STEP).to_integral_value(ROUND_CEILING))  # the contract rate

    def rate(step: int) -> Decimal:
        return min(step * RATE_STEP, contract)

    while room > 0 and high - low > 1:
        middle = (low + high) // 2
        if subsidy_paid(request, rate(middle)) <= room:
            high = middle
        else:
            low = middle
    if room <= 0 or rate(high) >= contract:
        return replace(request, subsidy=None)
    return replace(request, subsidy=Subsidy(rate(high), subsidy.subsidiser))


@dataclass(frozen=True)
class OfferBasis:
    """What every structure of one set of offers is priced and checked with: the
    product, its ``rules`` (the DSR limit the decision used), the application, the
    existing debt ``owed``, the decision's ``rate``, the ``start`` and the plan's
    ``room`` left to the borrower (None: no per-borrower cap)."""

    product: Product
    rules: Product
    application: ApplicationInput
    owed: Money
    rate: Decimal
    start: date
    room: int | None = None


def _request(basis: OfferBasis, term: int, down: Money) -> tuple[QuoteRequest, ProductRequest]:
    """The deal of one structure, its subsidy within the room, and what the product's
    rules check of it: the DSR at the rate the borrower pays when the room lowered the
    subsidy (the contract rate when it left none)."""
    price = basis.application.vehicle.price
    full = deal_request(basis.product, price=price, down_payment=down, term_months=term,
                        rate=basis.rate, start=basis.start)  # fmt: skip
    deal = capped_subsidy(full, basis.room)
    check = product_request(basis.application, basis.owed, down_payment=down,
                            term_months=term, amount=None, rate=basis.rate)  # fmt: skip
    if deal is not full:
        paid = deal.subsidy.customer_rate if deal.subsidy is not None else basis.rate
        check = replace(check, customer_rate=paid)
    return deal, check


def structure_hits(basis: OfferBasis, term: int, down: Money) -> tuple[RuleHit, ...]:
    """The product rules the structure ``term`` x ``down`` breaks at the basis' rate."""
    _, check = _request(basis, term, down)
    return tuple(violation_hit(v) for v in check_request(basis.rules, check, basis.start))


def priced_structure(basis: OfferBasis, term: int, down: Money) -> Quote | None:
    """The quote of the structure ``term`` x ``down`` when the down payment is possible,
    it breaks none of the product's rules and its APR is within the pack's cost
    ceiling; else None."""
    if not (down.minor >= 0 and down < basis.application.vehicle.price):
        return None
    deal, check = _request(basis, term, down)
    if check_request(basis.rules, check, basis.start):
        return None
    return quote_within_ceiling(deal, basis.product.pack)


def stated_subsidy(
    request: QuoteRequest, customer_rate: Decimal | None, subsidiser: str | None
) -> QuoteRequest:
    """``request`` with the subsidy an offer states (the borrower at ``customer_rate``,
    ``subsidiser`` paying the rest), not the product's full one: the loan booked from the
    offer is the offer, whatever room its plan left. None stated: no subsidy."""
    if customer_rate is None or subsidiser is None:
        return request if request.subsidy is None else replace(request, subsidy=None)
    return replace(request, subsidy=Subsidy(customer_rate, subsidiser))
