"""A partial prepayment on a due date waits, in the replay, until that installment and
every one before it are paid with no penalty owed: at once when they were paid on time,
at the repayment that settles them when they were paid late. A replay cut short before
that repayment (a portfolio snapshot of an earlier day) ends with it waiting and is not
refused; the books refuse one still waiting when they are restated."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.errors import Conflict
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.domain.servicing.prepayment_rule import (
    PREPAYMENT_DAY_RULE,
    prepayment_installment,
    refuse_waiting,
    settled_through,
)
from autolend.services.projection import Event, initial_state, project

TERMS = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
                  periods=12, start=date(2026, 1, 5))  # fmt: skip
PREPAY = Event(2, "prepayment", date(2026, 2, 5), 0, Money.parse("3000", "CNY"),
               details={"mode": "lower_installment"})  # fmt: skip


def repayment(event_id: int, amount: str, day: date) -> Event:
    return Event(event_id, "repayment", day, 0, Money.parse(amount, "CNY"))


def test_a_prepayment_after_an_on_time_installment_stands_at_once() -> None:
    on_time = repayment(1, "1066.19", date(2026, 2, 5))
    assert project(1, TERMS, "CN", [on_time, PREPAY], date(2026, 2, 5)).waiting == ()


def test_a_prepayment_waits_for_the_late_repayment_and_then_stands() -> None:
    late = repayment(1, "1100.00", date(2026, 2, 15))
    done = project(1, TERMS, "CN", [late, PREPAY], date(2026, 2, 20))
    assert done.waiting == ()
    assert done.state.outstanding_principal == 805381  # 12,000.00 - 946.19 - 3,000.00
    assert done.state.installments[0].is_paid and not done.state.penalty


def test_a_replay_cut_before_the_late_repayment_ends_with_the_prepayment_waiting() -> None:
    cut = project(1, TERMS, "CN", [PREPAY], date(2026, 2, 10))  # no refusal here
    assert cut.waiting == ((2, 1),)
    with pytest.raises(Conflict, match=PREPAYMENT_DAY_RULE) as refused:
        refuse_waiting(cut.waiting)
    assert refused.value.field == "value_date"


def test_a_repayment_short_of_the_installment_leaves_the_prepayment_waiting() -> None:
    short = repayment(1, "500.00", date(2026, 2, 15))
    assert project(1, TERMS, "CN", [short, PREPAY], date(2026, 2, 20)).waiting == ((2, 1),)


def test_a_day_that_is_no_due_date_is_refused_at_once() -> None:
    state = initial_state(1, TERMS)
    assert prepayment_installment(state, date(2026, 3, 5)) == 2
    with pytest.raises(Conflict, match=PREPAYMENT_DAY_RULE):
        prepayment_installment(state, date(2026, 3, 6))
    off_day = Event(2, "prepayment", date(2026, 2, 6), 0, PREPAY.amount)
    with pytest.raises(Conflict, match=PREPAYMENT_DAY_RULE):
        project(1, TERMS, "CN", [off_day], date(2026, 2, 10))


def test_compound_interest_still_owed_keeps_the_prepayment_waiting() -> None:
    # A principal-first order can pay installment 1 and leave its compound interest (复利)
    # owed; the prepayment must not overtake that arrear any more than penalty interest.
    late = repayment(1, "1100.00", date(2026, 2, 15))
    paid = project(1, TERMS, "CN", [late], date(2026, 2, 20)).state
    assert settled_through(paid, 1)
    assert not settled_through(replace(paid, compound=3), 1)
    assert not settled_through(replace(paid, penalty=3), 1)
