"""The vectorised schedule kernels reproduce the Decimal path row for row, to the fen.

Reference: :func:`autolend.domain.schedule.build_schedule` with the period interest
basis, a regular first period and no grace (the kernels' scope).  Compared per row:
principal, interest, payment, closing balance and capitalised interest, and per loan
the regular installment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.batch.schedules import (
    RATE_SCALE,
    VectorSchedule,
    equal_installment_rows,
    equal_principal_rows,
    level_installments,
    rate_numerators,
    round_ratio,
    rounded_interest,
)
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, currency
from autolend.domain.schedule import (
    Frequency,
    LoanTerms,
    Method,
    RoundingMode,
    build_schedule,
    round_interest,
)

CNY = currency("CNY")
START = date(2026, 1, 15)
KERNELS = {
    Method.EQUAL_INSTALLMENT: equal_installment_rows,
    Method.EQUAL_PRINCIPAL: equal_principal_rows,
}


@dataclass(frozen=True)
class Loan:
    principal: int  # fen
    rate: int  # numerator over RATE_SCALE (10^-10 units)
    periods: int
    multiple: int


def reference_rows(
    loan: Loan, method: Method, mode: RoundingMode, frequency: Frequency = Frequency.MONTHLY
) -> tuple[int, list[tuple[int, int, int, int, int]]]:
    """The Decimal path: the level installment and (principal, interest, payment,
    balance, capitalised) of every row."""
    terms = LoanTerms(
        principal=Money(loan.principal, CNY),
        annual_rate=Decimal(loan.rate).scaleb(-10),
        periods=loan.periods,
        start=START,
        frequency=frequency,
        method=method,
        rounding=mode,
        installment_multiple=loan.multiple,
    )
    schedule = build_schedule(terms)
    rows = [
        (r.principal, r.interest, r.payment, r.closing_balance, r.capitalised_interest)
        for r in schedule.rows
    ]
    return schedule.regular_installment.minor, rows


def vector_rows(schedule: VectorSchedule, i: int) -> list[tuple[int, int, int, int, int]]:
    n = int(schedule.periods[i])
    capitalised = schedule.capitalised[i, :n].tolist()
    return [(*row, cap) for row, cap in zip(schedule.loan_rows(i), capitalised, strict=True)]


def run_kernel(
    loans: list[Loan], method: Method, mode: RoundingMode, per_year: int = 12
) -> VectorSchedule:
    return KERNELS[method](
        np.array([x.principal for x in loans], dtype=np.int64),
        np.array([x.rate for x in loans], dtype=np.int64),
        np.array([x.periods for x in loans], dtype=np.int64),
        periods_per_year=per_year,
        rounding=mode,
        installment_multiple=np.array([x.multiple for x in loans], dtype=np.int64),
    )


def mismatches(
    loans: list[Loan], method: Method, mode: RoundingMode, frequency: Frequency
) -> list[Loan]:
    schedule = run_kernel(loans, method, mode, frequency.periods_per_year)
    wrong = []
    for i, loan in enumerate(loans):
        level, rows = reference_rows(loan, method, mode, frequency)
        if vector_rows(schedule, i) != rows or int(schedule.level[i]) != level:
            wrong.append(loan)
    return wrong


def random_book(seed: int, size: int) -> list[tuple[Loan, RoundingMode]]:
    """Car loans of 10,000..1,000,000 CNY at 0..24 % (up to 4 decimals of a percent,
    some round), 6..84 months, to the fen or the yuan, under every rounding mode."""
    rng = random.Random(seed)
    book = []
    for _ in range(size):
        decimals = rng.choice([0, 2, 4])  # of the percentage: 5 %, 5.25 %, 5.1234 %
        step = 10 ** (8 - decimals)  # 1 % is 10^8 in 10^-10 units
        rate = rng.randint(0, 24 * 10**8 // step) * step
        loan = Loan(rng.randint(1_000_000, 100_000_000), rate, rng.randint(6, 84),
                    rng.choice([1, 100]))  # fmt: skip
        book.append((loan, rng.choice(list(RoundingMode))))
    return book


@pytest.mark.parametrize("method", list(KERNELS))
def test_every_row_of_a_random_book_of_2400_car_loans_matches_the_decimal_path(
    method: Method,
) -> None:
    book = random_book(seed=20261128, size=2400)
    checked = 0
    for mode in RoundingMode:
        loans = [loan for loan, loan_mode in book if loan_mode is mode]
        assert mismatches(loans, method, mode, Frequency.MONTHLY) == []
        checked += len(loans)
    assert checked == 2400


@pytest.mark.parametrize("method", list(KERNELS))
def test_principal_sums_exactly_to_the_loan_amount_for_every_loan_of_the_book(
    method: Method,
) -> None:
    book = random_book(seed=7, size=2000)
    for mode in RoundingMode:
        loans = [loan for loan, loan_mode in book if loan_mode is mode]
        schedule = run_kernel(loans, method, mode)
        amounts = np.array([loan.principal for loan in loans])
        assert (schedule.principal.sum(axis=1) == amounts).all()
        assert not schedule.capitalised.any()
        last = schedule.periods - 1
        assert (schedule.balance[np.arange(len(loans)), last] == 0).all()


car_loans = st.builds(
    Loan,
    principal=st.integers(1_000_000, 100_000_000),
    rate=st.integers(0, 240_000).map(lambda r: r * 10**4),  # 0..24 %, 4 decimals of a %
    periods=st.integers(6, 84),
    multiple=st.sampled_from([1, 100]),
)


@settings(max_examples=150, deadline=None)
@given(
    loans=st.lists(car_loans, min_size=1, max_size=8),
    method=st.sampled_from(list(KERNELS)),
    mode=st.sampled_from(list(RoundingMode)),
)
def test_any_small_book_of_car_loans_matches_the_decimal_path(
    loans: list[Loan], method: Method, mode: RoundingMode
) -> None:
    assert mismatches(loans, method, mode, Frequency.MONTHLY) == []


@settings(max_examples=150, deadline=None)
@given(
    loans=st.lists(car_loans, min_size=1, max_size=8),
    method=st.sampled_from(list(KERNELS)),
    mode=st.sampled_from(list(RoundingMode)),
)
def test_principal_plus_capitalised_interest_sums_to_the_amount_and_the_loan_closes_at_zero(
    loans: list[Loan], method: Method, mode: RoundingMode
) -> None:
    schedule = run_kernel(loans, method, mode)
    amounts = np.array([loan.principal for loan in loans])
    repaid = schedule.principal.sum(axis=1) - schedule.capitalised.sum(axis=1)
    assert (repaid == amounts).all()
    assert (schedule.payment == schedule.principal + schedule.interest).all()
    assert (schedule.balance[np.arange(len(loans)), schedule.periods - 1] == 0).all()


extreme_loans = st.builds(
    Loan,
    principal=st.one_of(st.integers(1, 10**15), st.sampled_from([1, 10**15])),
    rate=st.one_of(st.integers(0, RATE_SCALE), st.sampled_from([0, 1, RATE_SCALE])),
    periods=st.one_of(st.integers(1, 480), st.sampled_from([1, 2, 480])),
    multiple=st.one_of(st.integers(1, 10**9), st.sampled_from([1, 100, 10**9])),
)


@settings(max_examples=200, deadline=None)
@given(
    loan=extreme_loans,
    method=st.sampled_from(list(KERNELS)),
    mode=st.sampled_from(list(RoundingMode)),
    frequency=st.sampled_from(list(Frequency)),
)
def test_the_kernels_stay_exact_over_the_whole_domain_range_or_refuse_a_runaway_balance(
    loan: Loan, method: Method, mode: RoundingMode, frequency: Frequency
) -> None:
    """Principal to 10^15 fen, any 10-decimal rate to 100 %, 1..480 rows, multiples to
    10^9, every frequency: exact, except that a balance capitalised past 2^61 fen (an
    installment rounded far below the interest) is refused."""
    try:
        wrong = mismatches([loan], method, mode, frequency)
    except InvalidInput as refused:
        assert refused.field == "installment_multiple"
        _, rows = reference_rows(loan, method, mode, frequency)
        assert max(row[3] for row in rows) > 2**60
    else:
        assert wrong == []


def test_a_runaway_capitalised_balance_is_refused_rather_than_overflowing() -> None:
    loan = Loan(784_099_884_277_190, RATE_SCALE, 480, 10**9)  # 100 %, rounded down to 10^9
    with pytest.raises(InvalidInput, match="2\\^61"):
        run_kernel([loan], Method.EQUAL_INSTALLMENT, RoundingMode.DOWN)


@settings(max_examples=500, deadline=None)
@given(
    balance=st.one_of(st.integers(0, 2**62), st.integers(0, 10**12)),
    rate=st.integers(0, RATE_SCALE),
    per_year=st.sampled_from([1, 4, 12, 24, 26, 52, 365]),
    mode=st.sampled_from(list(RoundingMode)),
)
def test_rounded_interest_is_the_exact_rational_rounded_by_the_mode(
    balance: int, rate: int, per_year: int, mode: RoundingMode
) -> None:
    den = RATE_SCALE * per_year
    rates = np.array([rate], dtype=np.int64)
    got = rounded_interest(np.array([balance], dtype=np.int64), rates, den, rates / den, mode)
    assert int(got[0]) == round_interest(balance, Decimal(rate), Decimal(den), mode)


def test_interest_ties_at_half_a_fen_follow_the_named_mode() -> None:
    balance = np.array([6_000, 18_000], dtype=np.int64)  # x 4.9 % / 12 = 24.5 and 73.5
    rate = np.array([490_000_000] * 2, dtype=np.int64)
    den = RATE_SCALE * 12
    ratio = rate / den
    assert rounded_interest(balance, rate, den, ratio, RoundingMode.HALF_UP).tolist() == [25, 74]
    assert rounded_interest(balance, rate, den, ratio, RoundingMode.HALF_EVEN).tolist() == [24, 74]
    assert rounded_interest(balance, rate, den, ratio, RoundingMode.DOWN).tolist() == [24, 73]
    assert rounded_interest(balance, rate, den, ratio, RoundingMode.CEILING).tolist() == [25, 74]


def test_round_ratio_rounds_exact_halves_by_the_mode() -> None:
    num = np.array([5, 7, 6], dtype=np.int64)
    assert round_ratio(num, 2, RoundingMode.HALF_EVEN).tolist() == [2, 4, 3]
    assert round_ratio(num, 2, RoundingMode.HALF_UP).tolist() == [3, 4, 3]
    assert round_ratio(num, 2, RoundingMode.UP).tolist() == [3, 4, 3]
    assert round_ratio(num, 2, RoundingMode.FLOOR).tolist() == [2, 3, 3]


@pytest.mark.parametrize("mode", list(RoundingMode))
def test_the_float_filtered_installment_equals_the_all_decimal_installment(
    mode: RoundingMode,
) -> None:
    rng = np.random.default_rng(3)
    size = 3000
    principal = rng.integers(1, 10**15, size)
    rate = np.where(rng.random(size) < 0.1, 0, rng.integers(0, RATE_SCALE, size))
    periods = rng.integers(1, 481, size)
    multiple = rng.choice(np.array([1, 100, 10_000]), size)
    options = {"per_year": 12, "mode": mode, "multiple": multiple}
    fast = level_installments(principal, rate, periods, **options)  # type: ignore[arg-type]
    every_one_in_decimal = level_installments(
        principal,
        rate,
        periods,
        tolerance=1.0,
        **options,  # type: ignore[arg-type]
    )
    assert (fast == every_one_in_decimal).all()


def test_the_documented_example_matches_the_domain_docstring() -> None:
    schedule = equal_installment_rows([500_000], [1_200_000_000], [18])
    assert schedule.loan_rows(0)[0] == (25_491, 5_000, 30_491, 474_509)
    assert int(schedule.level[0]) == 30_491
    assert schedule.rows == 18
    assert schedule.loans == 1


def test_the_arrays_are_loans_by_rows_column_major_and_zero_past_each_loans_last_row() -> None:
    schedule = equal_principal_rows([1_200_000, 600_000], [600_000_000, 0], [12, 3])
    assert schedule.principal.shape == (2, 12)
    assert schedule.principal.flags.f_contiguous
    assert not schedule.payment[1, 3:].any()
    assert schedule.rows == 15
    assert schedule.loan_rows(1) == [(200_000, 0, 200_000, 400_000),
                                     (200_000, 0, 200_000, 200_000),
                                     (200_000, 0, 200_000, 0)]  # fmt: skip


def test_rate_numerators_turn_decimal_rates_into_exact_integers() -> None:
    rates = [Decimal("0.1234"), Decimal("0"), Decimal("0.0000000001"), Decimal(1)]
    assert rate_numerators(rates).tolist() == [1_234_000_000, 0, 1, RATE_SCALE]
    with pytest.raises(InvalidInput):
        rate_numerators([Decimal("0.12345678901")])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"annual_rate": [RATE_SCALE + 1]}, "annual_rate"),
        ({"principal_minor": [0]}, "principal"),
        ({"principal_minor": [10**15 + 1]}, "principal"),
        ({"periods": [481]}, "periods"),
        ({"periods": [12, 12]}, "periods"),
        ({"installment_multiple": 0}, "installment_multiple"),
        ({"installment_multiple": [1, 100]}, "installment_multiple"),
        ({"rounding": "HALF_SIDEWAYS"}, "rounding"),
        ({"rate_scale": 3}, "rate_scale"),
        ({"periods_per_year": 0}, "periods_per_year"),
        ({"annual_rate": [0.12]}, "annual_rate"),
    ],
)
def test_inputs_outside_the_exact_range_are_refused_naming_the_field(
    kwargs: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {
        "principal_minor": [100_000],
        "annual_rate": [1_200_000_000],
        "periods": [12],
        **kwargs,
    }
    with pytest.raises(InvalidInput) as refused:
        equal_installment_rows(**arguments)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_rounding_modes_are_accepted_by_name_or_decimal_constant() -> None:
    loan = ([500_000], [1_200_000_000], [18])
    by_name = equal_installment_rows(*loan, rounding="down", installment_multiple=100)
    by_constant = equal_installment_rows(*loan, rounding="ROUND_DOWN", installment_multiple=100)
    assert int(by_name.level[0]) == int(by_constant.level[0]) == 30_400
