"""The late fee a contract charges by itself is in the loan's transactions, and the schedule
says what penalty was paid apart from its Paid column. Both databases.

The contract's late fee (CN standard: 50.00 once on an installment still unpaid 15 days
after its due date) is charged by the servicing replay, in the ledger only: the borrower
saw a fee owed and no transaction that charged it. Now the transactions list (API and
page) shows it on the day it was charged, among the events in date order, as charged
under the contract (no event number, nothing to reverse); one the replay took away again
(a backdated repayment paid the installment in time) is not shown.

The schedule's Paid column counts principal, interest and fees per installment; penalty
(US: overdue interest) is owed by the loan, so a loan that paid some did not add up to the
money received: a note under the schedule now says how much was paid, only when some was.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_eod_runner import pay
from tests.integration.test_late_fees import LATE_FEE, paid_out
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_overdue_interest_labels import late_loan

pytestmark = pytest.mark.integration

CHARGED = date(2026, 2, 20)  # installment 1, due 2026-02-05, still unpaid 15 days later


def late_loan_with_fee(container: Container) -> int:
    """12,000.00 at 12 % from 2026-01-05 with the 50.00 late fee; 500.00 paid on Feb 10
    and 100.00 on Feb 20 itself (too late: the day's fee comes first); accrued to Feb 25."""
    loan = paid_out(container, late_fee=LATE_FEE)
    pay(container, loan, "500.00", date(2026, 2, 10))
    pay(container, loan, "100.00", CHARGED)
    container.services.servicing.accrue_loan(SERVICING, loan, date(2026, 2, 25))
    return loan


def api_rows(client: TestClient, staff: dict[Role, str], loan: int) -> list[dict[str, Any]]:
    answer = client.get(
        f"/api/v1/loans/{loan}/transactions", headers=as_role(client, staff, Role.SERVICING)
    )
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert isinstance(items, list)
    return items


def page(client: TestClient, staff: dict[Role, str], loan: int, lang: str) -> str:
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", lang)
    answer = client.get(f"/loans/{loan}")
    assert answer.status_code == 200, answer.text[:2000]
    return str(answer.text)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def contract_rows(html: str) -> list[list[str]]:
    """The transactions table's rows of fees the contract charged: their cells' text."""
    table = html.split('data-table="transactions"')[1].split("</table>", maxsplit=1)[0]
    rows = re.findall(r"<tr data-contract-fee=.*?</tr>", table, re.S)
    return [[text_of(cell) for cell in re.findall(r"<td.*?</td>", row, re.S)] for row in rows]


def test_the_late_fee_the_contract_charged_is_a_transaction_on_its_day_among_the_events(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = late_loan_with_fee(container)

    rows = api_rows(client, staff, loan)

    assert [(r["source"], r["kind"], r["value_date"], r["amount"]) for r in rows] == [
        ("event", "repayment", "2026-02-10", "500.00"),
        ("contract", "fee", "2026-02-20", "50.00"),  # before the day's repayment
        ("event", "repayment", "2026-02-20", "100.00"),
    ]
    fee = rows[1]
    assert (fee["id"], fee["fee_kind"], fee["n"], fee["status"]) == (None, "late_fee", 1, "posted")
    ledger = container.services.loans.ledger(SERVICING, loan)
    stating = [e["id"] for e in ledger if e["fact"] == "lf:2026-02-20" and not e["reverses"]]
    assert [fee["entry_id"]] == stating
    assert {r["id"] for r in rows if r["source"] == "event"} == {rows[0]["id"], rows[2]["id"]}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Fee charged Late fee on installment 1, charged under the contract"),
        ("zh_CN", "收取费用 第 1 期逾期违约金，按合同收取"),
    ],
)
def test_the_loan_page_lists_the_contracts_late_fee_as_charged_by_it_without_a_number(
    client: TestClient, container: Container, staff: dict[Role, str], lang: str, words: str
) -> None:
    loan = late_loan_with_fee(container)

    html = page(client, staff, loan, lang)

    [cells] = contract_rows(html)
    number, kind, day, amount = cells[:4]
    assert number.endswith("—") and kind.endswith(words)  # no event number
    assert day.endswith("2026-02-20") and amount.endswith("¥50.00")
    table = html.split('data-table="transactions"')[1].split("</table>")[0]
    sources = re.findall(r'<tr data-[^>]* data-source="(\w+)">', table)
    assert sources == ["event", "contract", "event"]
    assert '<option value="None"' not in html  # nothing to reverse


def test_a_us_loans_late_charge_is_listed_as_charged_by_the_contract(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    amount = Money.parse("12000", "USD")
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.12"), periods=12,
                      start=date(2026, 1, 5))  # fmt: skip
    request = BookingRequest(terms, amount, pack_code="US",
                             late_fee={"amount": "25.00", "after_days": 10})  # fmt: skip
    loans = container.services.loans
    loan = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan, DisbursementInput(amount, terms.start))
    container.services.servicing.accrue_loan(SERVICING, loan, date(2026, 2, 20))

    rows = api_rows(client, staff, loan)

    assert [(r["source"], r["value_date"], r["amount"], r["currency"], r["n"]) for r in rows] == [
        ("contract", "2026-02-15", "25.00", "USD", 1)  # Feb 5 + 10 days
    ]
    [cells] = contract_rows(page(client, staff, loan, "en"))
    assert cells[3].endswith("$25.00")


def test_a_backdated_repayment_that_paid_the_installment_in_time_takes_the_row_away(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = paid_out(container, late_fee=LATE_FEE)
    container.services.servicing.accrue_loan(SERVICING, loan, date(2026, 2, 25))
    assert [r["value_date"] for r in api_rows(client, staff, loan)] == ["2026-02-20"]

    pay(container, loan, "1066.19", date(2026, 2, 5))  # learnt of after its fee

    rows = api_rows(client, staff, loan)
    assert [(r["source"], r["kind"]) for r in rows] == [("event", "repayment")]
    assert contract_rows(page(client, staff, loan, "en")) == []


def penalty_note(html: str) -> str | None:
    found = re.search(r'<p [^>]*data-schedule-note="penalty_paid"[^>]*>(.*?)</p>', html, re.S)
    return found.group(0) if found else None


@pytest.mark.parametrize(
    ("currency", "lang", "words"),
    [
        ("CNY", "en", "Penalty paid: ¥{}. It is owed by the loan, not by any installment, "
         "so the Paid column does not include it."),
        ("CNY", "zh_CN", "已还罚息 ¥{}，按整笔贷款计收、不属于任何一期，未计入“已还”列。"),
        ("USD", "en", "Overdue interest paid: ${}."),
    ],
)  # fmt: skip
def test_the_schedule_says_how_much_penalty_was_paid_apart_from_its_paid_column(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    currency: str,
    lang: str,
    words: str,
) -> None:
    loan = late_loan(client, container, staff, currency)
    rows = api_rows(client, staff, loan)
    paid = sum(Decimal(r["allocation"]["penalty"]) for r in rows if r["allocation"])
    assert paid > 0

    note = penalty_note(page(client, staff, loan, lang))

    assert note is not None and f'data-penalty-paid="{paid}"' in note
    assert words.format(paid) in text_of(note)
    assert container.services.loans.get(SERVICING, loan)["penalty_paid"] == str(paid)


def test_the_schedule_says_nothing_of_penalty_on_a_loan_that_paid_none(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = paid_out(container, late_fee=LATE_FEE)  # nothing paid: penalty accrues, unpaid
    container.services.servicing.accrue_loan(SERVICING, loan, date(2026, 2, 25))
    view = container.services.loans.get(SERVICING, loan)
    assert Decimal(view["balances"]["penalty"]) > 0 and view["penalty_paid"] == "0.00"

    assert penalty_note(page(client, staff, loan, "en")) is None
