"""The servicing terms a loan booked under a product carries (for origination to book).

* the waterfall: the product's (``standard``, ``principal_first``, ``non_performing``);
* the monthly fees: the product's monthly fees priced on the vehicle amount financed, as
  the contract's kinds (``gps``; ``credit_insurance`` -> ``insurance``);
* the prepayment fee rule and rate;
* the late fee, if the product has one.

Example: the senior loan (credit insurance 0.05 % a month) on 100,000.00 financed carries
50.00 of ``insurance`` with each installment; its prepayment fee is 2 %, waived on a
trade-in.
"""

from __future__ import annotations

from decimal import Decimal

from autolend.domain.fees import FeeKind, FeeTiming
from autolend.domain.money import Money
from autolend.domain.payoff import PrepaymentFeeRule
from autolend.domain.products import Product
from autolend.services.contract import ServicingTerms

__all__ = ["fee_rule", "servicing_terms"]

_CONTRACT_KIND = {FeeKind.GPS: "gps", FeeKind.CREDIT_INSURANCE: "insurance"}


def servicing_terms(product: Product, vehicle_financed: Money) -> ServicingTerms:
    """The waterfall, the monthly fees (by contract kind) and the late fee of a loan
    under ``product``."""
    monthly: dict[str, int] = {}
    for fee in product.fees:
        if fee.timing is FeeTiming.MONTHLY:
            kind = _CONTRACT_KIND[fee.kind]
            monthly[kind] = monthly.get(kind, 0) + fee.amount_on(vehicle_financed).minor
    fees = tuple(sorted((k, v) for k, v in monthly.items() if v > 0))
    late = product.late_fee.rule if product.late_fee is not None else None
    return ServicingTerms(product.waterfall, fees, late_fee=late)


def fee_rule(product: Product) -> tuple[PrepaymentFeeRule, Decimal]:
    """The prepayment fee rule and rate to book (as ``terms_codec.dump_terms`` takes it)."""
    return product.prepayment_fee_rule, product.prepayment_fee_rate
