"""The synthetic database books record a PD at origination drawn as the in-memory bench
book draws its grades (Binomial(9, 0.3), each grade's 12-month PD), so the ECL grades
their loans by it: before, they recorded none and every loan took the default grade 6
(9 %), about 20 times the allowance their risk says."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from math import comb

import numpy as np
import pytest

from autolend.batch.bulk_synth import synthetic_loans
from autolend.batch.ecl import ANNUAL_PD_BY_GRADE
from autolend.batch.pd_grades import UNRECORDED_PD_GRADE, basis_points, grade_of, risk_columns
from autolend.batch.synth_book import (
    SYNTHETIC_MODEL_VERSION,
    draw_pds,
    grade_pd,
    synthetic_book,
)
from autolend.batch.synth_history import plan_book
from autolend.batch.synth_history_db import booking_request, servicing_terms
from autolend.services.terms_codec import load_servicing

N = 10_000
TOLERANCE = 0.02  # a share's standard deviation at N is at most 0.005
AS_OF, CUT = date(2026, 11, 28), date(2026, 8, 31)


def documented_shares() -> list[float]:
    """Binomial(9, 0.3), the bench book's documented grade distribution."""
    return [comb(9, g) * 0.3**g * 0.7 ** (9 - g) for g in range(10)]


def shares(grades: Sequence[int]) -> list[float]:
    counts = Counter(grades)
    return [counts[g] / len(grades) for g in range(10)]


def assert_documented(grades: Sequence[int]) -> None:
    for grade, (found, expected) in enumerate(
        zip(shares(grades), documented_shares(), strict=True)
    ):
        assert abs(found - expected) < TOLERANCE, (grade, found, expected)


def test_a_grades_pd_is_its_12_month_pd_and_grades_back_to_it() -> None:
    for grade, annual in enumerate(ANNUAL_PD_BY_GRADE):
        pd = grade_pd(grade)
        assert pd == Decimal(str(annual)) and 0 < pd < 1
        assert grade_of(pd) == grade


def test_the_bench_books_pd_columns_are_its_grades_pds() -> None:
    book = synthetic_book(N, day=20_500, seed=7)
    grades = [int(g) for g in book["grade"]]
    assert [int(bp) for bp in book["pd_orig_bp"]] == [basis_points(grade_pd(g)) for g in grades]
    assert_documented(grades)


def test_the_bulk_books_loans_record_a_pd_drawn_as_the_bench_book_draws_its_grades() -> None:
    loans = synthetic_loans(list(range(1, N + 1)), [date(2026, 1, 5)], seed=11)
    stored = [load_servicing(loan.terms_json) for loan in loans]
    assert {s.model_version for s in stored} == {SYNTHETIC_MODEL_VERSION}
    pds = [s.pd_orig for s in stored]
    assert all(pd is not None for pd in pds)
    grades = [grade_of(pd) for pd in pds if pd is not None]
    assert_documented(grades)
    bench = [int(g) for g in synthetic_book(N, day=20_500, seed=11)["grade"]]
    for found, theirs in zip(shares(grades), shares(bench), strict=True):
        assert abs(found - theirs) < 2 * TOLERANCE


def test_a_bulk_loans_stored_pd_gives_the_bench_books_risk_columns_for_its_grade() -> None:
    """The bulk reader grades the stored PD (``risk_columns``) as the bench book fills its
    columns: grade g with g's 12-month PD in basis points, never the default grade for
    want of a PD."""
    loans = synthetic_loans(list(range(1, 501)), [date(2026, 1, 5)], seed=3)
    columns = {risk_columns(load_servicing(loan.terms_json).pd_orig) for loan in loans}
    expected = {(g, basis_points(grade_pd(g)), basis_points(grade_pd(g))) for g in range(10)}
    assert columns <= expected
    assert len({grade for grade, _, _ in columns}) >= 5
    assert risk_columns(None)[0] == UNRECORDED_PD_GRADE


@pytest.mark.parametrize("seed", [1, 2])
def test_the_same_seed_draws_the_same_pds_and_another_seed_others(seed: int) -> None:
    ids, starts = list(range(1, 301)), [date(2026, 1, 5)]
    first = [x.terms_json for x in synthetic_loans(ids, starts, seed=seed)]
    assert first == [x.terms_json for x in synthetic_loans(ids, starts, seed=seed)]
    assert first != [x.terms_json for x in synthetic_loans(ids, starts, seed=seed + 10)]
    plans = plan_book(300, seed=seed, as_of=AS_OF, cut_over=CUT)
    again = plan_book(300, seed=seed, as_of=AS_OF, cut_over=CUT)
    assert [p.pd_orig for p in plans] == [p.pd_orig for p in again]
    assert draw_pds(np.random.default_rng(seed), 50) == draw_pds(np.random.default_rng(seed), 50)


def test_a_history_books_plans_carry_pds_drawn_as_the_bench_book_draws_its_grades() -> None:
    plans = plan_book(N, seed=1, as_of=AS_OF, cut_over=CUT)
    assert_documented([grade_of(p.pd_orig) for p in plans])


def test_a_history_loan_is_booked_and_replayed_with_its_plans_pd() -> None:
    plan = plan_book(20, seed=4, as_of=AS_OF, cut_over=CUT)[0]
    request = booking_request(plan, None)
    assert (request.pd_orig, request.model_version) == (plan.pd_orig, SYNTHETIC_MODEL_VERSION)
    servicing = servicing_terms(request, None)
    assert (servicing.pd_orig, servicing.model_version) == (plan.pd_orig, SYNTHETIC_MODEL_VERSION)
