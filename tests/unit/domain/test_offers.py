"""Offers: up to four structures, each priced by build_quote, none for a decline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.application import ApplicationInput
from autolend.domain.decision import (
    Decision,
    DecisionFacts,
    FraudSignals,
    ModelScore,
    Outcome,
    decide,
)
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.decision_rules import deal_request, product_request
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.offers import (
    MAX_OFFERS,
    build_offers,
    financed_fees,
    late_payment,
    offer_from_dict,
    offer_from_quote,
    offer_to_dict,
    preview_rows,
)
from autolend.domain.product_catalogue import (
    BALLOON,
    OEM_ZERO,
    SEASONAL,
    SENIOR_INSURED,
    STANDARD_NEW,
    USED_CAR,
)
from autolend.domain.product_catalogue_us import US_NEW_AUTO
from autolend.domain.product_rules import ProductRequest, check_request
from autolend.domain.products import Product
from autolend.domain.quote import Quote, build_quote
from tests.unit.domain.test_decision import application, report

START = date(2026, 11, 28)
CLEAN = FraudSignals(0, 0, False)
LOW_RISK = ModelScore(Decimal("0.03"), 640, "B", "default@3", "scorecard_points")


def decided(
    app: ApplicationInput | None = None, product: Product = STANDARD_NEW,
    fraud: FraudSignals = CLEAN,
) -> tuple[ApplicationInput, Decision]:  # fmt: skip
    app = app or application()
    facts = DecisionFacts(app, product, report(), None, LOW_RISK, fraud, START)
    return app, decide(facts, DEFAULT_POLICY)


def test_an_approved_application_gets_at_most_four_offers_the_requested_one_first() -> None:
    app, decision = decided()
    offers = build_offers(STANDARD_NEW, app, decision, start=START)
    assert 1 <= len(offers) <= MAX_OFFERS
    assert [o.option for o in offers] == list(range(1, len(offers) + 1))
    first = offers[0]
    assert (first.term_months, first.down_payment) == (36, app.down_payment)
    assert len({(o.term_months, o.down_payment) for o in offers}) == len(offers)


def test_each_offers_numbers_are_build_quotes_for_the_same_terms() -> None:
    app, decision = decided()
    assert decision.annual_rate is not None
    for offer in build_offers(STANDARD_NEW, app, decision, start=START):
        quote = build_quote(deal_request(
            STANDARD_NEW, price=app.vehicle.price, down_payment=offer.down_payment,
            term_months=offer.term_months, rate=decision.annual_rate, start=START))  # fmt: skip
        assert offer.apr_nominal == quote.apr.nominal
        assert offer.apr_effective == quote.apr.effective
        assert offer.installment == quote.installment
        assert offer.total_repayable == quote.total_repayable
        assert offer.total_cost == quote.total_interest + quote.total_fees
        assert offer.first_due == quote.schedule.rows[0].due_date
        assert offer.schedule_preview[-1].balance.is_zero()


def test_every_offer_passes_the_products_rules_and_lists_its_fees() -> None:
    app, decision = decided()
    for offer in build_offers(STANDARD_NEW, app, decision, start=START):
        assert offer.term_months in STANDARD_NEW.terms
        assert {fee.kind for fee in offer.fees} == {"origination", "gps"}
        assert len(offer.schedule_preview) == 4


def test_the_fees_financed_for_the_structure_asked_for_are_what_its_offer_adds_to_the_loan(
) -> None:  # fmt: skip
    app, decision = decided()
    first = build_offers(STANDARD_NEW, app, decision, start=START)[0]
    assert first.down_payment == app.down_payment  # the structure asked for
    fees = financed_fees(STANDARD_NEW, app)
    assert fees == Money.parse("1500.00", "CNY")  # the GPS fee; origination is paid in cash
    assert app.financed + fees == first.amount_financed
    assert financed_fees(SEASONAL, app).is_zero()


def test_a_declined_decision_has_no_offers() -> None:
    app, decision = decided(fraud=FraudSignals(0, 0, True))
    assert decision.outcome is Outcome.DECLINE
    assert build_offers(STANDARD_NEW, app, decision, start=START) == ()


def test_a_referred_used_car_over_36_months_is_offered_only_terms_the_product_allows() -> None:
    app = application(condition="used", price="100000.00", down="40000.00", term=48)
    app, decision = decided(app, USED_CAR)
    assert decision.outcome is Outcome.REFER
    offers = build_offers(USED_CAR, app, decision, start=START)
    assert offers and all(o.term_months <= 36 for o in offers)


def test_the_zero_percent_promotion_shows_the_borrowers_zero_interest() -> None:
    app, decision = decided(application(down="70000.00"), OEM_ZERO)
    offers = build_offers(OEM_ZERO, app, decision, start=START)
    assert offers and all(o.total_interest.is_zero() for o in offers)
    assert all(o.apr_nominal == 0 for o in offers)


def test_an_offer_round_trips_through_its_json_exactly() -> None:
    app, decision = decided()
    for offer in build_offers(STANDARD_NEW, app, decision, start=START):
        wire = offer_to_dict(offer)
        assert offer_from_dict(wire) == offer
        assert wire["installment"].count(".") == 1 and wire["apr_nominal_percent"]
        assert "customer_rate" not in wire and offer.customer_rate is None
    app, decision = decided(application(down="70000.00"), OEM_ZERO)
    for offer in build_offers(OEM_ZERO, app, decision, start=START):
        assert offer_from_dict(offer_to_dict(offer)) == offer


def test_a_subsidised_offer_says_the_borrowers_rate_beside_the_contract_rate() -> None:
    """The car maker's 0 % promotion: the contract carries the lender's rate, the borrower
    pays none of it, and the APR follows what the borrower pays."""
    app, decision = decided(application(down="70000.00"), OEM_ZERO)
    offers = build_offers(OEM_ZERO, app, decision, start=START)
    assert offers and all(o.customer_rate == 0 and o.subsidiser == "oem" for o in offers)
    assert all(o.annual_rate > 0 and o.apr_nominal == o.customer_rate for o in offers)
    assert offer_to_dict(offers[0])["customer_rate_percent"] == "0.00"


def test_an_offer_cannot_be_produced_without_its_apr() -> None:
    app, decision = decided()
    offer = build_offers(STANDARD_NEW, app, decision, start=START)[0]
    with pytest.raises(InvalidInput, match="APR") as error:
        replace(offer, apr_nominal=None)
    assert error.value.field == "apr"


def test_a_requested_structure_that_breaks_a_rule_is_not_offered() -> None:
    app = application(down="20000.00")  # LTV 90 % > 80 %
    app, decision = decided(app)
    offers = build_offers(STANDARD_NEW, app, decision, start=START)
    assert all(o.down_payment > app.down_payment for o in offers)
    for offer in offers:
        request = replace(
            _request(app), down_payment=offer.down_payment, term_months=offer.term_months
        )
        assert check_request(STANDARD_NEW, request, START) == []


def _request(app: ApplicationInput) -> ProductRequest:
    return product_request(
        app,
        app.household_obligations,
        down_payment=app.down_payment,
        term_months=app.term_months,
        amount=None,
        rate=Decimal("0.0524"),
    )


def test_offers_respect_a_policy_dsr_tighter_than_the_products() -> None:
    app, decision = decided(application(income="15000.00"))  # 1,000.00 existing debt
    requested = (36, app.down_payment)
    loose = build_offers(STANDARD_NEW, app, decision, start=START)
    tight = build_offers(STANDARD_NEW, app, decision, start=START, max_dsr=Decimal("0.35"))
    assert requested in {(o.term_months, o.down_payment) for o in loose}
    assert requested not in {(o.term_months, o.down_payment) for o in tight}
    assert tight
    for offer in tight:  # first payment + existing debt <= 35 % of 15,000.00
        assert offer.schedule_preview[0].payment.minor + 100_000 <= 525_000


@settings(max_examples=15, deadline=None)
@given(
    price=st.integers(min_value=100_000, max_value=600_000),
    down_share=st.integers(min_value=21, max_value=60),
    term=st.sampled_from(STANDARD_NEW.terms),
)
def test_any_approved_structure_gets_at_most_four_offers_each_within_the_rules(
    price: int, down_share: int, term: int
) -> None:
    down = price * down_share // 100
    app = application(price=f"{price}.00", down=f"{down}.00", term=term, income="80000.00")
    app, decision = decided(app)
    offers = build_offers(STANDARD_NEW, app, decision, start=START)
    assert len(offers) <= MAX_OFFERS
    for offer in offers:
        request = replace(
            _request(app), down_payment=offer.down_payment, term_months=offer.term_months
        )
        assert check_request(STANDARD_NEW, request, START) == []
        assert offer.apr_nominal is not None and offer.apr_nominal <= Decimal("0.24")


def _quoted(product: Product, term: int, price: str = "200000.00", down: str = "80000.00") -> Quote:
    request = deal_request(
        product, price=Money.parse(price, "CNY"), down_payment=Money.parse(down, "CNY"),
        term_months=term, rate=product.rate_min, start=START,
    )  # fmt: skip
    return build_quote(request)


def test_the_schedule_preview_pays_what_the_offer_says_monthly_fees_included() -> None:
    """The senior borrower's offer said 2,196.08 a month while its preview rows said
    2,161.08: the credit insurance premium paid with each installment was left out."""
    offer = offer_from_quote(1, _quoted(SENIOR_INSURED, 24))
    monthly = [f for f in offer.fees if f.timing == "monthly"]
    assert monthly and offer.monthly_payment != offer.installment
    for row in offer.schedule_preview[:-1]:
        assert row.fee is not None and row.fee.minor == sum(f.amount.minor for f in monthly)
        assert row.payment == row.principal + row.interest + row.fee
    assert offer.schedule_preview[0].payment == offer.monthly_payment
    assert offer_from_dict(offer_to_dict(offer)) == offer


def test_a_seasonal_preview_shows_its_largest_payment_beside_the_first_three_and_the_last() -> None:
    """The income-linked schedule's heavy months (weighted 2.5) were never previewed."""
    quote = _quoted(SEASONAL, 24)
    rows = quote.schedule.rows
    largest = max(rows, key=lambda r: r.payment)
    assert 3 < largest.n < len(rows)
    shown = [r.n for r in preview_rows(rows)]
    assert shown == [1, 2, 3, largest.n, len(rows)]
    assert [r.n for r in preview_rows(_quoted(STANDARD_NEW, 36).schedule.rows)] == [1, 2, 3, 36]


def test_a_seasonal_offer_says_its_installments_vary_and_a_balloon_or_annuity_does_not() -> None:
    """The seasonal offer labelled its first installment (3,179.36) "monthly installment"
    while its harvest months pay 15,896.82 (the borrower-numbers audit); a balloon's last
    row and an annuity's odd first row are not variation between."""
    seasonal = offer_from_quote(1, _quoted(SEASONAL, 24))
    assert seasonal.installments_vary
    assert offer_to_dict(seasonal)["installments_vary"] is True
    assert offer_from_dict(offer_to_dict(seasonal)) == seasonal
    for product, term in ((STANDARD_NEW, 36), (BALLOON, 36), (OEM_ZERO, 24)):
        offer = offer_from_quote(1, _quoted(product, term))
        assert not offer.installments_vary, product.code
        assert "installments_vary" not in offer_to_dict(offer)


def test_each_offer_states_the_penalty_rate_and_the_late_fee_of_its_contract() -> None:
    """PBOC 2003: penalty at the contract rate x (1 + uplift); STD_NEW has the pack's
    +50 % and no late fee, the used-car loan adds 50.00 after 15 days, and the 0 %
    promotion's penalty runs on its contract rate (the rate before the maker's subsidy),
    not on the borrower's 0 %: late payment is never free."""
    app, decision = decided()
    rate = decision.annual_rate
    assert rate is not None
    for offer in build_offers(STANDARD_NEW, app, decision, start=START):
        assert offer.late is not None
        assert offer.late.penalty_rate == rate * Decimal("1.5")
        assert offer.late.late_fee is None
        assert offer_from_dict(offer_to_dict(offer)) == offer
    used = application(condition="used", price="100000.00", down="40000.00", term=36)
    app, decision = decided(used, USED_CAR)
    offers = build_offers(USED_CAR, app, decision, start=START)
    assert offers and all(o.late is not None for o in offers)
    wire = offer_to_dict(offers[0])["late"]
    assert (wire["late_fee"], wire["late_fee_days"]) == ("50.00", 15)
    app, decision = decided(application(down="70000.00"), OEM_ZERO)
    zero = build_offers(OEM_ZERO, app, decision, start=START)
    assert zero and all(o.customer_rate == 0 for o in zero)
    for offer in zero:
        assert offer.late is not None and offer.annual_rate > 0
        assert offer.late.penalty_rate == offer.annual_rate * Decimal("1.5")


def test_an_offer_stored_before_the_late_terms_were_stated_reads_without_them() -> None:
    app, decision = decided()
    wire = offer_to_dict(build_offers(STANDARD_NEW, app, decision, start=START)[0])
    del wire["late"]
    assert offer_from_dict(wire).late is None


def test_a_us_offer_states_no_penalty_rate_but_the_overdue_interest_rate() -> None:
    """The US pack charges no penalty interest (uplift 0, no compounding): the wire said
    ``penalty_rate`` = the contract rate; now it is null beside ``overdue_interest_rate``,
    and a CN offer's late terms keep exactly their keys."""
    app, decision = decided()
    cn = build_offers(STANDARD_NEW, app, decision, start=START)[0]
    assert set(offer_to_dict(cn)["late"]) == {
        "penalty_rate", "penalty_rate_percent", "late_fee", "late_fee_days"
    }  # fmt: skip
    late = late_payment(US_NEW_AUTO, cn.annual_rate)
    assert late.late_fee is not None and late.late_fee.to_api() == "25.00"
    us = replace(cn, late=replace(late, late_fee=None, late_fee_days=0))  # the offer's yuan
    wire = offer_to_dict(us)["late"]
    assert (wire["penalty_rate"], wire["penalty_rate_percent"]) == (None, None)
    assert wire["overdue_interest_rate"] == str(cn.annual_rate)
    assert offer_from_dict(offer_to_dict(us)) == us
    assert us.late is not None and not us.late.penalty_interest
