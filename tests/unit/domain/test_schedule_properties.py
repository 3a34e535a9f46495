"""Invariants of every schedule, over random terms: all methods, frequencies, bases,
day counts, roundings, multiples, grace kinds and subsidies."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.money import Money, currency
from autolend.domain.schedule import (
    DayCount,
    Frequency,
    GraceKind,
    InterestBasis,
    LoanTerms,
    Method,
    RoundingMode,
    Schedule,
    Subsidy,
    build_schedule,
    regular_installment,
)

CNY = currency("CNY")
MODES = [RoundingMode.HALF_UP, RoundingMode.HALF_EVEN, RoundingMode.UP, RoundingMode.DOWN]


def rates(max_basis_points: int = 10_000) -> st.SearchStrategy[Decimal]:
    """0 % .. 100 % in steps of 0.01 % (a basis point)."""
    return st.integers(0, max_basis_points).map(lambda bp: Decimal(bp).scaleb(-4))


@st.composite
def method_inputs(draw: st.DrawFn, method: Method, principal: int, periods: int) -> dict[str, Any]:
    if method is Method.BALLOON:
        return {"balloon": Money(draw(st.integers(1, principal - 1)), CNY)}
    if method is Method.STEP:
        size = draw(st.sampled_from([periods, 12]))
        weights = draw(st.lists(st.integers(0, 40), min_size=size, max_size=size))
        if not any(weights[:periods]):  # a 12-long pattern on a short loan uses its start
            weights[draw(st.integers(0, min(size, periods) - 1))] = 10
        return {"step_weights": tuple(Decimal(w).scaleb(-1) for w in weights)}
    return {}


@st.composite
def date_inputs(draw: st.DrawFn, frequency: Frequency) -> dict[str, Any]:
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
    inputs: dict[str, Any] = {"start": start, "sticky_end_of_month": draw(st.booleans())}
    choice = draw(st.sampled_from(["default", "first_due", "due_day"]))
    if choice == "first_due":
        inputs["first_due"] = start + timedelta(days=draw(st.integers(1, 75)))
    elif choice == "due_day" and frequency.months:
        inputs["due_day"] = draw(st.integers(1, 28))
    return inputs


@st.composite
def loan_terms(draw: st.DrawFn) -> LoanTerms:
    method = draw(st.sampled_from(list(Method)))
    frequency = draw(st.sampled_from(list(Frequency)))
    periods = draw(st.integers(1, 84))
    principal = draw(st.integers(2, 10**10))
    rate = draw(rates())
    subsidy = None
    if draw(st.booleans()) and rate > 0:
        customer = draw(rates(int(rate.scaleb(4)) - 1))
        subsidy = Subsidy(customer, draw(st.sampled_from(["oem", "dealer", "state"])))
    return LoanTerms(
        principal=Money(principal, CNY),
        annual_rate=rate,
        periods=periods,
        frequency=frequency,
        method=method,
        interest_basis=draw(st.sampled_from(list(InterestBasis))),
        day_count=draw(st.sampled_from(list(DayCount))),
        rounding=draw(st.sampled_from(MODES)),
        installment_multiple=draw(st.sampled_from([1, 1, 10, 100, 1000])),
        grace_periods=draw(st.integers(0, 6)),
        grace_kind=draw(st.sampled_from(list(GraceKind))),
        subsidy=subsidy,
        **draw(date_inputs(frequency)),
        **draw(method_inputs(method, principal, periods)),
    )


def build(terms: LoanTerms) -> Schedule:
    return build_schedule(terms)


@settings(max_examples=300, deadline=None)
@given(loan_terms())
def test_principal_repays_exactly_the_loan_plus_capitalised_interest(terms: LoanTerms) -> None:
    schedule = build(terms)
    capitalised = sum(row.capitalised_interest for row in schedule.rows)
    assert sum(row.principal for row in schedule.rows) == terms.principal.minor + capitalised
    assert schedule.rows[-1].closing_balance == 0
    assert schedule.total_payment == schedule.total_principal + schedule.total_interest


@settings(max_examples=300, deadline=None)
@given(loan_terms())
def test_every_row_balances_and_no_amount_is_negative(terms: LoanTerms) -> None:
    opening = terms.principal.minor
    for row in build(terms).rows:
        assert row.opening_balance == opening
        assert row.payment == row.principal + row.interest + row.deferred_interest_paid
        assert row.closing_balance == row.opening_balance + row.capitalised_interest - row.principal
        assert min(row.principal, row.interest, row.payment, row.closing_balance, row.days) >= 0
        assert min(row.subsidy_interest, row.capitalised_interest, row.deferred_interest) >= 0
        opening = row.closing_balance


@settings(max_examples=300, deadline=None)
@given(loan_terms())
def test_the_balance_rises_only_by_capitalised_interest(terms: LoanTerms) -> None:
    for row in build(terms).rows:
        if row.capitalised_interest == 0:
            assert row.closing_balance <= row.opening_balance
        if row.grace:
            assert row.principal == 0


@settings(max_examples=300, deadline=None)
@given(loan_terms())
def test_rows_count_grace_plus_periods_and_due_dates_strictly_increase(terms: LoanTerms) -> None:
    rows = build(terms).rows
    assert len(rows) == terms.grace_periods + terms.periods
    assert [row.n for row in rows] == list(range(1, len(rows) + 1))
    assert [row.grace for row in rows] == [True] * terms.grace_periods + [False] * terms.periods
    assert rows[0].due_date > terms.start
    assert all(a.due_date < b.due_date for a, b in itertools.pairwise(rows))
    if terms.first_due is not None:
        assert rows[0].due_date == terms.first_due
    if terms.due_day is not None:
        assert all(row.due_date.day == terms.due_day for row in rows)


@settings(max_examples=300, deadline=None)
@given(loan_terms())
def test_deferred_interest_is_all_paid_and_subsidies_only_exist_with_a_subsidy(
    terms: LoanTerms,
) -> None:
    rows = build(terms).rows
    deferred = sum(row.deferred_interest for row in rows)
    assert sum(row.deferred_interest_paid for row in rows) == deferred
    if terms.grace_kind is not GraceKind.HOLIDAY_DEFERRED or terms.grace_periods == 0:
        assert deferred == 0
    if terms.subsidy is None:
        assert all(row.subsidy_interest == 0 for row in rows)


@settings(max_examples=200, deadline=None)
@given(loan_terms())
def test_a_level_installment_is_paid_on_every_middle_row_on_the_period_basis(
    terms: LoanTerms,
) -> None:
    regular = [r for r in build(terms).rows if not r.grace]
    level_methods = (Method.EQUAL_INSTALLMENT, Method.BALLOON)
    if terms.method not in level_methods or terms.interest_basis is not InterestBasis.PERIOD:
        return
    installment = build(terms).regular_installment.minor
    middle = regular[1:-1]
    # Until the balance runs out (a coarse multiple rounded up), or while the interest
    # still exceeds a coarse multiple rounded down, every middle row pays the installment.
    for row in middle:
        if row.opening_balance and not row.capitalised_interest:
            assert row.payment == installment or row.principal == row.opening_balance


@settings(max_examples=200, deadline=None)
@given(loan_terms())
def test_building_twice_gives_the_same_schedule(terms: LoanTerms) -> None:
    assert build(terms) == build(terms)
    assert build(terms).to_dict() == build(terms).to_dict()


@settings(max_examples=500, deadline=None)
@given(loan_terms())
def test_the_regular_installment_alone_is_the_full_schedules_to_the_fen(terms: LoanTerms) -> None:
    assert regular_installment(terms) == build(terms).regular_installment
