"""The servicing terms a loan booked under a product carries (for origination to book).

* the waterfall: the product's (``standard``, ``principal_first``, ``non_performing``);
* the monthly fees: the product's monthly fees priced on the vehicle amount financed, as
  the contract's kinds (``gps``; ``credit_insurance`` -> ``insurance``);
* the prepayment fee rule and rate;
* the penalty uplift (e.g. 30 % on the seasonal loan, where the pack's default is 50 %);
* the late fee, if the product has one;
* from the credit decision, not the product: the PD it gave and its model version
  (:func:`decision_pd`), which the ECL grades the loan by.

Example: the senior loan (credit insurance 0.05 % a month) on 100,000.00 financed carries
50.00 of ``insurance`` with each installment; its prepayment fee is 2 %, waived on a
trade-in.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from autolend.domain.fees import FeeKind, FeeTiming
from autolend.domain.money import Money
from autolend.domain.payoff import PrepaymentFeeRule
from autolend.domain.products import Product
from autolend.services.contract import ServicingTerms

__all__ = ["booking_terms", "decision_pd", "fee_rule", "servicing_terms"]

_CONTRACT_KIND = {FeeKind.GPS: "gps", FeeKind.CREDIT_INSURANCE: "insurance"}


def servicing_terms(product: Product, vehicle_financed: Money) -> ServicingTerms:
    """The waterfall, the monthly fees (by contract kind), the penalty uplift and the
    late fee of a loan under ``product``."""
    monthly: dict[str, int] = {}
    for fee in product.fees:
        if fee.timing is FeeTiming.MONTHLY:
            kind = _CONTRACT_KIND[fee.kind]
            monthly[kind] = monthly.get(kind, 0) + fee.amount_on(vehicle_financed).minor
    fees = tuple(sorted((k, v) for k, v in monthly.items() if v > 0))
    late = product.late_fee.rule if product.late_fee is not None else None
    return ServicingTerms(
        product.waterfall, fees, late_fee=late, penalty_uplift=product.penalty_uplift
    )


def booking_terms(product: Product, vehicle_financed: Money) -> dict[str, Any]:
    """The contract terms a :class:`~autolend.services.loans.BookingRequest` takes from
    ``product``, as keyword arguments: its code and pack, the prepayment fee, and the
    servicing terms of :func:`servicing_terms` in the request's own forms. Origination
    and the demo book their loans with them, so a loan carries what its product says."""
    servicing = servicing_terms(product, vehicle_financed)
    rule, rate = fee_rule(product)
    code = vehicle_financed.currency.code
    late = servicing.late_fee
    return {
        "product_code": product.code,
        "pack_code": product.pack,
        "prepayment_fee_rule": rule.value,
        "prepayment_fee_rate": rate if rule is not PrepaymentFeeRule.NONE else None,
        "waterfall": servicing.waterfall,
        "monthly_fees": {k: Money.of_minor(v, code).to_api() for k, v in servicing.monthly_fees},
        "late_fee": None if late is None else {
            "amount": Money.of_minor(late.amount, code).to_api(), "after_days": late.after_days,
        },
        "penalty_uplift": servicing.penalty_uplift,
    }  # fmt: skip


def fee_rule(product: Product) -> tuple[PrepaymentFeeRule, Decimal]:
    """The prepayment fee rule and rate to book (as ``terms_codec.dump_terms`` takes it)."""
    return product.prepayment_fee_rule, product.prepayment_fee_rate


_PD_STEP = Decimal("0.000001")
"""The decision's PD resolution (it stores the model's PD to six places)."""


def decision_pd(stored: str | None) -> tuple[Decimal | None, str | None]:
    """The PD the stored decision gave (a manual approval keeps the model's) and the
    model version, for the loan to carry; ``(None, None)`` when no model scored the case
    (the ECL then takes its conservative default grade). A PD that rounded to 0 on six
    places is recorded as 0.000001, one at 1 as 0.999999, so it stays a probability the
    ECL can grade: ``{"pd": "0.08", "model_version": "default@3"}`` ->
    ``(Decimal("0.08"), "default@3")``."""
    decision = json.loads(stored or "{}")
    text = decision.get("pd")
    if text is None:
        return None, None
    pd = min(max(Decimal(str(text)), _PD_STEP), 1 - _PD_STEP)
    version = decision.get("model_version")
    return pd, None if version is None else str(version)
