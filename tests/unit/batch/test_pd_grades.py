"""A loan's ECL grade and PD columns come from the PD it was booked with: the nearest
grade at or above it on the lender's 12-month PD scale, a conservative grade 6 when none
was recorded, and the same columns on the bulk read and the per-loan reference path."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.batch.book_domain import ServicedLoan, book_from_states
from autolend.batch.bulk_book import _terms
from autolend.batch.ecl import ANNUAL_PD_BY_GRADE
from autolend.batch.ecl_parameters import EclParameters
from autolend.batch.pd_grades import UNRECORDED_PD_GRADE, grade_of, risk_columns
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.domain.money import Money
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import LoanState
from autolend.services.contract import ServicingTerms
from autolend.services.portfolio_ports import LoanOnDay
from autolend.services.terms_codec import dump_terms

START = date(2026, 1, 5)
PACK = pack_for("CN")
POLICY = policy_from_pack(PACK, START)
# One installment of 10,000.00 principal due 2026-02-05 at 12 % (1 % a month), no car.
TERMS = LoanTerms(principal=Money.parse("10000.00", "CNY"), annual_rate=Decimal("0.12"),
                  periods=1, start=START)  # fmt: skip


@pytest.mark.parametrize(
    ("pd", "grade"),
    [
        ("0.04", 5),  # above grade 4's 3.3 %, at or below grade 5's 5.5 %
        ("0.08", 6),  # 9 %
        ("0.033", 4),  # exactly grade 4's PD: that grade
        ("0.0331", 5),  # a hair above it: the next
        ("0.004", 0),
        ("0.000001", 0),
        ("0.12", 7),  # 15 %
        ("0.4", 9),
        ("0.5", 9),  # above the worst grade's 40 %: the worst there is
    ],
)
def test_a_pd_takes_the_nearest_grade_at_or_above_it_on_the_default_scale(
    pd: str, grade: int
) -> None:
    assert grade_of(Decimal(pd)) == grade


def test_no_pd_is_given_a_grade_whose_12_month_pd_is_below_it() -> None:
    for bp in range(1, 4_001):
        pd = Decimal(bp) / 10_000
        graded = grade_of(pd)
        assert Decimal(str(ANNUAL_PD_BY_GRADE[graded])) >= pd, (pd, graded)
        if graded:  # and the grade before would understate it: the nearest, no worse
            assert Decimal(str(ANNUAL_PD_BY_GRADE[graded - 1])) < pd, (pd, graded)


def test_both_pd_columns_hold_the_booked_pd_in_basis_points_rounded_up() -> None:
    assert risk_columns(Decimal("0.08")) == (6, 800, 800)
    assert risk_columns(Decimal("0.082346")) == (6, 824, 824)  # 823.46 bp up to 824
    assert risk_columns(Decimal("0.000001")) == (0, 1, 1)  # never 0 bp


def test_a_loan_without_a_recorded_pd_takes_grade_6_at_its_pd_not_grade_0() -> None:
    assert UNRECORDED_PD_GRADE == 6
    assert risk_columns(None) == (6, 900, 900)  # 9 % on the default scale


def test_the_lenders_own_scale_grades_the_pd() -> None:
    # A lender whose grades run 1 %, 2 %, ... 10 %: 8 % is its grade 7, exactly.
    scale = [round(0.01 * (g + 1), 2) for g in range(10)]
    assert risk_columns(Decimal("0.08"), scale) == (7, 800, 800)
    assert risk_columns(Decimal("0.081"), scale) == (8, 810, 810)
    assert risk_columns(None, scale) == (6, 700, 700)  # grade 6 of that scale: 7 %


def test_the_stored_terms_carry_the_pd_to_the_bulk_read() -> None:
    text = dump_terms(TERMS, "CN", servicing=ServicingTerms(pd_orig=Decimal("0.08")))
    assert _terms(text)[-2] == Decimal("0.08")
    assert _terms(dump_terms(TERMS, "CN", servicing=ServicingTerms()))[-2] is None


def _loan(pd: str | None) -> LoanOnDay:
    state = LoanState.from_schedule("L1", build_schedule(TERMS))
    return LoanOnDay(
        1, "standard", state, POLICY, PACK, pd_orig=None if pd is None else Decimal(pd)
    )


def test_the_reference_book_carries_each_loans_grade_and_pd_columns() -> None:
    loans = [_loan("0.08"), _loan(None), _loan("0.2")]
    book = book_from_states([ServicedLoan(x.state, x.policy, x.pack, x.pd_orig) for x in loans])
    assert book["grade"].tolist() == [6, 6, 8]
    assert book["pd_orig_bp"].tolist() == book["pd_now_bp"].tolist() == [800, 900, 2_000]


def _hand_ecl(annual_pd: float) -> int:
    """Stage 1, one installment left, no car (LGD 100 %): EAD 10,000.00 x the first
    month's PD of the constant hazard, 1 - (1 - PD12)^(1/12), discounted one month at
    1 %."""
    return round(1_000_000 * (1 - math.pow(1 - annual_pd, 1 / 12)) / 1.01)


def test_a_one_loan_book_booked_at_pd_8_percent_is_provisioned_at_grade_6() -> None:
    (risk,) = ColumnRiskAssessor().assess([_loan("0.08")], START)
    # 10,000.00 x (1 - 0.91^(1/12)) / 1.01 = 10,000.00 x 0.0078284 / 1.01 = 77.51
    assert risk.stage == 1 and risk.ecl_minor == _hand_ecl(0.09) == 7_751
    assert _hand_ecl(0.004) == 331  # what grade 0 gave every loan


def test_two_loans_alike_but_for_a_pd_of_1_and_20_percent_get_different_ecl() -> None:
    low, high = ColumnRiskAssessor().assess([_loan("0.01"), _loan("0.2")], START)
    # 1 % -> grade 2 (1.2 %), 20 % -> grade 8 (25 %)
    assert (low.ecl_minor, high.ecl_minor) == (_hand_ecl(0.012), _hand_ecl(0.25))
    assert low.ecl_minor < high.ecl_minor


def test_a_loan_without_a_pd_is_provisioned_at_grade_6_on_every_path() -> None:
    (risk,) = ColumnRiskAssessor().assess([_loan(None)], START)
    assert risk.ecl_minor == _hand_ecl(0.09)


def test_the_assessor_grades_on_the_lenders_scale() -> None:
    scale = [round(0.01 * (g + 1), 2) for g in range(10)]
    assessor = ColumnRiskAssessor(EclParameters(annual_pd=scale))
    graded, unknown = assessor.assess([_loan("0.081"), replace(_loan(None), loan_id=2)], START)
    assert graded.ecl_minor == _hand_ecl(0.09)  # 8.1 % -> that scale's grade 8, 9 %
    assert unknown.ecl_minor == _hand_ecl(0.07)  # its grade 6, 7 %
