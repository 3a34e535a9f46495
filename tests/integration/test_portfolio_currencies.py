"""A book holding CNY and USD loans never adds the two currencies up, on both databases:
the portfolio overview, its page and the home page show each currency's total in its own
currency, the CNY one (the book's main currency: the most loans) without the USD loan,
and the charts, tables and roll rates are the CNY loans', saying the USD loan is left out.

Two CNY loans of 10,000.00 and one USD loan of 12,000.00 from 2026-01-05, nothing paid:
on Feb 28 CNY 20,000.00 (2 loans) and USD 12,000.00 (1 loan) outstanding; the sum that
was shown before, "CN¥32,000.00", appears nowhere."""

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
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_portfolio import (
    FEB_END,
    RISK,
    SERVICING,
    START,
    book,
    chart_option,
    web_sign_in,
)

pytestmark = pytest.mark.integration

JAN_END = date(2026, 1, 31)


def usd_loan(container: Container) -> int:
    """12,000.00 USD at 7.3 % over 12 months from 2026-01-05 under the US pack, paid out."""
    principal = Money.parse("12000.00", "USD")
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.073"), periods=12,
                      start=START)  # fmt: skip
    loans = container.services.loans
    request = BookingRequest(terms=terms, approved=principal, pack_code="US")
    loan_id = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan_id, DisbursementInput(principal, START))
    return loan_id


def mixed_book(container: Container) -> None:
    book(container), book(container), usd_loan(container)
    for day in (JAN_END, FEB_END):
        container.services.portfolio.snapshot(SERVICING, day)


def test_the_overview_holds_one_total_per_currency_and_its_figures_are_the_main_ones(
    container: Container,
) -> None:
    mixed_book(container)
    view = container.services.portfolio.overview(RISK)
    totals = [(t.currency, t.loans, t.balance_minor) for t in view.totals]
    assert totals == [("CNY", 2, 2_000_000), ("USD", 1, 1_200_000)]
    assert (view.currency, view.loans, view.balance_minor) == ("CNY", 2, 2_000_000)
    assert [t.currency for t in view.left_out] == ["USD"]
    assert sum(line.balance_minor for line in view.buckets) == 2_000_000
    assert sum(s.balance_minor for s in view.stages) == 2_000_000
    assert sum(view.rolls[0].matrix.balance) == 2_000_000  # Jan 31 -> Feb 28, CNY only


def line(page: str, currency: str) -> str:
    found = re.search(rf'<li data-currency="{currency}">(.*?)</li>', page, re.S)
    assert found, page[:3000]
    return " ".join(found.group(1).split())


def test_the_portfolio_page_shows_each_currency_on_its_own_line(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    mixed_book(container)
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/portfolio").text
    assert "Principal outstanding CN¥20,000.00" in line(page, "CNY")
    assert "Principal outstanding $12,000.00" in line(page, "USD")
    assert "32,000.00" not in page
    assert 'data-note="currencies"' in page
    bars = chart_option(page, "buckets")["series"][0]["data"]
    assert sum(Decimal(x) for x in bars) == Decimal("20000.00")


def test_the_home_page_says_the_usd_loan_apart_from_the_cny_total(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    mixed_book(container)
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set(LANG_COOKIE, "en")
    home = client.get("/").text
    facts = re.search(r"data-chart-facts>(.*?)<", home, re.S)
    other = re.search(r'data-chart-other="USD">(.*?)<', home, re.S)
    assert facts and other, home[:3000]
    assert "2 loans, CN¥20,000.00 outstanding" in " ".join(facts.group(1).split())
    assert "1 loans, $12,000.00 outstanding" in other.group(1)
    assert "32,000.00" not in home
