"""One car, one loan, on both databases: a car whose VIN already secures another
application's loan (accepted and booked) refers the next application for it to a person,
and its offer cannot be accepted (409 naming the other application); withdrawing the
first frees the car. Applications filed before migration 0022 get their index from
``index_vins``."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from autolend.adapters.db import application_tables as at
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services import vehicle_financing
from autolend.services.vehicle_financing import index_vins
from tests.integration.test_borrower_numbers_agree import _ok, approved
from tests.integration.test_contracts import sms  # noqa: F401 - fixture
from tests.integration.test_loans_api import as_role
from tests.support.origination import (
    application_body,
    referring_container,  # noqa: F401 - the container: every case referred
)

pytestmark = pytest.mark.integration


def accept(client: TestClient, staff: dict[Role, str], app: str) -> Response:
    dealer = as_role(client, staff, Role.DEALER)
    answer: Response = client.post(f"{app}/accept", json={"option": 1}, headers=dealer)
    return answer


def submitted_hits(client: TestClient, staff: dict[Role, str]) -> list[str]:
    """Rules hit by a new application for the same car, filed and submitted."""
    dealer = as_role(client, staff, Role.DEALER)
    filed = _ok(client.post("/api/v1/applications", json=application_body(), headers=dealer), 201)
    decided = _ok(client.post(f"/api/v1/applications/{filed['id']}/submit", headers=dealer))
    return [hit["rule"] for hit in decided["decision"]["rule_hits"]]


def test_a_car_that_secures_a_booked_loan_is_referred_and_cannot_be_accepted_again(
    client: TestClient, staff: dict[Role, str]
) -> None:
    first = approved(client, staff, "STD_NEW")
    second = approved(client, staff, "STD_NEW")  # the same VIN, approved before either took
    assert "vin_already_financed" not in submitted_hits(client, staff)
    _ok(accept(client, staff, first))
    assert "vin_already_financed" in submitted_hits(client, staff)
    refused = accept(client, staff, second)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert (
        error["field"] == "vehicle.vin"
        and f"application {first.rsplit('/', 1)[1]}" in (error["message"])
    )
    dealer = as_role(client, staff, Role.DEALER)
    _ok(client.post(f"{first}/withdraw", json={"reason": "bought elsewhere"}, headers=dealer))
    assert _ok(accept(client, staff, second))["status"] == "accepted"  # the car is free again


def test_applications_filed_before_the_index_are_found_once_indexed(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    first = approved(client, staff, "STD_NEW")
    _ok(accept(client, staff, first))
    with container.engine.begin() as conn:  # as filed before migration 0022
        conn.execute(update(at.applications).values(vin_bidx=None))
    assert "vin_already_financed" not in submitted_hits(client, staff)
    assert index_vins(container.uow, container.cipher) == 1  # the first (the last had its own)
    assert "vin_already_financed" in submitted_hits(client, staff)
    assert index_vins(container.uow, container.cipher) == 0  # nothing left to index


def test_two_offers_for_one_car_accepted_at_once_book_one_loan(
    client: TestClient, staff: dict[Role, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each accept looks for the car's other loan and then books its own. Held 0.3 s
    after the look, two accepts without the car's lock would both find none and book
    two loans on one car; with it, the second waits, sees the first's loan, and is
    refused."""
    apps = [approved(client, staff, "STD_NEW"), approved(client, staff, "STD_NEW")]
    look = vehicle_financing.car_in_use

    def slow_look(*args: Any) -> int | None:
        found = look(*args)
        time.sleep(0.3)  # the other accept looks now, unless it waits for this one
        return found

    monkeypatch.setattr(vehicle_financing, "car_in_use", slow_look)
    answers: dict[str, Response] = {}
    start = threading.Barrier(len(apps))

    def take(app: str) -> None:
        start.wait()
        answers[app] = accept(client, staff, app)

    threads = [threading.Thread(target=take, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    codes = sorted(answers[app].status_code for app in apps)
    assert codes == [200, 409], [answers[app].text for app in apps]
