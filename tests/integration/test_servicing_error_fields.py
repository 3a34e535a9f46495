"""Servicing refusals name the field at fault and say what to do in words a person
reads: a disbursement on the wrong day names ``value_date`` (it named ``amount`` with a
right amount), and a partial prepayment of the whole balance says to pay the loan off
(it said "use payoff_amount", a function's name)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from autolend.bootstrap import Container
from autolend.domain.errors import Conflict, InvalidInput
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


def test_a_change_under_a_payoff_is_a_conflict_naming_the_payoff(container: Container) -> None:
    """A repayment dated before the payoff, or the reversal of one the payoff counted on,
    answered "the payoff on 2026-02-20 is exactly ..." on ``amount``; the loan keeps its
    payoff and the refusal says to reverse it first."""
    loan = book(container)
    paid = pay(container, loan, "1066.19", date(2026, 2, 5))
    day = date(2026, 2, 20)
    quote = container.services.loans.payoff_quote(SERVICING, loan, day)
    data = MoneyIn(cny(quote["total"]), day, "bank_transfer", None, "payoff")
    payoff = container.services.servicing.prepay(SERVICING, loan, data).body
    servicing = container.services.servicing
    backdated = MoneyIn(cny("100.00"), date(2026, 2, 10), "bank_transfer", "late")
    said = rf"paid off on 2026-02-20 \(payoff {payoff['id']}\): .* reverse the payoff first"
    with pytest.raises(Conflict, match=said):
        servicing.post_repayment(SERVICING, loan, backdated)
    with pytest.raises(Conflict, match=said):
        servicing.reverse_repayment(SERVICING, loan, int(str(paid["id"])), "bounced")
    shown = container.services.loans.transactions(SERVICING, loan)
    assert [t["kind"] for t in shown if t["status"] == "posted"][-1] == "payoff"
    assert container.services.loans.get(SERVICING, loan)["status"] == "paid_off"
