"""Origination over real HTTP on both databases: a dealer files an application, the
decision runs against the bureau sandbox (a separate process) and the credit model, the
borrower accepts an offer and signs with the code sent by SMS, servicing pays the dealer,
and the loan is active with ``autolend verify`` green. Bad input is a 422 naming the
field with nothing stored; the bureau down refers the case, never loses it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import application_tables as at
from autolend.adapters.db import contract_tables as ct
from autolend.adapters.db import tables as t
from autolend.adapters.keys.vault import MasterKeyRing
from autolend.bootstrap import Container, build_container, create_app
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.score_features import NOT_COLLECTED
from autolend.services.contract import Collateral
from autolend.services.model_ports import NewModelVersion
from autolend.services.notifications import queue_message
from autolend.services.ports import SEALED_KINDS
from autolend.services.terms_codec import load_servicing
from tests.integration.test_api_foundation import sign_in
from tests.integration.test_bureau_sandbox import (  # noqa: F401 - fixtures
    control,
    sandbox,
    sandbox_url,
)
from tests.integration.test_loans_api import as_role
from tests.support.bureau_ids import resident_ids
from tests.support.messaging import SmsSandbox, sms_gateway
from tests.support.origination import (
    BORROWER_ID,
    VIN,
    application_body,
    origination_container,
    trained_once,
)
from tests.support.processes import free_port

pytestmark = pytest.mark.integration
BORROWER = application_body()["applicants"][0]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> NewModelVersion:
    return trained_once(tmp_path_factory)


@pytest.fixture
def sms() -> Iterator[SmsSandbox]:
    with sms_gateway() as box:
        yield box


@pytest.fixture
def bureau(request: pytest.FixtureRequest) -> str:
    """The sandbox's URL; parametrised with "down", a port where nothing listens."""
    if getattr(request, "param", None) == "down":
        return f"http://127.0.0.1:{free_port()}"
    return str(request.getfixturevalue("sandbox"))  # reset, reports dated 2026-11-28


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock, sms: SmsSandbox, bureau: str,
              model: NewModelVersion) -> Iterator[Container]:  # fmt: skip
    with origination_container(
        db_url, tmp_path, clock, model, sms_url=sms.url, bureau_url=bureau, bureau_retries=0,
        bureau_timeout_seconds=2.0,
    ) as built:  # fmt: skip
        yield built


@pytest.fixture
def dealer(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.DEALER)


def filed(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    made = client.post("/api/v1/applications", json=application_body(**changes), headers=headers)
    assert made.status_code == 201, made.text
    return dict(made.json())


def stored_applications(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(at.applications)).scalar_one())


def test_a_dealer_takes_a_customer_from_application_to_a_disbursed_loan(
    client: TestClient, container: Container, staff: dict[Role, str], dealer: dict[str, str],
    sms: SmsSandbox,
) -> None:  # fmt: skip
    application = filed(client, dealer)
    assert application["status"] == "draft"
    assert application["parties"][0]["id_number"].startswith("1101")  # masked for a dealer
    assert "*" in application["parties"][0]["id_number"]
    app_id = application["id"]
    early = client.post(
        f"/api/v1/applications/{app_id}/disburse",
        headers=as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "x1"},
    )
    assert early.status_code == 409 and "signed" in early.json()["error"]["message"]
    decided = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    assert decided.status_code == 200, decided.text
    body = decided.json()
    assert body["status"] == "approved", body["decision"]
    assert 1 <= len(body["offers"]) <= 4
    for offer in body["offers"]:
        assert float(offer["apr_nominal"]) > 0 and offer["installment"]
    assert body["decision"]["model_version"].startswith("default@")
    # No reason names what no application supplies (the model is trained without it):
    # every decision said "no information was given on how long the income has been stable"
    codes = {r["code"] for r in body["decision"]["reasons"]}
    assert not codes & {f.upper() for f in NOT_COLLECTED}, body["decision"]["reasons"]
    offers = client.get(f"/api/v1/applications/{app_id}/offers", headers=dealer).json()["items"]
    assert offers == body["offers"]
    # The application says what its offer finances: the car's 140,000.00 and the GPS fee.
    shown = client.get(f"/api/v1/applications/{app_id}", headers=dealer).json()
    amounts = {k: shown[k] for k in ("amount", "financed_fees", "amount_financed")}
    assert amounts == {"amount": "140000.00", "financed_fees": "1500.00",
                       "amount_financed": offers[0]["amount_financed"]}  # fmt: skip
    accepted = client.post(
        f"/api/v1/applications/{app_id}/accept", json={"option": 1}, headers=dealer
    )
    assert accepted.status_code == 200, accepted.text
    loan_id = accepted.json()["loan_id"]
    sent = client.post(f"/api/v1/applications/{app_id}/sign", json={}, headers=dealer)
    assert sent.status_code == 200, sent.text
    assert sms.received[-1]["to"] == "13800138000"
    code = re.search(r"验证码为 (\d{6})", sms.received[-1]["text"])
    assert code is not None, sms.received
    signed = client.post(
        f"/api/v1/applications/{app_id}/sign", json={"code": code[1]}, headers=dealer
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "signed"
    servicing = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": f"pay-{app_id}"}
    paid = client.post(f"/api/v1/applications/{app_id}/disburse", headers=servicing)
    assert paid.status_code == 201, paid.text
    again = client.post(f"/api/v1/applications/{app_id}/disburse", headers=servicing)
    assert again.status_code == 201 and again.json() == paid.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    loan = client.get(f"/api/v1/loans/{loan_id}", headers=servicing).json()
    assert loan["status"] == "active"
    with container.engine.connect() as conn:
        terms = conn.execute(select(t.loans.c.terms).where(t.loans.c.id == loan_id)).scalar_one()
    # The car is recorded as collateral for the loss given default: a new NEV at its price.
    assert load_servicing(terms).collateral == Collateral(20_000_000, "nev_new")
    assert loan["disbursed"] == offers[0]["amount_financed"]
    # Every fee of the start is earned from the dealer's proceeds: the financed GPS fee
    # and the 1 % origination fee the borrower pays in cash (the offer and its APR count
    # it; it was disclosed and never booked).
    start_fees = [f for f in offers[0]["fees"] if f["timing"] == "upfront"]
    assert {f["financed"] for f in start_fees} == {True, False}
    taken = sum(Decimal(f["amount"]) for f in start_fees)
    assert Decimal(paid.json()["fees_deducted"]) == taken
    assert Decimal(paid.json()["to_dealer"]) == Decimal(loan["disbursed"]) - taken
    final = client.get(f"/api/v1/applications/{app_id}", headers=dealer).json()
    assert final["status"] == "disbursed"
    assert [e["to"] for e in final["events"]] == [
        "draft",
        "approved",
        "accepted",
        "signing",
        "signed",
        "disbursed",
    ]
    report = container.services.verify.run()
    assert [c.name for c in report.checks if not c.ok] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"applicants": [dict(BORROWER, id_number="110105198901010012")]},
         "applicants[0].id_number"),
        ({"applicants": [dict(BORROWER, id_number="110105198902300016")]},
         "applicants[0].id_number"),
        ({"applicants": [dict(BORROWER, monthly_income="-1.00")]},
         "applicants[0].monthly_income"),
        ({"vehicle": dict(application_body()["vehicle"], vin="LGXCE6CB4N0123459")}, "vehicle.vin"),
        ({"down_payment": "250000.00"}, "down_payment"),
        ({"term_months": 72}, "term_months"),
        # A product's rules name the field by its path in the body, as the body's checks do.
        ({"vehicle": dict(application_body()["vehicle"], condition="used")},
         "vehicle.condition"),
        ({"product_code": "NEV_GREEN", "vehicle": dict(application_body()["vehicle"],
                                                       energy="ice")}, "vehicle.energy"),
        ({"down_payment": "10000.00"}, "down_payment"),  # no amount asked: price less this
        ({"down_payment": "20000.00", "amount": "180000.00"}, "amount"),
        ({"applicants": [dict(BORROWER, income_stability_months=-3)]},
         "applicants[0].income_stability_months"),
        # born 1989-01-01: 16 on 2005-01-01, 262 whole months before 2026-11-28
        ({"applicants": [dict(BORROWER, income_stability_months=263)]},
         "applicants[0].income_stability_months"),
    ],
    ids=["id_checksum", "birth_date", "negative_income", "vin", "down_above_price",
         "term_above_cap", "condition_not_allowed", "energy_not_allowed", "ltv_above_cap",
         "ltv_above_cap_of_the_amount_asked", "negative_months_of_stable_income",
         "stable_income_from_before_sixteen"],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client: TestClient, container: Container, dealer: dict[str, str], change: dict[str, Any],
    field: str,
) -> None:  # fmt: skip
    answer = client.post("/api/v1/applications", json=application_body(**change), headers=dealer)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field, answer.json()
    assert stored_applications(container) == 0


def test_the_months_of_stable_income_given_are_kept_and_shown_with_the_application(
    client: TestClient, dealer: dict[str, str]
) -> None:
    given = filed(client, dealer, applicants=[dict(BORROWER, income_stability_months=262)])
    shown = client.get(f"/api/v1/applications/{given['id']}", headers=dealer).json()
    assert shown["parties"][0]["income_stability_months"] == 262
    without = filed(client, dealer, applicants=[dict(BORROWER, mobile="13800138001")])
    assert without["parties"][0]["income_stability_months"] is None


def test_an_application_filed_without_a_vin_gets_it_before_an_offer_is_accepted(
    client: TestClient, container: Container, dealer: dict[str, str]
) -> None:
    """Pre-approval before the car is picked: the decision needs no VIN, the contract does."""
    body = application_body()
    body["vehicle"]["vin"] = None
    made = client.post("/api/v1/applications", json=body, headers=dealer)
    assert made.status_code == 201, made.text
    app_id = made.json()["id"]
    decided = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer).json()
    assert decided["status"] == "approved", decided
    path = f"/api/v1/applications/{app_id}"
    early = client.post(f"{path}/accept", json={"option": 1}, headers=dealer)
    assert early.status_code == 422 and early.json()["error"]["field"] == "vehicle.vin"
    wrong = client.post(f"{path}/vin", json={"vin": VIN[:-1] + "0"}, headers=dealer)
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "vin"
    assert client.get(path, headers=dealer).json()["vehicle"]["vin"] is None
    added = client.post(f"{path}/vin", json={"vin": VIN.lower()}, headers=dealer)
    assert added.status_code == 200 and added.json() == {"id": app_id, "vin": VIN}
    assert client.get(path, headers=dealer).json()["vehicle"]["vin"] == VIN
    again = client.post(f"{path}/vin", json={"vin": VIN}, headers=dealer)
    assert again.status_code == 409 and "already" in again.json()["error"]["message"]
    assert client.post(f"{path}/accept", json={"option": 1}, headers=dealer).status_code == 200
    closed = client.post(f"{path}/vin", json={"vin": VIN}, headers=dealer)
    assert closed.status_code == 409 and "accepted" in closed.json()["error"]["message"]


def _customer_of(container: Container, id_number: str) -> int:
    index = container.cipher.blind_index("id_number", id_number)
    with container.engine.connect() as conn:
        found = conn.execute(select(t.customers.c.id).where(t.customers.c.id_number_bidx == index))
        return int(found.scalar_one())


def _consents_of(container: Container, customer_id: int) -> int:
    with container.engine.connect() as conn:
        counted = select(func.count()).where(t.consents.c.customer_id == customer_id)
        return int(conn.execute(counted).scalar_one())


def test_the_application_belongs_to_its_borrower_wherever_they_are_listed(
    client: TestClient, container: Container, dealer: dict[str, str], staff: dict[Role, str]
) -> None:
    """A guarantor listed first made the application, and its bureau query, the
    guarantor's. A borrower filing for themselves consents for themselves only: a
    guarantor who has not consented is refused; one who has (through the dealer) is
    named without the borrower's consents being recorded for them."""
    guarantor_id = resident_ids("clean", 1, start=700)[0]
    guarantor = dict(application_body()["applicants"][0], role="guarantor", name="李娜",
                     id_number=guarantor_id, mobile="13900139000")  # fmt: skip
    body = application_body()
    body["applicants"] = [guarantor, *body["applicants"]]
    made = filed(client, dealer, applicants=body["applicants"])
    assert made["customer_id"] == _customer_of(container, BORROWER_ID)
    theirs = _consents_of(container, _customer_of(container, guarantor_id))
    assert theirs > 0  # the dealer's
    own_id = resident_ids("clean", 1, start=900)[0]
    other_id = resident_ids("clean", 1, start=1100)[0]
    mine = application_body(channel="borrower")
    mine["applicants"][0]["id_number"] = own_id
    mine["applicants"].append(dict(guarantor, id_number=other_id))
    borrower = as_role(client, staff, Role.BORROWER)
    stranger = client.post("/api/v1/applications", json=mine, headers=borrower)
    assert stranger.status_code == 422, stranger.text
    assert stranger.json()["error"]["field"] == "applicants[1].id_number"
    assert stored_applications(container) == 1
    mine["applicants"][1]["id_number"] = guarantor_id
    own = client.post("/api/v1/applications", json=mine, headers=borrower)
    assert own.status_code == 201, own.text
    assert _consents_of(container, _customer_of(container, own_id)) > 0
    assert _consents_of(container, _customer_of(container, guarantor_id)) == theirs


def test_a_borrower_applying_as_a_dealers_customer_is_refused_before_any_bureau_query(
    client: TestClient, container: Container, dealer: dict[str, str], staff: dict[Role, str]
) -> None:
    filed(client, dealer)  # the body's borrower becomes the dealer's customer
    borrower = as_role(client, staff, Role.BORROWER)
    body = application_body(channel="borrower")
    answer = client.post("/api/v1/applications", json=body, headers=borrower)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == "applicants[0].id_number"
    assert "applies for themselves" in answer.json()["error"]["message"]
    assert stored_applications(container) == 1


@pytest.mark.parametrize("bureau", ["down"], indirect=True)
def test_the_bureau_down_refers_the_application_and_a_person_can_approve_it(
    client: TestClient, staff: dict[Role, str], dealer: dict[str, str]
) -> None:
    app_id = filed(client, dealer)["id"]
    decided = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "referred"
    codes = [r["code"] for r in decided.json()["decision"]["reasons"]]
    assert "bureau_unavailable" in codes, decided.json()["decision"]
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    queue = client.get("/api/v1/review-queue", headers=underwriter).json()["items"]
    assert [item["id"] for item in queue] == [app_id]
    refused = client.post(
        f"/api/v1/applications/{app_id}/review",
        json={"action": "approve", "reason": ""},
        headers=underwriter,
    )
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "reason"
    approved = client.post(f"/api/v1/applications/{app_id}/review",
                           json={"action": "approve", "reason": "income documents checked"},
                           headers=underwriter)  # fmt: skip
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    offers = client.get(f"/api/v1/applications/{app_id}/offers", headers=dealer).json()
    assert 1 <= len(offers["items"]) <= 4


def test_one_resident_id_across_many_applications_is_declined_with_a_notice(
    client: TestClient, dealer: dict[str, str]
) -> None:
    """The policy allows 3 other applications with one ID in 30 days: the fifth declines,
    with the reason in both languages and an adverse-action notice, and no offer."""
    ids = [filed(client, dealer)["id"] for _ in range(5)]
    decided = client.post(f"/api/v1/applications/{ids[-1]}/submit", headers=dealer)
    assert decided.status_code == 200, decided.text
    body = decided.json()
    assert body["status"] == "declined" and body["offers"] == []
    [reason] = [r for r in body["decision"]["reasons"] if r["code"] == "velocity_id"]
    assert reason["text_en"] and reason["text_zh"]
    assert body["decision"]["adverse_action"] is not None
    refused = client.post(f"/api/v1/applications/{ids[-1]}/accept", json={"option": 1},
                          headers=dealer)  # fmt: skip
    assert refused.status_code == 409


@pytest.mark.parametrize("bureau", ["down"], indirect=True)
def test_a_large_approval_needs_a_second_person_and_never_the_same_one(
    client: TestClient, container: Container, staff: dict[Role, str], dealer: dict[str, str]
) -> None:
    """350,000.00 financed, above the 300,000.00 limit: the first underwriter's approval
    waits for another; the same person confirming is refused (409)."""
    body = application_body(down_payment="150000.00")
    body["vehicle"]["price"] = "500000.00"
    made = client.post("/api/v1/applications", json=body, headers=dealer)
    assert made.status_code == 201, made.text
    app_id = made.json()["id"]
    assert client.post(f"/api/v1/applications/{app_id}/submit",
                       headers=dealer).json()["status"] == "referred"  # fmt: skip
    first = as_role(client, staff, Role.UNDERWRITER)
    review = {"action": "approve", "reason": "salary slips and bank statements checked"}
    waiting = client.post(f"/api/v1/applications/{app_id}/review", json=review, headers=first)
    assert waiting.json()["status"] == "pending_second", waiting.text
    confirm = {"approve": True, "reason": "second look at the file"}
    same = client.post(f"/api/v1/applications/{app_id}/second-approval", json=confirm,
                       headers=first)  # fmt: skip
    assert same.status_code == 409 and "another person" in same.json()["error"]["message"]
    container.services.users.create(
        SYSTEM_ACTOR,
        username="underwriter2",
        password="pw-underwriter2-long",
        roles=["underwriter"],
    )
    second = sign_in(client, "underwriter2", "pw-underwriter2-long")
    done = client.post(f"/api/v1/applications/{app_id}/second-approval", json=confirm,
                       headers=second)  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "approved", done.text
    offers = client.get(f"/api/v1/applications/{app_id}/offers", headers=dealer).json()["items"]
    assert offers and all(o["apr_nominal"] for o in offers)


def test_a_slow_bureau_refers_the_application_instead_of_keeping_the_dealer_waiting(
    client: TestClient, dealer: dict[str, str], bureau: str
) -> None:
    """The sandbox answers after 2.5 s, past the 2 s timeout: referred, kept, and the
    reason says the bureau could not be reached."""
    app_id = filed(client, dealer)["id"]
    httpx.post(f"{bureau}/_control", json={"latency_ms": 2500}, timeout=5).raise_for_status()
    try:
        decided = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    finally:
        httpx.post(f"{bureau}/_control", json={"latency_ms": 0}, timeout=5).raise_for_status()
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "referred"
    assert "bureau_unavailable" in [r["code"] for r in decided.json()["decision"]["reasons"]]
    shown = client.get(f"/api/v1/applications/{app_id}", headers=dealer).json()
    assert shown["status"] == "referred"


def test_an_applicant_the_bureau_has_never_seen_is_referred_as_having_no_credit_file(
    client: TestClient, dealer: dict[str, str], bureau: str
) -> None:
    """The sandbox answers 404 ``no_record`` for this ID: the query is logged as such, and
    the decision says the applicant has no credit history, not that the bureau could not
    be reached (which is what it said before)."""
    unknown = resident_ids("no_record", 1, 700)[0]
    borrower = application_body()["applicants"][0] | {"id_number": unknown}
    app_id = filed(client, dealer, applicants=[borrower])["id"]
    decided = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "referred"
    codes = [r["code"] for r in decided.json()["decision"]["reasons"]]
    assert codes[0] == "no_credit_file" and "bureau_unavailable" not in codes, codes
    assert control(bureau)["counters"]["no_record"] == 1


@pytest.mark.parametrize("bureau", ["down"], indirect=True)
def test_an_underwriter_counter_offers_another_structure_and_the_applicant_accepts_it(
    client: TestClient, staff: dict[Role, str], dealer: dict[str, str]
) -> None:
    app_id = filed(client, dealer)["id"]
    client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    counter = {"action": "counter_offer", "reason": "income only partly documented",
               "down_payment": "80000.00", "term_months": 24}  # fmt: skip
    answer = client.post(f"/api/v1/applications/{app_id}/review", json=counter,
                         headers=underwriter)  # fmt: skip
    assert answer.status_code == 200 and answer.json()["status"] == "counter_offered", answer.text
    offers = client.get(f"/api/v1/applications/{app_id}/offers", headers=dealer).json()["items"]
    assert (offers[0]["down_payment"], offers[0]["term_months"]) == ("80000.00", 24)
    taken = client.post(f"/api/v1/applications/{app_id}/accept", json={"option": 1},
                        headers=dealer)  # fmt: skip
    assert taken.status_code == 200 and taken.json()["status"] == "accepted", taken.text
    loan = client.get(f"/api/v1/loans/{taken.json()['loan_id']}",
                      headers=as_role(client, staff, Role.SERVICING)).json()  # fmt: skip
    assert loan["status"] == "booked" and len(loan["schedule"]) == 24


@pytest.mark.parametrize("bureau", ["down"], indirect=True)
def test_an_underwriter_declines_with_a_reason_and_nothing_can_be_accepted(
    client: TestClient, staff: dict[Role, str], dealer: dict[str, str]
) -> None:
    app_id = filed(client, dealer)["id"]
    client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    decline = {"action": "decline", "reason": "the employer could not be confirmed"}
    answer = client.post(f"/api/v1/applications/{app_id}/review", json=decline,
                         headers=underwriter)  # fmt: skip
    assert answer.status_code == 200 and answer.json()["status"] == "declined", answer.text
    shown = client.get(f"/api/v1/applications/{app_id}", headers=dealer).json()
    assert shown["decision"]["outcome"] == "decline" and shown["offers"] == []
    assert shown["events"][-1]["reason"] == decline["reason"]
    refused = client.post(f"/api/v1/applications/{app_id}/accept", json={"option": 1},
                          headers=dealer)  # fmt: skip
    assert refused.status_code == 409


def test_key_rotation_rewraps_applications_documents_bureau_reports_and_messages_too(
    client: TestClient, container: Container, staff: dict[Role, str], dealer: dict[str, str],
    clock: FixedClock, sms: SmsSandbox,
) -> None:  # fmt: skip
    app_id = filed(client, dealer)["id"]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    uploaded = client.post(f"/api/v1/applications/{app_id}/documents?kind=id_front",
                           content=png, headers=dealer | {"Content-Type": "image/png"})  # fmt: skip
    assert uploaded.status_code == 201, uploaded.text
    assert client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer).status_code == 200
    accepted = client.post(f"/api/v1/applications/{app_id}/accept", json={"option": 1},
                           headers=dealer)  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    signing = client.post(f"/api/v1/applications/{app_id}/sign", json={}, headers=dealer)
    assert signing.status_code == 200, signing.text  # the contract is issued, sealed
    contract_id = client.get(f"/api/v1/applications/{app_id}", headers=dealer).json()["contract_id"]
    with container.uow(write=True) as uow:
        queue_message(uow, container.cipher, clock, channel="sms", recipient="13800138000",
                      template="contract_signed",
                      payload={"contract_id": 1, "signed_at": "2026-11-28 10:00"})  # fmt: skip
        uow.commit()
    new_key, old_ring = MasterKeyRing.generate("k2"), container.settings.master_keys
    both = build_container(container.settings.model_copy(
        update={"master_keys": f"{new_key},{old_ring}"}), clock=clock)  # fmt: skip
    only_k2 = build_container(
        container.settings.model_copy(update={"master_keys": new_key}), clock=clock
    )
    try:
        report = both.services.keys.rotate(SYSTEM_ACTOR)
        assert set(report.rewrapped_by_kind) == set(SEALED_KINDS)
        with container.engine.connect() as conn:
            for table in (at.applications, at.application_documents, t.bureau_reports,
                          t.customers, ct.outbox, ct.contracts):  # fmt: skip
                assert set(conn.execute(select(table.c.key_id)).scalars()) == {"k2"}, table
            query_id, customer_id = conn.execute(
                select(t.bureau_queries.c.id, t.bureau_queries.c.customer_id)
            ).one()
        with TestClient(create_app(container=only_k2)) as fresh:
            headers = as_role(fresh, staff, Role.UNDERWRITER)
            opened = fresh.get(f"/api/v1/applications/{app_id}", headers=headers)
            assert opened.status_code == 200 and opened.json()["parties"][0]["name"] == "张伟"
            document = fresh.get(f"/api/v1/applications/{app_id}/documents/1", headers=headers)
            assert document.status_code == 200 and document.content == png
            url = f"/api/v1/customers/{customer_id}/bureau-reports/{query_id}"
            assert fresh.get(url, headers=headers).status_code == 200
            pdf = fresh.get(f"/api/v1/contracts/{contract_id}/pdf", headers=headers)
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert only_k2.services.verify.run().checks[7].ok  # the contract hashes as registered
        assert only_k2.services.notifications.dispatch().sent == 1
        assert sms.received[-1]["to"] == "13800138000"
    finally:
        both.engine.dispose()
        only_k2.engine.dispose()
