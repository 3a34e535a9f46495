"""The application page after an underwriter's counter-offer, and an underwriter's page
(SQLite and PostgreSQL): the vehicle card says which down payment was applied for and
which was counter-offered; the counter-offer is the one offer shown and accepted; what an
underwriter acts on (the decision, the review form) comes first, and withdrawing, the
applicant's side's, below what they act on."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from autolend.adapters.db import application_tables as at
from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import post, web_sign_in
from tests.integration.test_counter_offer_pages import (  # noqa: F401 - fixtures
    container,
    counter,
    referred,
)
from tests.support.direct_sql import writing

pytestmark = pytest.mark.integration


def vehicle_card(page: str) -> dict[str, str]:
    """The vehicle card's terms and their values, tags and spaces left out."""
    card = re.search(r'data-section="vehicle"(.*?)</section>', page, re.S)
    assert card, "the vehicle card"
    rows = re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", card.group(1), re.S)
    return {term: value.strip() for term, value in rows}


def test_the_vehicle_card_names_the_down_payment_applied_for_beside_the_counter_offered(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = referred(client, staff)
    client.cookies.set("autolend_lang", "en")
    before = vehicle_card(client.get(f"/applications/{app_id}").text)
    assert before["Down payment"] == "¥60,000.00"
    assert counter(client, app_id, "80000", "24").status_code == 303
    for who in (Role.UNDERWRITER, Role.DEALER):
        web_sign_in(client, staff, who)
        client.cookies.set("autolend_lang", "en")
        card = vehicle_card(client.get(f"/applications/{app_id}").text)
        assert "Down payment" not in card, who  # no longer a bare "down payment"
        assert card["Down payment applied for"] == "¥60,000.00", who
        assert card["Down payment (counter-offer)"] == "¥80,000.00", who
        client.cookies.set("autolend_lang", "zh_CN")
        chinese = vehicle_card(client.get(f"/applications/{app_id}").text)
        assert chinese["首付（附条件方案）"] == "¥80,000.00", who


def test_the_counter_offer_is_the_one_offer_on_the_page_and_another_cannot_be_accepted(
    client: TestClient,
    container: Container,  # noqa: F811 - the fixture imported above
    staff: dict[Role, str],
) -> None:
    """One counter-offered before listed other terms beside it: the page shows the
    counter-offer alone, and accepting another through the form is refused."""
    app_id = referred(client, staff)
    assert counter(client, app_id, "80000", "24").status_code == 303
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/applications/{app_id}").text
    assert re.findall(r'data-offer="(\d+)"', page) == ["1"]
    assert page.count('data-form="accept"') == 1 and "data-counter-offer-option" in page
    table = at.applications
    with writing(container.engine) as conn:
        stored = json.loads(conn.execute(table.select().where(table.c.id == app_id)).one().offers)
        longer = stored[0] | {"option": 2, "term_months": 60}
        conn.execute(update(table).where(table.c.id == app_id)
                     .values(offers=json.dumps([longer, *stored])))  # fmt: skip
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{app_id}").text
    assert re.findall(r'data-offer="(\d+)"', page) == ["1"]
    refused = post(client, f"/applications/{app_id}/accept", {"option": "2"})
    assert refused.status_code == 422 and 'data-error-field="option"' in refused.text
    assert "only the counter-offer can be accepted" in refused.text
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303


def order(page: str, *markers: str) -> list[int]:
    found = [page.find(marker) for marker in markers]
    assert -1 not in found, dict(zip(markers, found, strict=True))
    return found


def test_an_underwriter_sees_the_decision_and_the_review_form_and_no_withdrawal(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """Withdrawing a dealer's application is the applicant's side's choice: the
    underwriter was offered it (and could do it) on every application they reach."""
    app_id = referred(client, staff)
    page = client.get(f"/applications/{app_id}").text
    places = order(page, 'data-section="decision"', 'data-form="review"')
    assert places == sorted(places) and 'data-form="withdraw"' not in page, places
    refused = post(client, f"/applications/{app_id}/withdraw", {"reason": "not mine"})
    assert refused.status_code == 403 and "只有申请人一方可以撤回申请" in refused.text
    # The applicant sees the decision first as well; withdrawing below it.
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/applications/{app_id}").text
    places = order(page, 'data-section="decision"', 'data-form="withdraw"')
    assert places == sorted(places) and 'data-form="review"' not in page


def test_after_approval_the_offers_come_before_withdrawing_and_withdrawing_still_works(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = referred(client, staff)
    post(client, f"/applications/{app_id}/review", {"action": "approve", "reason": "fine"})
    web_sign_in(client, staff, Role.DEALER)  # withdrawing is the applicant's side's
    page = client.get(f"/applications/{app_id}").text
    places = order(page, 'data-section="decision"', 'data-list="offers"', 'data-form="withdraw"')
    assert places == sorted(places), places
    gone = post(client, f"/applications/{app_id}/withdraw", {"reason": "changed our mind"})
    assert gone.status_code == 303, gone.text[:2000]
    assert 'data-application-status="withdrawn"' in client.get(f"/applications/{app_id}").text
