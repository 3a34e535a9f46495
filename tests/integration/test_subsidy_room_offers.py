"""A borrower who has used most of the 2025 state subsidy plan (3,000.00 a borrower at
this lender, NEV_GREEN version 1) applies again, on both databases: the offers, the
contract and the loan booked state the subsidy they can still be granted, not the
product's full one, and agree to the fen with the payout.

The default NEV_GREEN case (140,000.00 over 36 months at 6.99 %) is subsidised at
6.63 % for a new borrower, the state paying 795.60. With 2,800.00 granted on an earlier
loan, 200.00 is left: the offer is at 6.91 % (the state pays 178.43; at 6.90 % it
would pay 200.76), and the contract, the loan and the payout say so. With 3,000.00
granted nothing is left: no subsidy, 6.99 %. The room is read again at the payout,
which has the last word: if another loan under the plan was paid out in between, the
borrower keeps the contract's rate and the state is owed only what is left."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.decision import Outcome, decide
from autolend.domain.decision_rules import deal_request
from autolend.domain.money import Money
from autolend.domain.offers_subsidy import RATE_STEP, stated_subsidy, subsidy_paid
from autolend.domain.product_catalogue import NEV_GREEN_2025
from autolend.services import decisioning
from tests.integration.test_borrower_numbers_agree import (
    approved,
    check_apr_recomputed,
    check_contract_rows_are_the_loans,
    check_contract_states_the_offer,
    check_loan_carries_the_terms,
    check_offer_is_its_schedule,
    check_payout,
    subsidy_owed,
    walk,
)
from tests.integration.test_contracts import sms  # noqa: F401 - fixture
from tests.integration.test_customer_pack import underwriter
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role
from tests.integration.test_subsidy_grants import clock, customer, paid_out  # noqa: F401
from tests.support.messaging import SmsSandbox
from tests.support.origination import (
    BORROWER_ID,
    application_body,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration

PRODUCT = NEV_GREEN_2025  # in force on the clock's day
DAY = date(2026, 6, 1)  # the clock's (tests.integration.test_subsidy_grants.clock)


def granted_already(container: Container, subsidy: str) -> int:
    """The borrower of the bodies, with an earlier NEV_GREEN loan paid out on which the
    state's subsidy of ``subsidy`` was booked; their customer id."""
    borrower = customer(container, underwriter(container), BORROWER_ID, "13800138000")
    paid_out(container, borrower, "NEV_GREEN", subsidy)
    return borrower


def state_pays(offer: dict[str, Any]) -> int:
    """What the state pays over the loan of ``offer`` as it states its subsidy (minor
    units), priced again from the product and the structure."""
    cur = "CNY"
    down = Money.parse(offer["down_payment"], cur)
    deal = deal_request(PRODUCT, price=Money.parse("200000", cur), down_payment=down,
                        term_months=offer["term_months"], rate=Decimal(offer["annual_rate"]),
                        start=DAY)  # fmt: skip
    rate = offer.get("customer_rate")
    stated = stated_subsidy(deal, None if rate is None else Decimal(rate), offer.get("subsidiser"))
    return subsidy_paid(stated)


def offers_of(client: TestClient, staff: dict[Role, str], app: str) -> list[dict[str, Any]]:
    answer = client.get(f"{app}/offers", headers=as_role(client, staff, Role.DEALER))
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def test_a_borrower_with_200_left_is_offered_that_much_and_every_number_agrees_to_the_payout(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    granted_already(container, "2800.00")
    shown = walk(client, container, staff, sms, "NEV_GREEN")
    offer, rows = shown.offer, shown.loan["schedule"]
    assert (offer["customer_rate"], offer["subsidiser"]) == ("0.0691", "state")
    assert offer["apr_nominal_percent"] == "6.91"  # no fees: the APR is the borrower's rate
    check_offer_is_its_schedule(offer, rows)
    check_loan_carries_the_terms(shown, PRODUCT)
    check_contract_states_the_offer(shown, PRODUCT)  # "借款人按年利率 6.91% 承担利息"
    check_contract_rows_are_the_loans(shown)
    check_payout(shown, PRODUCT)
    check_apr_recomputed(shown)
    assert subsidy_owed(offer, rows) == Decimal("178.43")
    assert (shown.paid["subsidy"], shown.paid["subsidy_settlement"]) == ("178.43", "receivable")
    assert shown.loan["balances"]["subsidy"] == "178.43"


def test_every_offer_states_a_subsidy_within_the_room_at_the_lowest_rate_that_fits(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    granted_already(container, "2800.00")
    offers = offers_of(client, staff, approved(client, staff, "NEV_GREEN"))
    assert len(offers) == 4
    for offer in offers:
        assert 0 < state_pays(offer) <= 20_000, offer
        lower = dict(offer, customer_rate=str(Decimal(offer["customer_rate"]) - RATE_STEP))
        assert state_pays(lower) > 20_000, offer  # a point lower would pay above the room


def test_a_borrower_who_used_the_whole_plan_is_offered_the_contract_rate_without_a_subsidy(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    granted_already(container, "3000.00")
    shown = walk(client, container, staff, sms, "NEV_GREEN")
    offer, rows = shown.offer, shown.loan["schedule"]
    assert "customer_rate" not in offer and "subsidiser" not in offer
    assert offer["apr_nominal_percent"] == "6.99"
    check_offer_is_its_schedule(offer, rows)
    check_loan_carries_the_terms(shown, PRODUCT)  # the loan's customer_rate is None
    check_contract_states_the_offer(shown, PRODUCT)  # and the contract has no 贴息 line
    check_contract_rows_are_the_loans(shown)
    check_apr_recomputed(shown)
    paid = shown.paid
    assert (paid["subsidy"], paid["subsidy_settlement"]) == ("0.00", None)
    assert paid["to_dealer"] == offer["amount_financed"]  # NEV_GREEN has no fees at the start
    assert shown.loan["balances"]["subsidy"] == "0.00"


def test_the_payout_books_only_what_is_left_when_the_room_shrank_after_the_offer(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    """2,500.00 granted: 500.00 left, so the offer's subsidy is the product's whole 795.60
    cut down to fit. Another loan under the plan is paid out 400.00 after the borrower
    signed: the payout books the 100.00 left; the borrower's rate stays the contract's."""
    borrower = granted_already(container, "2500.00")
    app = approved(client, staff, "NEV_GREEN")
    offer = offers_of(client, staff, app)[0]
    owed = state_pays(offer)
    assert 40_000 < owed <= 50_000
    dealer = as_role(client, staff, Role.DEALER)
    loan_id = client.post(f"{app}/accept", json={"option": 1}, headers=dealer).json()["loan_id"]
    contract_id = client.post(f"{app}/sign", json={}, headers=dealer).json()["contract_id"]
    sent = re.search(r"验证码为 (\d{6})", sms.received[-1]["text"])
    assert sent is not None, sms.received
    assert client.post(f"{app}/sign", json={"code": sent[1]}, headers=dealer).status_code == 200
    paid_out(container, borrower, "NEV_GREEN", "400.00")  # the room shrinks to 100.00
    servicing = as_role(client, staff, Role.SERVICING)
    paid = client.post(f"{app}/disburse", headers=servicing | {"Idempotency-Key": app})
    assert paid.status_code == 201, paid.text
    assert paid.json()["subsidy"] == "100.00"
    loan = client.get(f"/api/v1/loans/{loan_id}", headers=servicing).json()
    assert loan["customer_rate"] == offer["customer_rate"]  # the signed rate is kept
    text = container.services.contracts.text(SERVICING, contract_id)
    rate = f"{Decimal(offer['customer_rate']) * 100:.2f}%"
    assert f"贴息：借款人按年利率 {rate} 承担利息" in text


def test_the_automated_decision_prices_its_offers_within_the_room_too(
    client: TestClient, container: Container, staff: dict[Role, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The model's own approval (here: every decision turned into an approval at its
    rate, there being no model) builds offers within the room, as a review does."""

    def approving(*args: Any) -> Any:
        decided = decide(*args)
        return replace(decided, outcome=Outcome.APPROVE, second_approval_required=False)

    monkeypatch.setattr(decisioning, "decide", approving)
    granted_already(container, "2800.00")
    dealer = as_role(client, staff, Role.DEALER)
    body = application_body(product_code="NEV_GREEN")
    filed = client.post("/api/v1/applications", json=body, headers=dealer)
    assert filed.status_code == 201, filed.text
    app = f"/api/v1/applications/{filed.json()['id']}"
    decided = client.post(f"{app}/submit", headers=dealer)
    assert decided.status_code == 200 and decided.json()["status"] == "approved", decided.text
    offer = decided.json()["offers"][0]
    assert offer["annual_rate"] == "0.0699", offer  # the rate the review approves at too
    assert offer["customer_rate"] == "0.0691"
    assert 0 < state_pays(offer) <= 20_000
