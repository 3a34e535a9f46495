"""ECL figures worked out for one stored loan, for tests that check the snapshot's or the
allowance's: the loan replayed to the start of a day and assessed alone."""

from __future__ import annotations

from datetime import date

from autolend.batch.ecl_parameters import EclParameters
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.bootstrap import Container
from autolend.services.portfolio import replayed_rows


def replayed_ecl(
    container: Container, loan_id: int, assessor: ColumnRiskAssessor, day: date
) -> int:
    """The ECL ``assessor`` gives the loan at the start of ``day`` (minor units)."""
    with container.uow() as uow:
        (row,), failed = replayed_rows(uow, assessor, [loan_id], day, {})
    assert failed == []
    return row.ecl_minor


def flat_ecl(container: Container, loan_id: int, annual_pd: float, day: date) -> int:
    """The ECL kernel's figure for the loan at the start of ``day`` with every grade at
    ``annual_pd``: that 12-month PD's figure whatever grade the loan is given."""
    flat = ColumnRiskAssessor(EclParameters(annual_pd=[annual_pd] * 10))
    return replayed_ecl(container, loan_id, flat, day)
