"""An offer's subsidy within what its plan's per-borrower cap leaves the borrower
(``domain/offers_subsidy.py``): never more than the room, at the lowest rate on the
0.01 % grid that fits, none when nothing is left; the product's rules (the DSR) are
checked at the rate the borrower then pays, and the loan booked from an offer takes the
subsidy the offer states."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.application import ApplicationInput, parse_application
from autolend.domain.decision import Decision, Outcome
from autolend.domain.decision_rules import deal_request
from autolend.domain.money import Money
from autolend.domain.offers import build_offers, structure_breaks
from autolend.domain.offers_subsidy import (
    RATE_STEP,
    capped_subsidy,
    stated_subsidy,
    subsidy_paid,
)
from autolend.domain.product_catalogue import NEV_GREEN_2025, OEM_ZERO
from autolend.domain.quote import QuoteRequest, first_payment
from autolend.domain.schedule import Subsidy

START = date(2026, 6, 1)  # under the 2025 state plan: 3,000.00 a borrower
RATE = Decimal("0.0699")


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def deal(term: int = 36, down: str = "60000") -> QuoteRequest:
    return deal_request(NEV_GREEN_2025, price=cny("200000"), down_payment=cny(down),
                        term_months=term, rate=RATE, start=START)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(room=st.integers(min_value=0, max_value=90_000), term=st.sampled_from([12, 36, 60]),
       down=st.sampled_from(["40000", "60000", "150000"]))  # fmt: skip
def test_the_subsidy_offered_never_exceeds_the_room_and_its_rate_is_the_lowest_that_fits(
    room: int, term: int, down: str
) -> None:
    full = deal(term, down)
    capped = capped_subsidy(full, room)
    assert subsidy_paid(capped) <= room
    assert full.subsidy is not None
    if subsidy_paid(full) <= room and room > 0:
        assert capped is full  # the whole subsidy fits: the product's own rate
    elif capped.subsidy is None:  # not even the grid's highest rate below 6.99 % fits
        assert room == 0 or subsidy_paid(full, RATE - RATE_STEP) > room
    else:
        rate = capped.subsidy.customer_rate
        assert rate % RATE_STEP == 0 and full.subsidy.customer_rate < rate < RATE
        lower = rate - RATE_STEP
        assert lower <= full.subsidy.customer_rate or subsidy_paid(full, lower) > room


def test_a_plan_without_a_per_borrower_cap_or_with_room_enough_keeps_the_products_subsidy(
) -> None:  # fmt: skip
    maker = deal_request(OEM_ZERO, price=cny("200000"), down_payment=cny("60000"),
                         term_months=24, rate=Decimal("0.045"), start=START)  # fmt: skip
    assert capped_subsidy(maker, None) is maker
    assert capped_subsidy(deal(), 300_000) == deal()
    assert capped_subsidy(deal(), 79_560).subsidy == deal().subsidy  # exactly the full 795.60


def test_with_nothing_left_the_offer_has_no_subsidy_and_the_borrower_pays_the_contract_rate(
) -> None:  # fmt: skip
    assert capped_subsidy(deal(), 0).subsidy is None
    assert capped_subsidy(deal(), 0).annual_rate == RATE


def test_the_loan_booked_from_an_offer_takes_the_subsidy_the_offer_states() -> None:
    stated = stated_subsidy(deal(), Decimal("0.0691"), "state")
    assert stated.subsidy == Subsidy(Decimal("0.0691"), "state")
    assert stated_subsidy(deal(), None, None).subsidy is None  # the offer stated none
    maker = deal_request(OEM_ZERO, price=cny("200000"), down_payment=cny("60000"),
                         term_months=24, rate=Decimal("0.045"), start=START)  # fmt: skip
    assert stated_subsidy(maker, Decimal("0"), "oem") == maker  # as the product prices it


def nev_application(income: Money) -> ApplicationInput:
    body = {
        "channel": "dealer", "product_code": "NEV_GREEN", "term_months": 36,
        "down_payment": "60000.00",
        "applicants": [{"role": "borrower", "name": "王五", "id_number": "110105198901010062",
                        "mobile": "13800138000", "address": "上海", "employment": "salaried",
                        "monthly_income": income.to_api(), "monthly_obligations": "1000.00"}],
        "vehicle": {"make": "BYD", "model": "Seal", "energy": "nev", "condition": "new",
                    "price": "200000.00", "dealer_id": 3},
        "consents": [{"kind": "bureau_query", "text_version": "v1"}],
    }  # fmt: skip
    return parse_application(body, as_of=START)


def test_the_dsr_is_checked_at_the_rate_the_borrower_pays_once_the_room_lowered_the_subsidy(
) -> None:  # fmt: skip
    """An income just enough for the installment at the full subsidy (6.63 %) passes the
    DSR cap; with no room left the installment at 6.99 % breaks it, and no offer of
    that structure is made."""
    limit = NEV_GREEN_2025.eligibility.max_dsr
    sample = NEV_GREEN_2025.sample_request(cny("140000"), 36, RATE)
    full = deal().subsidy
    assert full is not None
    first = first_payment(replace(sample, annual_rate=full.customer_rate)).minor
    income = Money.of_minor(math.ceil(Decimal(first + 100_000) / limit), "CNY")
    app = nev_application(income)
    approval = Decision(Outcome.APPROVE, (), None, None, None, None, None, (), RATE, None, (),
                        None, "test", 1)  # fmt: skip
    assert structure_breaks(NEV_GREEN_2025, app, RATE, start=START) == ()
    broken = structure_breaks(NEV_GREEN_2025, app, RATE, start=START, room=0)
    assert [hit.rule for hit in broken] == ["dsr_above_cap"]
    offered = build_offers(NEV_GREEN_2025, app, approval, start=START, as_given=True)
    assert [o.customer_rate for o in offered] == [full.customer_rate]
    assert build_offers(NEV_GREEN_2025, app, approval, start=START, as_given=True, room=0) == ()
