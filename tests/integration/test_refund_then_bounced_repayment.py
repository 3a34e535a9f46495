"""A repayment that bounces after part of it was refunded, on both databases.

The loan: 12,000.00 at 12 % over 12 months from 2026-01-05, due on the 5th (installment
1,066.19: interest 120.00, principal 946.19). On 2026-02-05 the borrower pays 1,500.00:
installment 1 is paid and 433.81 goes to the advance. On 2026-02-10 staff refund 400.00
of it (Dr 2100 suspense 400.00 / Cr 2300 refund payable 400.00), leaving 33.81. Then the
1,500.00 bounces.

Reversing it restated the loan without it: the advance then held 0.00 on 2026-02-10, and
the refund's own check refused the reversal with "the refund exceeds the advance 0.00 on
2026-02-10" on ``amount`` (a reversal has no amount; the page said "check the field
Amount"), and nothing let staff undo the refund. A refund never pays back money that did
not come in, so the reversal is still refused (409, nothing posted), now naming the
refund and the way on; and a refund is reversed like a repayment (the same route and
form): Dr 2300 400.00 / Cr 2100 suspense 400.00, the advance back to 433.81. Then the
repayment reverses: the advance 0.00, installment 1 unpaid, 2300 back to 0.00 for this
loan, every entry netted by its reversal. The ledger invariants hold after every test
(the autouse fixture).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.errors import Conflict, NotFound
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_loan_services import (
    SERVICING,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
    pay,
    view,
)
from tests.integration.test_loans_api import as_role, loan_id, postings  # noqa: F401
from tests.integration.test_prepayment_fees_and_refunds import book, prepay
from tests.support.loan_pages import done_form, form_html
from tests.support.write_off import written_off

pytestmark = pytest.mark.integration
DUE_1, REFUNDED = date(2026, 2, 5), date(2026, 2, 10)


def balances(container: Container, loan: int) -> dict[str, str]:
    shown = view(container, loan)["balances"]
    assert isinstance(shown, dict)
    return shown


def paid_and_refunded(container: Container, loan: int) -> tuple[int, int]:
    """1,500.00 on 2026-02-05 (433.81 to the advance), 400.00 refunded on 2026-02-10."""
    paid = pay(container, loan, "1500.00", DUE_1)
    assert paid["allocation"]["advance"] == "433.81"  # type: ignore[index]
    refund = container.services.servicing.refund_advance(SERVICING, loan, cny("400.00"), REFUNDED)
    return int(paid["id"]), int(refund.body["id"])  # type: ignore[call-overload]


def reverse(container: Container, loan: int, event: int) -> dict[str, object]:
    return container.services.servicing.reverse_repayment(SERVICING, loan, event, "bounced").body


def payable(container: Container, loan: int) -> Decimal:
    """What the loan's entries owe the borrower on 2300 (credits less debits)."""
    total = Decimal(0)
    for entry in container.services.loans.ledger(SERVICING, loan):
        for p in entry["postings"]:
            if p["account"] == "2300":
                sign = 1 if p["side"] == "credit" else -1
                total += sign * Decimal(p["amount"])
    return total


def test_the_bounced_repayment_waits_for_the_refund_it_paid_and_nothing_is_posted(
    container: Container,
) -> None:
    loan = book(container, rule="none")
    paid, refund = paid_and_refunded(container, loan)
    before = postings(container)
    with pytest.raises(Conflict) as refused:
        reverse(container, loan, paid)
    assert refused.value.message == (
        f"refund {refund} (400.00 on 2026-02-10) exceeds the advance without repayment "
        f"{paid} (0.00 held that day): reverse the refund first, then the repayment"
    )
    assert refused.value.field is None  # the request has no amount to blame
    assert refused.value.message_zh == (
        f"没有还款 {paid}，退款 {refund}（2026-02-10，400.00）超过当日预收款余额 0.00："
        "请先冲正该退款，再冲正该还款"
    )
    assert postings(container) == before
    rows = container.services.loans.transactions(SERVICING, loan)
    assert [(r["kind"], r["status"]) for r in rows] == [
        ("repayment", "posted"),
        ("refund", "posted"),
    ]
    assert balances(container, loan)["suspense"] == "33.81"


def test_the_refund_reversed_then_the_repayment_leaves_nothing_owed_back_and_nothing_lost(
    container: Container,
) -> None:
    """After both reversals: advance 0.00 (433.81 - 400.00 + 400.00 - 433.81), 2300 for
    this loan 0.00 (400.00 credited, 400.00 debited back), installment 1 unpaid again."""
    loan = book(container, rule="none")
    paid, refund = paid_and_refunded(container, loan)
    undone = reverse(container, loan, refund)
    assert undone["kind"] == "refund" and undone["status"] == "reversed"
    assert undone["reversal_entry_id"] is not None
    assert balances(container, loan)["suspense"] == "433.81"
    assert payable(container, loan) == 0
    entries = {e["id"]: e for e in container.services.loans.ledger(SERVICING, loan)}
    back = entries[int(undone["reversal_entry_id"])]  # type: ignore[call-overload]
    assert back["reverses"] == undone["entry_id"]
    sides = {(p["account"], p["sub_ledger"], p["side"], p["amount"]) for p in back["postings"]}
    assert sides == {("2300", None, "debit", "400.00"), ("2100", "suspense", "credit", "400.00")}
    bounced = reverse(container, loan, paid)
    assert bounced["status"] == "reversed"
    assert balances(container, loan)["suspense"] == "0.00"
    assert view(container, loan)["schedule"][0]["status"] != "paid"  # type: ignore[index]
    assert payable(container, loan) == 0
    with pytest.raises(Conflict, match="already reversed"):
        reverse(container, loan, refund)


def test_two_refunds_from_the_repayment_are_named_at_once(container: Container) -> None:
    """200.00 on 2026-02-10 and 233.81 on 2026-02-12 take the whole 433.81: without the
    repayment neither stands, and one answer names both."""
    loan = book(container, rule="none")
    paid = int(pay(container, loan, "1500.00", DUE_1)["id"])  # type: ignore[call-overload]
    servicing = container.services.servicing
    first = servicing.refund_advance(SERVICING, loan, cny("200.00"), REFUNDED).body["id"]
    second = servicing.refund_advance(SERVICING, loan, cny("233.81"), date(2026, 2, 12)).body["id"]
    with pytest.raises(Conflict) as refused:
        reverse(container, loan, paid)
    assert refused.value.message == (
        f"refunds {first} (200.00 on 2026-02-10), {second} (233.81 on 2026-02-12) exceed the "
        f"advance without repayment {paid}: reverse those refunds first, then the repayment"
    )
    reverse(container, loan, int(first))
    with pytest.raises(Conflict, match=rf"^refund {second} \(233\.81"):
        reverse(container, loan, paid)
    reverse(container, loan, int(second))
    reverse(container, loan, paid)
    assert balances(container, loan)["suspense"] == "0.00"


def test_a_refund_the_repayment_did_not_pay_for_does_not_hold_it_up(
    container: Container,
) -> None:
    """A refund of 30.00 from an earlier overpayment (1,096.19 on 2026-02-05) stands
    without the later 1,066.19 of 2026-03-05, which reverses at once."""
    loan = book(container, rule="none")
    pay(container, loan, "1096.19", DUE_1)
    container.services.servicing.refund_advance(SERVICING, loan, cny("30.00"), REFUNDED)
    later = int(pay(container, loan, "1066.19", date(2026, 3, 5))["id"])  # type: ignore[call-overload]
    assert reverse(container, loan, later)["status"] == "reversed"
    assert balances(container, loan)["suspense"] == "0.00"


def test_a_refund_after_a_payoff_is_reversed_and_the_loan_stays_paid_off(
    container: Container,
) -> None:
    loan = book(container, rule="none")
    day = date(2026, 1, 20)
    quote = container.services.loans.payoff_quote(SERVICING, loan, day)
    prepay(container, loan, quote["total"], day, mode="payoff")
    pay(container, loan, "100.00", date(2026, 1, 25))  # a late transfer: to the advance
    refund = container.services.servicing.refund_advance(
        SERVICING, loan, cny("100.00"), date(2026, 1, 26)
    )
    assert reverse(container, loan, int(refund.body["id"]))["status"] == "reversed"
    assert view(container, loan)["status"] == "paid_off"
    assert balances(container, loan)["suspense"] == "100.00"


def test_a_written_off_loans_refund_is_not_reversed(container: Container) -> None:
    """The write-off took what the advance held; what came before it was written off."""
    loan = book(container, rule="none")
    _paid, refund = paid_and_refunded(container, loan)
    written_off(container, loan, date(2026, 11, 28))
    with pytest.raises(Conflict) as refused:
        reverse(container, loan, refund)
    assert refused.value.message == "a written-off loan's refunds cannot be reversed"
    assert refused.value.message_zh == "已核销贷款的退款不能冲正"
    with pytest.raises(NotFound, match="recovery not found"):
        reverse(container, loan, 999)


def test_the_api_names_the_refund_then_reverses_it_and_the_repayment(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid, refund = paid_and_refunded(container, loan_id)
    url = f"/api/v1/loans/{loan_id}/repayments/{{}}/reversal"
    signed = as_role(client, staff, Role.SERVICING)
    reason = {"reason": "the transfer bounced"}
    refused = client.post(url.format(paid), json=reason, headers=signed | {"Idempotency-Key": "v1"})
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["message"].startswith(f"refund {refund} (400.00 on 2026-02-10) exceeds")
    assert error.get("field") is None
    borrower = as_role(client, staff, Role.BORROWER) | {"Idempotency-Key": "v2"}
    assert client.post(url.format(refund), json=reason, headers=borrower).status_code == 403
    undone = client.post(
        url.format(refund), json=reason, headers=signed | {"Idempotency-Key": "v3"}
    )
    assert undone.status_code == 200, undone.text
    assert undone.json()["kind"] == "refund" and undone.json()["status"] == "reversed"
    again = client.post(url.format(refund), json=reason, headers=signed | {"Idempotency-Key": "v3"})
    assert again.json() == undone.json() and again.headers.get("Idempotent-Replayed") == "true"
    done = client.post(url.format(paid), json=reason, headers=signed | {"Idempotency-Key": "v4"})
    assert done.status_code == 200, done.text
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=signed).json()
    assert shown["balances"]["suspense"] == "0.00"
    assert shown["schedule"][0]["status"] != "paid"


def test_the_loan_page_offers_the_refund_and_says_why_the_repayment_waits(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid, refund = paid_and_refunded(container, loan_id)
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/loans/{loan_id}").text
    form = form_html(page, "reversal")
    assert "<h2>Reverse a repayment or refund</h2>" in form
    assert "Repayment or refund to reverse" in form
    offered = re.findall(r'<option value="(\d+)" data-event-kind="(\w+)"', form)
    assert offered == [(str(refund), "refund"), (str(paid), "repayment")]
    data = {"csrf_token": csrf(page), "reason": "bounced"}
    refused = client.post(f"/loans/{loan_id}/reversals",
                          data=data | {"idempotency_key": "w1", "event_id": str(paid)})  # fmt: skip
    assert refused.status_code == 422
    banner = re.search(r'<div class="alert alert--error" role="alert"[^>]*>(.*?)</div>',
                       refused.text, re.S)  # fmt: skip
    assert banner, refused.text[:3000]
    assert 'data-form-error=""' in refused.text  # no field blamed: not "Amount"
    assert f"refund {refund} (400.00 on 2026-02-10) exceeds the advance" in banner.group(1)
    chosen = data | {"idempotency_key": "w2", "event_id": str(refund)}
    undone = done_form(client, f"/loans/{loan_id}/reversals", chosen)
    assert 'data-reversed-kind="refund"' in undone.text
    assert f"The refund no. {refund} was reversed" in undone.text
    client.cookies.set("autolend_lang", "zh_CN")
    zh = client.get(f"/loans/{loan_id}").text
    assert "<h2>冲正一笔还款</h2>" in form_html(zh, "reversal")  # the refund is reversed
