"""The home page shows each role the chart of its own work, on both databases: a dealer its
applications by status, an underwriter every application and how many wait for a person,
servicing the newest portfolio snapshot by days past due; and the demo's applications."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.auth import actor_of
from autolend.services.demo_applications import DEMO_PEOPLE, seed_demo_applications
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_application_pages import file_through_the_form, post, web_sign_in
from tests.integration.test_loan_services import SERVICING, START
from tests.integration.test_loans_api import as_role, loan_id  # noqa: F401 - fixture
from tests.support.origination import install

pytestmark = pytest.mark.integration


def chart(page: str) -> tuple[str, dict[str, int]]:
    """The home chart's kind and its bars (label -> value)."""
    kind = re.search(r'data-chart-kind="([a-z]+)"', page)
    option = re.search(r'<script type="application/json" id="home-chart">(.*?)</script>', page)
    assert kind and option, page[:3000]
    found: dict[str, Any] = json.loads(option.group(1))
    labels, values = found["yAxis"]["data"], found["series"][0]["data"]
    return kind.group(1), dict(zip(labels, values, strict=True))


def facts(page: str) -> str:
    match = re.search(r"data-chart-facts>(.*?)<", page, re.S)
    assert match, page[:3000]
    return " ".join(match.group(1).split())


def test_a_dealer_sees_its_applications_by_status_and_an_underwriter_what_waits(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    install(container, None)
    web_sign_in(client, staff, Role.DEALER)
    assert "data-chart-empty" in client.get("/").text
    first = file_through_the_form(client)
    file_through_the_form(client)
    # No bureau and no model here: the decision refers the case to a person.
    assert post(client, f"/applications/{first}/submit").status_code == 303
    home = client.get("/").text
    assert chart(home) == ("applications", {"草稿": 1, "转人工审核": 1})
    assert facts(home) == "您可查看的申请共 2 笔，其中 1 笔等待人工审批。"
    assert 'data-shortcut="new-application"' in home and 'data-shortcut="review"' not in home
    web_sign_in(client, staff, Role.UNDERWRITER)
    home = client.get("/").text
    assert chart(home)[0] == "applications"
    assert 'data-shortcut="review"' in home


def test_servicing_sees_the_newest_portfolio_snapshot_by_days_past_due(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    assert chart(client.get("/").text)[0] == "permissions"  # no snapshot yet
    amount = Money.parse("12000", "CNY")
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.12"), periods=12, start=START)
    loans = container.services.loans
    booked = loans.book(SERVICING, BookingRequest(terms, amount))
    loans.disburse(SERVICING, booked, DisbursementInput(amount))
    container.services.portfolio.snapshot(SYSTEM_ACTOR, date(2026, 1, 31))
    home = client.get("/").text
    kind, bars = chart(home)
    assert kind == "portfolio" and sum(bars.values()) == 1
    assert 'href="/loans?overdue=1"' in home
    assert facts(home).startswith("2026-01-31 资产组合快照：共 1 笔贷款，余额 ¥12,000.00")


def test_a_borrower_sees_what_is_due_next_on_their_loan_and_no_permission_codes(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    """The loan of tests/integration/test_loans_api: 12,000.00 at 12 % over 12 months from
    2026-01-05, first due 2026-02-05. Its installment is 1,066.19 (12,000 x 0.01 /
    (1 - 1.01^-12) = 1,066.185..., rounded half up), so that is what is due next."""
    web_sign_in(client, staff, Role.BORROWER)
    home = client.get("/").text
    row = re.search(rf'<tr data-loan-id="{loan_id}">(.*?)</tr>', home, re.S)
    assert row, home[:3000]
    assert "2026-02-05" in row.group(1) and "¥1,066.19" in row.group(1)
    assert "¥12,000.00" in row.group(1)  # outstanding: nothing repaid yet
    assert "application:create" not in home  # the permission codes are for staff
    # The menu speaks to the borrower of their own records.
    assert re.search(r'data-nav="customers"[^>]*>我的资料<', home)
    assert re.search(r'data-nav="loans"[^>]*>我的贷款<', home)
    # ... and so do the shortcuts (not "look up customers").
    assert "贷款机构保存的您的姓名" in home and "为本人申请车贷。" in home
    assert "查询客户" not in home
    web_sign_in(client, staff, Role.SERVICING)
    staff_home = client.get("/").text
    assert 'data-section="my-loans"' not in staff_home and "loan:read_all" in staff_home
    assert re.search(r'data-nav="loans"[^>]*>贷款<', staff_home)


def test_a_borrower_reads_the_products_name_not_its_code(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    install(container, None)  # the demo catalogue: STD_NEW is the standard new car loan
    person = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13800138000"}
    borrower = as_role(client, staff, Role.BORROWER)
    made = client.post("/api/v1/customers", json=person, headers=borrower)
    amount = Money.parse("12000", "CNY")
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.06"), periods=12, start=START)
    loans = container.services.loans
    request = BookingRequest(terms, amount, customer_id=made.json()["id"], product_code="STD_NEW")
    booked = loans.book(SERVICING, request)
    loans.disburse(SERVICING, booked, DisbursementInput(amount))
    web_sign_in(client, staff, Role.BORROWER)
    assert "标准新车贷" in client.get("/").text
    header = client.get(f"/loans/{booked}").text.split('data-section="schedule"')[0]
    # the borrower reads the name alone; staff see the code beside it
    assert "标准新车贷" in header and ">STD_NEW<" not in header
    row = client.get("/loans").text.split(f'href="/loans/{booked}"')[1].split("</tr>")[0]
    assert "标准新车贷" in row and ">STD_NEW<" not in row
    web_sign_in(client, staff, Role.SERVICING)
    row = client.get("/loans").text.split(f'href="/loans/{booked}"')[1].split("</tr>")[0]
    assert re.search(r"标准新车贷 <span[^>]*>STD_NEW</span>", row), row


def test_the_demo_files_its_applications_once_and_each_is_decided(
    container: Container, staff: dict[Role, str]
) -> None:
    """The demo dealer is user ``dealer`` of dealer D001 (the staff fixture's dealer)."""
    install(container, None)
    services = container.services
    assert seed_demo_applications(services, container.uow) == len(DEMO_PEOPLE)
    assert seed_demo_applications(services, container.uow) == 0  # once
    with container.uow() as uow:
        user = uow.users.by_username("dealer")
    assert user is not None
    counts = services.applications.status_counts(actor_of(user))
    # No bureau and no model here: every case goes to a person, none stays a draft, but
    # for the one whose declared debts leave no affordable structure (declined).
    assert counts == {"referred": len(DEMO_PEOPLE) - 1, "declined": 1}
