"""What the review records of the rate and the structure an underwriter sets, and keeps
(SQLite and PostgreSQL, no bureau: every case is referred, priced by the decision at
8.99 %, or as a case priced at 6.99 %):

* the second person's refusal keeps what it refused under ``proposed`` (the rate, the
  counter-offer, the rate override, who proposed and who refused it, and why), for staff
  alone (found 2027-01: the refusal replaced the decision, and its ``rate_override`` and
  ``counter_offer`` were gone); since 2027-02 it sends the case back to review, never
  declines it (:mod:`tests.integration.test_second_approval_sends_back`);
* a rate above the risk-based rate is an override too (``direction`` ``above``), in the
  decision, the event and the audit trail, the underwriter's alone (found 2027-01: it
  was not recorded at all); it stays in the product's range and every offer at it
  within the pack's cost ceiling;
* the decision card shows staff the override ("Rate override: 5.49 % instead of
  8.99 %") and what was sent back, in English and Chinese; a dealer sees neither."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain import deal_ceiling
from autolend.domain.access import Role
from autolend.domain.regulation.rules import CostCeiling
from tests.integration.test_application_pages import post, sign_in, web_sign_in
from tests.integration.test_counter_offer_pages import (  # noqa: F401 - container: no bureau
    container,
    referred,
    section,
)
from tests.integration.test_loans_api import as_role
from tests.integration.test_loans_api import sign_in as api_sign_in
from tests.integration.test_rate_override import (
    APPLICATIONS,
    SECOND,
    application,
    audited,
    filed,
    priced_at,
    reviewed,
    second_underwriter,
)

pytestmark = pytest.mark.integration

COUNTER = {"down_payment": "80000", "term_months": 24}
STRUCTURE = {"down_payment": "80000.00", "term_months": 24, "amount": "120000.00"}


def refused(client: TestClient, container: Container, app_id: int) -> Any:  # noqa: F811
    """Underwriter2 sends the approval waiting for them back to review."""
    second_underwriter(container)
    refuse = {"approve": False, "reason": "the rate given away is not justified"}
    return client.post(f"{APPLICATIONS}/{app_id}/second-approval", json=refuse,
                       headers=api_sign_in(client, **SECOND))  # fmt: skip


def dealers_view(client: TestClient, staff: dict[Role, str], app_id: int) -> dict[str, Any]:
    found = client.get(f"{APPLICATIONS}/{app_id}", headers=as_role(client, staff, Role.DEALER))
    assert found.status_code == 200, found.text
    return dict(found.json())


@pytest.mark.parametrize("action", ["approve", "counter_offer"])
def test_a_second_persons_refusal_keeps_what_the_first_underwriter_proposed_and_who_refused(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
    action: str,
) -> None:
    """5.49 % on a case priced at 8.99 % (a counter-offer: 80,000.00 down over 24
    months), refused by underwriter2: the case is referred again at 8.99 %, and keeps
    the proposal beside it; the dealer reads the referral alone."""
    app_id = filed(client, staff)
    counter = COUNTER if action == "counter_offer" else {}
    first = as_role(client, staff, Role.UNDERWRITER)
    waiting = reviewed(client, first, app_id, action=action, annual_rate="0.0549", **counter)
    assert waiting.json()["status"] == "pending_second", waiting.text
    proposer = application(client, staff, app_id)["events"][-1]["actor_user_id"]
    done = refused(client, container, app_id)
    assert done.status_code == 200 and done.json()["status"] == "referred", done.text
    after = application(client, staff, app_id)
    decision, decliner = after["decision"], after["events"][-1]["actor_user_id"]
    assert decision["outcome"] == "refer" and decision["annual_rate"] == "0.0899"
    assert after["offers"] == [] and decision["adverse_action"] is None
    assert "rate_override" not in decision and "counter_offer" not in decision
    override = {"risk_based_rate": "0.0899", "annual_rate": "0.0549", "set_by": proposer,
                "set_by_name": "underwriter", "direction": "below"}  # fmt: skip
    assert decision["proposed"] == {
        "annual_rate": "0.0549", "rate_override": override,
        "proposed_by": proposer, "proposed_by_name": "underwriter",
        "declined_by": decliner, "declined_by_name": "underwriter2",
        "reason": "the rate given away is not justified",
    } | ({"counter_offer": STRUCTURE} if counter else {})  # fmt: skip
    assert after["events"][-1]["detail"] == {"approve": False, "rate_override": override,
                                             "proposed": decision["proposed"]}  # fmt: skip
    assert audited(container, "application.second_approval") == {
        "approve": False, "risk_based_rate": "0.0899", "annual_rate": "0.0549",
        "rate_set_by": proposer, "rate_direction": "below"}  # fmt: skip
    theirs = dealers_view(client, staff, app_id)["decision"]
    assert theirs["outcome"] == "refer" and "proposed" not in theirs


@pytest.mark.parametrize(("action", "status"), [
    ("approve", "approved"), ("counter_offer", "counter_offered"),
])  # fmt: skip
def test_a_rate_above_the_risk_based_rate_is_recorded_as_an_override_of_one_underwriter(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
    action: str, status: str,
) -> None:  # fmt: skip
    """7.49 % on a case priced at 6.99 %: decided at once (no concession), the override
    (``above``) in the decision, the event and the audit trail, not for the dealer."""
    app_id = filed(client, staff)
    priced_at(container, app_id, "0.0699")
    counter = COUNTER if action == "counter_offer" else {}
    first = as_role(client, staff, Role.UNDERWRITER)
    done = reviewed(client, first, app_id, action=action, annual_rate="0.0749", **counter)
    assert done.status_code == 200 and done.json()["status"] == status, done.text
    seen = application(client, staff, app_id)
    who = seen["events"][-1]["actor_user_id"]
    override = {"risk_based_rate": "0.0699", "annual_rate": "0.0749", "set_by": who,
                "set_by_name": "underwriter", "direction": "above"}  # fmt: skip
    assert seen["decision"]["rate_override"] == override
    assert seen["events"][-1]["detail"]["rate_override"] == override
    assert audited(container, "application.review") == {
        "action": action, "status": status, "risk_based_rate": "0.0699",
        "annual_rate": "0.0749", "rate_set_by": who, "rate_direction": "above"}  # fmt: skip
    assert seen["offers"] and {o["annual_rate"] for o in seen["offers"]} == {"0.0749"}
    theirs = dealers_view(client, staff, app_id)
    assert "rate_override" not in theirs["decision"]
    assert all("rate_override" not in (e["detail"] or {}) for e in theirs["events"])


def test_a_rate_above_the_products_range_is_refused_and_nothing_changes(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    app_id = filed(client, staff)
    priced_at(container, app_id, "0.0699")
    before = application(client, staff, app_id)
    first = as_role(client, staff, Role.UNDERWRITER)
    done = reviewed(client, first, app_id, action="approve", annual_rate="0.0999")
    error = done.json()["error"]
    assert done.status_code == 422 and error["field"] == "annual_rate", done.text
    assert "3.99 % to 8.99 % a year under STD_NEW" in error["message"]
    assert application(client, staff, app_id) == before


LOW_CEILING = CostCeiling(Decimal("0.095"), Decimal("0.09"))


class _Pack:
    """A pack whose cost ceiling is 9.50 %: 7.49 % fits a 36-month offer (APR 8.90 %)
    and not a 24-month one (9.55 %); 8.99 % fits none (9.88 % at 60 months)."""

    def cost_ceiling(self, on: date) -> CostCeiling:
        return LOW_CEILING


def test_a_raised_rate_is_offered_only_within_the_packs_cost_ceiling(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Every product's top rate fits the real ceiling (24 % in CN), so the ceiling is
    lowered to 9.50 % once the case is priced at 6.99 %."""
    app_id = filed(client, staff)
    priced_at(container, app_id, "0.0699")
    monkeypatch.setattr(deal_ceiling, "pack_for", lambda code: _Pack())
    first = as_role(client, staff, Role.UNDERWRITER)
    before = application(client, staff, app_id)
    over = reviewed(client, first, app_id, action="approve", annual_rate="0.0899")
    assert over.status_code == 422 and over.json()["error"]["field"] == "annual_rate", over.text
    # It says why (it said "no offer fits the product's rules for this structure").
    assert over.json()["error"]["message"] == (
        "no offer fits the product's rules at this rate: its cost is above the ceiling"
    )
    as_given = reviewed(client, first, app_id, action="counter_offer", annual_rate="0.0899",
                        down_payment="60000", term_months=24)  # fmt: skip
    assert as_given.status_code == 422, as_given.text
    assert "above the ceiling" in as_given.json()["error"]["message"]
    assert application(client, staff, app_id) == before
    done = reviewed(client, first, app_id, action="approve", annual_rate="0.0749")
    assert done.status_code == 200 and done.json()["status"] == "approved", done.text
    offers = application(client, staff, app_id)["offers"]
    assert offers and all(Decimal(o["apr_nominal"]) <= Decimal("0.095") for o in offers)
    assert 24 not in {o["term_months"] for o in offers}


def card(client: TestClient, app_id: int, lang: str) -> str:
    client.cookies.set("autolend_lang", lang)
    return section(client.get(f"/applications/{app_id}").text, "decision")


def test_the_decision_card_shows_staff_the_rate_override_in_both_languages_not_the_dealer(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    app_id = referred(client, staff)
    fields = {"action": "approve", "reason": "rate matched", "annual_rate": "5.49"}
    assert post(client, f"/applications/{app_id}/review", fields).status_code == 303
    second_underwriter(container)
    sign_in(client, **SECOND)
    confirm = {"approve": "true", "reason": "the rate override is justified"}
    assert post(client, f"/applications/{app_id}/second-approval", confirm).status_code == 303
    english = card(client, app_id, "en")
    shown = re.search(r'data-rate-override="below">(.*?)</p>', english, re.S)
    assert shown, english
    text = re.sub(r"<[^>]+>", "", shown.group(1))
    assert text == "Rate override: 5.49% instead of 8.99% set by underwriter"
    chinese = card(client, app_id, "zh_CN")
    assert "人工调整利率：5.49%（风险定价利率 8.99%）" in chinese
    assert "由 underwriter 设定" in chinese
    web_sign_in(client, staff, Role.DEALER)
    theirs = card(client, app_id, "en")
    assert "data-rate-override" not in theirs and "8.99" not in theirs


def test_the_decision_card_shows_staff_the_counter_offer_a_second_person_sent_back(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    app_id = referred(client, staff)
    fields = {"action": "counter_offer", "reason": "a larger down payment", "annual_rate": "5.49",
              "down_payment": "80000", "term_months": "24"}  # fmt: skip
    assert post(client, f"/applications/{app_id}/review", fields).status_code == 303
    second_underwriter(container)
    sign_in(client, **SECOND)
    refuse = {"approve": "false", "reason": "the rate given away is not justified"}
    assert post(client, f"/applications/{app_id}/second-approval", refuse).status_code == 303
    english = card(client, app_id, "en")
    found = re.search(r'<div data-proposed="sent-back">(.*?)</div>', english, re.S)
    assert found, english
    proposed = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1)))
    assert "Sent back to review at the second approval" in proposed
    assert "Proposed by underwriter: a counter-offer at 5.49%" in proposed
    assert "80,000.00" in proposed and "24 months" in proposed
    assert "Rate override: 5.49% instead of 8.99% set by underwriter" in proposed
    assert "Sent back by underwriter2: the rate given away is not justified" in proposed
    assert "人工调整利率：5.49%（风险定价利率 8.99%）" in card(client, app_id, "zh_CN")
    web_sign_in(client, staff, Role.DEALER)
    theirs = card(client, app_id, "en")
    assert "data-proposed" not in theirs and "data-rate-override" not in theirs
