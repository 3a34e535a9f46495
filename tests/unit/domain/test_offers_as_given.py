"""A person's counter-offer is the structure they set: ``build_offers(..., as_given=True)``
offers it alone or nothing, never other terms beside it, and :func:`structure_breaks`
says why nothing (the same debt and DSR limit as the offers are checked with)."""

from __future__ import annotations

from decimal import Decimal

from autolend.domain.money import Money
from autolend.domain.offers import build_offers, structure_breaks
from autolend.domain.product_catalogue import STANDARD_NEW
from tests.unit.domain.test_decision import application
from tests.unit.domain.test_offers import START, decided

RATE = Decimal("0.0524")


def test_a_structure_as_given_is_the_one_offer() -> None:
    app, decision = decided(application(down="80000.00", term=24))
    offers = build_offers(STANDARD_NEW, app, decision, start=START, as_given=True)
    assert [(o.option, o.term_months, o.down_payment) for o in offers] == [
        (1, 24, Money.parse("80000.00", "CNY"))
    ]
    assert len(build_offers(STANDARD_NEW, app, decision, start=START)) > 1  # the engine's own


def test_a_structure_the_reported_debt_makes_unaffordable_has_no_offer_and_says_why() -> None:
    """20,000.00 a month; 36 months at 5.24 % is about 4,250.00: 26 % beside the 1,000.00
    declared, 53 % beside 6,500.00 reported (the product's cap is 50 %)."""
    app, decision = decided()
    owed = Money.parse("6500.00", "CNY")
    assert build_offers(STANDARD_NEW, app, decision, start=START, as_given=True)
    assert not build_offers(STANDARD_NEW, app, decision, start=START, obligations=owed,
                            as_given=True)  # fmt: skip
    assert structure_breaks(STANDARD_NEW, app, RATE, start=START) == ()
    broken = structure_breaks(STANDARD_NEW, app, RATE, start=START, obligations=owed)
    assert [hit.rule for hit in broken] == ["dsr_above_cap"]


def test_the_policys_tighter_dsr_limit_is_one_the_structure_breaks() -> None:
    app, _ = decided(application(income="15000.00"))  # about 37 % with the 1,000.00 declared
    assert structure_breaks(STANDARD_NEW, app, RATE, start=START) == ()
    tight = structure_breaks(STANDARD_NEW, app, RATE, start=START, max_dsr=Decimal("0.30"))
    assert [hit.rule for hit in tight] == ["dsr_above_cap"]
