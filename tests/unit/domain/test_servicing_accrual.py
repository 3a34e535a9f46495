"""Daily accrual (the reference of the end-of-day batch) and replay of repayments."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, currency
from autolend.domain.penalty import PenaltyPolicy, ceiling_amount_from_pack, policy_from_pack
from autolend.domain.regulation import CN_PACK, CostCeiling, Effective, RegulationPack
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import (
    NON_PERFORMING_POLICY,
    STANDARD_POLICY,
    DailyAccrual,
    Event,
    LoanState,
    LoanStatus,
    Repayment,
    Reversal,
    WaterfallPolicy,
    accrue,
    allocate,
    apply_allocation,
    bucket_of,
    cumulative_interest,
    replay,
    waterfall_for,
)

CNY = currency("CNY")
START = date(2026, 1, 5)
POLICY = policy_from_pack(CN_PACK, START)  # uplift 50 %, ACT/360, half-up


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def loan(
    principal: str = "12000", periods: int = 12, rate: str = "0.12", **kw: object
) -> LoanState:
    terms = LoanTerms(principal=cny(principal), annual_rate=Decimal(rate), periods=periods,
                      start=START)  # fmt: skip
    return LoanState.from_schedule("L1", build_schedule(terms), **kw)  # type: ignore[arg-type]


def run(state: LoanState, through: date) -> LoanState:
    return accrue(state, through, POLICY, CN_PACK).state


# --- the worked example -------------------------------------------------------------------


def test_worked_example_a_late_second_installment_paid_in_two_parts() -> None:
    """12,000.00 at 12 % for 12 months, equal installments, period basis, ACT/360 penalty.

    Schedule (start 2026-01-05, first due 2026-02-05):
      installment 12,000 x 0.01 / (1 - 1.01^-12) = 1,066.1855 -> 1,066.19
      row 1 (due 02-05, 31 days): interest 12,000.00 x 0.01 = 120.00, principal 946.19,
        balance 11,053.81
      row 2 (due 03-05, 28 days): interest 11,053.81 x 0.01 = 110.5381 -> 110.54,
        principal 955.65, balance 10,098.16
      row 3 (due 04-05, 31 days): interest 10,098.16 x 0.01 = 100.9816 -> 100.98

    1. 2026-02-05: 1,066.19 paid on the due date -> current interest 120.00, current
       principal 946.19; nothing overdue, no penalty.  Day 1 of period 1 earned
       120.00 / 31 = 3.871 -> 3.87.
    2. Installment 2 is unpaid on 03-05 and overdue from 03-06.  Penalty rate 12 % x 1.5
       = 18 %.  Each day: 955.65 x 0.18 / 360 = 0.477825 -> 0.48 on the principal and
       110.54 x 0.18 / 360 = 0.05527 -> 0.06 compound on the interest; 03-06 .. 03-15
       is 10 days: penalty 4.80, compound 0.60.  DPD on 03-15: 10 (bucket 1-30).
    3. 2026-03-15, 500.00: penalty 4.80, compound 0.60, overdue interest 110.54, overdue
       principal 500.00 - 4.80 - 0.60 - 110.54 = 384.06; principal left 955.65 - 384.06
       = 571.59; still 10 DPD.
    4. 03-16 accrues one more day: 571.59 x 0.18 / 360 = 0.285795 -> 0.29; no overdue
       interest, so no compound.  The rest, 571.59 + 0.29 = 571.88, clears it: 0 DPD.
       Period 3 has run 11 of 31 days: accrued interest 100.98 x 11 / 31 = 35.8316 ->
       35.83.  Cost charged: interest 120.00 + 110.54 + 35.83 = 266.37, penalty 5.09,
       compound 0.60 = 272.06, far under the ceiling 12,000 x 24 % x 70 / 360 = 560.00.
    """
    initial = loan()
    rows = build_schedule(initial.terms).rows
    assert [(r.payment, r.interest, r.principal) for r in rows[:3]] == [
        (106619, 12000, 94619), (106619, 11054, 95565), (106619, 10098, 96521),
    ]  # fmt: skip

    on_time = replay(initial, [Repayment("r1", date(2026, 2, 5), cny("1066.19"))],
                     date(2026, 2, 5), POLICY, CN_PACK)  # fmt: skip
    allocation = on_time.allocations[0][1]
    assert [(ln.component.value, ln.bucket.value, ln.amount) for ln in allocation.lines] == [
        ("interest", "current", 12000), ("principal", "current", 94619),
    ]  # fmt: skip
    assert on_time.days[0].interest == 387
    assert sum(day.penalty + day.compound for day in on_time.days) == 0

    late = run(on_time.state, date(2026, 3, 15))
    assert (late.penalty, late.compound) == (480, 60)
    assert late.days_past_due(date(2026, 3, 15)) == 10
    assert bucket_of(10).name == "1-30"

    partial = allocate(late, cny("500"), date(2026, 3, 15))
    assert (partial.to_penalty, partial.to_compound) == (480, 60)
    assert [(ln.n, ln.component.value, ln.amount) for ln in partial.lines] == [
        (2, "interest", 11054), (2, "principal", 38406),
    ]  # fmt: skip
    after = apply_allocation(late, partial)
    assert after.installments[1].outstanding(partial.lines[1].component) == 57159
    assert after.days_past_due(date(2026, 3, 15)) == 10

    next_day = accrue(after, date(2026, 3, 16), POLICY, CN_PACK)
    assert [(d.penalty, d.compound) for d in next_day.days] == [(29, 0)]
    assert next_day.state.amount_due(date(2026, 3, 16)) == 57188
    rest = allocate(next_day.state, cny("571.88"), date(2026, 3, 16))
    cleared = apply_allocation(next_day.state, rest)
    assert cleared.days_past_due(date(2026, 3, 17)) == 0
    assert (cleared.penalty_paid, cleared.compound_paid, cleared.advance) == (509, 60, 0)
    assert cleared.accrued_interest == 3583
    assert cleared.cost_charged == 26637 + 509 + 60
    ceiling = ceiling_amount_from_pack(CN_PACK, cny("12000"), START, 70)
    assert ceiling == cny("560.00") and not cleared.ceiling_reached

    events: list[Event] = [Repayment("r3", date(2026, 3, 16), cny("571.88")),
                           Repayment("r1", date(2026, 2, 5), cny("1066.19")),
                           Repayment("r2", date(2026, 3, 15), cny("500"))]  # fmt: skip
    assert replay(initial, events, date(2026, 3, 16), POLICY, CN_PACK).state == cleared


# --- contractual interest -----------------------------------------------------------------


def test_cumulative_rounding_of_fifty_yuan_over_thirty_days() -> None:
    daily = [cumulative_interest(5000, d, 30) - cumulative_interest(5000, d - 1, 30)
             for d in range(1, 31)]  # fmt: skip
    assert daily[:4] == [167, 166, 167, 167]  # 1.67, 3.33, 5.00, 6.67 cumulative
    assert sum(daily) == 5000
    assert cumulative_interest(5000, 0, 30) == 0
    with pytest.raises(InvalidInput):
        cumulative_interest(5000, 31, 30)


def test_each_period_recognises_exactly_its_scheduled_interest_by_its_due_date() -> None:
    state = loan()
    result = accrue(state, date(2027, 1, 5), PenaltyPolicy(), CN_PACK)
    by_due = {row.due_date: row for row in state.installments}
    earned = 0
    for day in result.days:
        earned += day.interest
        if day.date in by_due:
            assert earned == sum(
                r.interest_due for r in state.installments if r.due_date <= day.date
            )
    assert earned == sum(r.interest_due for r in state.installments)


def test_accrued_interest_grows_within_a_period_and_falls_due_on_the_due_date() -> None:
    state = run(loan(), date(2026, 2, 4))
    assert state.accrued_interest == cumulative_interest(12000, 30, 31) == 11613
    on_due = run(state, date(2026, 2, 5))
    assert on_due.accrued_interest == 0 and on_due.accrued_through == date(2026, 2, 5)
    assert run(on_due, date(2026, 2, 6)).accrued_interest == cumulative_interest(11054, 1, 28)


# --- penalty and the ceiling --------------------------------------------------------------


def test_penalty_starts_the_day_after_the_due_date_and_compounds_overdue_interest() -> None:
    result = accrue(loan(), date(2026, 2, 7), POLICY, CN_PACK)
    by_day = {d.date: (d.penalty, d.compound) for d in result.days}
    assert by_day[date(2026, 2, 5)] == (0, 0)
    # 946.19 x 0.18 / 360 = 0.473 -> 0.47; 120.00 x 0.18 / 360 = 0.06
    assert by_day[date(2026, 2, 6)] == by_day[date(2026, 2, 7)] == (47, 6)


def _pack_with_ceiling(rate: str) -> RegulationPack:
    ceiling = CostCeiling(Decimal(rate), Decimal(rate) - Decimal("0.04"))
    return replace(CN_PACK, cost_ceilings=(Effective(date(2000, 1, 1), ceiling, "test"),))


def test_the_ceiling_cuts_the_penalty_and_reopens_as_the_days_add_room() -> None:
    # A 36 % ceiling (12.00 of room a day on 12,000.00) and 259.80 charged up front.
    # 02-05 (day 31): cap 12,000 x 0.36 x 31 / 360 = 372.00 < cost 259.80 + 120.00.
    # 02-06 (day 32): cap 384.00; cost 379.80 + 3.95 (day 1 of 110.54 over 28) = 383.75
    # leaves 0.25 of the day's 0.47 + 0.06, all of it penalty.
    # 02-07 (day 33): cap 396.00; cost 384.00 + 3.95 leaves 8.05: a full day, below it.
    pack = _pack_with_ceiling("0.36")
    result = accrue(loan(cost_charged=cny("259.80")), date(2026, 2, 7), POLICY, pack)
    by_day = {d.date: d for d in result.days}
    assert by_day[date(2026, 2, 5)].ceiling_reached  # nothing overdue, cost above the cap
    cut = by_day[date(2026, 2, 6)]
    assert (cut.interest, cut.penalty, cut.compound, cut.ceiling_reached) == (395, 25, 0, True)
    full = by_day[date(2026, 2, 7)]
    assert (full.penalty, full.compound, full.ceiling_reached) == (47, 6, False)
    assert result.ceiling_reached and not result.state.ceiling_reached
    assert result.state.cost_charged == 25980 + 12000 + 395 + 25 + 395 + 53


def test_a_low_ceiling_is_never_passed_by_penalty() -> None:
    pack = _pack_with_ceiling("0.14")
    result = accrue(loan(), date(2026, 12, 31), POLICY, pack)
    cost = 0
    for day in result.days:
        cost += day.interest + day.penalty + day.compound
        cap = ceiling_amount_from_pack(pack, cny("12000"), START, (day.date - START).days)
        if day.penalty or day.compound:
            assert cost <= cap.minor
        assert day.ceiling_reached == (cost >= cap.minor)
    assert result.ceiling_reached and result.state.cost_charged == cost


# --- idempotence, splitting, status -------------------------------------------------------


def test_accruing_through_an_accrued_date_does_nothing() -> None:
    once = accrue(loan(), date(2026, 3, 1), POLICY, CN_PACK)
    again = accrue(once.state, date(2026, 3, 1), POLICY, CN_PACK)
    earlier = accrue(once.state, date(2026, 2, 1), POLICY, CN_PACK)
    assert again.state == once.state and again.days == () and earlier.state == once.state


def test_three_days_at_once_equal_three_single_days() -> None:
    base = run(loan(), date(2026, 2, 4))
    at_once = accrue(base, date(2026, 2, 7), POLICY, CN_PACK)
    state, days = base, list[DailyAccrual]()
    for day in (date(2026, 2, 5), date(2026, 2, 6), date(2026, 2, 7)):
        step = accrue(state, day, POLICY, CN_PACK)
        state, days = step.state, [*days, *step.days]
    assert state == at_once.state and tuple(days) == at_once.days


@pytest.mark.parametrize("status", [LoanStatus.PAID_OFF, LoanStatus.WRITTEN_OFF, LoanStatus.CLOSED])
def test_nothing_accrues_on_a_loan_that_is_not_active(status: LoanStatus) -> None:
    state = replace(loan(), status=status)
    result = accrue(state, date(2026, 6, 1), POLICY, CN_PACK)
    assert result.state == state and result.days == ()


def test_a_loan_paid_off_stops_accruing() -> None:
    state = loan("1200", 3)
    last = state.installments[-1].due_date
    total = sum(r.total_outstanding for r in state.installments)
    ahead = apply_allocation(state, allocate(state, Money(total, CNY), date(2026, 1, 10)))
    result = accrue(ahead, date(2026, 12, 31), POLICY, CN_PACK)
    assert result.state.status is LoanStatus.PAID_OFF
    assert result.state.accrued_through == last and result.days[-1].date == last
    assert sum(d.penalty for d in result.days) == 0


def test_an_advance_pays_each_installment_on_its_due_date_so_no_penalty_starts() -> None:
    state = loan("1200", 3)  # 408.03 a month
    ahead = apply_allocation(state, allocate(state, cny("500"), date(2026, 1, 10)))
    result = accrue(ahead, date(2026, 3, 10), POLICY, CN_PACK)
    applied = [d for d in result.days if d.advance_applied is not None]
    assert [d.date for d in applied] == [date(2026, 2, 5), date(2026, 3, 5)]
    assert applied[0].advance_applied is not None and applied[0].advance_applied.from_advance
    assert result.state.advance == 0
    assert sum(d.penalty for d in result.days if d.date <= date(2026, 3, 5)) == 0
    # 91.97 went to installment 2 on 03-05: interest 4.04 first, then 87.93 of principal
    assert result.state.installments[1].total_paid == 50000 - 40803


# --- replay -------------------------------------------------------------------------------


def test_a_reversal_restates_the_loan_as_if_the_repayment_never_came() -> None:
    paid = Repayment("r1", date(2026, 2, 5), cny("1066.19"))
    bounced = Reversal("x1", reverses="r1")
    through = date(2026, 2, 20)
    restated = replay(loan(), [paid, bounced], through, POLICY, CN_PACK)
    assert restated.state == replay(loan(), [], through, POLICY, CN_PACK).state
    assert restated.allocations == ()
    assert restated.state.days_past_due(through) == 15


def test_a_backdated_repayment_removes_the_penalty_it_would_have_prevented() -> None:
    through = date(2026, 2, 20)
    live = replay(loan(), [], through, POLICY, CN_PACK).state
    assert live.penalty > 0
    backdated = replay(loan(), [Repayment("r1", date(2026, 2, 5), cny("1066.19"))], through,
                       POLICY, CN_PACK)  # fmt: skip
    assert backdated.state.penalty == 0 and backdated.state.days_past_due(through) == 0


def test_bad_arguments_and_event_sets_are_refused() -> None:
    with pytest.raises(InvalidInput):
        accrue(loan(), "2026-02-01", POLICY, CN_PACK)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        accrue(loan(), date(2026, 2, 1), None, CN_PACK)  # type: ignore[arg-type]
    paid = Repayment("r1", date(2026, 2, 5), cny("100"))
    with pytest.raises(InvalidInput):
        replay(loan(), [paid, paid], date(2026, 3, 1), POLICY, CN_PACK)
    with pytest.raises(InvalidInput):
        replay(loan(), [Reversal("x", reverses="nope")], date(2026, 3, 1), POLICY, CN_PACK)
    with pytest.raises(InvalidInput):
        replay(loan(), [paid], date(2026, 2, 1), POLICY, CN_PACK)  # after `through`
    accrued = run(loan(), date(2026, 2, 10))
    with pytest.raises(InvalidInput):
        replay(accrued, [paid], date(2026, 3, 1), POLICY, CN_PACK)  # before accrued_through


# --- properties ---------------------------------------------------------------------------


@st.composite
def histories(draw: st.DrawFn) -> tuple[LoanState, list[Event], date, WaterfallPolicy]:
    """A loan, its repayments and some reversals in *arrival* order, a date, a policy."""
    principal = draw(st.integers(100_000, 5_000_000))
    rate = Decimal(draw(st.integers(0, 2000))).scaleb(-4)
    initial = loan(Money(principal, CNY).to_api(), draw(st.integers(1, 12)), str(rate))
    count = draw(st.integers(0, 6))
    repayments: list[Event] = [
        Repayment(f"r{i}", START + timedelta(days=draw(st.integers(0, 420))),
                  Money(draw(st.integers(1, principal)), CNY), seq=draw(st.integers(0, 3)))
        for i in range(count)
    ]  # fmt: skip
    arrivals = draw(st.permutations(repayments))
    for target in draw(st.lists(st.sampled_from(repayments), unique=True)) if repayments else []:
        after = arrivals.index(target) + 1
        arrivals.insert(
            draw(st.integers(after, len(arrivals))), Reversal(f"x{target.id}", target.id)
        )
    through = START + timedelta(days=draw(st.integers(420, 480)))
    policy = draw(st.sampled_from([STANDARD_POLICY, NON_PERFORMING_POLICY]))
    return initial, arrivals, through, policy


def _key(event: Repayment) -> tuple[date, int, str]:
    return event.value_date, event.seq, event.id


def live_processing(
    initial: LoanState, arrivals: list[Event], through: date, waterfalls: WaterfallPolicy
) -> LoanState:
    """A system receiving ``arrivals`` one by one: an in-order repayment is accrued up to
    and allocated incrementally; anything else (backdated, reversal) replays from scratch."""
    state, last = initial, (START, -1, "")
    received: list[Event] = []
    for event in arrivals:
        received.append(event)
        accrued = state.accrued_through or START
        if isinstance(event, Repayment) and _key(event) > last and event.value_date >= accrued:
            state = accrue(state, event.value_date, POLICY, CN_PACK, waterfalls=waterfalls).state
            waterfall = waterfall_for(waterfalls, state.days_past_due(event.value_date))
            state = apply_allocation(
                state, allocate(state, event.amount, event.value_date, waterfall)
            )
        else:  # a paid-off loan stops accruing: replay up to the latest value date too
            dates = [accrued, *(e.value_date for e in received if isinstance(e, Repayment))]
            rerun = replay(initial, received, max(dates), POLICY, CN_PACK, waterfalls=waterfalls)
            state = rerun.state
        reversed_ids = {e.reverses for e in received if isinstance(e, Reversal)}
        kept = [_key(e) for e in received if isinstance(e, Repayment) and e.id not in reversed_ids]
        last = max(kept, default=(START, -1, ""))
    return accrue(state, through, POLICY, CN_PACK, waterfalls=waterfalls).state


@settings(max_examples=60, deadline=None)
@given(history=histories())
def test_arrival_order_does_not_change_the_final_state(
    history: tuple[LoanState, list[Event], date, WaterfallPolicy],
) -> None:
    initial, arrivals, through, waterfalls = history
    expected = replay(initial, arrivals, through, POLICY, CN_PACK, waterfalls=waterfalls)
    another_order = sorted(arrivals, key=lambda e: (isinstance(e, Reversal), e.id))
    again = replay(initial, another_order, through, POLICY, CN_PACK, waterfalls=waterfalls)
    assert again.state == expected.state
    assert live_processing(initial, arrivals, through, waterfalls) == expected.state
    # money is conserved and no balance is negative (the state validates that)
    state = expected.state
    received = sum(a.amount.minor for _, a in expected.allocations)
    paid = sum(r.total_paid for r in state.installments) + state.penalty_paid + state.compound_paid
    assert paid + state.advance == received
    assert state.cost_charged == sum(d.interest + d.penalty + d.compound for d in expected.days)


@settings(max_examples=40, deadline=None)
@given(history=histories(), data=st.data())
def test_accrual_is_idempotent_and_can_be_split_anywhere(
    history: tuple[LoanState, list[Event], date, WaterfallPolicy], data: st.DataObject
) -> None:
    initial, arrivals, _, waterfalls = history
    cut = START + timedelta(days=data.draw(st.integers(0, 300)))
    kept = [e for e in arrivals if isinstance(e, Repayment) and e.value_date <= cut]
    state = replay(initial, kept, cut, POLICY, CN_PACK, waterfalls=waterfalls).state
    middle = cut + timedelta(days=data.draw(st.integers(0, 60)))
    end = middle + timedelta(days=data.draw(st.integers(0, 60)))
    whole = accrue(state, end, POLICY, CN_PACK, waterfalls=waterfalls)
    first = accrue(state, middle, POLICY, CN_PACK, waterfalls=waterfalls)
    second = accrue(first.state, end, POLICY, CN_PACK, waterfalls=waterfalls)
    assert second.state == whole.state and first.days + second.days == whole.days
    assert accrue(whole.state, end, POLICY, CN_PACK, waterfalls=waterfalls).state == whole.state
