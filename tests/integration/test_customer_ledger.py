"""What a borrower and a dealer read of a loan's ledger, on both databases: the loan's own
money, not the lender's provisioning.

The loan: 12,000.00 of the borrower user's own customer profile, sold by dealer D001,
paid out on 2026-01-05. The end of day through 2026-01-31 accrues its interest daily
and, at the month-end, books its ECL as allowance (Dr 5100 impairment expense / Cr 1190
allowance). The borrower and the dealer read every entry of it, that one included, so
they read the lender's estimate of its loss on them. Now they read the disbursement and
the accruals, and no posting on 1190 or 5100; servicing, risk and the auditor read the
allowance entry as before. The ledger invariants hold after every test (the autouse
fixture).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from tests.integration.test_loan_services import (
    SERVICING,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
)
from tests.integration.test_loans_api import as_role, loan_id  # noqa: F401 - fixture

pytestmark = pytest.mark.integration
JAN_END = date(2026, 1, 31)
PROVISIONING = {"1190", "5100"}


def month_end(container: Container) -> None:
    """The end of day through 2026-01-31: daily accruals and the month-end allowance."""
    runner = EodRunner(container.uow, container.services.clock, partition_size=2, bulk=True)
    runner.run_through(SYSTEM_ACTOR, JAN_END)


def ledger(client: TestClient, staff: dict[Role, str], loan: int, role: Role) -> list[Any]:
    answer = client.get(f"/api/v1/loans/{loan}/ledger", headers=as_role(client, staff, role))
    assert answer.status_code == 200, answer.text
    items: list[Any] = answer.json()["items"]
    return items


def accounts(entries: list[Any]) -> set[str]:
    return {p["account"] for e in entries for p in e["postings"]}


def test_a_borrowers_ledger_after_a_month_end_has_no_allowance_entry(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    month_end(container)
    for role in (Role.BORROWER, Role.DEALER):
        read = ledger(client, staff, loan_id, role)
        kinds = {e["kind"] for e in read}
        assert {"disbursement", "accrual_interest"} <= kinds, role
        assert "allowance" not in kinds, role
        assert not accounts(read) & PROVISIONING, role
        assert all(e["postings"] for e in read), role


def test_staff_read_the_allowance_entry_in_full(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    month_end(container)
    for role in (Role.SERVICING, Role.RISK, Role.AUDITOR):
        read = ledger(client, staff, loan_id, role)
        (allowance,) = [e for e in read if e["kind"] == "allowance"]
        assert allowance["value_date"] == JAN_END.isoformat(), role
        sides = {(p["account"], p["side"]) for p in allowance["postings"]}
        assert sides == {("5100", "debit"), ("1190", "credit")}, role
    borrowers = ledger(client, staff, loan_id, Role.BORROWER)
    assert len(read) == len(borrowers) + 1  # the allowance entry alone is left out


def test_the_newest_entries_a_borrower_reads_are_counted_without_the_allowance(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    """The loan page asks for the newest entries and how many there are in all: for a
    borrower, the allowance entry (the newest of Jan 31) is neither shown nor counted."""
    month_end(container)
    borrower = _user(container, "borrower")
    newest, count = container.services.loans.newest_ledger(borrower, loan_id, 1)
    assert [e["kind"] for e in newest] != ["allowance"]
    assert count == len(ledger(client, staff, loan_id, Role.BORROWER))
    everything = container.services.loans.newest_ledger(SERVICING, loan_id, 1)[1]
    assert everything == count + 1


def _user(container: Container, username: str) -> Actor:
    found = next(u for u in container.services.users.list(SYSTEM_ACTOR) if u.username == username)
    return Actor(found.id, found.username, (Role.BORROWER,))
