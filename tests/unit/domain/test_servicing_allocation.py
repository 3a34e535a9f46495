"""The allocation waterfall: where a repayment goes, exactly, and the advance balance."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.errors import Conflict, CurrencyMismatch, InvalidInput
from autolend.domain.money import Money, currency
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import (
    DEFAULT_WATERFALL,
    NON_PERFORMING_POLICY,
    PRINCIPAL_FIRST,
    STANDARD_POLICY,
    Allocation,
    Bucket,
    Component,
    LoanState,
    LoanStatus,
    Waterfall,
    WaterfallPolicy,
    advance_allocation,
    allocate,
    apply_advance,
    apply_allocation,
    charge_fee,
    waterfall_for,
)

CNY = currency("CNY")
START = date(2026, 1, 5)
ON_0315 = date(2026, 3, 15)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def fresh(principal: str = "12000", periods: int = 12) -> LoanState:
    terms = LoanTerms(principal=cny(principal), annual_rate=Decimal("0.12"), periods=periods,
                      start=START)  # fmt: skip
    return LoanState.from_schedule("L1", build_schedule(terms))


def lines(allocation: Allocation) -> list[tuple[int, str, str, int]]:
    return [(ln.n, ln.component.value, ln.bucket.value, ln.amount) for ln in allocation.lines]


# On 2026-03-15 installments 1 (due 02-05: interest 120.00, principal 946.19) and
# 2 (due 03-05: interest 110.54, principal 955.65) are overdue; penalty 3.00, compound 0.40.
OVERDUE = replace(fresh(), penalty=300, compound=40)


# --- waterfalls ---------------------------------------------------------------------------


def test_the_default_waterfall_order() -> None:
    assert [(c.value, b.value) for c, b in DEFAULT_WATERFALL.steps] == [
        ("penalty", "overdue"), ("interest", "overdue"), ("fee", "overdue"),
        ("principal", "overdue"), ("interest", "current"), ("fee", "current"),
        ("principal", "current"),
    ]  # fmt: skip
    assert PRINCIPAL_FIRST.steps[0] == (Component.PRINCIPAL, Bucket.OVERDUE)
    assert PRINCIPAL_FIRST.steps[-1] == (Component.PENALTY, Bucket.OVERDUE)


def test_a_waterfall_accepts_strings_but_must_hold_every_step_once() -> None:
    steps = tuple((c.value, b.value) for c, b in DEFAULT_WATERFALL.steps)
    assert Waterfall("copy", steps) == replace(DEFAULT_WATERFALL, name="copy")  # type: ignore[arg-type]
    for bad in (steps[:-1], (*steps, steps[0]), (*steps[:-1], ("penalty", "current")),
                (("bogus", "overdue"), *steps[1:]), (1, 2)):  # fmt: skip
        with pytest.raises(InvalidInput) as error:
            Waterfall("bad", bad)  # type: ignore[arg-type]
        assert error.value.field == "steps"


def test_a_policy_picks_the_waterfall_by_days_past_due() -> None:
    assert waterfall_for(STANDARD_POLICY, 500) is DEFAULT_WATERFALL
    assert waterfall_for(NON_PERFORMING_POLICY, 0) is DEFAULT_WATERFALL
    assert waterfall_for(NON_PERFORMING_POLICY, 90) is DEFAULT_WATERFALL
    assert waterfall_for(NON_PERFORMING_POLICY, 91) is PRINCIPAL_FIRST
    other = replace(DEFAULT_WATERFALL, name="other")
    three = WaterfallPolicy(DEFAULT_WATERFALL, ((31, other), (91, PRINCIPAL_FIRST)))
    assert [waterfall_for(three, d).name for d in (30, 31, 90, 91)] == [
        "default", "other", "other", "principal_first",
    ]  # fmt: skip
    for bad in (((0, other),), ((50, other), (40, other)), ((True, other),), ((5, "x"),)):
        with pytest.raises(InvalidInput):
            WaterfallPolicy(DEFAULT_WATERFALL, bad)  # type: ignore[arg-type]


# --- allocate -----------------------------------------------------------------------------


def test_penalty_first_then_overdue_interest_then_overdue_principal_oldest_first() -> None:
    result = allocate(OVERDUE, cny("1300"), ON_0315)
    # 3.00 + 0.40 penalty; 120.00 + 110.54 interest (1 then 2); 946.19 principal of 1;
    # 1,300.00 - 3.40 - 230.54 - 946.19 = 119.87 of principal 2.
    assert (result.to_penalty, result.to_compound, result.to_advance) == (300, 40, 0)
    assert lines(result) == [
        (1, "interest", "overdue", 12000), (2, "interest", "overdue", 11054),
        (1, "principal", "overdue", 94619), (2, "principal", "overdue", 11987),
    ]  # fmt: skip
    assert result.total == 130000 and result.waterfall == "default"
    assert result.to_component(Component.PENALTY) == 340
    assert result.to_component(Component.PRINCIPAL) == 94619 + 11987
    assert result.to_installment(2) == 11054 + 11987


def test_a_small_payment_may_not_even_cover_the_penalty() -> None:
    result = allocate(OVERDUE, cny("3.20"), ON_0315)
    assert (result.to_penalty, result.to_compound, result.lines) == (300, 20, ())


def test_current_means_due_on_the_day_and_the_rest_waits_in_the_advance() -> None:
    state = fresh()
    on_due = allocate(state, cny("1100"), date(2026, 2, 5))
    assert lines(on_due) == [(1, "interest", "current", 12000),
                             (1, "principal", "current", 94619)]  # fmt: skip
    assert on_due.to_advance == 110000 - 106619
    ahead = allocate(state, cny("1100"), date(2026, 2, 4))  # nothing due yet
    assert ahead.lines == () and ahead.to_advance == 110000


def test_fees_come_right_after_interest_by_default() -> None:
    state = charge_fee(fresh(), 1, cny("20"))
    result = allocate(state, cny("130"), date(2026, 2, 6))
    assert lines(result) == [(1, "interest", "overdue", 12000), (1, "fee", "overdue", 1000)]


def test_principal_first_pays_principal_then_interest_then_penalty() -> None:
    result = allocate(OVERDUE, cny("2000"), ON_0315, PRINCIPAL_FIRST)
    # 946.19 + 955.65 principal, then 98.16 of interest 1 (2,000.00 - 1,901.84)
    assert lines(result) == [
        (1, "principal", "overdue", 94619), (2, "principal", "overdue", 95565),
        (1, "interest", "overdue", 9816),
    ]  # fmt: skip
    assert result.to_penalty == 0 and result.waterfall == "principal_first"


def test_zero_negative_and_foreign_amounts() -> None:
    nothing = allocate(OVERDUE, cny("0"), ON_0315)
    assert nothing.total == 0 and nothing.lines == ()
    with pytest.raises(InvalidInput):
        allocate(OVERDUE, cny("-1"), ON_0315)
    with pytest.raises(CurrencyMismatch):
        allocate(OVERDUE, Money.parse("1", "USD"), ON_0315)


def test_an_allocation_whose_parts_do_not_sum_is_refused() -> None:
    good = allocate(OVERDUE, cny("10"), ON_0315)
    with pytest.raises(InvalidInput):
        replace(good, to_advance=good.to_advance + 1)
    with pytest.raises(InvalidInput):
        replace(good, to_penalty=-1, to_compound=good.to_compound + 1 + good.to_penalty)


# --- apply --------------------------------------------------------------------------------


def test_applying_moves_the_money_and_applying_twice_is_a_conflict() -> None:
    result = allocate(OVERDUE, cny("1300"), ON_0315)
    after = apply_allocation(OVERDUE, result)
    assert (after.penalty, after.compound, after.penalty_paid, after.compound_paid) == (
        0,
        0,
        300,
        40,
    )
    assert after.installments[0].is_paid
    assert after.installments[1].principal_paid == 11987
    assert after.days_past_due(ON_0315) == 10
    with pytest.raises(Conflict):
        apply_allocation(after, result)
    with pytest.raises(Conflict):
        apply_allocation(replace(OVERDUE, loan_id="L2"), result)


def test_paying_everything_pays_the_loan_off() -> None:
    state = fresh("1200", 3)
    last_due = state.installments[-1].due_date
    total = sum(row.total_outstanding for row in state.installments)
    result = allocate(state, Money(total + 5, CNY), last_due)
    done = apply_allocation(state, result)
    assert done.status is LoanStatus.PAID_OFF and done.advance == 5
    written_off = replace(state, status=LoanStatus.WRITTEN_OFF)
    assert apply_allocation(written_off, result).status is LoanStatus.WRITTEN_OFF


def test_the_advance_is_applied_as_installments_fall_due() -> None:
    state = fresh("1200", 3)  # 408.03 a month, due 02-05, 03-05, 04-05
    ahead = apply_allocation(state, allocate(state, cny("900"), date(2026, 1, 20)))
    assert ahead.advance == 90000
    assert apply_advance(ahead, date(2026, 2, 4)) == ahead  # nothing due yet
    first = apply_advance(ahead, date(2026, 2, 5))
    assert first.installments[0].is_paid and first.advance == 90000 - 40803
    moved = advance_allocation(ahead, date(2026, 2, 5))
    assert moved.from_advance and moved.to_advance == 90000 - 40803
    second = apply_advance(first, date(2026, 3, 5))
    assert second.installments[1].is_paid and second.advance == 90000 - 2 * 40803
    third = apply_advance(second, date(2026, 4, 5))  # 83.94 left: short of 408.03
    assert third.advance == 0 and third.installments[2].total_paid == 90000 - 2 * 40803
    assert apply_advance(third, date(2026, 4, 5)) == third
    with pytest.raises(Conflict):
        apply_allocation(replace(first, advance=0), moved)


# --- properties ---------------------------------------------------------------------------


@st.composite
def partly_paid_states(draw: st.DrawFn) -> tuple[LoanState, date]:
    """A 12-month loan with random payments, penalty, compound and fees, and a date."""
    state = fresh(str(draw(st.integers(1000, 500_000))), draw(st.integers(1, 12)))
    rows = list(state.installments)
    for i, row in enumerate(rows):
        fee = draw(st.integers(0, 5000))
        rows[i] = replace(row, fee_due=fee,
                          principal_paid=draw(st.integers(0, row.principal_due)),
                          interest_paid=draw(st.integers(0, row.interest_due)),
                          fee_paid=draw(st.integers(0, fee)))  # fmt: skip
    state = replace(state, installments=tuple(rows), penalty=draw(st.integers(0, 100_000)),
                    compound=draw(st.integers(0, 10_000)))  # fmt: skip
    as_of = START + timedelta(days=draw(st.integers(0, 400)))
    return state, as_of


WATERFALLS = st.sampled_from([DEFAULT_WATERFALL, PRINCIPAL_FIRST])


@settings(max_examples=300, deadline=None)
@given(case=partly_paid_states(), amount=st.integers(0, 10_000_000), waterfall=WATERFALLS)
def test_an_allocation_sums_exactly_and_leaves_no_balance_negative(
    case: tuple[LoanState, date], amount: int, waterfall: Waterfall
) -> None:
    state, as_of = case
    result = allocate(state, Money(amount, CNY), as_of, waterfall)
    assert result.total == amount
    after = apply_allocation(state, result)  # validation refuses any negative balance
    due = state.amount_due(as_of)
    assert result.to_advance == max(amount - due, 0)
    assert after.amount_due(as_of) == max(due - amount, 0)
    paid_before = sum(r.total_paid for r in state.installments)
    paid_after = sum(r.total_paid for r in after.installments)
    assert (
        paid_after
        - paid_before
        + result.to_penalty
        + result.to_compound
        + (after.advance - state.advance)
        == amount
    )
    if result.to_advance:
        assert after.amount_due(as_of) == 0


@settings(max_examples=200, deadline=None)
@given(case=partly_paid_states(), first=st.integers(0, 3_000_000),
       second=st.integers(0, 3_000_000), waterfall=WATERFALLS)  # fmt: skip
def test_two_payments_on_a_day_leave_the_state_one_payment_of_their_sum_would(
    case: tuple[LoanState, date], first: int, second: int, waterfall: Waterfall
) -> None:
    state, as_of = case
    once = apply_allocation(state, allocate(state, Money(first + second, CNY), as_of, waterfall))
    split = apply_allocation(state, allocate(state, Money(first, CNY), as_of, waterfall))
    split = apply_allocation(split, allocate(split, Money(second, CNY), as_of, waterfall))
    assert split == once
