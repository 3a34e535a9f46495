"""The demo has a written-off loan, on both databases: booked and repaid like the others,
four installments behind, written off a week before the demo date as the platform takes a
write-off (asked by the demo servicing officer, approved by the demo risk manager:
maker-checker), with a recovery two days before the demo date; and ``verify`` holds."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services.auth import actor_of
from autolend.services.demo import DemoSeeder
from autolend.services.demo_loans import DEMO_LOANS, RECOVERY_DAYS, WRITE_OFF_DAYS
from tests.conftest import TEST_NOW

pytestmark = pytest.mark.integration
AS_OF = TEST_NOW.date()


def test_the_demo_seeds_a_loan_written_off_by_maker_checker_with_a_recovery(
    container: Container,
) -> None:
    s = container.services
    DemoSeeder(container.uow, s.users, s.customers, s.clock).seed(as_of=AS_OF)
    with container.uow() as uow:
        officer, risk = (uow.users.by_username(r.value) for r in (Role.SERVICING, Role.RISK))
    assert officer is not None and risk is not None
    reader = actor_of(officer)
    views = [s.loans.get(reader, item["id"]) for item in
             s.loans.list_loans(reader, limit=50)["items"]]  # fmt: skip
    assert len(views) == len(DEMO_LOANS)
    (loan,) = [view for view in views if view["status"] == "written_off"]
    (plan,) = [plan for plan in DEMO_LOANS if plan.written_off]
    assert loan["closed_on"] == (AS_OF - timedelta(days=WRITE_OFF_DAYS)).isoformat()
    assert loan["days_past_due"] > 90 and loan["overdue"]["installments"] == 0
    (request,) = s.approvals.list_requests(actor_of(risk), kind="write_off")
    assert (request["loan_id"], request["status"]) == (loan["id"], "approved")
    assert (request["maker_user_id"], request["checker_user_id"]) == (officer.id, risk.id)
    rows = s.loans.transactions(reader, loan["id"])
    (write_off,) = [row for row in rows if row["kind"] == "write_off"]
    assert Decimal(write_off["written_off"]["amount"]) > 0
    (recovery,) = [row for row in rows if row["kind"] == "recovery"]
    assert recovery["amount"] == f"{Decimal(plan.recovery or 0) / 100:.2f}"
    assert recovery["value_date"] == (AS_OF - timedelta(days=RECOVERY_DAYS)).isoformat()
    report = s.verify.run(AS_OF)
    assert report.ok, [(c.name, c.violations) for c in report.checks if not c.ok]
    # A collector's "overdue only" list is of loans in repayment: the written-off loan's
    # unpaid installments are written off, not past due (it headed that list, overdue "—").
    late = s.loans.list_loans(reader, limit=50, overdue=True)["items"]
    assert loan["id"] not in [item["id"] for item in late]
    assert {item["status"] for item in late} == {"active"}
