"""A rate override needs a second person (maker-checker, 双人复核; SQLite and PostgreSQL,
no bureau, so every case is referred and the decision prices it at the top of STD_NEW's
range, 8.99 %, or as a case priced at 6.99 %): an underwriter's approval or counter-offer
at a rate below the rate the decision priced waits in ``pending_second`` whatever the
amount, the decision keeps the override (the risk-based rate, the rate set, who set it),
another underwriter confirms it, never the same one, and the offers stay at the rate set.
A rate at or above the decision's, or none, is the underwriter's alone (one above it is
recorded as an override too: :mod:`tests.integration.test_rate_override_records`). The API and the
pages (the review queue and the second person's form say "Rate override: 5.49 % instead of
8.99 %")."""

from __future__ import annotations

import doctest
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from autolend.adapters.db import application_tables as at
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.services import review_terms
from tests.integration.test_application_pages import post, sign_in
from tests.integration.test_counter_offer_pages import (  # noqa: F401 - container: no bureau
    container,
    referred,
)
from tests.integration.test_loans_api import as_role
from tests.integration.test_loans_api import sign_in as api_sign_in
from tests.support.direct_sql import writing
from tests.support.origination import application_body

pytestmark = pytest.mark.integration

APPLICATIONS = "/api/v1/applications"
SECOND = {"username": "underwriter2", "password": "pw-underwriter2-long"}


def second_underwriter(container: Container) -> None:  # noqa: F811
    container.services.users.create(SYSTEM_ACTOR, username=SECOND["username"],
                                    password=SECOND["password"], roles=["underwriter"])  # fmt: skip


def filed(client: TestClient, staff: dict[Role, str]) -> int:
    """STD_NEW, 140,000.00 financed (below the second-approval limit), referred."""
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post(APPLICATIONS, json=application_body(), headers=dealer)
    assert made.status_code == 201, made.text
    decided = client.post(f"{APPLICATIONS}/{made.json()['id']}/submit", headers=dealer)
    assert decided.json()["status"] == "referred", decided.text
    return int(made.json()["id"])


def priced_at(container: Container, app_id: int, rate: str) -> None:  # noqa: F811
    """The stored decision's rate made ``rate``: as a case the model priced there."""
    with writing(container.engine) as conn:
        query = select(at.applications.c.decision).where(at.applications.c.id == app_id)
        stored = json.loads(conn.execute(query).scalar_one())
        conn.execute(update(at.applications).where(at.applications.c.id == app_id)
                     .values(decision=json.dumps(stored | {"annual_rate": rate})))  # fmt: skip


def reviewed(client: TestClient, headers: dict[str, str], app_id: int, **body: Any) -> Any:
    body = {"reason": "long-standing customer, rate matched"} | body
    return client.post(f"{APPLICATIONS}/{app_id}/review", json=body, headers=headers)


def confirmed(client: TestClient, headers: dict[str, str], app_id: int) -> Any:
    confirm = {"approve": True, "reason": "the rate override is justified"}
    return client.post(f"{APPLICATIONS}/{app_id}/second-approval", json=confirm, headers=headers)


def application(client: TestClient, staff: dict[Role, str], app_id: int) -> dict[str, Any]:
    found = client.get(f"{APPLICATIONS}/{app_id}", headers=as_role(client, staff, Role.UNDERWRITER))
    assert found.status_code == 200, found.text
    return dict(found.json())


def audited(container: Container, action: str) -> dict[str, Any]:  # noqa: F811
    [record] = [r for r in container.services.audit.recent(200) if r.event.action == action]
    return dict(record.event.summary)


@pytest.mark.parametrize(("action", "confirmed_status"), [
    ("approve", "approved"), ("counter_offer", "counter_offered"),
])  # fmt: skip
def test_a_rate_below_the_risk_based_rate_waits_for_another_underwriter_who_keeps_it(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
    action: str, confirmed_status: str,
) -> None:  # fmt: skip
    """5.49 % on a case the decision priced at 8.99 %, 140,000.00 financed (no second
    person for the amount): it waits; the first underwriter is refused; the second's
    confirmation keeps the offers priced at 5.49 %."""
    app_id = filed(client, staff)
    assert application(client, staff, app_id)["decision"]["annual_rate"] == "0.0899"
    first = as_role(client, staff, Role.UNDERWRITER)
    counter = {"down_payment": "80000", "term_months": 24} if action == "counter_offer" else {}
    waiting = reviewed(client, first, app_id, action=action, annual_rate="0.0549", **counter)
    assert waiting.status_code == 200 and waiting.json()["status"] == "pending_second", waiting.text
    seen = application(client, staff, app_id)
    who = seen["events"][-1]["actor_user_id"]
    override = {"risk_based_rate": "0.0899", "annual_rate": "0.0549", "set_by": who,
                "set_by_name": "underwriter", "direction": "below"}  # fmt: skip
    assert seen["decision"]["rate_override"] == override
    assert seen["decision"]["annual_rate"] == "0.0549"
    assert seen["events"][-1]["detail"]["rate_override"] == override
    assert audited(container, "application.review") == {
        "action": action, "status": "pending_second", "risk_based_rate": "0.0899",
        "annual_rate": "0.0549", "rate_set_by": override["set_by"],
        "rate_direction": "below"}  # fmt: skip
    offers = seen["offers"]
    assert offers and {o["annual_rate"] for o in offers} == {"0.0549"}
    same = confirmed(client, first, app_id)
    assert same.status_code == 409 and "another person" in same.json()["error"]["message"]
    second_underwriter(container)
    done = confirmed(client, api_sign_in(client, **SECOND), app_id)
    assert done.status_code == 200 and done.json()["status"] == confirmed_status, done.text
    after = application(client, staff, app_id)
    assert after["offers"] == offers and after["decision"]["rate_override"] == override
    assert after["events"][-1]["detail"] == {"approve": True, "rate_override": override}
    assert audited(container, "application.second_approval")["annual_rate"] == "0.0549"
    dealer = as_role(client, staff, Role.DEALER)
    # The dealer does not read the risk-based rate nor who set the rate.
    theirs = client.get(f"{APPLICATIONS}/{app_id}", headers=dealer).json()
    assert "rate_override" not in theirs["decision"]
    assert all("rate_override" not in (e["detail"] or {}) for e in theirs["events"])
    taken = client.post(f"{APPLICATIONS}/{app_id}/accept", json={"option": offers[0]["option"]},
                        headers=dealer)  # fmt: skip
    assert taken.status_code == 200 and taken.json()["offer"]["annual_rate"] == "0.0549", taken.text


@pytest.mark.parametrize(("rate", "status"), [
    ("0.0549", "pending_second"), ("0.0699", "approved"), ("0.0749", "approved"),
    (None, "approved"),
])  # fmt: skip
def test_only_a_rate_below_the_one_the_decision_priced_needs_a_second_person(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
    rate: str | None, status: str,
) -> None:  # fmt: skip
    """A case priced at 6.99 %: 5.49 % waits; 6.99 %, 7.49 % or no rate given (6.99 %)
    is the underwriter's alone; 5.49 % and 7.49 % are recorded as overrides (below,
    above), 6.99 % and none are none."""
    app_id = filed(client, staff)
    priced_at(container, app_id, "0.0699")
    first = as_role(client, staff, Role.UNDERWRITER)
    done = reviewed(client, first, app_id, action="approve", annual_rate=rate)
    assert done.status_code == 200 and done.json()["status"] == status, done.text
    decision = application(client, staff, app_id)["decision"]
    assert decision["annual_rate"] == (rate or "0.0699")
    direction = {"0.0549": "below", "0.0749": "above"}.get(rate or "")
    expected = direction and {"risk_based_rate": "0.0699", "annual_rate": rate,
                              "direction": direction}  # fmt: skip
    kept = decision.get("rate_override")
    assert (kept and {k: kept[k] for k in ("risk_based_rate", "annual_rate", "direction")}) == (
        expected
    )


def row_of(page: str, app_id: int) -> str:
    found = re.search(rf'<tr data-application-id="{app_id}">(.*?)</tr>', page, re.S)
    assert found, app_id
    return found.group(1)


def test_the_queue_and_the_page_show_the_second_underwriter_the_rate_override(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    """Through the pages, in percent: 5.49 typed, the decision's 8.99 % given away."""
    app_id = referred(client, staff)
    client.cookies.set("autolend_lang", "en")
    form = client.get(f"/applications/{app_id}").text.split('data-form="review"')[1]
    assert "The decision priced 8.99%; a lower rate needs a second underwriter." in form
    fields = {"action": "approve", "reason": "rate matched", "annual_rate": "5.49"}
    assert post(client, f"/applications/{app_id}/review", fields).status_code == 303
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="pending_second"' in page
    second_underwriter(container)
    sign_in(client, **SECOND)
    for lang in ("en", "zh_CN"):
        client.cookies.set("autolend_lang", lang)
        row = row_of(client.get("/review").text, app_id)
        shown = re.search(r"data-rate-override>(.*?)</span>", row, re.S)
        assert shown and "5.49%" in shown.group(1) and "8.99%" in shown.group(1), lang
    client.cookies.set("autolend_lang", "en")
    assert "Rate override: 5.49% instead of 8.99%" in row_of(client.get("/review").text, app_id)
    form = client.get(f"/applications/{app_id}").text.split('data-form="second-approval"')[1]
    override = re.search(r"data-rate-override>(.*?)</p>", form, re.S)
    assert override and "Rate override: 5.49% instead of 8.99%" in override.group(1)
    assert "set by underwriter" in override.group(1)
    web_sign_in_first(client, staff)
    confirm = {"approve": "true", "reason": "second look at the rate"}
    client.cookies.set("autolend_lang", "zh_CN")
    same = post(client, f"/applications/{app_id}/second-approval", confirm)
    assert same.status_code == 409 and "双人复核须由另一位审核人员确认" in same.text
    sign_in(client, **SECOND)
    assert post(client, f"/applications/{app_id}/second-approval", confirm).status_code == 303
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="approved"' in page
    rates = {o["annual_rate"] for o in application(client, staff, app_id)["offers"]}
    assert rates == {"0.0549"}


def web_sign_in_first(client: TestClient, staff: dict[Role, str]) -> None:
    sign_in(client, Role.UNDERWRITER.value, staff[Role.UNDERWRITER])


def test_a_rate_typed_at_the_decisions_own_is_approved_by_one_underwriter_on_the_page(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = referred(client, staff)
    fields = {"action": "approve", "reason": "rate as priced", "annual_rate": "8.99"}
    assert post(client, f"/applications/{app_id}/review", fields).status_code == 303
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="approved"' in page and "data-rate-override" not in page
    assert "data-rate-override" not in client.get("/review").text


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(review_terms).failed == 0
