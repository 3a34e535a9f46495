"""Servicing terms a product fixes in the contract: the waterfall policy by name, and the
monthly fees carried in every installment, billed on its due date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.errors import Conflict, InvalidInput
from autolend.domain.money import Money
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import CN_PACK
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import (
    NON_PERFORMING_POLICY,
    STANDARD_POLICY,
    LoanState,
    accrue,
    allocate,
    apply_allocation,
    waivable_fee,
    waive_fee,
    waterfall_for,
    waterfall_policy,
)

START = date(2026, 1, 5)
TERMS = LoanTerms(
    principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"), periods=12, start=START
)


def fee_loan(monthly: str = "80.00") -> LoanState:
    return LoanState.from_schedule(
        "L1", build_schedule(TERMS), monthly_fee=Money.parse(monthly, "CNY")
    )


def run_through(state: LoanState, day: date) -> LoanState:
    return accrue(state, day, policy_from_pack(CN_PACK, START), CN_PACK).state


def test_a_product_names_its_waterfall_policy() -> None:
    assert waterfall_policy("standard") is STANDARD_POLICY
    assert waterfall_policy("non_performing") is NON_PERFORMING_POLICY
    assert waterfall_for(waterfall_policy("principal_first"), 0).name == "principal_first"


@pytest.mark.parametrize("name", ["interest_last", "", None, 3])
def test_an_unknown_waterfall_name_is_invalid_input_naming_the_field(name: object) -> None:
    with pytest.raises(InvalidInput, match="standard, principal_first") as caught:
        waterfall_policy(name)
    assert caught.value.field == "waterfall"


def test_the_same_repayment_goes_elsewhere_under_principal_first() -> None:
    overdue = run_through(LoanState.from_schedule("L1", build_schedule(TERMS)), date(2026, 2, 15))
    amount, day = Money.parse("500", "CNY"), date(2026, 2, 15)
    standard = allocate(overdue, amount, day, waterfall_for(STANDARD_POLICY, 10))
    first = allocate(overdue, amount, day, waterfall_for(waterfall_policy("principal_first"), 10))
    assert standard.to_penalty > 0 and standard.lines[0].component.value == "interest"
    assert [(line.component.value, line.amount) for line in first.lines] == [("principal", 50000)]


def test_every_installment_carries_the_monthly_fee_from_booking() -> None:
    state = fee_loan()
    assert {row.fee_due for row in state.installments} == {8000}
    assert state.monthly_fee == 8000 and state.cost_charged == 0
    assert state.unbilled_fees(START) == 12 * 8000


def test_the_monthly_fee_is_billed_on_the_due_date_and_counts_as_cost() -> None:
    run = accrue(fee_loan(), date(2026, 2, 5), policy_from_pack(CN_PACK, START), CN_PACK)
    billed = [(day.date, day.fee) for day in run.days if day.fee]
    assert billed == [(date(2026, 2, 5), 8000)]
    interest = sum(day.interest for day in run.days)
    assert run.state.cost_charged == interest + 8000
    assert run.state.unbilled_fees(date(2026, 2, 5)) == 11 * 8000


def test_paying_the_installment_on_its_due_date_pays_its_fee() -> None:
    state = run_through(fee_loan(), date(2026, 2, 5))
    paid = allocate(state, Money.parse("1146.19", "CNY"), date(2026, 2, 5))
    assert paid.to_installment(1) == 114619 and paid.to_advance == 0


def test_a_monthly_fee_not_yet_billed_cannot_be_waived() -> None:
    state = fee_loan()
    with pytest.raises(Conflict, match=r"unpaid fee 0\.00"):
        waive_fee(state, 3, 1000, date(2026, 2, 10))
    billed = run_through(state, date(2026, 2, 5))
    assert waive_fee(billed, 1, 8000, date(2026, 2, 5)).installments[0].fee_due == 0


def test_what_a_waiver_may_take_is_the_fee_billed_and_still_unpaid() -> None:
    state = fee_loan()
    assert waivable_fee(state, 3, date(2026, 2, 10)) == 0  # due in April: not billed yet
    billed = run_through(state, date(2026, 2, 5))
    assert waivable_fee(billed, 1, date(2026, 2, 5)) == 8000
    paid = apply_allocation(
        billed, allocate(billed, Money.parse("1146.19", "CNY"), date(2026, 2, 5))
    )
    assert waivable_fee(paid, 1, date(2026, 2, 5)) == 0  # paid: nothing left to waive
