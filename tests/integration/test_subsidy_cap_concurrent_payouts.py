"""Two loans of one borrower under the 2025 state subsidy plan paid out at the same time
share the plan's per-borrower room once, on both databases.

Each payout reads what the plan granted the borrower's other loans, then books at most
what the 3,000.00 cap leaves (``services/subsidy_grants.py``). Two payouts that both read
before either committed each booked the whole room: with 2,500.00 granted earlier, two
new loans were owed 500.00 each by the state, 3,500.00 in all. The payout now locks the
borrower's row before it reads (PostgreSQL: ``SELECT ... FOR UPDATE``; SQLite's one
writer already took turns), so the second waits and books what the first left: 0.

The test holds each payout for 0.3 s after its read, so that without the lock both
would read before either commits, every time."""

from __future__ import annotations

import re
import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services import origination
from autolend.services.subsidy_grants import granted_before
from tests.integration.test_borrower_numbers_agree import approved
from tests.integration.test_contracts import sms  # noqa: F401 - fixture
from tests.integration.test_loans_api import as_role
from tests.integration.test_subsidy_grants import clock, paid_out  # noqa: F401 - fixture
from tests.support.messaging import SmsSandbox
from tests.support.origination import (
    another_vin,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration

CAP = Decimal("3000.00")


def signed(client: TestClient, staff: dict[Role, str], sms: SmsSandbox, car: int) -> str:  # noqa: F811
    """A NEV_GREEN application for car number ``car`` approved, its first option accepted
    and signed."""
    app = approved(client, staff, "NEV_GREEN", another_vin(car))
    dealer = as_role(client, staff, Role.DEALER)
    assert client.post(f"{app}/accept", json={"option": 1}, headers=dealer).status_code == 200
    client.post(f"{app}/sign", json={}, headers=dealer)
    sent = re.search(r"验证码为 (\d{6})", sms.received[-1]["text"])
    assert sent is not None, sms.received
    assert client.post(f"{app}/sign", json={"code": sent[1]}, headers=dealer).status_code == 200
    return app


def test_two_payouts_at_once_book_the_borrowers_remaining_room_once(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch, clock: FixedClock,  # noqa: F811
) -> None:  # fmt: skip
    apps = [signed(client, staff, sms, 1), signed(client, staff, sms, 2)]
    servicing = as_role(client, staff, Role.SERVICING)
    customer_ids = {client.get(app, headers=servicing).json()["customer_id"] for app in apps}
    assert len(customer_ids) == 1  # one borrower (the same resident ID) on both
    paid_out(container, customer_ids.pop(), "NEV_GREEN", "2500.00")  # 500.00 of room left

    read = granted_before

    def slow_read(*args: Any) -> int:
        granted = read(*args)
        time.sleep(0.3)  # the other payout reads now, unless it waits for this one
        return granted

    monkeypatch.setattr(origination, "granted_before", slow_read)
    answers: dict[str, Any] = {}
    start = threading.Barrier(len(apps))

    def pay(app: str) -> None:
        start.wait()
        answers[app] = client.post(f"{app}/disburse", headers=servicing | {"Idempotency-Key": app})

    threads = [threading.Thread(target=pay, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(answers[app].status_code == 201 for app in apps), [a.text for a in answers.values()]
    booked = sorted(Decimal(answers[app].json()["subsidy"] or "0") for app in apps)
    assert booked == [Decimal("0"), CAP - Decimal("2500.00")]
