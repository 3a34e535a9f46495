"""The snapshot's risk assessor: domain states in, the end-of-day kernels' results out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.domain.money import Money
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import LoanState, accrue
from autolend.services.portfolio_ports import LoanOnDay

START = date(2026, 1, 5)
PACK = pack_for("CN")
POLICY = policy_from_pack(PACK, START)


def unpaid_loan(loan_id: int, through: date) -> LoanOnDay:
    """12,000.00 at 12 % over 12 months, nothing ever paid, accrued through ``through``."""
    principal = Money.parse("12000.00", "CNY")
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=12, start=START)
    state = LoanState.from_schedule(f"L{loan_id}", build_schedule(terms))
    state = accrue(state, through, POLICY, PACK).state
    return LoanOnDay(loan_id, "standard", state, POLICY, PACK)


def test_a_loan_95_days_past_due_is_substandard_stage_3_with_an_allowance() -> None:
    day = date(2026, 2, 5) + timedelta(days=95)  # first installment due Feb 5
    (risk,) = ColumnRiskAssessor().assess([unpaid_loan(1, day - timedelta(days=1))], day)
    assert (risk.dpd, risk.bucket, risk.risk_class, risk.stage) == (95, 4, 2, 3)
    assert risk.ecl_minor > 0
    assert risk.principal_outstanding_minor == 1_200_000  # nothing repaid


def test_a_loan_before_its_first_due_date_is_current_stage_1() -> None:
    day = date(2026, 1, 31)
    (risk,) = ColumnRiskAssessor().assess([unpaid_loan(1, day - timedelta(days=1))], day)
    assert (risk.dpd, risk.bucket, risk.risk_class, risk.stage, risk.warnings) == (0, 0, 0, 1, 0)


def test_the_flags_name_every_early_warning_bit_once() -> None:
    bits = [bit for _name, bit in ColumnRiskAssessor().flags]
    assert sorted(bits) == [1, 2, 4, 8, 16]
    assert ColumnRiskAssessor().assess([], date(2026, 1, 31)) == []


def test_a_loan_worse_than_in_the_previous_snapshot_is_flagged_as_rolled_worse() -> None:
    day = date(2026, 3, 31)  # 54 days past due: bucket 31-60 (2)
    loan = unpaid_loan(1, day - timedelta(days=1))
    was_1_30, was_31_60 = replace(loan, previous_bucket=1), replace(loan, previous_bucket=2)
    rolled, stayed = ColumnRiskAssessor().assess([was_1_30, was_31_60], day)
    assert rolled.bucket == stayed.bucket == 2
    assert rolled.warnings & 2 and not stayed.warnings & 2


def test_without_a_previous_snapshot_yesterdays_bucket_is_the_comparison() -> None:
    crossing = date(2026, 2, 5) + timedelta(days=31)  # 30 DPD yesterday, 31 today
    (risk,) = ColumnRiskAssessor().assess([unpaid_loan(1, crossing - timedelta(days=1))], crossing)
    (later,) = ColumnRiskAssessor().assess([unpaid_loan(1, crossing)], crossing + timedelta(days=1))
    assert risk.bucket == later.bucket == 2
    assert risk.warnings & 2 and not later.warnings & 2
