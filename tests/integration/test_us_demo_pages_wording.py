"""The US demo's pages, walked as its users walk them, speak of the US rules and dollars.

They used to show, under ``AUTOLEND_JURISDICTION=US``: customers' monthly incomes in yuan
("CN¥7,500.00") on the customer list and page; the borrower's home card promising their
"resident ID"; "five-tier classes, IFRS 9 stages" on the home page and the portfolio page, with an
all-zero five-tier table, for a book that takes no five-tier class and provisions under
CECL; and "penalty interest" among what the end of day charges."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import sign_in
from tests.integration.test_demo_us import column, container  # noqa: F401 - fixture

pytestmark = pytest.mark.integration


def _as(client: TestClient, role: Role) -> None:
    sign_in(client, role.value, f"demo-{role.value}")
    client.cookies.set("autolend_lang", "en")


@pytest.mark.usefixtures("container")
def test_the_customer_list_and_page_show_a_us_customers_income_in_dollars(
    client: TestClient,
) -> None:
    _as(client, Role.UNDERWRITER)
    listing = client.get("/customers").text
    assert "$7,500.00" in listing  # Emily Johnson's monthly income
    assert "¥" not in listing and "CNY" not in listing
    first = client.get("/customers/1").text
    assert "$7,500.00" in first and "¥" not in first


def test_the_home_portfolio_and_end_of_day_pages_of_a_us_lender_name_no_cn_rule(
    client: TestClient,
    container: Container,  # noqa: F811 - the fixture
) -> None:
    _as(client, Role.BORROWER)
    home = client.get("/").text
    assert "SSN or ITIN" in home and "resident ID" not in home
    _as(client, Role.RISK)
    home = client.get("/").text
    assert "CECL" in home and "five-tier" not in home and "IFRS 9" not in home
    portfolio = client.get("/portfolio").text
    assert column(container, "SELECT COUNT(*) FROM loans")[0] > 0
    assert "CECL" in portfolio, portfolio[:3000]
    assert "ive-tier" not in portfolio and 'data-table="classes"' not in portfolio
    assert 'data-table="stages"' in portfolio  # the allowance is still shown
    _as(client, Role.SERVICING)
    eod = client.get("/eod").text
    assert "late charges" in eod and "penalty interest" not in eod
