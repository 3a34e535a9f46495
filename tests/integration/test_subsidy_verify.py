"""``autolend verify`` (invariant 5): a loan paid off keeps no deferred subsidy once an
end-of-day run has gone over its close, on both databases.

The promotion of :mod:`tests.integration.test_subsidy_amortisation` (3,900.00 deferred in
2400) is paid off ten days after its first due date; the end-of-day run that starts after
the payoff earns the rest on the payoff date, and verify passes. Had the run left
anything in 2400 (here its subsidy step is switched off, as a bug would), verify names the
loan and the amount.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from autolend.adapters.clock import FixedClock
from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.servicing import MoneyIn
from tests.integration.test_loan_services import SERVICING, cny
from tests.integration.test_subsidy_amortisation import DUE, gl_balance, promotion

pytestmark = pytest.mark.integration
PAYOFF = DUE[0] + timedelta(days=10)


def paid_off(container: Container, clock: FixedClock) -> int:
    loan_id = promotion(container)
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, PAYOFF)
    money = MoneyIn(cny(quote["total"]), PAYOFF, "bank_transfer", "payoff", "payoff")
    container.services.servicing.prepay(SERVICING, loan_id, money)
    clock.advance(timedelta(minutes=5))  # the run starts after the payoff was recorded
    return loan_id


def deferred_findings(container: Container) -> list[str]:
    report = container.services.verify.run()
    [bounds] = [check for check in report.checks if check.invariant == 5]
    return [line for line in bounds.violations if "defers" in line]


def test_end_of_day_earns_the_rest_and_verify_finds_nothing_deferred(
    container: Container, clock: FixedClock
) -> None:
    loan_id = paid_off(container, clock)
    assert deferred_findings(container) == []  # no run since the payoff: not judged yet
    result = EodRunner(container.uow, container.services.clock).run_through(SYSTEM_ACTOR, PAYOFF)
    assert result.errors == 0
    assert gl_balance(container, loan_id, "2400") == 0
    assert deferred_findings(container) == []


def test_verify_names_a_paid_off_loan_whose_subsidy_end_of_day_left_deferred(
    container: Container, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    loan_id = paid_off(container, clock)
    monkeypatch.setattr("autolend.batch.eod_runner.amortise_loan_subsidy", lambda *_: 0)
    EodRunner(container.uow, container.services.clock).run_through(SYSTEM_ACTOR, PAYOFF)
    assert gl_balance(container, loan_id, "2400") == 390_000
    assert deferred_findings(container) == [
        f"paid_off loan {loan_id} (closed {PAYOFF}) still defers 390000 minor units of "
        "subsidy in 2400 after end of day"
    ]
