"""The plans of a synthetic book with history: seeded, every demo product shape, every
behaviour, and each behaviour's opening state and money events."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal

from autolend.batch.synth_history import (
    PRODUCTS,
    Behaviour,
    LoanPlan,
    cut_over_for,
    events_of,
    opening_paid,
    opening_penalty,
    plan_book,
)
from autolend.batch.synth_history_db import booking_request, servicing_terms
from autolend.domain.product_catalogue import SEASONAL, USED_CAR
from autolend.domain.servicing import InstallmentState
from autolend.services.projection import initial_state

AS_OF, CUT = date(2026, 11, 28), date(2026, 8, 31)


def _plan(behaviour: Behaviour, start: date = date(2025, 11, 10), draw: float = 0.0) -> LoanPlan:
    return LoanPlan(
        PRODUCTS[0], 12_000_000, "0.0800", 24, start, behaviour, 0, draw, Decimal("0.02")
    )


def _rows(plan: LoanPlan) -> tuple[InstallmentState, ...]:
    return initial_state(1, plan.terms()).installments


def test_the_cut_over_is_a_month_end_some_months_back() -> None:
    assert cut_over_for(AS_OF, 3) == CUT
    assert cut_over_for(date(2026, 3, 1), 1) == date(2026, 2, 28)
    assert cut_over_for(date(2026, 1, 15), 2) == date(2025, 11, 30)


def test_the_same_seed_gives_the_same_book_and_another_seed_another() -> None:
    first = plan_book(300, seed=4, as_of=AS_OF, cut_over=CUT)
    assert first == plan_book(300, seed=4, as_of=AS_OF, cut_over=CUT)
    assert first != plan_book(300, seed=5, as_of=AS_OF, cut_over=CUT)


def test_a_book_spreads_over_products_behaviours_dealers_and_two_years_of_starts() -> None:
    plans = plan_book(2_000, seed=1, as_of=AS_OF, cut_over=CUT)
    behaviours = Counter(p.behaviour for p in plans)
    assert set(behaviours) == set(Behaviour)
    assert 0.70 < behaviours[Behaviour.ON_TIME] / 2_000 < 0.82
    nev = sum(p.product.code == "NEV_GREEN" for p in plans) / 2_000
    assert 0.25 < nev < 0.35
    assert {p.product.code for p in plans} == {spec.code for spec in PRODUCTS}
    assert {p.dealer for p in plans} == {0, 1}
    starts = [p.start for p in plans]
    assert min(starts) < date(2025, 2, 1) and max(starts) > CUT
    for p in plans:  # a rate inside the product's range; still running after the cut-over
        assert p.product.rate_min <= p.rate <= p.product.rate_max
        assert _rows(p)[-1].due_date > CUT


def test_an_on_time_loan_paid_everything_due_by_the_cut_over_and_pays_each_due_date() -> None:
    plan = _plan(Behaviour.ON_TIME)
    rows = _rows(plan)
    paid = opening_paid(plan, rows, CUT, AS_OF)
    assert [n for n, *_ in paid] == [r.n for r in rows if r.due_date <= CUT]
    events = events_of(plan, rows, CUT, AS_OF)
    due_after = [r for r in rows if CUT < r.due_date <= AS_OF]
    assert [e.value_date for e in events] == [r.due_date for r in due_after]
    assert [e.amount for e in events] == [
        r.principal_due + r.interest_due + r.fee_due for r in due_after
    ]


def test_a_late_loan_misses_its_latest_installments() -> None:
    for behaviour, draw, missed in (
        (Behaviour.LATE_1, 0.0, 1), (Behaviour.LATE_2_3, 0.9, 3), (Behaviour.DEFAULTED, 0.0, 4),
    ):  # fmt: skip
        plan = _plan(behaviour, draw=draw)
        rows = _rows(plan)
        due = [r for r in rows if r.due_date <= AS_OF]
        paid = {n for n, *_ in opening_paid(plan, rows, CUT, AS_OF)}
        paid |= {int(e.reference[-2:]) for e in events_of(plan, rows, CUT, AS_OF)}
        assert paid == {r.n for r in due[:-missed]}, behaviour


def test_a_cured_loan_was_behind_at_the_cut_over_and_paid_the_arrears_after_it() -> None:
    plan = _plan(Behaviour.CURED, draw=0.6)  # two installments behind
    rows = _rows(plan)
    before = [r for r in rows if r.due_date <= CUT]
    paid = opening_paid(plan, rows, CUT, AS_OF)
    assert [n for n, *_ in paid] == [r.n for r in before[:-2]]
    cure = events_of(plan, rows, CUT, AS_OF)[0]
    arrears = sum(r.principal_due + r.interest_due + r.fee_due for r in before[-2:])
    assert CUT < cure.value_date <= date(2026, 9, 13)  # 3 to 13 days after the cut-over
    assert cure.amount == arrears * 105 // 100
    assert opening_penalty(plan, rows, {n for n, *_ in paid}, CUT) > 0


def test_a_paid_off_loan_ends_with_a_payoff_after_the_cut_over() -> None:
    plan = _plan(Behaviour.PAID_OFF, draw=0.5)
    events = events_of(plan, _rows(plan), CUT, AS_OF)
    assert events[-1].kind == "payoff" and CUT < events[-1].value_date < AS_OF
    assert all(e.kind == "repayment" and e.value_date < events[-1].value_date
               for e in events[:-1])  # fmt: skip


def test_a_young_loan_booked_after_the_cut_over_cannot_be_behind_and_pays_on_time() -> None:
    plan = replace(_plan(Behaviour.DEFAULTED), start=date(2026, 9, 20))
    rows = _rows(plan)
    assert opening_paid(plan, rows, CUT, AS_OF) == ()
    events = events_of(plan, rows, CUT, AS_OF)
    assert [e.value_date for e in events] == [r.due_date for r in rows if r.due_date <= AS_OF]


def test_the_opening_penalty_is_the_overdue_principal_at_one_and_a_half_times_the_rate() -> None:
    """10,000.00 x 8 % x 1.5 x 30 / 360 = 100.00 for one installment 30 days overdue."""
    plan = _plan(Behaviour.LATE_1)
    row = replace(_rows(plan)[0], due_date=date(2026, 8, 1), principal_due=1_000_000)
    assert opening_penalty(plan, [row], set(), CUT) == 10_000
    assert opening_penalty(plan, [row], {row.n}, CUT) == 0


def test_a_seasonal_loans_opening_penalty_is_at_its_contracts_thirty_percent_uplift() -> None:
    """10,000.00 x 8 % x 1.3 x 30 / 360 = 86.66 (the pack's default would give 100.00)."""
    seasonal = next(spec for spec in PRODUCTS if spec.code == "SEASONAL")
    plan = replace(_plan(Behaviour.LATE_1), product=seasonal)
    row = replace(_rows(plan)[0], due_date=date(2026, 8, 1), principal_due=1_000_000)
    assert opening_penalty(plan, [row], set(), CUT) == 8_666


def test_the_used_car_and_seasonal_loans_carry_their_catalogue_products_late_terms() -> None:
    """The synthetic book's used-car loans were booked without the product's late fee and
    its seasonal loans at the pack's +50 % while the product (and its page) says +30 %:
    the booking and the replay both take them from the plan now."""
    plans = {p.product.code: p for p in plan_book(300, seed=4, as_of=AS_OF, cut_over=CUT)}
    assert USED_CAR.late_fee is not None
    used = servicing_terms(booking_request(plans["USED_CAR"], None), None)
    assert used.late_fee == USED_CAR.late_fee.rule and used.penalty_uplift is None
    seasonal = servicing_terms(booking_request(plans["SEASONAL"], None), None)
    assert seasonal.penalty_uplift == SEASONAL.penalty_uplift == Decimal("0.3")
    assert seasonal.late_fee is None
