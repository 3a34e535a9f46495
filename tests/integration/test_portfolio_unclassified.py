"""The five-tier class is a CN rule: a US loan has none (its pack's ``five_tier_classes``
is False; its allowance is CECL). The class table counted such a loan nowhere, so on a
book whose main currency is USD the five classes added up to none of its loans. Now the
loans with no class are a row of their own (table, chart, ``autolend portfolio``), and
the rows add up to the loans; a CN book shows the five classes as before, no extra row.

Two USD loans of 12,000.00 and one CNY loan of 10,000.00 from 2026-01-05, nothing paid,
snapshot on Feb 28: the main currency is USD (two loans), both not classified."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.cli_portfolio import overview_json, overview_tables
from autolend.domain.access import Role
from autolend.services.portfolio_views import NOT_CLASSIFIED
from autolend.web.i18n import LANG_COOKIE, translations
from tests.integration.test_portfolio import (
    FEB_END,
    RISK,
    SERVICING,
    book,
    chart_option,
    web_sign_in,
)
from tests.integration.test_portfolio_currencies import printed, usd_loan

pytestmark = pytest.mark.integration

UNCLASSIFIED = "Not classified (pack without the five-tier class)"


def us_main_book(container: Container) -> None:
    usd_loan(container), usd_loan(container), book(container)
    container.services.portfolio.snapshot(SERVICING, FEB_END)


def class_rows(page: str) -> dict[str, tuple[str, int]]:
    """The class table's rows: key -> (label, loans)."""
    table = re.search(r'data-table="classes">(.*?)</table>', page, re.S)
    assert table, page[:3000]
    rows = re.findall(r'<tr data-class="(\w+)"><td>([^<]*)</td><td class="num">([\d,]+)</td>',
                      table.group(1))  # fmt: skip
    return {key: (label, int(loans.replace(",", ""))) for key, label, loans in rows}


def test_the_overviews_classes_and_unclassified_loans_add_up_to_its_loans(
    container: Container,
) -> None:
    us_main_book(container)
    view = container.services.portfolio.overview(RISK)
    assert (view.currency, view.loans) == ("USD", 2)
    assert sum(line.loans for line in view.classes) == 0  # no US loan has a five-tier class
    assert (view.unclassified.key, view.unclassified.loans) == (NOT_CLASSIFIED, view.loans)
    assert view.unclassified.balance_minor == view.balance_minor
    assert sum(line.loans for line in view.buckets) == view.loans  # the home page's chart


def test_the_portfolio_page_shows_the_loans_with_no_class_on_their_own_row(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    us_main_book(container)
    web_sign_in(client, staff, Role.RISK)
    for lang in ("en", "zh_CN"):
        client.cookies.set(LANG_COOKIE, lang)
        page = client.get("/portfolio").text
        rows = class_rows(page)
        label = translations(lang).gettext(UNCLASSIFIED)
        assert rows[NOT_CLASSIFIED] == (label, 2)
        assert sum(loans for _, loans in rows.values()) == 2  # the rows add up to the loans
        pie = chart_option(page, "classes")["series"][0]["data"]
        assert pie[-1]["name"] == label
        assert sum(Decimal(slice_["value"]) for slice_ in pie) == Decimal("24000.00")


def test_the_command_line_prints_and_states_the_loans_with_no_class(
    container: Container,
) -> None:
    us_main_book(container)
    view = container.services.portfolio.overview(RISK)
    rows = [" ".join(line.split()) for line in printed(*overview_tables(view)).splitlines()]
    in_words = NOT_CLASSIFIED.replace("_", " ")  # as the classes read: "special mention"
    assert any(row.startswith(f"│ {in_words} │ 2 │ 24,000.00 │") for row in rows), rows
    data = overview_json(view)
    assert data["unclassified"] == {"key": NOT_CLASSIFIED, "loans": 2, "balance_minor": 2_400_000}


def test_a_cn_book_shows_the_five_classes_and_no_unclassified_row(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book(container), book(container)
    container.services.portfolio.snapshot(SERVICING, FEB_END)
    view = container.services.portfolio.overview(RISK)
    assert sum(line.loans for line in view.classes) == view.loans == 2
    assert view.unclassified.loans == 0 and "unclassified" not in overview_json(view)
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/portfolio").text
    assert NOT_CLASSIFIED not in class_rows(page) and UNCLASSIFIED not in page
    assert len(chart_option(page, "classes")["series"][0]["data"]) == 5
