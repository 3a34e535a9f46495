"""Servicing state: installments, statuses, days past due, fees and delinquency buckets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.errors import Conflict, CurrencyMismatch, InvalidInput
from autolend.domain.money import Money
from autolend.domain.schedule import GraceKind, LoanTerms, build_schedule
from autolend.domain.servicing import (
    CN_FIVE_TIER,
    DEFAULT_BUCKETS,
    Component,
    DelinquencyBucket,
    InstallmentState,
    InstallmentStatus,
    LoanState,
    LoanStatus,
    bucket_of,
    charge_fee,
    days_past_due,
)
from autolend.domain.servicing.delinquency import _check_buckets

START = date(2026, 1, 5)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def terms_12k(**overrides: object) -> LoanTerms:
    base = LoanTerms(principal=cny("12000"), annual_rate=Decimal("0.12"), periods=12, start=START)
    return replace(base, **overrides)  # type: ignore[arg-type]


def fresh(**overrides: object) -> LoanState:
    return LoanState.from_schedule("L1", build_schedule(terms_12k(**overrides)))


def pay(state: LoanState, n: int, principal: int = -1, interest: int = -1) -> LoanState:
    """Mark installment ``n`` paid (in full by default)."""
    row = state.installments[n - 1]
    principal = row.principal_due if principal < 0 else principal
    interest = row.interest_due if interest < 0 else interest
    return state.with_installment(replace(row, principal_paid=principal, interest_paid=interest))


# --- construction -------------------------------------------------------------------------


def test_a_fresh_state_mirrors_the_schedule_with_nothing_paid_or_accrued() -> None:
    state = fresh()
    first, second = state.installments[0], state.installments[1]
    assert (first.n, first.period_start, first.due_date) == (1, START, date(2026, 2, 5))
    assert (first.principal_due, first.interest_due, first.fee_due) == (94619, 12000, 0)
    assert (second.period_start, second.principal_due, second.interest_due) == (
        date(2026, 2, 5), 95565, 11054,
    )  # fmt: skip
    assert len(state.installments) == 12
    assert state.status is LoanStatus.ACTIVE
    assert state.accrued_through is None and state.contract_date == START
    assert (state.advance, state.penalty, state.compound, state.cost_charged) == (0, 0, 0, 0)
    assert state.outstanding_principal == 1_200_000


def test_contract_date_and_an_upfront_cost_can_be_given() -> None:
    state = LoanState.from_schedule(
        "L1", build_schedule(terms_12k()), contract_date=date(2026, 1, 2), cost_charged=cny("50")
    )
    assert state.contract_date == date(2026, 1, 2) and state.cost_charged == 5000
    usd = Money.parse("1", "USD")
    with pytest.raises(CurrencyMismatch):
        LoanState.from_schedule("L1", build_schedule(terms_12k()), cost_charged=usd)


def test_deferred_holiday_interest_is_due_with_the_first_regular_installment() -> None:
    terms = terms_12k(grace_periods=2, grace_kind=GraceKind.HOLIDAY_DEFERRED)
    schedule = build_schedule(terms)
    state = LoanState.from_schedule("L1", schedule)
    third = schedule.rows[2]
    assert state.installments[0].interest_due == 0
    assert state.installments[2].interest_due == third.interest + third.deferred_interest_paid


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"principal_paid": 94620}, "principal_paid"),
        ({"interest_due": -1}, "interest_due"),
        ({"fee_paid": 1}, "fee_paid"),
        ({"due_date": START}, "due_date"),
        ({"principal_due": True}, "principal_due"),
    ],
)
def test_an_installment_refuses_negative_or_overpaid_amounts(
    kwargs: dict[str, object], field: str
) -> None:
    base = {"n": 1, "period_start": START, "due_date": date(2026, 2, 5),
            "principal_due": 94619, "interest_due": 12000}  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        InstallmentState(**{**base, **kwargs})  # type: ignore[arg-type]
    assert error.value.field == field


def test_a_loan_state_refuses_inconsistent_values() -> None:
    state = fresh()
    with pytest.raises(InvalidInput):
        replace(state, advance=-1)
    with pytest.raises(InvalidInput):
        replace(state, loan_id="")
    with pytest.raises(InvalidInput):
        replace(state, installments=state.installments[1:])  # numbering must start at 1
    with pytest.raises(InvalidInput):
        replace(state, installments=())
    with pytest.raises(InvalidInput):
        replace(state, status="active")  # type: ignore[arg-type]
    with pytest.raises(CurrencyMismatch):
        replace(state, currency=Money.parse("1", "USD").currency)


def test_paying_more_than_is_outstanding_is_a_conflict() -> None:
    row = fresh().installments[0]
    with pytest.raises(Conflict):
        row.with_payment(Component.INTEREST, 12001)
    assert row.with_payment(Component.FEE, 0) == row


# --- queries ------------------------------------------------------------------------------


def test_an_installment_is_due_on_its_due_date_and_overdue_from_the_day_after() -> None:
    state = fresh()
    assert state.overdue_on(date(2026, 2, 5)) == ()
    assert [r.n for r in state.current_on(date(2026, 2, 5))] == [1]
    assert [r.n for r in state.overdue_on(date(2026, 2, 6))] == [1]
    assert state.days_past_due(date(2026, 2, 5)) == 0
    assert state.days_past_due(date(2026, 2, 6)) == 1
    assert state.days_past_due(date(2026, 3, 15)) == 38  # counted from the oldest, 02-05
    assert [r.n for r in state.overdue_on(date(2026, 3, 15))] == [1, 2]


def test_days_past_due_count_from_the_earliest_unpaid_due_date() -> None:
    state = pay(fresh(), 1)
    assert state.days_past_due(date(2026, 3, 15)) == 10
    assert days_past_due(state, date(2026, 3, 15)) == 10
    partly = pay(fresh(), 1, principal=100)  # one fen of principal short is still overdue
    assert partly.days_past_due(date(2026, 3, 15)) == 38


def test_installment_statuses_on_a_date() -> None:
    state = pay(pay(fresh(), 1), 2, principal=0, interest=5000)  # 2 partly paid
    on_due = state.installment_status(date(2026, 3, 5))
    assert on_due[1] is InstallmentStatus.PAID
    assert on_due[2] is InstallmentStatus.PARTLY_PAID
    assert on_due[3] is InstallmentStatus.FUTURE
    assert state.installment_status(date(2026, 3, 6))[2] is InstallmentStatus.OVERDUE
    assert fresh().installment_status(date(2026, 3, 5))[2] is InstallmentStatus.DUE


def test_next_due_is_the_first_unpaid_installment_on_or_after_the_date() -> None:
    state = pay(fresh(), 1)
    nxt = state.next_due(date(2026, 2, 5))
    assert nxt is not None and nxt.n == 2
    assert state.next_due(date(2027, 1, 6)) is None
    assert fresh().next_due(date(2026, 2, 5)).n == 1  # type: ignore[union-attr]


def test_amounts_due_and_outstanding_principal() -> None:
    state = replace(pay(fresh(), 1), penalty=480, compound=60)
    # 02: 955.65 + 110.54 = 1,066.19 overdue on 03-15 plus penalty and compound
    assert state.overdue_amount(Component.PRINCIPAL, date(2026, 3, 15)) == 95565
    assert state.overdue_amount(Component.INTEREST, date(2026, 3, 15)) == 11054
    assert state.amount_due(date(2026, 3, 15)) == 106619 + 540
    assert state.amount_due(date(2026, 3, 5)) == 106619 + 540  # due that day
    assert state.amount_due(date(2026, 3, 4)) == 540
    assert state.outstanding_principal == 1_200_000 - 94619
    assert state.money(5) == cny("0.05")


def test_a_loan_is_settled_when_every_installment_and_penalty_is_paid() -> None:
    state = fresh()
    for n in range(1, 13):
        state = pay(state, n)
    assert state.is_settled and state.outstanding_principal == 0
    assert not replace(state, compound=1).is_settled


# --- fees ---------------------------------------------------------------------------------


def test_a_fee_falls_due_with_its_installment_and_counts_toward_the_ceiling() -> None:
    state = charge_fee(fresh(), 2, cny("30"))
    row = state.installments[1]
    assert (row.fee_due, row.total_outstanding) == (3000, 106619 + 3000)
    assert state.cost_charged == 3000
    # on 03-05: installment 1 overdue, installment 2 with its fee due that day
    assert state.amount_due(date(2026, 3, 5)) == 106619 + 106619 + 3000
    assert state.amount_due(date(2026, 3, 4)) == 106619


@pytest.mark.parametrize(
    ("n", "amount", "error"),
    [
        (0, "30", InvalidInput),
        (13, "30", InvalidInput),
        (2, "0", InvalidInput),
        (2, "-1", InvalidInput),
    ],
)
def test_a_fee_needs_a_valid_installment_and_a_positive_amount(
    n: int, amount: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        charge_fee(fresh(), n, cny(amount))


def test_fees_are_refused_on_a_loan_that_is_not_active_or_in_another_currency() -> None:
    with pytest.raises(Conflict):
        charge_fee(replace(fresh(), status=LoanStatus.WRITTEN_OFF), 1, cny("1"))
    with pytest.raises(CurrencyMismatch):
        charge_fee(fresh(), 1, Money.parse("1", "USD"))


# --- delinquency --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dpd", "name"),
    [(0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"),
     (90, "61-90"), (91, "91-180"), (180, "91-180"), (181, "181+"), (10_000, "181+")],
)  # fmt: skip
def test_default_buckets(dpd: int, name: str) -> None:
    assert bucket_of(dpd).name == name
    assert bucket_of(dpd, DEFAULT_BUCKETS).holds(dpd)


@pytest.mark.parametrize(
    ("dpd", "name"),
    [(0, "normal"), (1, "special_mention"), (90, "special_mention"), (91, "substandard"),
     (270, "substandard"), (271, "doubtful"), (360, "doubtful"), (361, "loss")],
)  # fmt: skip
def test_the_chinese_five_tier_floors(dpd: int, name: str) -> None:
    assert bucket_of(dpd, CN_FIVE_TIER).name == name


def test_bad_days_past_due_and_bad_bucket_sets_are_refused() -> None:
    for bad in (-1, True, 1.5):
        with pytest.raises(InvalidInput):
            bucket_of(bad)  # type: ignore[arg-type]
    gap = (DelinquencyBucket("a", 0, 0), DelinquencyBucket("b", 2, None))
    closed = (DelinquencyBucket("a", 0, 5),)
    after_open = (DelinquencyBucket("a", 0, None), DelinquencyBucket("b", 1, None))
    backwards = (DelinquencyBucket("a", 0, -1), DelinquencyBucket("b", 0, None))
    for buckets in (gap, closed, after_open, backwards):
        with pytest.raises(InvalidInput):
            _check_buckets(buckets)
    with pytest.raises(InvalidInput):
        bucket_of(7, closed)


# --- a fee alone is not past due ------------------------------------------------------------
# Installment 1 of 12,000.00 at 12 % over 12 months from 2026-01-05: 946.19 principal and
# 120.00 interest due 2026-02-05 (the schedule above). On 2026-03-04 that due date is 27
# days back (Feb has 28 days); installment 2 falls due on 2026-03-05, so nothing else is
# overdue yet. The rule: CN five-tier (商业银行金融资产风险分类办法 2023) counts days
# overdue of principal or interest; 16 CFR 444.4: a late charge alone is no delinquency.

MAR_4 = date(2026, 3, 4)


def with_fee_left(**overrides: object) -> LoanState:
    """Installment 1 with a 50.00 late fee charged and its principal and interest paid."""
    return pay(charge_fee(fresh(**overrides), 1, cny("50")), 1)


def test_a_loan_owing_only_its_late_fee_is_current_not_past_due() -> None:
    state = with_fee_left()
    dpd = state.days_past_due(MAR_4)
    assert (dpd, days_past_due(state, MAR_4)) == (0, 0)
    assert (bucket_of(dpd).name, bucket_of(dpd, CN_FIVE_TIER).name) == ("current", "normal")
    # the fee stays payable: it is overdue, and due with everything else
    assert [r.n for r in state.overdue_on(MAR_4)] == [1] and state.past_due_on(MAR_4) == ()
    assert state.amount_due(MAR_4) == 5000
    assert state.installment_status(MAR_4)[1] is InstallmentStatus.FEE_UNPAID


def test_a_loan_owing_only_its_monthly_fee_is_current_not_past_due() -> None:
    plain = LoanState.from_schedule("L1", build_schedule(terms_12k()), monthly_fee=cny("80"))
    state = pay(plain, 1)  # GPS and insurance, 80.00, left unpaid
    assert state.days_past_due(MAR_4) == 0
    assert state.amount_due(MAR_4) == 8000
    assert state.installment_status(MAR_4)[1] is InstallmentStatus.FEE_UNPAID


def test_one_fen_of_interest_unpaid_beside_the_fee_counts_from_its_due_date() -> None:
    row = fresh().installments[0]
    state = pay(charge_fee(fresh(), 1, cny("50")), 1, interest=row.interest_due - 1)
    dpd = state.days_past_due(MAR_4)
    assert dpd == 27  # 2026-02-05 .. 2026-03-04
    assert (bucket_of(dpd).name, bucket_of(dpd, CN_FIVE_TIER).name) == ("1-30", "special_mention")
    assert [r.n for r in state.past_due_on(MAR_4)] == [1]
    assert state.amount_due(MAR_4) == 5000 + 1
    assert state.installment_status(MAR_4)[1] is InstallmentStatus.OVERDUE


def test_a_fee_left_on_an_earlier_installment_does_not_move_the_count_back() -> None:
    """Installment 1 owes only its fee, installment 2 (due 2026-03-05) is unpaid: the
    count starts on 2026-03-05, 10 days on 2026-03-15, not 38 from 2026-02-05."""
    assert with_fee_left().days_past_due(date(2026, 3, 15)) == 10
