"""Which amount of a case needs a second person, as the review queue (page and API) and
the case page say it, on both databases.

The policy's second-approval limit (300,000.00 CNY) is compared with the vehicle amount
financed, not the loan's total with the fees the product finances
(``services/review_amounts.py``). STD_NEW finances a 1,500.00 GPS fee: a 400,000.00 car
with 100,000.00 down is a vehicle amount of 300,000.00 and a loan of 301,500.00, which
one underwriter approves; 0.01 less down (300,000.01) waits for a second. The queue
shows both amounts, each labelled, marks the one above the limit, and says which is
compared; the case page says it for the case, and a counter-offer's own amount is the
one compared."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR, Role
from tests.conftest import test_settings as settings_for
from tests.integration.test_application_pages import post, sign_in, web_sign_in
from tests.integration.test_counter_offer_pages import counter, referred
from tests.integration.test_loans_api import as_role
from tests.support.origination import install

pytestmark = pytest.mark.integration

AT_LIMIT = {"vehicle.price": "400000.00", "down_payment": "100000.00"}  # 300,000.00 + 1,500.00
ABOVE = {"vehicle.price": "400000.00", "down_payment": "99999.99"}  # 300,000.01 + 1,500.00
BASIS = ("The second-approval limit is compared with the vehicle amount financed, not with "
         "the total amount financed (which adds the fees the product finances).")  # fmt: skip


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    """Demo mode, no bureau (every decision is referred to a person), the demo products."""
    settings = settings_for(db_url, tmp_path).model_copy(update={"demo": True})
    built = build_container(settings, clock=clock)
    install(built, None)
    yield built
    built.engine.dispose()


def queued(client: TestClient, staff: dict[Role, str]) -> dict[int, dict[str, Any]]:
    """The queue's items by application id, as the API gives them to an underwriter."""
    answer = client.get("/api/v1/review-queue", headers=as_role(client, staff, Role.UNDERWRITER))
    assert answer.status_code == 200, answer.text
    return {item["id"]: item for item in answer.json()["items"]}


def queue_row(client: TestClient, app_id: int) -> str:
    row = re.search(rf'<tr data-application-id="{app_id}">(.*?)</tr>', client.get("/review").text,
                    re.S)  # fmt: skip
    assert row, app_id
    return row.group(1)


def amounts(vehicle: str, total: str, *, above: bool) -> dict[str, Any]:
    return {"compared": "vehicle_amount", "vehicle_amount": vehicle, "financed_fees": "1500.00",
            "total_financed": total, "limit": "300000.00", "above": above}  # fmt: skip


def review_card(page: str) -> str:
    card = re.search(r"<div class=\"card\" data-second-approval-amounts(.*?)</div>", page, re.S)
    assert card, page[:2000]
    return card.group(1)


def test_the_queue_shows_the_amount_compared_with_the_limit_and_the_total_each_labelled(
    client: TestClient, staff: dict[Role, str]
) -> None:
    at_limit = referred(client, staff, **AT_LIMIT)
    above = referred(client, staff, **ABOVE)
    items = queued(client, staff)
    assert items[at_limit]["amount"] == "300000.00"
    assert items[at_limit]["second_approval"] == amounts("300000.00", "301500.00", above=False)
    assert items[above]["second_approval"] == amounts("300000.01", "301500.01", above=True)
    client.cookies.set("autolend_lang", "en")
    page = client.get("/review").text
    assert BASIS in page
    head = re.search(r"<thead>(.*?)</thead>", page, re.S)
    assert head and re.findall(r'class="num">([^<]+)</th>', head.group(1)) == [
        "Vehicle amount financed", "Total amount financed"]  # fmt: skip
    row = queue_row(client, at_limit)
    assert re.search(r'data-amount="vehicle">¥300,000.00\s*</td>', row), row
    assert 'data-amount="total">¥301,500.00</td>' in row and "data-above-limit" not in row
    row = queue_row(client, above)
    assert "<span class=\"small\" data-above-limit>above the second-approval limit of " \
           "¥300,000.00</span>" in row  # fmt: skip
    assert 'data-amount="total">¥301,500.01</td>' in row
    client.cookies.set("autolend_lang", "zh_CN")
    assert "超过双人复核限额 ¥300,000.00" in queue_row(client, above)
    assert "双人复核限额按车款贷款金额比较" in client.get("/review").text


def test_one_underwriter_approves_a_vehicle_amount_at_the_limit_whatever_its_total(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The loan of 301,500.00 is above the limit, its vehicle amount 300,000.00 is not:
    approved at once. 300,000.01 for the car waits for a second underwriter."""
    at_limit = referred(client, staff, **AT_LIMIT)
    above = referred(client, staff, **ABOVE)
    for app_id in (at_limit, above):
        done = post(client, f"/applications/{app_id}/review",
                    {"action": "approve", "reason": "income and car checked"})  # fmt: skip
        assert done.status_code == 303, done.text[:2000]
    servicing = as_role(client, staff, Role.SERVICING)
    statuses = {i: client.get(f"/api/v1/applications/{i}", headers=servicing).json()["status"]
                for i in (at_limit, above)}  # fmt: skip
    assert statuses == {at_limit: "approved", above: "pending_second"}
    assert set(queued(client, staff)) == {above}


def test_the_case_page_says_which_amount_needs_a_second_person_to_underwriters_only(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    at_limit = referred(client, staff, **AT_LIMIT)
    above = referred(client, staff, **ABOVE)
    client.cookies.set("autolend_lang", "en")
    card = review_card(client.get(f"/applications/{at_limit}").text)
    assert card.startswith(' data-above="false">')
    assert ("Vehicle amount financed: ¥300,000.00, compared with the second-approval limit "
            "of ¥300,000.00.") in card  # fmt: skip
    assert "It is within the limit: the amount needs no second underwriter." in card
    assert ("Total amount financed: ¥301,500.00, with ¥1,500.00 of financed fees; not "
            "compared with the limit.") in card  # fmt: skip
    post(client, f"/applications/{above}/review", {"action": "approve", "reason": "checked"})
    container.services.users.create(
        SYSTEM_ACTOR, username="underwriter2", password="pw-underwriter2-long",
        roles=["underwriter"],
    )  # fmt: skip
    sign_in(client, "underwriter2", "pw-underwriter2-long")
    client.cookies.set("autolend_lang", "zh_CN")
    page = client.get(f"/applications/{above}").text
    assert 'data-form="second-approval"' in page
    card = review_card(page)
    assert card.startswith(' data-above="true">')
    assert "车款贷款金额：¥300,000.01，与双人复核限额 ¥300,000.00 比较。" in card
    assert "超过限额：批准须由另一名审核员复核。" in card
    assert "贷款总额：¥301,500.01（含计入贷款的费用 ¥1,500.00），不与限额比较。" in card
    web_sign_in(client, staff, Role.DEALER)
    assert "data-second-approval-amounts" not in client.get(f"/applications/{above}").text


def test_a_counter_offers_own_vehicle_amount_is_the_one_compared(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """350,000.00 applied for (above the limit): a counter-offer of 340,000.00 still waits
    for a second person and the queue shows that amount; one of 299,999.00 does not."""
    above = referred(client, staff, **{"vehicle.price": "500000.00", "down_payment": "150000.00"})
    assert counter(client, above, "160000", "48").status_code == 303
    below = referred(client, staff, **{"vehicle.price": "500000.00", "down_payment": "150000.00"})
    assert counter(client, below, "200001", "48").status_code == 303
    items = queued(client, staff)
    assert below not in items  # counter-offered at once: nothing waits
    assert items[above]["status"] == "pending_second"
    assert items[above]["second_approval"] == amounts("340000.00", "341500.00", above=True)
    client.cookies.set("autolend_lang", "en")
    card = review_card(client.get(f"/applications/{above}").text)
    assert "<strong>Counter-offer:</strong> Vehicle amount financed: ¥340,000.00," in card
