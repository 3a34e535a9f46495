"""A US offer carries the Truth-in-Lending figures (12 CFR 1026.18) its contract will
state; a CN offer carries none, and its JSON is as it was.

The figures are recomputed here from each offer's own schedule (its rows and monthly
fees, on their due dates) and its fees of the start, not read from the quote: the amount
financed is the principal less the fees of the start, the total of payments the sum of
the scheduled payments, the finance charge their difference, the total sale price the
car's price plus the finance charge."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from autolend.domain.decision import DecisionFacts, decide
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.decision_rules import deal_request
from autolend.domain.fees import Fee, FeeKind, FeeTiming
from autolend.domain.money import Money
from autolend.domain.offers import Offer, build_offers, offer_from_dict, offer_to_dict
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.products import Product
from autolend.domain.quote import build_quote
from autolend.domain.regz import closed_end_disclosures
from tests.unit.domain.test_offers import CLEAN, LOW_RISK, START, decided
from tests.unit.domain.test_us_adverse_action import US_NEW, application, report


def usd(text: str) -> Money:
    return Money.parse(text, "USD")


# A 195.00 documentation fee paid at signing and a 5.00 monthly GPS fee: the amount
# financed is not the principal, and each scheduled payment carries the monthly fee.
US_FEES = replace(US_NEW, fees=(
    Fee(kind=FeeKind.OTHER, name="documentation", amount=usd("195")),
    Fee(kind=FeeKind.GPS, amount=usd("5"), timing=FeeTiming.MONTHLY),
))  # fmt: skip


def us_offers(product: Product = US_FEES) -> tuple[Offer, ...]:
    app = application("USD")
    facts = DecisionFacts(app, product, report(), None, LOW_RISK, CLEAN, START, "US")
    decision = decide(facts, DEFAULT_POLICY)
    offers = build_offers(product, app, decision, start=START)
    assert offers, decision
    return offers


def test_each_us_offer_states_the_reg_z_figures_of_its_own_schedule() -> None:
    app = application("USD")
    for offer in us_offers():
        assert offer.regz is not None
        rate = offer.annual_rate
        request = deal_request(US_FEES, price=app.vehicle.price, down_payment=offer.down_payment,
                               term_months=offer.term_months, rate=rate, start=START)  # fmt: skip
        rows = build_quote(request).schedule.rows
        monthly = sum((f.amount for f in offer.fees if f.timing == "monthly"), usd("0"))
        start_fees = sum((f.amount for f in offer.fees if f.timing != "monthly"), usd("0"))
        payments = [(r.due_date, r.money("payment") + monthly) for r in rows]
        total = sum((amount for _, amount in payments), usd("0"))
        financed = offer.amount_financed - start_fees
        assert offer.regz.amount_financed == financed == offer.amount_financed - usd("195")
        assert offer.regz.total_of_payments == total
        assert offer.regz.finance_charge == total - financed
        assert offer.regz.total_sale_price == app.vehicle.price + offer.regz.finance_charge
        expected = closed_end_disclosures(financed, payments, START, "monthly")
        assert offer.regz.apr == expected.apr
        # The APR the offer shows is the same Appendix J APR, to 2 places.
        assert offer.apr_nominal is not None
        assert offer.regz.apr == (offer.apr_nominal * 100).quantize(Decimal("0.01"))


def test_a_us_offers_json_carries_the_figures_as_the_quote_api_writes_them() -> None:
    for offer in us_offers():
        assert offer.regz is not None
        wire = offer_to_dict(offer)
        assert wire["regz"] == {
            "amount_financed": offer.regz.amount_financed.to_api(),
            "finance_charge": offer.regz.finance_charge.to_api(),
            "total_of_payments": offer.regz.total_of_payments.to_api(),
            "total_sale_price": offer.regz.total_sale_price.to_api(),
            "apr": wire["apr_nominal_percent"],
        }
        assert offer_from_dict(wire) == offer


def test_a_cn_offer_has_no_reg_z_figures_and_no_key_for_them() -> None:
    app, decision = decided()
    for offer in build_offers(STANDARD_NEW, app, decision, start=START):
        assert offer.regz is None
        assert "regz" not in offer_to_dict(offer)
