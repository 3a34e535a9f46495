"""A person's counter-offer (new down payment and / or term) never lends more than the
application asked for: before, every counter-offer dropped the amount asked, so the
loan became price - down payment (a term-only counter-offer on 200,000.00 with 10,000.00
down and 100,000.00 asked financed 190,000.00)."""

from __future__ import annotations

from datetime import date

from autolend.domain.application import ApplicationInput, parse_application
from autolend.domain.money import Money
from autolend.services.review_terms import restructured
from tests.support.origination import application_body

AS_OF = date(2026, 11, 28)


def asked(amount: str | None) -> ApplicationInput:
    body = application_body(down_payment="10000.00", amount=amount)
    return parse_application(body, as_of=AS_OF)


def test_a_term_only_counter_offer_keeps_the_amount_asked() -> None:
    data = restructured(asked("100000.00"), {"term_months": 24})
    assert data.amount == Money.parse("100000.00", "CNY") and data.term_months == 24


def test_a_larger_down_payment_lends_the_price_less_it_when_that_is_less_than_asked() -> None:
    data = restructured(asked("100000.00"), {"down_payment": "150000.00"})
    assert data.amount is None  # 200,000.00 - 150,000.00 = 50,000.00 financed
    assert data.down_payment == Money.parse("150000.00", "CNY")


def test_without_an_amount_asked_the_loan_follows_the_down_payment_as_before() -> None:
    data = restructured(asked(None), {"down_payment": "60000.00"})
    assert data.amount is None
