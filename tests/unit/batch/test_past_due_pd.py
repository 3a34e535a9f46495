"""The past-due buckets' behavioural PD: the Markov estimate on hand-made transition
tables (figures computed by hand in each test), the minimum count, the lender's floors,
and the kernel giving a past-due loan its bucket's PD and grade for the day."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from autolend.batch.ecl_parameters import EclParameters, parameters_from
from autolend.batch.eod import EodConfig, run_day
from autolend.batch.past_due_pd import (
    MIN_LOANS,
    WRITTEN_OFF,
    PastDueColumns,
    PastDuePd,
    behavioural_pds,
    past_due_columns,
)
from autolend.batch.synth_book import synthetic_book
from autolend.domain.errors import InvalidInput

# Current loans stay current (100). 1-30: 20 cure, 20 stay, 25 reach 91-180 and 15 are
# written off (80: a quarter, a quarter, a half default). 31-60: 29 loans, one short of
# the minimum. 61-90: 20 reach 91-180, 10 written off, 10 paid off (40: three quarters).
TABLE = [
    (0, 0, 100),
    (1, 0, 20), (1, 1, 20), (1, 4, 25), (1, WRITTEN_OFF, 15),
    (2, 3, 29),
    (3, 4, 20), (3, WRITTEN_OFF, 10), (3, -1, 10),
]  # fmt: skip


def test_the_twelve_month_pd_of_each_bucket_is_the_chains_by_hand() -> None:
    # 1-30: default within 12 months = 1/2 x (1 + 1/4 + ... + 1/4^11) = 2/3 x (1 - 4^-12)
    # = 0.66666663; rounded up to six places 0.666667. 61-90: 3/4 in the first month,
    # the rest paid off: 0.75. 31-60: its own row is thin, so none.
    assert behavioural_pds(TABLE) == {1: Decimal("0.666667"), 2: None, 3: Decimal("0.75")}


def test_the_three_state_example_of_the_docstring_gives_0_26_over_two_months() -> None:
    moves = [(0, 0, 90), (0, 1, 10), (1, 0, 50), (1, 1, 30), (1, 4, 20)]
    # 0.2 + 0.3 x 0.2 + 0.5 x 0 (current never defaults in a month) = 0.26
    assert behavioural_pds(moves, months=2, min_loans=100)[1] == Decimal("0.26")
    assert behavioural_pds(moves, months=2, min_loans=101)[1] is None


def test_a_bucket_that_can_reach_a_thin_row_has_no_behavioural_pd() -> None:
    # 1-30 now rolls one loan to 31-60, whose 29 loans are too few: 1-30 has none, and
    # 61-90 (which reaches neither) keeps its 0.75.
    found = behavioural_pds([*TABLE, (1, 2, 1)])
    assert (found[1], found[3]) == (None, Decimal("0.75"))


def test_a_row_of_exactly_the_minimum_is_estimated_and_one_fewer_is_not() -> None:
    enough = [(0, 0, MIN_LOANS), (1, 0, MIN_LOANS // 2), (1, 4, MIN_LOANS // 2)]
    short = [(0, 0, MIN_LOANS), (1, 0, MIN_LOANS // 2), (1, 4, MIN_LOANS // 2 - 1)]
    assert behavioural_pds(enough)[1] == Decimal("0.5")  # half default at once, half cure
    assert behavioural_pds(short)[1] is None


def test_an_empty_history_estimates_nothing() -> None:
    assert behavioural_pds([]) == {1: None, 2: None, 3: None}


def test_the_pd_in_force_is_the_higher_of_the_estimate_and_the_floor() -> None:
    pds = PastDuePd(
        behavioural=(Decimal("0.666667"), None, Decimal("0.3")),
        floor=(Decimal("0.2"), Decimal("0.4"), None),
    )
    assert pds.in_force() == (Decimal("0.666667"), Decimal("0.4"), Decimal("0.3"))
    assert pds.audit()["past_due_pd_dpd_31_60"] == "0.4"
    assert pds.audit()["behavioural_pd_dpd_31_60"] == "none"


def test_the_kernels_table_holds_each_buckets_basis_points_and_grade() -> None:
    pds = PastDuePd(floor=(Decimal("0.2"), None, Decimal("0.041")))
    # 20 % -> grade 8 (25 %); 4.1 % -> grade 5 (5.5 %), 410 bp.
    table = past_due_columns(pds, EclParameters().annual_pd)
    assert table == PastDueColumns((0, 2000, 0, 410, 0, 0), (0, 8, 0, 5, 0, 0))


def test_the_lenders_floors_are_read_from_the_parameters_and_checked() -> None:
    given = parameters_from({"past_due_pd": {"dpd_1_30": 0.2, "dpd_61_90": 0.6}})
    assert given.past_due().floor == (Decimal("0.2"), None, Decimal("0.6"))
    assert given.effective()["past_due_pd"] == {"dpd_1_30": 0.2, "dpd_61_90": 0.6}
    assert given.sha256() != EclParameters().sha256()
    assert parameters_from({"past_due_pd": {}}).sha256() == EclParameters().sha256()
    with pytest.raises(InvalidInput) as bad:
        parameters_from({"past_due_pd": {"dpd_1_30": 1.5}})
    assert bad.value.field == "past_due_pd.dpd_1_30"


def test_a_past_due_loan_takes_its_buckets_pd_and_grade_for_the_day_only() -> None:
    day = 20_514
    book = synthetic_book(3_000, day=day, seed=11)
    _, plain = run_day(book, day)
    table = PastDueColumns((0, 2000, 0, 0, 0, 0), (0, 8, 0, 0, 0, 0))
    after, out = run_day(book, day, EodConfig(past_due=table))
    # The same as a book whose 1-30 loans were given PD now 20 % and grade 8 themselves.
    late = plain.bucket == 1
    given = book.with_loans(
        pd_now_bp=np.where(late, np.maximum(book["pd_now_bp"], 2000), book["pd_now_bp"]),
        grade=np.where(late, np.maximum(book["grade"], 8), book["grade"]),
    )
    _, expected = run_day(given, day)
    assert late.sum() > 0 and np.array_equal(out.bucket, plain.bucket)
    assert np.array_equal(out.ecl, expected.ecl) and np.array_equal(out.stage, expected.stage)
    assert np.array_equal(out.ecl[~late], plain.ecl[~late])  # other buckets unchanged
    assert (out.ecl[late] > plain.ecl[late]).any()
    assert (out.stage[late] == 2).all()  # 2000 bp is a significant increase on each
    assert np.array_equal(after["grade"], book["grade"])  # not carried to the next day
