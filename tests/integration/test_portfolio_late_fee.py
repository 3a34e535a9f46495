"""The portfolio snapshot of the day a contract's late fee falls, on both databases: the
end-of-day kernels do not charge late fees, so the snapshot must still count the fee
in the loan's arrears and ECL, as the end of day of that day charges it (the loan
stands as one charged the same fee by hand the day before), on the stored-state path
and on the replayed one alike."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from autolend.adapters.db.portfolio_tables import portfolio_risk
from autolend.batch.eod_runner import EodRunner
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.fees import FeeCharge
from autolend.services.portfolio import PortfolioService
from tests.integration.test_late_fees import LATE_FEE, first_fee, paid_out
from tests.integration.test_portfolio import SERVICING, cny

pytestmark = pytest.mark.integration

FEE_DAY = date(2026, 2, 20)  # installment 1 fell due on Feb 5; 50.00 after 15 days


def three_unpaid(container: Container) -> tuple[int, int, int]:
    """12,000.00 at 12 % from 2026-01-05, nothing paid: ``contract`` carries the 50.00
    late fee after 15 days (as USED_CAR does), ``by_hand`` none but the same 50.00
    charged by hand on installment 1 the day before the contract's falls, ``plain``
    neither. End of day has run through Feb 19."""
    contract = paid_out(container, late_fee=LATE_FEE)
    by_hand, plain = paid_out(container), paid_out(container)
    fee = FeeCharge("late_fee", cny("50.00"), n=1, value_date=date(2026, 2, 19))
    container.services.fees.charge_fee(SERVICING, by_hand, fee)
    runner = EodRunner(container.uow, container.services.clock, partition_size=4)
    assert runner.run_through(SYSTEM_ACTOR, date(2026, 2, 19)).errors == 0
    return contract, by_hand, plain


def snapshot_rows(container: Container, *, bulk: bool) -> dict[int, tuple[int, ...]]:
    """The snapshot of the fee day taken with ``bulk`` on or off: each loan's stored row
    without its loan id, by loan id."""
    clock = container.services.clock
    service = PortfolioService(container.uow, clock, ColumnRiskAssessor(), 16, bulk=bulk)
    service.snapshot(SYSTEM_ACTOR, FEE_DAY)
    c = portfolio_risk.c
    columns = [c.dpd, c.bucket, c.risk_class, c.class_source, c.stage, c.ecl_minor,
               c.warnings, c.collection_stage, c.principal_outstanding_minor]  # fmt: skip
    query = select(c.loan_id, *columns).where(c.as_of == FEE_DAY)
    with container.engine.connect() as conn:
        return {int(r[0]): tuple(int(v) for v in r[1:]) for r in conn.execute(query)}


def test_a_late_fee_falling_on_the_snapshot_day_counts_in_the_loans_arrears_and_ecl(
    container: Container,
) -> None:
    contract, by_hand, plain = three_unpaid(container)

    stored, replayed = snapshot_rows(container, bulk=True), snapshot_rows(container, bulk=False)

    assert stored == replayed
    assert stored[contract] == stored[by_hand]  # the fee counted, on the day it falls
    ecl = 5  # the column of the ECL in a row
    assert stored[contract][ecl] > stored[plain][ecl]  # 50.00 more exposure
    assert stored[contract][0] == 15  # days past due on Feb 20
    # the end of day of the same day charges the contract's fee: the balances agree
    runner = EodRunner(container.uow, container.services.clock, partition_size=4)
    assert runner.run_through(SYSTEM_ACTOR, FEE_DAY).errors == 0
    fees = [first_fee(container, i) for i in (contract, by_hand, plain)]
    assert fees == ["50.00", "50.00", "0.00"]
