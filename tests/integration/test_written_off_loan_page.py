"""A written-off loan's page says what is true of it, on both databases: its write-off row
shows what was written off (the page and ``GET /loans/{id}/transactions``), nothing is
overdue or due on it and its unpaid installments read "written off", a servicing officer
records a recovery through a form (once, however often it is sent; refused input comes
back as typed); and on a subsidised loan staff read the customer's rate, not "your rate".

The loan is tests/integration/test_loans_api's (the borrower user's own): 12,000.00 at
12 % over 12 months from 2026-01-05, nothing paid; the test clock's day is 2026-11-28, so
installments 1 to 10 have fallen due when it is written off that day.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.schedule import LoanTerms, Subsidy
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_loan_page_forms_and_states import TODAY, form_html, header, inputs
from tests.integration.test_loan_services import SERVICING, START, cny, view
from tests.integration.test_loans_api import (
    as_role,
    loan_id,  # noqa: F401 - fixture
)
from tests.support.loan_pages import done_form, refused_form
from tests.support.write_off import written_off

pytestmark = pytest.mark.integration
PARTS = ("principal", "interest", "penalty", "fees")


def row_html(page: str, kind: str) -> str:
    found = re.search(rf'<tr data-transaction="\d+" data-kind="{kind}".*?</tr>', page, re.S)
    assert found, page[:3000]
    return found.group(0)


def shown(amount: str) -> str:
    """An amount as the page writes it, without its currency sign: 12000.5 -> 12,000.50."""
    return f"{Decimal(amount):,.2f}"


def write_off_entry(client: TestClient, headers: dict[str, str], loan: int) -> dict[str, str]:
    """The ledger's write-off entry: the amount each sub-ledger was credited."""
    ledger = client.get(f"/api/v1/loans/{loan}/ledger", headers=headers).json()["items"]
    (entry,) = [e for e in ledger if e["kind"] == "write_off"]
    return {p["sub_ledger"]: p["amount"] for p in entry["postings"] if p["side"] == "credit"}


def test_the_write_off_row_shows_what_was_written_off_on_the_page_and_in_the_api(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    written_off(container, loan_id, date.fromisoformat(TODAY))
    headers = as_role(client, staff, Role.SERVICING)
    credited = write_off_entry(client, headers, loan_id)
    total = sum((Decimal(amount) for amount in credited.values()), Decimal(0))
    items = client.get(f"/api/v1/loans/{loan_id}/transactions", headers=headers).json()["items"]
    (row,) = [item for item in items if item["kind"] == "write_off"]
    assert row["amount"] == "0.00"  # no cash moved: the field keeps its meaning
    parts = row["written_off"]
    assert parts["amount"] == str(total) == parts["loss"] and parts["advance"] == "0.00"
    assert {name: parts[name] for name in PARTS if parts[name] != "0.00"} == credited
    assert all(item["written_off"] is None for item in items if item["kind"] != "write_off")
    web_sign_in(client, staff, Role.SERVICING)
    page_row = row_html(client.get(f"/loans/{loan_id}").text, "write_off")
    assert shown(str(total)) in page_row and "¥0.00<" not in page_row
    for name, amount in credited.items():
        assert re.search(rf'data-part="{name}">[^<]*{re.escape(shown(amount))}<', page_row)


def test_a_written_off_loan_has_nothing_overdue_or_due_and_its_unpaid_installments_written_off(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    written_off(container, loan_id, date.fromisoformat(TODAY))
    loan = view(container, loan_id)
    assert loan["overdue"] == {"installments": 0, "amount": "0.00"} and loan["next_due"] is None
    assert loan["fees_unpaid"] == {"installments": 0, "amount": "0.00"}
    assert loan["days_past_due"] == 296  # kept as it was: from 2026-02-05 to 2026-11-28
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    head = page.split('data-section="balances"')[0]
    assert "data-overdue=" not in head and "data-next-due=" not in head
    assert 'data-dpd="296"' in head and "· ·" not in header(page)
    statuses = set(re.findall(r'data-installment-status="(\w+)"', page))
    assert statuses == {"written_off"}  # nothing was paid: neither overdue nor future
    assert 'data-schedule-note="written_off"' in page
    listed = client.get("/loans").text
    cell = re.search(rf'data-loan-id="{loan_id}".*?data-overdue="([^"]*)"[^>]*>(.*?)</td>',
                     listed, re.S)  # fmt: skip
    assert cell and cell.group(1) == "0.00" and cell.group(2).endswith("—")


def test_a_paid_off_loan_shows_every_installment_paid_and_nothing_overdue_or_due(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    token = csrf(client.get(f"/loans/{loan_id}").text)
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, date.fromisoformat(TODAY))
    fields = {"csrf_token": token, "idempotency_key": "k-payoff", "amount": quote["total"],
              "value_date": TODAY, "mode": "payoff"}  # fmt: skip
    done_form(client, f"/loans/{loan_id}/prepayments", fields)
    page = client.get(f"/loans/{loan_id}").text
    head = page.split('data-section="balances"')[0]
    assert "data-overdue=" not in head and "data-next-due=" not in head
    assert set(re.findall(r'data-installment-status="(\w+)"', page)) == {"paid"}
    assert 'data-form="recovery"' not in page


def recovery_fields(page: str, **typed: str) -> dict[str, str]:
    fields = inputs(form_html(page, "recovery"))
    return fields | {"channel": "bank_transfer"} | typed


def test_a_recovery_is_recorded_through_the_loan_page_once_even_when_sent_twice(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    assert 'data-form="recovery"' not in client.get(f"/loans/{loan_id}").text  # in repayment
    written_off(container, loan_id, date.fromisoformat(TODAY))
    page = client.get(f"/loans/{loan_id}").text
    assert 'data-section="servicing"' not in page  # no repayment forms, only the recovery
    fields = recovery_fields(page, amount="500.00", reference="COLL-7")
    assert fields["value_date"] == TODAY and fields["idempotency_key"]
    first = done_form(client, f"/loans/{loan_id}/recoveries", fields)
    assert 'data-notice="recovery"' in first.text
    assert 'data-replayed="true"' not in first.text
    assert re.search(r'data-recovered="500.00"', first.text)
    again = done_form(client, f"/loans/{loan_id}/recoveries", fields)
    assert 'data-replayed="true"' in again.text
    headers = as_role(client, staff, Role.SERVICING)
    items = client.get(f"/api/v1/loans/{loan_id}/transactions", headers=headers).json()["items"]
    recoveries = [item for item in items if item["kind"] == "recovery"]
    assert [(r["amount"], r["reference"], r["channel"]) for r in recoveries] == [
        ("500.00", "COLL-7", "bank_transfer")
    ]
    web_sign_in(client, staff, Role.BORROWER)  # the borrower's own loan: no form to post
    assert 'data-form="recovery"' not in client.get(f"/loans/{loan_id}").text


def test_a_refused_recovery_comes_back_as_typed_with_the_field_marked(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    written_off(container, loan_id, date.fromisoformat(TODAY))
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    bad = recovery_fields(page, amount="12,34x", reference="COLL-8", channel="cash")
    _, form = refused_form(client, f"/loans/{loan_id}/recoveries", bad, "recovery")
    assert re.search(r'id="recover-amount"[^>]*value="12,34x"[^>]*aria-invalid="true"', form)
    assert inputs(form)["reference"] == "COLL-8"
    assert re.search(r'<option value="cash" selected>', form)
    early = recovery_fields(page, amount="100.00", value_date="2026-11-27")
    refused, form = refused_form(client, f"/loans/{loan_id}/recoveries", early, "recovery")
    assert 'data-form-error="value_date"' in refused
    assert re.search(r'id="recover-date"[^>]*value="2026-11-27"[^>]*aria-invalid="true"', form)
    kinds = [e["kind"] for e in container.services.loans.transactions(SERVICING, loan_id)]
    assert "recovery" not in kinds


def subsidised_loan(client: TestClient, container: Container, staff: dict[Role, str]) -> int:
    """A loan of the borrower user's own at a 12 % contract rate, the borrower paying 3.5 %
    (the car maker pays the rest)."""
    person = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13800138000"}
    headers = as_role(client, staff, Role.BORROWER)
    made = client.post("/api/v1/customers", json=person, headers=headers)
    assert made.status_code == 201, made.text
    terms = LoanTerms(principal=cny("12000"), annual_rate=Decimal("0.12"), periods=12,
                      start=START, subsidy=Subsidy(Decimal("0.035"), "oem"))  # fmt: skip
    loans = container.services.loans
    request = BookingRequest(terms, cny("12000"), customer_id=made.json()["id"], dealer_id=1)
    loan = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan, DisbursementInput(cny("12000"), START))
    return loan


def test_staff_read_the_customers_rate_of_a_subsidised_loan_and_its_borrower_their_own(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = subsidised_loan(client, container, staff)
    web_sign_in(client, staff, Role.BORROWER)
    assert "您的利率 3.50%" in header(client.get(f"/loans/{loan}").text)
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan}").text
    assert 'data-customer-rate="0.035"' in page and "您的利率" not in header(page)
    client.get("/lang/en")
    english = header(client.get(f"/loans/{loan}").text)
    assert "Customer rate 3.50%" in english and "Your rate" not in english
