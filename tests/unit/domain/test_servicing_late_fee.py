"""The contract's late fee, charged by the daily accrual (domain/servicing/late_fee.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.penalty import ceiling_amount_from_pack, policy_from_pack
from autolend.domain.regulation import CN_PACK
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import (
    WATERFALL_POLICIES,
    LateFeeRule,
    LoanState,
    Repayment,
    accrue,
    replay,
)

START = date(2026, 1, 5)
POLICY = policy_from_pack(CN_PACK, START)
RULE = LateFeeRule(5_000, 15)  # 50.00, 15 days after the due date
FIRST_DUE = date(2026, 2, 5)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def loan(principal: str = "12000", **kw: object) -> LoanState:
    terms = LoanTerms(principal=cny(principal), annual_rate=Decimal("0.12"), periods=12,
                      start=START)  # fmt: skip
    return LoanState.from_schedule("L1", build_schedule(terms), **kw)  # type: ignore[arg-type]


def charged_days(
    state: LoanState, through: date, *repayments: Repayment
) -> list[tuple[date, int, int]]:
    result = replay(state, list(repayments), through, POLICY, CN_PACK, late_fee=RULE)
    return [(d.date, d.late_fee_n, d.late_fee) for d in result.days if d.late_fee]


def test_an_unpaid_installment_is_charged_the_late_fee_once_on_the_fifteenth_day() -> None:
    run = accrue(loan(), date(2026, 3, 1), POLICY, CN_PACK, late_fee=RULE)
    assert [(d.date, d.late_fee_n, d.late_fee) for d in run.days if d.late_fee] == [
        (date(2026, 2, 20), 1, 5_000)
    ]
    first = run.state.installments[0]
    assert first.fee_due == 5_000
    assert run.state.installments[1].fee_due == 0
    # the fee is cost: the day's figures plus the fee make up what was charged
    interest = sum(d.interest for d in run.days)
    penalty = sum(d.penalty + d.compound for d in run.days)
    assert run.state.cost_charged == interest + penalty + 5_000


def test_each_late_installment_is_charged_on_its_own_day() -> None:
    assert charged_days(loan(), date(2026, 4, 30)) == [
        (date(2026, 2, 20), 1, 5_000), (date(2026, 3, 20), 2, 5_000),
        (date(2026, 4, 20), 3, 5_000),
    ]  # fmt: skip


def test_an_installment_paid_in_full_before_the_day_is_never_charged() -> None:
    paid = Repayment("r1", date(2026, 2, 19), cny("1100.00"))  # 1,066.19 + its penalty
    assert charged_days(loan(), date(2026, 3, 1), paid) == []


def test_a_partial_payment_does_not_avoid_the_late_fee() -> None:
    part = Repayment("r1", date(2026, 2, 10), cny("500.00"))
    assert charged_days(loan(), date(2026, 3, 1), part) == [(date(2026, 2, 20), 1, 5_000)]


def test_money_arriving_on_the_day_itself_comes_after_the_charge() -> None:
    """As with penalty interest, a repayment is allocated after its value date's accrual;
    the fee charged that morning is then paid by it (penalty, interest, fee, ...)."""
    on_the_day = Repayment("r1", date(2026, 2, 20), cny("1200.00"))
    result = replay(loan(), [on_the_day], date(2026, 2, 20), POLICY, CN_PACK, late_fee=RULE)
    assert result.state.installments[0].fee_due == 5_000
    assert result.state.installments[0].fee_paid == 5_000


def test_a_backdated_repayment_replayed_in_time_takes_the_fee_away() -> None:
    """The replay restates the loan from the events: the fee charged while the money was
    unknown disappears once it is known to have arrived in time."""
    without = replay(loan(), [], date(2026, 3, 1), POLICY, CN_PACK, late_fee=RULE)
    assert without.state.installments[0].fee_due == 5_000
    backdated = Repayment("r1", FIRST_DUE, cny("1066.19"))
    replayed = replay(loan(), [backdated], date(2026, 3, 1), POLICY, CN_PACK, late_fee=RULE)
    assert replayed.state.installments[0].fee_due == 0
    assert replayed.state.cost_charged < without.state.cost_charged


def test_without_a_rule_no_late_fee_is_charged() -> None:
    run = accrue(loan(), date(2026, 4, 30), POLICY, CN_PACK)
    assert all(d.late_fee == 0 for d in run.days)
    assert all(row.fee_due == 0 for row in run.state.installments)


def test_the_cost_ceiling_cuts_the_late_fee_to_the_room_left_after_penalty() -> None:
    """CN: every borrower cost together stays within 24 % a year of the principal
    (REGULATION.md). With an upfront cost near the cap, the fee gets only what the day's
    interest and penalty leave, and the cost then stands exactly at the cap."""
    day = date(2026, 2, 20)
    cap = ceiling_amount_from_pack(CN_PACK, cny("12000"), START, (day - START).days).minor
    assert cap == 12_000_00 * 24 * 46 // (100 * 360)  # 368.00 through day 46
    near = loan(cost_charged=cny("150.00"))
    without = accrue(near, day, POLICY, CN_PACK).state  # the same loan, no late fee
    room = cap - without.cost_charged
    assert 0 < room < RULE.amount
    run = accrue(near, day, POLICY, CN_PACK, late_fee=RULE)
    assert run.days[-1].late_fee == room
    assert (
        run.days[-1].penalty
        == without.penalty - accrue(near, day - timedelta(days=1), POLICY, CN_PACK).state.penalty
    )  # penalty came first
    assert run.days[-1].ceiling_reached
    assert run.state.cost_charged == cap
    assert run.state.installments[0].fee_due == room


def test_no_room_under_the_ceiling_means_no_late_fee() -> None:
    day = date(2026, 2, 20)
    cap = ceiling_amount_from_pack(CN_PACK, cny("12000"), START, (day - START).days).minor
    run = accrue(loan(cost_charged=Money.of_minor(cap, "CNY")), day, POLICY, CN_PACK,
                 late_fee=RULE)  # fmt: skip
    assert all(d.late_fee == 0 for d in run.days)
    assert run.state.installments[0].fee_due == 0


def test_a_late_fee_left_unpaid_is_no_days_past_due_and_the_next_fee_keeps_its_own_day() -> None:
    """Principal first (先本后息): 1,066.19 on Feb 25 pays installment 1's 946.19 principal
    and 120.00 interest and leaves its 50.00 late fee (and the penalty) unpaid. The loan
    is then current (0 DPD on Mar 4, not 27) though the fee is still due; installment 2
    (due Mar 5) unpaid is 15 DPD on Mar 20 (not 43) and is charged its own late fee that
    day: the fee looks at its installment, never at the loan's DPD."""
    paid = Repayment("r1", date(2026, 2, 25), cny("1066.19"))
    waterfalls = WATERFALL_POLICIES["principal_first"]

    def upto(day: date) -> LoanState:
        run = replay(loan(), [paid], day, POLICY, CN_PACK, waterfalls=waterfalls, late_fee=RULE)
        return run.state

    first = upto(date(2026, 3, 4)).installments[0]
    assert (first.principal_paid, first.interest_paid, first.fee_due, first.fee_paid) == (
        94_619, 12_000, 5_000, 0,
    )  # fmt: skip
    assert upto(date(2026, 3, 4)).days_past_due(date(2026, 3, 4)) == 0
    assert upto(date(2026, 3, 4)).amount_due(date(2026, 3, 4)) >= 5_000  # fee + penalty
    assert upto(date(2026, 3, 20)).days_past_due(date(2026, 3, 20)) == 15
    result = replay(loan(), [paid], date(2026, 3, 31), POLICY, CN_PACK, waterfalls=waterfalls,
                    late_fee=RULE)  # fmt: skip
    charged = [(d.date, d.late_fee_n, d.late_fee) for d in result.days if d.late_fee]
    assert charged == [(date(2026, 2, 20), 1, 5_000), (date(2026, 3, 20), 2, 5_000)]


@pytest.mark.parametrize(
    ("amount", "days", "field"),
    [(0, 15, "amount"), (-1, 15, "amount"), (5_000, 0, "after_days"), (5_000, 91, "after_days"),
     (True, 15, "amount")],
)  # fmt: skip
def test_a_rule_outside_its_limits_is_refused_naming_the_field(
    amount: int, days: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        LateFeeRule(amount, days)
    assert refused.value.field == field
