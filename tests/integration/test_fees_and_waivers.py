"""Fees and maker-checker fee waivers on both databases: a fee is collected by the
waterfall, a waiver needs a second person, and the ledger invariants hold after every test
(the autouse fixture of test_loan_services). The contract's late fee: test_late_fees."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Actor, Role
from autolend.domain.errors import Conflict, InvalidInput, PermissionDenied
from autolend.services.approvals import WaiverInput
from autolend.services.fees import FeeCharge
from tests.integration.test_loan_services import (
    SERVICING,
    book,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
    pay,
    view,
)
from tests.integration.test_loans_api import as_role, loan_id  # noqa: F401 - fixture
from tests.integration.test_model_risk import web_sign_in

pytestmark = pytest.mark.integration
CHECKER = Actor(user_id=2, username="svc2", roles=(Role.SERVICING,))


def charge(container: Container, loan: int, amount: str, n: int = 1, kind: str = "gps") -> None:
    fee = FeeCharge(kind, cny(amount), n=n, value_date=date(2026, 1, 20))
    container.services.fees.charge_fee(SERVICING, loan, fee)


def ask_waiver(container: Container, loan: int, amount: str) -> int:
    made = container.services.approvals.request_fee_waiver(
        SERVICING, loan, WaiverInput(1, cny(amount), "customer goodwill")
    )
    assert made["status"] == "pending"
    return int(made["id"])


def entry_kinds(container: Container, loan: int) -> list[str]:
    return [e["kind"] for e in container.services.loans.ledger(SERVICING, loan)]


def test_a_fee_is_collected_by_the_waterfall_after_interest(container: Container) -> None:
    loan = book(container)
    charge(container, loan, "30.00")
    assert view(container, loan)["schedule"][0]["fee"] == "30.00"  # type: ignore[index]
    paid = pay(container, loan, "130.00", date(2026, 2, 5))
    allocation = paid["allocation"]
    assert allocation["interest"] == "120.00"  # type: ignore[index]
    assert allocation["fees"] == "10.00"  # type: ignore[index]
    assert allocation["principal"] == "0.00"  # type: ignore[index]
    pay(container, loan, "966.19", date(2026, 2, 5))
    shown = view(container, loan)
    assert shown["schedule"][0]["status"] == "paid"  # type: ignore[index]
    assert shown["balances"]["fees"] == "0.00"  # type: ignore[index]
    assert "fee_charge" in entry_kinds(container, loan)


def test_the_maker_cannot_approve_their_own_waiver(container: Container) -> None:
    loan = book(container)
    charge(container, loan, "30.00")
    request_id = ask_waiver(container, loan, "30.00")
    with pytest.raises(PermissionDenied, match="maker-checker"):
        container.services.approvals.decide(SERVICING, request_id, approve=True)
    pending = container.services.approvals.list_requests(CHECKER, status="pending")
    assert [r["id"] for r in pending] == [request_id]
    assert "fee_waiver" not in entry_kinds(container, loan)


def test_a_waiver_cannot_exceed_the_unpaid_fee(container: Container) -> None:
    loan = book(container)
    charge(container, loan, "30.00")
    with pytest.raises(InvalidInput, match="unpaid fee"):
        ask_waiver(container, loan, "30.01")


def test_a_second_waiver_of_the_same_fee_waits_for_the_first_to_be_decided(
    container: Container,
) -> None:
    """A waiver form sent twice made two requests; the second could only be refused once
    the first was approved, and stayed pending."""
    loan = book(container)
    charge(container, loan, "30.00")
    first = ask_waiver(container, loan, "30.00")
    with pytest.raises(Conflict, match=f"already waiting for approval \\(request no. {first}\\)"):
        ask_waiver(container, loan, "30.00")
    pending = container.services.approvals.list_requests(CHECKER, status="pending")
    assert [r["id"] for r in pending] == [first]
    container.services.approvals.decide(CHECKER, first, approve=False)
    assert ask_waiver(container, loan, "10.00") > first


def test_an_approved_waiver_posts_a_balanced_entry_and_lowers_what_is_owed(
    container: Container,
) -> None:
    loan = book(container)
    charge(container, loan, "30.00")
    request_id = ask_waiver(container, loan, "20.00")
    decided = container.services.approvals.decide(CHECKER, request_id, approve=True).body
    assert decided["status"] == "approved" and decided["checker_user_id"] == CHECKER.user_id
    entries = container.services.loans.ledger(SERVICING, loan)
    waiver = [e for e in entries if e["kind"] == "fee_waiver"]
    assert len(waiver) == 1
    sides = {(p["sub_ledger"], p["side"], p["amount"]) for p in waiver[0]["postings"]}
    assert sides == {(None, "debit", "20.00"), ("fees", "credit", "20.00")}
    assert {p["account"] for p in waiver[0]["postings"] if p["side"] == "debit"} == {"4120"}
    shown = view(container, loan)
    assert shown["schedule"][0]["fee"] == "10.00"  # type: ignore[index]
    assert shown["balances"]["fees"] == "10.00"  # type: ignore[index]
    with pytest.raises(Conflict, match="already approved"):
        container.services.approvals.decide(CHECKER, request_id, approve=False)


def test_a_rejected_waiver_posts_nothing(container: Container) -> None:
    loan = book(container)
    charge(container, loan, "30.00")
    before = entry_kinds(container, loan)
    request_id = ask_waiver(container, loan, "30.00")
    decided = container.services.approvals.decide(CHECKER, request_id, approve=False).body
    assert decided["status"] == "rejected"
    assert entry_kinds(container, loan) == before
    assert view(container, loan)["schedule"][0]["fee"] == "30.00"  # type: ignore[index]


FEE = {"kind": "insurance", "amount": "25.00", "currency": "CNY", "n": 2}


def test_a_borrower_cannot_charge_fees(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    headers = as_role(client, staff, Role.BORROWER) | {"Idempotency-Key": "f-1"}
    answer = client.post(f"/api/v1/loans/{loan_id}/fees", json=FEE, headers=headers)
    assert answer.status_code == 403, answer.text


def test_a_fee_replay_returns_the_first_response(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "f-2"}
    first = client.post(f"/api/v1/loans/{loan_id}/fees", json=FEE, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["fee_kind"] == "insurance" and first.json()["n"] == 2
    again = client.post(f"/api/v1/loans/{loan_id}/fees", json=FEE, headers=headers)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=headers).json()
    assert shown["schedule"][1]["fee"] == "25.00"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"kind": "parking"}, "kind"),
        ({"n": 99}, "n"),
        ({"value_date": "2026-13-01"}, "value_date"),
        ({"value_date": "2026-01-05"}, "value_date"),
    ],
)
def test_bad_fee_input_answers_422_naming_the_field(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
    change: dict[str, object],
    field: str,
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": f"f-{field}"}
    answer = client.post(f"/api/v1/loans/{loan_id}/fees", json=FEE | change, headers=headers)
    assert answer.status_code == 422, answer.text
    assert field in (answer.json()["error"].get("field") or answer.text)
    missing = as_role(client, staff, Role.SERVICING)
    refused = client.post(f"/api/v1/loans/{loan_id}/fees", json=FEE, headers=missing)
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "Idempotency-Key"


def test_a_waiver_goes_through_two_people_over_the_api(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    maker = as_role(client, staff, Role.SERVICING)
    charged = client.post(
        f"/api/v1/loans/{loan_id}/fees", json=FEE, headers=maker | {"Idempotency-Key": "f-3"}
    )
    assert charged.status_code == 201, charged.text
    waiver = {"n": 2, "amount": "25.00", "currency": "CNY", "reason": "insurer refund"}
    made = client.post(f"/api/v1/loans/{loan_id}/fee-waivers", json=waiver, headers=maker)
    assert made.status_code == 201, made.text
    request_id = made.json()["id"]
    listed = client.get("/api/v1/approval-requests?status=pending", headers=maker).json()
    assert [r["id"] for r in listed["items"]] == [request_id]
    path = f"/api/v1/approval-requests/{request_id}/decision"
    same = client.post(path, json={"approve": True}, headers=maker)
    assert same.status_code == 403, same.text
    admin = as_role(client, staff, Role.ADMIN) | {"Idempotency-Key": "decide-1"}
    decided = client.post(path, json={"approve": True}, headers=admin)
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    again = client.post(path, json={"approve": True}, headers=admin)  # a retry: same answer
    assert again.status_code == 200 and again.content == decided.content
    assert again.headers["Idempotent-Replayed"] == "true"
    unkeyed = client.post(path, json={"approve": True}, headers=as_role(client, staff, Role.ADMIN))
    assert unkeyed.status_code == 409  # decided once; without the key it is a second decision
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=maker).json()
    assert shown["schedule"][1]["fee"] == "0.00"


def waiver_rows(container: Container, loan: int) -> list[tuple[str, str | None]]:
    """The loan's fee waivers in its transactions: (amount waived, amount requested)."""
    rows = container.services.loans.transactions(SERVICING, loan)
    return [(t["amount"], t["requested"]) for t in rows if t["kind"] == "fee_waiver"]


def test_a_waiver_left_partly_effective_by_a_backdated_repayment_shows_what_it_waived(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """Installment 1's 30.00 fee was waived in full; the bank's record of 130.00 paid on
    its due date came after: 120.00 interest and 10.00 of the fee, so the replay waives
    the 20.00 left. The transactions (API and page) still said the waiver was 30.00."""
    loan = book(container)
    charge(container, loan, "30.00")
    request_id = ask_waiver(container, loan, "30.00")
    decided = container.services.approvals.decide(CHECKER, request_id, approve=True).body
    assert decided["event"]["amount"] == "30.00"
    assert waiver_rows(container, loan) == [("30.00", "30.00")]
    paid = pay(container, loan, "130.00", date(2026, 2, 5))
    entries = container.services.loans.ledger(SERVICING, loan)
    undone = {e["reverses"] for e in entries if e["reverses"]}
    posted = [e for e in entries if e["kind"] == "fee_waiver" and e["id"] not in undone]
    assert [p["amount"] for p in posted[-1]["postings"]] == ["20.00", "20.00"]  # the ledger
    assert waiver_rows(container, loan) == [("20.00", "30.00")]
    headers = as_role(client, staff, Role.SERVICING)
    items = client.get(f"/api/v1/loans/{loan}/transactions", headers=headers).json()["items"]
    assert [(t["amount"], t["requested"]) for t in items if t["kind"] == "fee_waiver"] == [
        ("20.00", "30.00")
    ]
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/loans/{loan}").text
    row = page.split('data-kind="fee_waiver"')[1].split("</tr>")[0]
    assert "¥20.00" in row and "¥30.00 requested" in row
    # the event keeps what was approved: the repayment taken back, all 30.00 is waived again
    container.services.servicing.reverse_repayment(SERVICING, loan, int(str(paid["id"])), "typo")
    assert waiver_rows(container, loan) == [("30.00", "30.00")]


def test_a_fee_that_would_lift_the_cost_above_the_ceiling_is_refused(
    container: Container,
) -> None:
    """A hand-charged fee of 999,999.00 on a 12,000.00 loan was booked. 12,000.00 over 12
    months at 12 % costs 12.00 % a year (cn_annualised_rate, PBOC [2021] No. 3); 750.00
    on installment 2 lifts it to 23.94 %, under CN's 24 %; 50.00 more would be 24.75 %."""
    loan = book(container)
    before = entry_kinds(container, loan)
    with pytest.raises(InvalidInput, match=r"24\.75 % a year, above the CN ceiling of 24\.00 %"):
        charge(container, loan, "800.00", n=2, kind="other")
    assert entry_kinds(container, loan) == before
    charge(container, loan, "750.00", n=2, kind="other")
    with pytest.raises(InvalidInput) as refused:
        charge(container, loan, "50.00", n=2, kind="other")
    assert refused.value.field == "amount"


def test_a_fee_is_never_dated_before_a_payment_already_posted(container: Container) -> None:
    """A fee backdated before an on-time payment took its amount out of that payment and
    made the borrower late after the fact: refused on ``value_date``. Dated from the
    payment on, and left to the default installment, it goes to the first one still to
    be paid (installment 1 is paid: installment 2)."""
    loan = book(container)
    pay(container, loan, "1066.19", date(2026, 2, 5))
    before = entry_kinds(container, loan)
    with pytest.raises(InvalidInput, match="on or after 2026-02-05, the date of a payment") as no:
        charge(container, loan, "30.00", n=1, kind="other")  # dated 2026-01-20
    assert no.value.field == "value_date"
    assert entry_kinds(container, loan) == before
    fee = FeeCharge("other", cny("30.00"), value_date=date(2026, 2, 5))
    body = container.services.fees.charge_fee(SERVICING, loan, fee).body
    assert body["n"] == 2
    schedule = view(container, loan)["schedule"]
    assert schedule[0]["status"] == "paid"  # type: ignore[index]
    assert schedule[1]["fee"] == "30.00"  # type: ignore[index]
