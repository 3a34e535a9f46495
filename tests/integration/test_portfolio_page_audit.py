"""The portfolio page as risk staff read it: an odd ``?date=`` is the 404 page (never a
JSON error), a blank one the newest snapshot; the charts name their axes' currency, show
every bucket's name and read roll rates as percentages; every table keeps to its card."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_portfolio import (
    FEB_END,
    MAR_END,
    SERVICING,
    chart_option,
    three_loans,
    web_sign_in,
)

pytestmark = pytest.mark.integration


def snapshots(container: Container) -> None:
    three_loans(container)
    for day in (FEB_END, MAR_END):
        container.services.portfolio.snapshot(SERVICING, day)


@pytest.mark.parametrize("odd", ["garbage", "-1", "2026-02-30", "２０２６-０３-３１", "9" * 300])
def test_a_date_that_is_no_date_shows_the_not_found_page_not_a_json_error(
    container: Container, client: TestClient, staff: dict[Role, str], odd: str
) -> None:
    snapshots(container)
    web_sign_in(client, staff, Role.RISK)

    page = client.get("/portfolio", params={"date": odd})

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert 'data-problem="not_found"' in page.text


def test_a_blank_date_shows_the_newest_snapshot(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    snapshots(container)
    web_sign_in(client, staff, Role.RISK)

    page = client.get("/portfolio?date=")

    assert page.status_code == 200
    assert f'<option value="{MAR_END.isoformat()}" selected>' in page.text


@pytest.mark.parametrize(("lang", "balance"), [("en", "Balance (CNY)"), ("zh_CN", "余额")])
def test_the_charts_name_the_currency_show_every_bucket_and_read_percentages(
    container: Container, client: TestClient, staff: dict[Role, str], lang: str, balance: str
) -> None:
    snapshots(container)
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set(LANG_COOKIE, lang)

    page = client.get("/portfolio").text

    buckets = chart_option(page, "buckets")
    assert buckets["yAxis"]["name"].startswith(balance) and "CNY" in buckets["yAxis"]["name"]
    assert buckets["xAxis"]["axisLabel"]["interval"] == 0  # no bucket's name left out
    assert "CNY" in chart_option(page, "stages")["yAxis"]["name"]
    heat = chart_option(page, "roll-1")
    assert heat["series"][0]["label"]["formatter"].endswith("%")
    assert heat["tooltip"]["formatter"].endswith("%")
    assert heat["visualMap"]["formatter"] == "{value}%"


def test_every_table_scrolls_within_its_card_and_the_stages_span_the_page(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    snapshots(container)
    web_sign_in(client, staff, Role.RISK)

    page = client.get("/portfolio").text

    tables = re.findall(r'(.{0,40})<table class="table[^"]*" data-table="(\w+)"', page, re.S)
    assert {name for _, name in tables} >= {"buckets", "classes", "stages"}
    for before, name in tables:
        assert 'class="table-wrap">' in before, name
    grid = page.split('<div class="grid grid--charts">')[1].split("\n</div>")[0]
    assert 'data-table="stages"' not in grid  # full width: its five columns fit
    stage = page.split('data-stage="1">')[1].split("</td>")[0]
    assert stage == '<td class="nowrap"><span class="cell-label">阶段</span>第 1 阶段'  # one line


def test_the_early_warnings_heading_sits_inside_the_cards_padding(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    snapshots(container)
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set(LANG_COOKIE, "en")

    page = client.get("/portfolio").text

    assert '<div class="card__head card__head--padded"><h2>Early warnings</h2></div>' in page
