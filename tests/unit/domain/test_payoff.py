"""Early settlement, prepayment fees and partial prepayment (Civil Code Art. 677)."""

from __future__ import annotations

import doctest
import importlib
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autolend.domain.daycount import DayCount
from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import Money, RoundingMode, currency
from autolend.domain.payoff import (
    PrepaymentFeeRule,
    PrepaymentMode,
    accrued_interest,
    partial_prepayment,
    payoff_amount,
    prepayment_fee,
)
from autolend.domain.schedule import (
    GraceKind,
    LoanTerms,
    Method,
    Schedule,
    Subsidy,
    annuity_installment,
    build_schedule,
)

CNY = currency("CNY")
LOWER, SHORTEN = PrepaymentMode.LOWER_INSTALLMENT, PrepaymentMode.SHORTEN_TERM


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


SMALL = LoanTerms(
    principal=cny("5000"), annual_rate=Decimal("0.12"), periods=18, start=date(2022, 11, 1)
)
CAR = LoanTerms(
    principal=cny("100000"), annual_rate=Decimal("0.06"), periods=36, start=date(2024, 1, 15)
)


def principal_sum(schedule: Schedule, rows: int | None = None) -> int:
    return sum(row.principal for row in schedule.rows[:rows])


# --- payoff -------------------------------------------------------------------------------


def test_the_payoff_worked_example_charges_fifteen_days_of_interest() -> None:
    quote = payoff_amount(build_schedule(SMALL), date(2022, 12, 16), paid_through_n=1)
    assert quote.principal_outstanding == cny("4745.09")
    assert quote.accrued_interest == cny("23.73")  # 474,509 x 0.12 x 15 / 360 = 2,372.545
    assert quote.total == cny("4768.82")
    assert quote.valid_until == date(2022, 12, 16)


def test_a_payoff_on_the_start_date_is_the_principal_alone() -> None:
    quote = payoff_amount(build_schedule(SMALL), date(2022, 11, 1), paid_through_n=0)
    assert quote.total == cny("5000") and quote.accrued_interest == cny("0")


def test_a_payoff_on_a_due_date_never_charges_more_than_that_installments_interest() -> None:
    schedule = build_schedule(SMALL)
    row = schedule.rows[1]  # 31 days on ACT/360 would be 49.03; the month's interest is 47.45
    quote = payoff_amount(schedule, row.due_date, paid_through_n=1)
    assert quote.accrued_interest == Money(row.interest, CNY) == cny("47.45")
    assert quote.total == Money(row.payment + row.closing_balance, CNY)


def test_overdue_amounts_and_penalty_are_added_and_advances_credited() -> None:
    quote = payoff_amount(
        build_schedule(SMALL),
        date(2022, 12, 16),
        paid_through_n=1,
        overdue=cny("304.91"),
        penalty=cny("1.20"),
        advance_balance=cny("100"),
    )
    assert quote.total == cny("4768.82") + cny("304.91") + cny("1.20") - cny("100")
    assert (quote.overdue, quote.penalty, quote.advance) == (cny("304.91"), cny("1.20"), cny("100"))


def test_an_advance_above_what_is_owed_gives_a_negative_total_a_refund() -> None:
    schedule = build_schedule(SMALL)
    last = schedule.rows[-1].due_date
    quote = payoff_amount(schedule, last, paid_through_n=18, advance_balance=cny("10"))
    assert quote.principal_outstanding == cny("0") and quote.total == cny("-10")


def test_interest_under_a_subsidy_accrues_at_the_customer_rate() -> None:
    promo = replace(SMALL, subsidy=Subsidy(customer_rate=Decimal(0), subsidiser="oem"))
    quote = payoff_amount(build_schedule(promo), date(2022, 12, 16), paid_through_n=1)
    assert quote.accrued_interest == cny("0")


def test_deferred_holiday_interest_not_yet_repaid_is_part_of_the_payoff() -> None:
    terms = replace(SMALL, grace_periods=2, grace_kind=GraceKind.HOLIDAY_DEFERRED)
    schedule = build_schedule(terms)
    first = schedule.rows[0]
    quote = payoff_amount(schedule, first.due_date, paid_through_n=1)
    assert quote.principal_outstanding == cny("5000")
    assert quote.accrued_interest == Money(first.deferred_interest, CNY) == cny("50")


@pytest.mark.parametrize(
    ("as_of", "n", "field"),
    [
        (date(2022, 11, 30), 1, "as_of"),  # before installment 1 fell due
        (date(2023, 1, 2), 1, "as_of"),  # installment 2 has fallen due too
        (date(2022, 12, 16), 19, "paid_through_n"),
        (date(2022, 12, 16), -1, "paid_through_n"),
    ],
)
def test_a_payoff_date_outside_the_period_after_n_is_refused(
    as_of: date, n: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        payoff_amount(build_schedule(SMALL), as_of, paid_through_n=n)
    assert error.value.field == field


def test_payoff_amounts_must_be_non_negative_and_in_the_loans_currency() -> None:
    schedule = build_schedule(SMALL)
    with pytest.raises(InvalidInput) as negative:
        payoff_amount(schedule, date(2022, 12, 16), paid_through_n=1, penalty=cny("-1"))
    assert negative.value.field == "penalty"
    with pytest.raises(CurrencyMismatch):
        usd = Money.parse("1", "USD")
        payoff_amount(schedule, date(2022, 12, 16), paid_through_n=1, overdue=usd)


@settings(max_examples=150, deadline=None)
@given(
    principal=st.integers(100_000, 50_000_000),
    rate_bp=st.integers(0, 2400),
    periods=st.integers(1, 60),
    data=st.data(),
)
def test_a_payoff_is_at_least_the_principal_and_at_most_a_full_periods_interest_more(
    principal: int, rate_bp: int, periods: int, data: st.DataObject
) -> None:
    terms = replace(CAR, principal=Money(principal, CNY), annual_rate=Decimal(rate_bp).scaleb(-4),
                    periods=periods)  # fmt: skip
    schedule = build_schedule(terms)
    n = data.draw(st.integers(0, periods - 1))
    last_due = terms.start if n == 0 else schedule.rows[n - 1].due_date
    span = (schedule.rows[n].due_date - last_due).days
    as_of = last_due + timedelta(days=data.draw(st.integers(0, span)))
    quote = payoff_amount(schedule, as_of, paid_through_n=n)
    outstanding = Money(schedule.rows[n].opening_balance, CNY)
    assert quote.principal_outstanding == outstanding
    assert outstanding <= quote.total <= outstanding + Money(schedule.rows[n].interest, CNY)


def test_accrued_interest_is_daily_on_the_loans_day_count() -> None:
    assert accrued_interest(SMALL, 474_509, date(2022, 12, 1), date(2022, 12, 16)) == 2373
    act365 = replace(SMALL, day_count=DayCount.ACT_365)
    assert accrued_interest(act365, 474_509, date(2022, 12, 1), date(2022, 12, 16)) == 2340


# --- prepayment fee -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "trade_in", "fee"),
    [
        (PrepaymentFeeRule.NONE, False, "0.00"),
        (PrepaymentFeeRule.PERCENT_OF_PREPAID, False, "400.00"),
        (PrepaymentFeeRule.PERCENT_OF_PREPAID, True, "400.00"),
        (PrepaymentFeeRule.WAIVED_TRADE_IN, False, "400.00"),
        (PrepaymentFeeRule.WAIVED_TRADE_IN, True, "0.00"),
    ],
)
def test_the_prepayment_fee_follows_the_rule_and_the_trade_in_waiver(
    rule: PrepaymentFeeRule, trade_in: bool, fee: str
) -> None:
    assert prepayment_fee(rule, Decimal("0.02"), cny("20000"), trade_in=trade_in) == cny(fee)


def test_a_prepayment_fee_rounds_half_up_by_default() -> None:
    rule, rate, prepaid = "percent_of_prepaid", Decimal("0.01"), cny("0.50")  # 0.5 fen
    assert prepayment_fee(rule, rate, prepaid, trade_in=False) == cny("0.01")  # type: ignore[arg-type]
    even = prepayment_fee(rule, rate, prepaid, trade_in=False, rounding=RoundingMode.HALF_EVEN)  # type: ignore[arg-type]
    assert even == cny("0")


def test_an_invalid_prepayment_fee_rule_or_rate_is_refused() -> None:
    with pytest.raises(InvalidInput) as rule:
        prepayment_fee("sometimes", Decimal("0.02"), cny("1"), trade_in=False)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as rate:
        prepayment_fee(PrepaymentFeeRule.PERCENT_OF_PREPAID, Decimal("2"), cny("1"), trade_in=False)
    assert (rule.value.field, rate.value.field) == ("rule", "rate")


# --- partial prepayment -------------------------------------------------------------------


def test_lowering_the_installment_keeps_the_remaining_rows_and_due_dates() -> None:
    schedule = build_schedule(CAR)
    assert schedule.regular_installment == cny("3042.19")
    due = schedule.rows[11].due_date
    result = partial_prepayment(CAR, schedule, 12, cny("20000"), due, LOWER)
    new = result.new_schedule
    assert result.new_terms.principal == cny("48640.65")  # 68,640.65 - 20,000.00
    assert len(new.rows) == 24
    assert [r.due_date for r in new.rows] == [r.due_date for r in schedule.rows[12:]]
    assert new.regular_installment == cny("2155.78")
    assert result.interest_saved == cny("1273.92")
    assert result.fee == cny("0") and result.accrued_interest == cny("0")
    assert principal_sum(schedule, 12) + 2_000_000 + principal_sum(new) == 10_000_000


def test_shortening_the_term_keeps_the_installment_and_drops_rows() -> None:
    schedule = build_schedule(CAR)
    due = schedule.rows[11].due_date
    result = partial_prepayment(CAR, schedule, 12, cny("20000"), due, SHORTEN)
    new = result.new_schedule
    assert len(new.rows) == 17
    assert new.regular_installment == cny("2991.68") <= schedule.regular_installment
    assert annuity_installment(4_864_065, Decimal("0.005"), 16) > 304_219  # 16 rows: too dear
    assert [r.due_date for r in new.rows] == [r.due_date for r in schedule.rows[12:29]]
    assert result.interest_saved == cny("2154.16")
    assert principal_sum(schedule, 12) + 2_000_000 + principal_sum(new) == 10_000_000


def test_a_prepayment_between_due_dates_pays_interest_on_the_prepaid_amount_to_that_day() -> None:
    schedule = build_schedule(CAR)
    as_of = schedule.rows[11].due_date + timedelta(days=10)
    result = partial_prepayment(
        CAR, schedule, 12, cny("20000"), as_of, LOWER,
        fee_rule=PrepaymentFeeRule.PERCENT_OF_PREPAID, fee_rate=Decimal("0.01"),
    )  # fmt: skip
    assert result.accrued_interest == cny("33.33")  # 2,000,000 x 0.06 x 10 / 360
    assert result.fee == cny("200")
    assert result.amount_due == cny("20233.33")
    assert result.interest_saved == cny("1273.92") - cny("33.33")


def test_the_trade_in_waiver_applies_to_a_partial_prepayment() -> None:
    schedule = build_schedule(CAR)
    result = partial_prepayment(
        CAR, schedule, 12, cny("20000"), schedule.rows[11].due_date, SHORTEN,
        fee_rule=PrepaymentFeeRule.WAIVED_TRADE_IN, fee_rate=Decimal("0.02"), trade_in=True,
    )  # fmt: skip
    assert result.fee == cny("0")


def test_a_prepayment_before_the_first_installment_keeps_an_irregular_first_period() -> None:
    terms = replace(CAR, first_due=date(2024, 3, 1))
    schedule = build_schedule(terms)
    result = partial_prepayment(terms, schedule, 0, cny("10000"), terms.start, LOWER)
    assert result.new_schedule.rows[0].due_date == date(2024, 3, 1)
    assert result.new_schedule.rows[0].days == schedule.rows[0].days
    assert len(result.new_schedule.rows) == 36


def test_equal_principal_prepayment_keeps_or_lowers_the_principal_share() -> None:
    terms = replace(CAR, method=Method.EQUAL_PRINCIPAL)
    schedule = build_schedule(terms)
    due = schedule.rows[5].due_date
    share = schedule.rows[0].principal
    short = partial_prepayment(terms, schedule, 6, cny("25000"), due, SHORTEN)
    lower = partial_prepayment(terms, schedule, 6, cny("25000"), due, LOWER)
    assert short.new_schedule.rows[0].principal <= share
    assert len(short.new_schedule.rows) < 30 == len(lower.new_schedule.rows)
    assert lower.new_schedule.rows[0].principal < share
    assert short.interest_saved > lower.interest_saved > cny("0")


def test_a_balloon_loan_keeps_its_balloon_after_a_prepayment() -> None:
    terms = replace(CAR, method=Method.BALLOON, balloon=cny("30000"))
    schedule = build_schedule(terms)
    due = schedule.rows[11].due_date
    result = partial_prepayment(terms, schedule, 12, cny("10000"), due, LOWER)
    assert result.new_terms.balloon == cny("30000")
    assert result.new_schedule.regular_installment < schedule.regular_installment
    assert result.new_schedule.rows[-1].principal > 3_000_000


@pytest.mark.parametrize("amount", ["68640.65", "70000"])
def test_prepaying_the_whole_balance_is_refused_as_a_payoff(amount: str) -> None:
    schedule = build_schedule(CAR)
    due = schedule.rows[11].due_date
    with pytest.raises(InvalidInput) as error:
        partial_prepayment(CAR, schedule, 12, cny(amount), due, LOWER)
    assert error.value.field == "amount"
    assert "payoff" in error.value.message


def test_partial_prepayment_refuses_what_it_cannot_re_amortise() -> None:
    schedule = build_schedule(CAR)
    due = schedule.rows[11].due_date
    cases = []
    interest_only = replace(CAR, method=Method.INTEREST_ONLY)
    io_schedule = build_schedule(interest_only)
    cases.append((interest_only, io_schedule, 12, due, SHORTEN, "mode"))
    step = replace(CAR, method=Method.STEP, step_weights=(Decimal(1),) * 12)
    cases.append((step, build_schedule(step), 12, due, LOWER, "method"))
    grace = replace(CAR, grace_periods=3)
    grace_schedule = build_schedule(grace)
    cases.append(
        (
            grace,
            grace_schedule,
            2,
            grace_schedule.rows[1].due_date,
            SHORTEN,
            "after_n",
        )
    )
    cases.append((CAR, build_schedule(SMALL), 12, due, SHORTEN, "schedule"))
    cases.append((CAR, schedule, 36, due, SHORTEN, "after_n"))
    cases.append((CAR, schedule, 12, due - timedelta(days=1), SHORTEN, "as_of"))
    cases.append((CAR, schedule, 12, due, "sideways", "mode"))  # type: ignore[arg-type]  # on purpose
    for terms, sched, after_n, as_of, mode, field in cases:
        with pytest.raises(InvalidInput) as error:
            partial_prepayment(terms, sched, after_n, cny("1000"), as_of, mode)
        assert error.value.field == field, (terms.method, field)


@settings(max_examples=120, deadline=None)
@given(
    principal=st.integers(1_000_000, 50_000_000),
    rate_bp=st.integers(1, 2400),
    periods=st.integers(2, 60),
    mode=st.sampled_from(list(PrepaymentMode)),
    method=st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]),
    data=st.data(),
)
def test_partial_prepayment_keeps_principal_exact_and_never_raises_the_installment(
    principal: int, rate_bp: int, periods: int, mode: PrepaymentMode, method: Method,
    data: st.DataObject,
) -> None:  # fmt: skip
    terms = replace(CAR, principal=Money(principal, CNY), annual_rate=Decimal(rate_bp).scaleb(-4),
                    periods=periods, method=method)  # fmt: skip
    schedule = build_schedule(terms)
    after_n = data.draw(st.integers(0, periods - 1))
    balance = schedule.rows[after_n].opening_balance
    assume(balance > 20_000)
    amount = data.draw(st.integers(10_000, balance - 1))
    as_of = terms.start if after_n == 0 else schedule.rows[after_n - 1].due_date
    result = partial_prepayment(terms, schedule, after_n, Money(amount, CNY), as_of, mode)
    new = result.new_schedule
    assert principal_sum(schedule, after_n) + amount + principal_sum(new) == principal
    assert new.rows[-1].closing_balance == 0
    remaining = periods - after_n
    first_new = new.rows[0]
    old_next = schedule.rows[after_n]
    if mode is LOWER:
        assert len(new.rows) == remaining
    else:
        assert len(new.rows) <= remaining
    if method is Method.EQUAL_INSTALLMENT:
        assert new.regular_installment <= schedule.regular_installment
    else:
        assert first_new.principal <= schedule.rows[0].principal
    assert first_new.due_date == old_next.due_date
    assert result.interest_saved >= Money(0, CNY)  # > 0 unless the rate is a rounding error


# --- docstring examples -------------------------------------------------------------------


def test_the_docstring_examples_hold() -> None:
    result = doctest.testmod(importlib.import_module("autolend.domain.payoff"))
    assert result.attempted > 0
    assert result.failed == 0
