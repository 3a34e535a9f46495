"""A US lender's English pages write dates the American way, on both databases. Every
date a US borrower or lender read was ISO, ``2026-02-05``; under the US pack an English
page now writes ``02/05/2026`` (MM/DD/YYYY, as US disclosures do) and an instant on the
12-hour clock, ``11/28/2026 5:30 PM``. A CN lender's English page, and any page in
Chinese, keep ISO; a date input keeps ISO whatever the page (browsers require it)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role
from tests.support.jurisdiction import jurisdiction_container  # noqa: F401 - the container

pytestmark = pytest.mark.integration

START, PAID = date(2026, 1, 5), date(2026, 2, 5)
US_PERSON = {"name": "John Smith", "id_number": "123-45-6788", "phone": "6145550100",
             "pack_code": "US"}  # fmt: skip


def paid_once(client: TestClient, container: Container, staff: dict[Role, str]) -> int:
    """A borrower's 12,000.00 USD over 12 months from 2026-01-05 (due on the 5th), the
    first installment paid on its due date, 2026-02-05."""
    made = client.post("/api/v1/customers", json=US_PERSON,
                       headers=as_role(client, staff, Role.BORROWER))  # fmt: skip
    assert made.status_code == 201, made.text
    amount = Money.parse("12000", "USD")
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.073"), periods=12, start=START)
    request = BookingRequest(terms, amount, customer_id=made.json()["id"], pack_code="US")
    loans, servicing = container.services.loans, container.services.servicing
    loan = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan, DisbursementInput(amount, START))
    servicing.accrue_loan(SERVICING, loan, PAID)
    servicing.post_repayment(SERVICING, loan, MoneyIn(Money.parse("1100", "USD"), PAID, "ach"))
    return loan


def loan_page(client: TestClient, staff: dict[Role, str], loan: int, lang: str) -> str:
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", lang)
    answer = client.get(f"/loans/{loan}")
    assert answer.status_code == 200, answer.text[:2000]
    return str(answer.text)


def schedule_dates(page: str) -> list[str]:
    rows = re.findall(r'<tr data-installment="\d+">\s*<td class="mono">\d+</td>\s*'
                      r'<td class="nowrap">([^<]*)</td>', page)  # fmt: skip
    assert len(rows) == 12, page[:3000]
    return rows


def repayment_date(page: str) -> str:
    row = page.split('data-kind="repayment"')[1].split("</tr>", maxsplit=1)[0]
    cell = r'<td class="nowrap">(?:<span class="cell-label">[^<]*</span>)?(\d[^<]*)</td>'
    found = re.search(cell, row)
    assert found, row
    return found.group(1)


def date_inputs(page: str) -> list[str]:
    return re.findall(r'<input id="[a-z-]+-date"[^>]* type="date" value="([^"]*)"', page)


@pytest.mark.parametrize("container", ["US"], indirect=True)
def test_a_us_lenders_loan_page_writes_month_day_year_in_english_and_iso_in_chinese(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = paid_once(client, container, staff)
    page = loan_page(client, staff, loan, "en")
    dates = schedule_dates(page)
    assert dates[:2] == ["02/05/2026", "03/05/2026"] and dates[-1] == "01/05/2027"
    assert repayment_date(page) == "02/05/2026"
    assert '<span class="nowrap" data-day="2026-01-05">01/05/2026</span>' in page  # "Started"
    assert date_inputs(page) and all(re.fullmatch(r"\d{4}-\d\d-\d\d", v) for v in date_inputs(page))
    chinese = loan_page(client, staff, loan, "zh_CN")
    assert schedule_dates(chinese)[:2] == ["2026-02-05", "2026-03-05"]
    assert repayment_date(chinese) == "2026-02-05" and "02/05/2026" not in chinese


@pytest.mark.parametrize("container", ["US"], indirect=True)
def test_a_us_lenders_customer_page_in_english_shows_instants_on_the_12_hour_clock(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """Registered at the tests' 09:30 UTC, 17:30 in the lender's zone (Asia/Shanghai: the
    settings name it): 5:30 PM in English, as before in Chinese; its loan started
    01/05/2026."""
    loan = paid_once(client, container, staff)
    customer = container.services.loans.get(SERVICING, loan)["customer_id"]
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    shown = client.get(f"/customers/{customer}").text
    assert "<dd>11/28/2026 5:30 PM</dd>" in shown
    assert "01/05/2026</td>" in shown and "2026-01-05</td>" not in shown
    client.cookies.set("autolend_lang", "zh_CN")
    assert "<dd>2026年11月28日 17:30:00</dd>" in client.get(f"/customers/{customer}").text


def test_a_cn_lenders_english_loan_page_keeps_iso_dates(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """A guard: the US style follows the lender's pack, not the loan's currency."""
    loan = paid_once(client, container, staff)
    page = loan_page(client, staff, loan, "en")
    assert schedule_dates(page)[:2] == ["2026-02-05", "2026-03-05"]
    assert repayment_date(page) == "2026-02-05"
    assert "02/05/2026" not in page
