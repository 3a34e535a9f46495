"""The loan servicing API on both databases: reads by role, repayments with idempotency
keys (R3: same key, other body refused), bad input (S9), and R2 on PostgreSQL."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.idempotency import IdempotencyRequest, request_hash
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_services import SERVICING, START

pytestmark = pytest.mark.integration
PAYMENT = {
    "amount": "1066.19",
    "currency": "CNY",
    "value_date": "2026-02-05",
    "channel": "bank_transfer",
    "reference": "BANK-1",
}


def sign_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def as_role(client: TestClient, staff: dict[Role, str], role: Role) -> dict[str, str]:
    return sign_in(client, role.value, staff[role])


@pytest.fixture
def loan_id(client: TestClient, container: Container, staff: dict[Role, str]) -> int:
    """A disbursed loan of the borrower user's own customer profile, sold by dealer D001."""
    person = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13800138000"}
    made = client.post(
        "/api/v1/customers", json=person, headers=as_role(client, staff, Role.BORROWER)
    )
    assert made.status_code == 201, made.text
    terms = LoanTerms(
        principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"), periods=12, start=START
    )
    loans = container.services.loans
    booked = loans.book(
        SERVICING,
        BookingRequest(
            terms, Money.parse("12000", "CNY"), customer_id=made.json()["id"], dealer_id=1
        ),
    )
    loans.disburse(SERVICING, booked, DisbursementInput(Money.parse("12000", "CNY")))
    return booked


def postings(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.postings)).scalar_one())


def test_the_next_installment_says_what_is_left_to_pay_after_the_advance_held(
    client: TestClient, staff: dict[Role, str], loan_id: int
) -> None:
    """1,500.00 on the first due date pays its 1,066.19 and leaves 433.81 in the advance,
    which pays installment 2 on its due date: 1,066.19 due, 632.38 left to pay. The page
    said 1,066.19 alone, so a borrower would pay 433.81 too much."""
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "k-adv"}
    paid = client.post(f"/api/v1/loans/{loan_id}/repayments", json=PAYMENT | {"amount": "1500.00"},
                       headers=headers)  # fmt: skip
    assert paid.status_code == 201, paid.text
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=headers).json()
    assert shown["balances"]["suspense"] == "433.81"
    assert shown["next_due"] == {"n": 2, "due_date": "2026-03-05", "amount": "1066.19",
                                 "to_pay": "632.38"}  # fmt: skip
    web_sign_in(client, staff, Role.BORROWER)
    page = client.get(f"/loans/{loan_id}").text
    assert 'data-next-to-pay="632.38"' in page


def test_a_repayment_is_allocated_and_a_replay_returns_the_first_response(
    client: TestClient, staff: dict[Role, str], loan_id: int
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "k-1"}
    first = client.post(f"/api/v1/loans/{loan_id}/repayments", json=PAYMENT, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["allocation"]["principal"] == "946.19"
    again = client.post(f"/api/v1/loans/{loan_id}/repayments", json=PAYMENT, headers=headers)
    assert again.status_code == 201 and again.json() == first.json()
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=headers).json()
    assert shown["schedule"][0]["status"] == "paid"
    assert shown["next_due"]["n"] == 2
    items = client.get(f"/api/v1/loans/{loan_id}/transactions", headers=headers).json()["items"]
    assert len(items) == 1
    ledger = client.get(f"/api/v1/loans/{loan_id}/ledger", headers=headers).json()["items"]
    assert {e["kind"] for e in ledger} >= {"disbursement", "repayment", "accrual_interest"}
    listed = client.get("/api/v1/loans?status=active&limit=5", headers=headers).json()["items"]
    assert [loan["id"] for loan in listed] == [loan_id]


def test_the_same_key_with_another_body_is_refused_every_time_and_posts_nothing(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "k-2"}
    assert client.post(f"/api/v1/loans/{loan_id}/repayments", json=PAYMENT, headers=headers)
    before = postings(container)
    for amount in ("1.00", "2.00", "1066.18"):
        other = PAYMENT | {"amount": amount}
        refused = client.post(f"/api/v1/loans/{loan_id}/repayments", json=other, headers=headers)
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "idempotency_key_reused"
        assert "Idempotency-Key" in refused.json()["error"]["message_zh"]  # in both languages
    assert postings(container) == before


def test_a_money_moving_post_without_an_idempotency_key_is_refused(
    client: TestClient, staff: dict[Role, str], loan_id: int
) -> None:
    headers = as_role(client, staff, Role.SERVICING)
    refused = client.post(f"/api/v1/loans/{loan_id}/repayments", json=PAYMENT, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-5.00"}, "amount"),
        ({"currency": "USD"}, "currency"),
        ({"value_date": "2026-02-30"}, "value_date"),
        ({"surprise": "1"}, "surprise"),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_posts_nothing(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,
    change: dict[str, str],
    field: str,
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": f"bad-{field}"}
    before = postings(container)
    answer = client.post(
        f"/api/v1/loans/{loan_id}/repayments", json=PAYMENT | change, headers=headers
    )
    assert answer.status_code == 422, answer.text
    assert field in (answer.json()["error"].get("field") or answer.text)
    assert postings(container) == before


def test_roles_and_ownership_decide_who_sees_and_who_posts(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int
) -> None:
    url = f"/api/v1/loans/{loan_id}"
    assert client.get(url).status_code == 401
    for role in (Role.BORROWER, Role.DEALER, Role.AUDITOR, Role.SERVICING):
        assert client.get(url, headers=as_role(client, staff, role)).status_code == 200, role
    borrower = as_role(client, staff, Role.BORROWER) | {"Idempotency-Key": "b-1"}
    assert client.post(f"{url}/repayments", json=PAYMENT, headers=borrower).status_code == 403
    container.services.users.create(
        SYSTEM_ACTOR, username="other", password="pw-other-long", roles=["borrower"]
    )
    other = sign_in(client, "other", "pw-other-long")
    assert client.get(url, headers=other).status_code == 404
    assert client.get(f"{url}/ledger", headers=other).status_code == 404
    assert client.get("/api/v1/loans", headers=other).json()["items"] == []


def test_reversal_payoff_quote_and_payoff_through_the_api(
    client: TestClient, staff: dict[Role, str], loan_id: int
) -> None:
    servicing = as_role(client, staff, Role.SERVICING)
    url = f"/api/v1/loans/{loan_id}"
    paid = client.post(
        f"{url}/repayments", json=PAYMENT, headers=servicing | {"Idempotency-Key": "p-1"}
    ).json()
    reversal = client.post(
        f"{url}/repayments/{paid['id']}/reversal",
        json={"reason": "bounced"},
        headers=servicing | {"Idempotency-Key": "r-1"},
    )
    assert reversal.status_code == 200 and reversal.json()["status"] == "reversed"
    twice = client.post(
        f"{url}/repayments/{paid['id']}/reversal",
        json={"reason": "bounced"},
        headers=servicing | {"Idempotency-Key": "r-2"},
    )
    assert twice.status_code == 409
    assert twice.json()["error"]["message"] == "the repayment is already reversed"
    quote = client.get(f"{url}/payoff-quote?date=2026-02-20", headers=servicing).json()
    payoff = PAYMENT | {"amount": quote["total"], "value_date": "2026-02-20", "mode": "payoff"}
    done = client.post(
        f"{url}/prepayments", json=payoff, headers=servicing | {"Idempotency-Key": "po-1"}
    )
    assert done.status_code == 201, done.text
    assert client.get(url, headers=servicing).json()["status"] == "paid_off"


@pytest.mark.parametrize("db_backend", ["postgresql"])
def test_concurrent_identical_repayments_post_exactly_once_r2(
    container: Container, loan_id: int
) -> None:
    trials = int(os.environ.get("AUTOLEND_R2_TRIALS", "3"))
    servicing = container.services.servicing
    started = time.perf_counter()
    for trial in range(trials):
        data = MoneyIn(Money.parse("10.00", "CNY"), date(2026, 2, 5), "bank_transfer", "r2")
        idem = IdempotencyRequest(
            f"r2-{trial}", SERVICING.user_id, "POST r2", request_hash({"trial": trial})
        )
        with ThreadPoolExecutor(max_workers=100) as pool:
            results = list(
                pool.map(
                    lambda _, d=data, k=idem: servicing.post_repayment(SERVICING, loan_id, d, k),
                    range(100),
                )
            )
        assert len({str(r.body) for r in results}) == 1
        assert sum(not r.replayed for r in results) == 1
    events = container.services.loans.transactions(SERVICING, loan_id)
    assert len(events) == trials
    print(
        f"R2: {trials} trials x 100 concurrent requests, 1 posting each, "
        f"{time.perf_counter() - started:.1f} s"
    )
