"""Equal-installment schedules agree with numpy-financial, an independent implementation.

numpy-financial works in binary floating point, so it is a reference here only (tests
may use floats; the domain never does).  The comparisons, in fen:

* the installment is numpy-financial's ``pmt`` rounded half-up to the fen;
* the first row's interest and principal are its ``ipmt`` / ``ppmt`` within 1 fen;
* every row's interest is the periodic rate times the balance that numpy-financial's
  ``fv`` gives after the same (rounded) payments, within 1 fen plus the bound on the
  interest roundings carried in the balance (half a fen a row, compounding);
* the last row repays what remains, so it differs from the installment by at most the
  accumulated residue.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy_financial as npf  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.money import Money, currency
from autolend.domain.schedule import LoanTerms, build_schedule

CNY = currency("CNY")


def annuity_terms(principal: int, rate_bp: int, periods: int) -> LoanTerms:
    return LoanTerms(
        principal=Money(principal, CNY),
        annual_rate=Decimal(rate_bp).scaleb(-4),
        periods=periods,
        start=date(2024, 3, 10),
    )


CAR_LOANS = given(
    principal=st.integers(100_000, 100_000_000),  # 1,000.00 .. 1,000,000.00 CNY
    rate_bp=st.integers(1, 3600),  # 0.01 % .. 36 % a year
    periods=st.integers(1, 84),
)


@settings(max_examples=300, deadline=None)
@CAR_LOANS
def test_the_installment_is_numpy_financial_pmt_rounded_to_the_fen(
    principal: int, rate_bp: int, periods: int
) -> None:
    schedule = build_schedule(annuity_terms(principal, rate_bp, periods))
    rate = rate_bp / 10_000 / 12
    reference = float(npf.pmt(rate, periods, -principal))
    # pmt divides by (1 + r)^n - 1, which loses about eps / r of its precision at small
    # r: 3,000.00 at 0.01 % for one month is exactly 300,002.5 fen (rounded half up to
    # 300,003), but pmt says 300,002.4999980.
    float_error = principal * 1e-14 / rate
    assert abs(schedule.regular_installment.minor - reference) <= 0.5 + float_error


@settings(max_examples=300, deadline=None)
@CAR_LOANS
def test_the_first_row_is_numpy_financial_ipmt_and_ppmt(
    principal: int, rate_bp: int, periods: int
) -> None:
    rate = rate_bp / 10_000 / 12
    first = build_schedule(annuity_terms(principal, rate_bp, periods)).rows[0]
    assert abs(first.interest - float(npf.ipmt(rate, 1, periods, -principal))) <= 0.5 + 1e-6
    if periods > 1:  # a single row repays everything
        assert abs(first.principal - float(npf.ppmt(rate, 1, periods, -principal))) <= 1 + 1e-6


@settings(max_examples=300, deadline=None)
@CAR_LOANS
def test_every_row_follows_the_numpy_financial_balance_path(
    principal: int, rate_bp: int, periods: int
) -> None:
    rate = rate_bp / 10_000 / 12
    schedule = build_schedule(annuity_terms(principal, rate_bp, periods))
    installment = schedule.regular_installment.minor
    carried = 0.0  # bound on the balance drift from rounding each row's interest
    for k, row in enumerate(schedule.rows):
        reference_balance = -float(npf.fv(rate, k, -installment, principal))
        assert abs(row.interest - rate * reference_balance) <= 1 + rate * carried + 1e-6
        carried = carried * (1 + rate) + 0.5
    last = schedule.rows[-1]
    reference_residue = -float(npf.fv(rate, periods, -installment, principal))
    assert abs(last.payment - (installment + reference_residue)) <= 1 + carried


def test_a_typical_car_loan_matches_ipmt_and_ppmt_row_by_row_within_a_fen() -> None:
    # 150,000.00 CNY at 3.5 % over 36 months (5-year LPR pricing, REGULATION.md).
    principal, rate, periods = 15_000_000, 0.035 / 12, 36
    rows = build_schedule(annuity_terms(principal, 350, periods)).rows
    for k, row in enumerate(rows[:-1], start=1):
        assert abs(row.interest - float(npf.ipmt(rate, k, periods, -principal))) <= 1
        assert abs(row.principal - float(npf.ppmt(rate, k, periods, -principal))) <= 1
