"""A past-due loan's ECL follows its bucket's PD on every end-of-day path, on both
databases: booked at 3 % (grade 4) and 23 days past due at the Feb 28 month-end, it takes
the 1-30 bucket's 12-month PD estimated from the Dec 31 -> Jan 31 moves of the book
(stage 2, lifetime ECL) when they hold enough loans, keeps its own when they are too few,
takes the lender's floor when one is set, and the month-end's audit record states the
bucket PDs; the bulk end of day posts exactly what the per-loan one does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolend.batch.ecl_parameters import EclParameters, parameters_from
from autolend.batch.eod_runner import EodRunner
from autolend.batch.past_due_pd import PastDuePd
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.portfolio_ports import RiskRow
from tests.integration.test_ecl_parameters_wiring import audits
from tests.integration.test_eod_allowance import held, risk
from tests.integration.test_eod_runner import SERVICING, assert_same, twin
from tests.integration.test_loan_pd_provisioning import JAN_END, paid_out
from tests.support.ecl import replayed_ecl

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

DEC_END, FEB_END = date(2025, 12, 31), date(2026, 2, 28)


def _row(day: date, loan_id: int, bucket: int) -> RiskRow:
    return RiskRow(day, loan_id, "standard", 0, bucket, 0, 0, 1, 0, 0, 0, 100_000, "CNY")


def add_history(container: Container, late: int) -> None:
    """Month-end rows of loans long gone from the book (ids from 900,001): 40 current on
    Dec 31 and Jan 31, and ``late`` in 1-30 on Dec 31 of which a quarter are current on
    Jan 31, a quarter still 1-30 and half 91-180. With 40 late, the 1-30 bucket's 12-month
    PD is 1/2 x (1 + 1/4 + ... + 1/4^11) = 2/3 x (1 - 4^-12), 0.666667 rounded up."""
    rows = [_row(day, 900_001 + i, 0) for i in range(40) for day in (DEC_END, JAN_END)]
    for i in range(late):
        loan_id, end = 900_101 + i, (0, 1, 4, 4)[i % 4]
        rows += [_row(DEC_END, loan_id, 1), _row(JAN_END, loan_id, end)]
    with container.uow(write=True) as uow:
        uow.portfolio.add_rows(rows)
        uow.commit()


def month_end_story(
    container: Container, twin: Container, late: int, assessor: ColumnRiskAssessor
) -> int:
    """The 3 % loan left unpaid through Feb 28 in both worlds (bulk, per loan), the
    history added after Jan 31's month-end (which starts its own snapshot afresh)."""
    for world, bulk in ((container, True), (twin, False)):
        loan = paid_out(world, "0.03")
        eod = EodRunner(world.uow, world.services.clock, partition_size=2, bulk=bulk,
                        assessor=assessor)  # fmt: skip
        assert eod.run_through(SYSTEM_ACTOR, JAN_END).errors == 0
        add_history(world, late)
        assert eod.run_through(SYSTEM_ACTOR, FEB_END).errors == 0
    assert_same(container, twin)
    return loan


def test_a_late_loan_takes_its_buckets_pd_when_the_history_holds_enough_loans(
    container: Container, twin: Container
) -> None:
    loan = month_end_story(container, twin, 40, ColumnRiskAssessor())
    dpd, bucket, stage, ecl = risk(container, FEB_END, loan)
    assert (dpd, bucket, stage) == (23, 1, 2)  # 6667 bp on 300: a significant increase
    bucket_pd = PastDuePd(behavioural=(Decimal("0.666667"), None, None))
    assert ecl == replayed_ecl(container, loan, ColumnRiskAssessor(past_due=bucket_pd), FEB_END)
    origination = replayed_ecl(container, loan, ColumnRiskAssessor(), FEB_END)
    assert ecl > origination  # its origination grade's
    assert held(container, loan) == ecl
    audit = audits(container, "portfolio.snapshot")[-1]
    assert (audit["behavioural_pd_dpd_1_30"], audit["past_due_pd_dpd_1_30"]) == (
        "0.666667", "0.666667",
    )  # fmt: skip
    assert audit["past_due_pd_dpd_31_60"] == "none"  # no loan was ever 31-60
    container.services.portfolio.snapshot(SERVICING, FEB_END)  # the snapshot command's path
    assert risk(container, FEB_END, loan)[2:] == (2, ecl)
    assert audits(container, "portfolio.snapshot")[-1]["past_due_pd_dpd_1_30"] == "0.666667"


def test_a_late_loan_keeps_its_origination_pd_when_the_history_is_thin(
    container: Container, twin: Container
) -> None:
    loan = month_end_story(container, twin, 28, ColumnRiskAssessor())  # 28 < 30 loans
    dpd, bucket, stage, ecl = risk(container, FEB_END, loan)
    assert (dpd, bucket, stage) == (23, 1, 1)
    assert ecl == replayed_ecl(container, loan, ColumnRiskAssessor(), FEB_END)
    assert audits(container, "portfolio.snapshot")[-1]["past_due_pd_dpd_1_30"] == "none"


def test_the_lenders_floor_applies_to_a_late_loan_without_history(
    container: Container, twin: Container
) -> None:
    floors = parameters_from({"past_due_pd": {"dpd_1_30": 0.2}})
    loan = month_end_story(container, twin, 0, ColumnRiskAssessor(floors))
    _, _, stage, ecl = risk(container, FEB_END, loan)
    # 20 % -> grade 8 (25 %) and 2000 bp: stage 2, as a loan given that PD itself.
    floor = PastDuePd(floor=(Decimal("0.2"), None, None))
    assert stage == 2
    floored = ColumnRiskAssessor(EclParameters(), floor)
    assert ecl == replayed_ecl(container, loan, floored, FEB_END)
    assert ecl > replayed_ecl(container, loan, ColumnRiskAssessor(), FEB_END)
    audit = audits(container, "portfolio.snapshot")[-1]
    assert (audit["behavioural_pd_dpd_1_30"], audit["past_due_pd_dpd_1_30"]) == ("none", "0.2")
