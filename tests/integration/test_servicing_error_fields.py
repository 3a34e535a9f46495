"""Servicing refusals name the field at fault and say what to do in words a person
reads: a disbursement on the wrong day names ``value_date`` (it named ``amount`` with a
right amount), and a partial prepayment of the whole balance says to pay the loan off
(it said "use payoff_amount", a function's name)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from autolend.bootstrap import Container
from autolend.domain.errors import InvalidInput
from autolend.services.loans import DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.integration.test_loan_services import (
    SERVICING,
    START,
    book,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
    pay,
)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("amount", "day", "field"),
    [("12000", START + timedelta(days=3), "value_date"), ("11000", START, "amount")],
)
def test_a_disbursement_off_the_terms_names_the_field_at_fault(
    container: Container, amount: str, day: date, field: str
) -> None:
    loan = book(container, disburse=False)
    with pytest.raises(InvalidInput, match=r"disburse the principal 12000\.00") as refused:
        container.services.loans.disburse(SERVICING, loan, DisbursementInput(cny(amount), day))
    assert refused.value.field == field


def test_a_prepayment_of_the_whole_balance_says_to_pay_the_loan_off(
    container: Container,
) -> None:
    loan = book(container)
    pay(container, loan, "1066.19", date(2026, 2, 5))
    data = MoneyIn(cny("12000.00"), date(2026, 2, 5), "bank_transfer", None, "shorten_term")
    with pytest.raises(InvalidInput, match=r"pay the loan off \(mode payoff\)") as refused:
        container.services.servicing.prepay(SERVICING, loan, data)
    assert "payoff_amount" not in str(refused.value)
