"""The accrual kernel equals the single-loan reference ``accrue`` to the fen, loan by loan.

A randomised book is built through the domain (terms -> schedule -> state, then a
history of on-time, late, missing, partial and early repayments replayed by
``replay``), converted into the columnar book, and both paths then run the next
``K`` days: every day's interest, fee, penalty, compound, ceiling flag, advance applied
and days past due must agree, and so must the balances at the end.  Loans the kernel
routes to the reference (an advance that only partly covers an installment) must be
exactly those where the domain used the advance other than to pay a whole
installment.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.batch.accrual_kernel import DayAccrual, accrue_day
from autolend.batch.book import Book, day_number
from autolend.batch.book_domain import ServicedLoan, book_from_states, state_of
from autolend.batch.reference_path import accrue_day_with_reference
from autolend.batch.synth_book import synthetic_book
from autolend.domain.daycount import DayCount
from autolend.domain.money import Money
from autolend.domain.penalty import (
    PenaltyPolicy,
    accrue_penalty,
    daily_penalty,
    policy_from_pack,
)
from autolend.domain.regulation import CN_PACK, US_PACK, RegulationPack
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import DailyAccrual, LoanState, Repayment, accrue, replay

Step = Callable[[Book, int], tuple[Book, DayAccrual]]
TODAY = date(2026, 3, 1)
DAYS = 45


@dataclass(frozen=True)
class Product:
    pack: RegulationPack
    rate: str
    uplift: str
    monthly_fee: int = 0
    upfront_share: str = "0"


PRODUCTS = (
    Product(CN_PACK, "0.0588", "0.5"),
    Product(CN_PACK, "0.1299", "0.3", monthly_fee=8_000),
    Product(CN_PACK, "0", "0.5"),  # 0 % promotion: penalty rate 0 too
    Product(CN_PACK, "0.18", "0.5", monthly_fee=5_000, upfront_share="0.06"),  # at the ceiling
    Product(CN_PACK, "0.0399", "0.4", upfront_share="0.01"),
    Product(CN_PACK, "0.2", "0.5", monthly_fee=1_000, upfront_share="0.02"),  # cut daily
    Product(US_PACK, "0.0699", "0"),
    Product(US_PACK, "0.2399", "0", monthly_fee=2_500, upfront_share="0.08"),
)
BEHAVIOURS = ("on_time", "late", "stops", "partial", "early_full", "early_part")


def _events(state: LoanState, behaviour: str, rng: random.Random) -> list[Repayment]:
    """Repayments before TODAY following ``behaviour``; early payers pay their last
    installment before TODAY several times over (a partial or a full cover is left)."""
    events: list[Repayment] = []
    stop = rng.randint(0, len(state.installments))
    for k, row in enumerate(state.installments):
        amount = row.principal_due + row.interest_due + row.fee_due
        when = row.due_date
        if behaviour == "late":
            when, amount = when + timedelta(days=rng.randint(1, 50)), amount + rng.randint(0, 9000)
        elif behaviour == "stops" and k >= stop:
            break
        elif behaviour == "partial":
            amount = amount * rng.randint(20, 90) // 100
        if when >= TODAY:
            break
        events.append(Repayment(f"r{k}", when, Money(amount, state.currency)))
    if behaviour.startswith("early") and events:
        last = events[-1]
        share = rng.randint(210, 400) if behaviour == "early_full" else rng.randint(110, 190)
        extra = Money(last.amount.minor * share // 100, last.amount.currency)
        events[-1] = Repayment(last.id, last.value_date, extra)
    return events


def _loan(i: int, rng: random.Random) -> ServicedLoan:
    product = rng.choice(PRODUCTS)
    start = TODAY - timedelta(days=rng.randint(1, 420))
    principal = Money.of_minor(rng.randint(30_000, 300_000) * 100, product.pack.currency)
    terms = LoanTerms(principal=principal, annual_rate=Decimal(product.rate),
                      periods=rng.choice((6, 12, 24, 36)), start=start)  # fmt: skip
    upfront = Money(int(principal.minor * Decimal(product.upfront_share)), principal.currency)
    fee = Money(product.monthly_fee, principal.currency)
    initial = LoanState.from_schedule(f"L{i}", build_schedule(terms), cost_charged=upfront,
                                      monthly_fee=fee)  # fmt: skip
    policy = policy_from_pack(product.pack, start, Decimal(product.uplift))
    events = _events(initial, rng.choice(BEHAVIOURS), rng)
    state = replay(initial, events, TODAY - timedelta(days=1), policy, product.pack).state
    return ServicedLoan(state, policy, product.pack)


def _reference_days(loan: ServicedLoan) -> tuple[list[DailyAccrual], list[int], LoanState]:
    state, days, dpd = loan.state, [], []
    for k in range(DAYS):
        day = TODAY + timedelta(days=k)
        run = accrue(state, day, loan.policy, loan.pack)
        state = run.state
        days.append(run.days[0] if run.days else DailyAccrual(day, 0, 0, 0))
        dpd.append(state.days_past_due(day))
    return days, dpd, state


def _kernel_days(book: Book, step: Step = accrue_day) -> tuple[Book, list[DayAccrual]]:
    results = []
    for k in range(DAYS):
        book, result = step(book, day_number(TODAY) + k)
        results.append(result)
    return book, results


def _advance_was_simple(day: DailyAccrual, loan_state_before: LoanState) -> bool:
    applied = day.advance_applied
    if applied is None:
        return True
    rows = {line.n for line in applied.lines}
    return (
        applied.to_penalty == applied.to_compound == 0
        and len(rows) == 1
        and loan_state_before.installments[next(iter(rows)) - 1].due_date == day.date
        and all(loan_state_before.installments[n - 1].total_outstanding
                == applied.to_installment(n) for n in rows)
    )  # fmt: skip


def _compare_loan(
    i: int, loan: ServicedLoan, results: list[DayAccrual], *, resolved: bool = False
) -> tuple[bool, int]:
    """Compare loan ``i`` day by day until the kernel refers it (unless the reference
    path ``resolved`` the referred days); (referred, days compared)."""
    days, dpd, _ = _reference_days(loan)
    state = loan.state
    for k, (ref, got) in enumerate(zip(days, results, strict=True)):
        if got.referred[i] and not resolved:
            assert not _advance_was_simple(ref, state), (i, k)
            return True, k
        simple = _advance_was_simple(ref, state)
        assert simple or got.referred[i], (i, k, "advance use missed by the mask")
        used = ref.advance_applied
        applied = used.amount.minor - used.to_advance if used else 0
        expected = (ref.interest, ref.fee, ref.penalty, ref.compound, ref.ceiling_reached,
                    applied, dpd[k])  # fmt: skip
        actual = (int(got.interest[i]), int(got.fee[i]), int(got.penalty[i]),
                  int(got.compound[i]), bool(got.ceiling_reached[i]),
                  int(got.advance_applied[i]), int(got.dpd[i]))  # fmt: skip
        assert actual == expected, (i, k, loan.state.loan_id)
        state = accrue(state, ref.date, loan.policy, loan.pack).state
    return False, DAYS


@pytest.fixture(scope="module")
def book_and_loans() -> tuple[list[ServicedLoan], Book, list[DayAccrual]]:
    rng = random.Random(20260301)
    loans = [_loan(i, rng) for i in range(240)]
    book, results = _kernel_days(book_from_states(loans))
    return loans, book, results


def test_every_loan_accrues_as_the_reference_does_day_by_day(
    book_and_loans: tuple[list[ServicedLoan], Book, list[DayAccrual]],
) -> None:
    loans, _, results = book_and_loans
    referred = [_compare_loan(i, loan, results)[0] for i, loan in enumerate(loans)]
    assert 0 < sum(referred) < len(loans) // 4  # the mask is used, but rarely


def test_balances_after_the_run_equal_the_reference_for_loans_kept_in_the_batch(
    book_and_loans: tuple[list[ServicedLoan], Book, list[DayAccrual]],
) -> None:
    loans, book, _ = book_and_loans
    for i, loan in enumerate(loans):
        if book["needs_reference"][i]:
            continue
        state = _reference_days(loan)[2]
        expected = (state.accrued_interest, state.penalty, state.compound, state.cost_charged,
                    state.advance, state.ceiling_reached, state.status.value)  # fmt: skip
        actual = (int(book["accrued_interest"][i]), int(book["penalty"][i]),
                  int(book["compound"][i]), int(book["cost_charged"][i]),
                  int(book["advance"][i]), bool(book["ceiling_reached"][i]),
                  ("active", "paid_off")[int(book["status"][i])])  # fmt: skip
        assert actual == expected, (i, loan.state.loan_id)


def test_the_book_exercises_overdue_ceiling_fees_advances_and_both_packs(
    book_and_loans: tuple[list[ServicedLoan], Book, list[DayAccrual]],
) -> None:
    loans, _, results = book_and_loans
    total = {name: sum(int(getattr(r, name).sum()) for r in results)
             for name in ("penalty", "compound", "fee", "advance_applied")}  # fmt: skip
    assert all(value > 0 for value in total.values()), total
    assert sum(int(r.ceiling_reached.sum()) for r in results) > 0
    assert sum(int((r.ceiling_reached & (r.penalty > 0)).sum()) for r in results) > 0  # a cut
    assert max(int(r.dpd.max()) for r in results) > 90
    assert {loan.pack.code for loan in loans} == {"CN", "US"}


def test_a_loan_rebuilt_from_the_book_accrues_like_the_kernel(
    book_and_loans: tuple[list[ServicedLoan], Book, list[DayAccrual]],
) -> None:
    loans, _, _ = book_and_loans
    start = book_from_states(loans)
    _, results = _kernel_days(start)
    for i in range(0, len(loans), 7):
        _compare_loan(i, state_of(start, i), results)  # asserts every day


def test_running_a_day_twice_changes_nothing(
    book_and_loans: tuple[list[ServicedLoan], Book, list[DayAccrual]],
) -> None:
    _, book, _ = book_and_loans
    again, result = accrue_day(book, day_number(TODAY) + DAYS - 1)
    assert not result.accrued.any()
    assert all(np.array_equal(again[name], book[name]) for name in book.loans)


def test_with_the_reference_path_every_loan_equals_the_reference_every_day() -> None:
    rng = random.Random(20260302)
    loans = [_loan(i, rng) for i in range(120)]
    book, results = _kernel_days(book_from_states(loans), accrue_day_with_reference)
    referred = [bool(r.referred[i]) for r in results for i in range(len(loans))]
    assert any(referred)
    for i, loan in enumerate(loans):
        _compare_loan(i, loan, results, resolved=True)
        state = _reference_days(loan)[2]
        assert int(book["penalty"][i]) == state.penalty and int(book["advance"][i]) == (
            state.advance
        ), i


def _one_day(
    principal: int, interest: int, rate: Decimal, policy: PenaltyPolicy, room: int = 10**12
) -> tuple[int, int, bool]:
    """The kernel's penalty, compound and ceiling flag for one day of a loan with these
    overdue amounts, no interest or fee that day, and ``room`` under the ceiling."""
    book = synthetic_book(1, day=20_514, seed=1)
    basis = 360 if policy.day_count is DayCount.ACT_360 else 365
    one = {
        "overdue_principal": principal, "overdue_interest": interest,
        "earliest_unpaid_day": 20_500, "penalty_rate": int(rate * (1 + policy.uplift) * 10**10),
        "penalty_basis": basis, "start_day": 20_513, "cap_num": room + 1_000, "cap_den": 1,
        "cost_charged": 1_000, "cur_interest": 0, "monthly_fee": 0, "advance": 0,
    }  # fmt: skip
    book = book.with_loans(**{name: np.asarray([value]) for name, value in one.items()})
    _, result = accrue_day(book, 20_514)
    return int(result.penalty[0]), int(result.compound[0]), bool(result.ceiling_reached[0])


def _one_day_penalty(
    principal: int, interest: int, rate: Decimal, policy: PenaltyPolicy
) -> tuple[int, int]:
    return _one_day(principal, interest, rate, policy)[:2]


@pytest.mark.parametrize("room", [0, 1, 100, 252, 253, 254, 10_000])
def test_the_ceiling_cuts_and_flags_the_day_as_the_domain_does(room: int) -> None:
    def cny(minor: int) -> Money:
        return Money.of_minor(minor, "CNY")

    ref = accrue_penalty(cny(1_000_000), cny(10_000), Decimal("0.06"), PenaltyPolicy(), 1,
                         cost_so_far=cny(1_000), ceiling_amount=cny(1_000 + room))  # fmt: skip
    got = _one_day(1_000_000, 10_000, Decimal("0.06"), PenaltyPolicy(), room)
    assert got == (ref.penalty.minor, ref.compound.minor, ref.ceiling_reached)


def test_a_half_fen_of_penalty_or_compound_rounds_up_as_in_the_domain() -> None:
    # 10,000.00 and 100.00 overdue at 6 % x 1.5 / 360: 2.50 and 0.025 -> 0.03 a day
    assert _one_day_penalty(1_000_000, 10_000, Decimal("0.06"), PenaltyPolicy()) == (250, 3)


@settings(max_examples=300, deadline=None)
@given(
    principal=st.integers(0, 10**10), interest=st.integers(0, 10**9),
    rate=st.sampled_from(["0", "0.0399", "0.0588", "0.06", "0.1299", "0.2399", "0.3333333333"]),
    uplift=st.sampled_from(["0", "0.3", "0.4", "0.5"]),
    day_count=st.sampled_from([DayCount.ACT_360, DayCount.ACT_365]),
)  # fmt: skip
def test_the_daily_penalty_equals_the_domain_rule_for_any_amount_and_rate(
    principal: int, interest: int, rate: str, uplift: str, day_count: DayCount
) -> None:
    policy = PenaltyPolicy(uplift=Decimal(uplift), day_count=day_count)
    expected = daily_penalty(Money.of_minor(principal, "CNY"), Money.of_minor(interest, "CNY"),
                             Decimal(rate), policy)  # fmt: skip
    got = _one_day_penalty(principal, interest, Decimal(rate), policy)
    assert got == (expected.penalty_on_principal, expected.compound_on_interest)
