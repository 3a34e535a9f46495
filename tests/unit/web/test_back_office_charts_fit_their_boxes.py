"""The charts of the portfolio page and the calculator as staff saw them (no database).

At 1280 px the Chinese ECL axis's name, centred on the axis, ran off the card
("期信用损失（CNY）"); the names of the three empty five-tier classes piled up on one
another at the top of the ring, and on a phone "Special mention" was cut to "Spe...";
on a phone seven roll-rate cells of "91.03%" ran into one another; the term bars read
"9092.81" where the table under them reads "¥9,092.81", and a phone named every other
term, and the terms table scrolled inside its card, the total interest and APR out of
sight. End-of-day progress said "1 of 1 days".
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

from fastapi.testclient import TestClient

from autolend.domain.quote_input import QuoteInput, price_quote
from autolend.domain.regulation import US_PACK
from autolend.services.portfolio_views import Line, PortfolioOverview, RollPeriod, StageLine
from autolend.web.calculator_charts import terms_chart
from autolend.web.i18n import translations
from autolend.web.portfolio_charts import (
    bucket_chart,
    class_chart,
    roll_chart,
    stage_chart,
    whole_percent,
)
from autolend.web.render import build_environment
from autolend.web.routes_eod import RunProgress
from tests.unit.web.test_calculator import GOLDEN_QUERY, client  # noqa: F401 - its fixture

ZH, EN = translations("zh_CN").gettext, translations("en").gettext


def overview(class_balances: list[int]) -> PortfolioOverview:
    """A CNY snapshot whose five classes hold ``class_balances`` (fen), nothing unclassified."""
    view = SimpleNamespace(
        currency="CNY",
        buckets=[Line(str(i), 1, 100_00) for i in range(6)],
        classes=[Line(str(i), 1 if b else 0, b) for i, b in enumerate(class_balances)],
        unclassified=Line("none", 0, 0),
        stages=[StageLine(s, 1, 100_00, 1_00, Decimal("0.01")) for s in (1, 2, 3)],
    )
    return cast(PortfolioOverview, view)


def narrow(option: dict[str, Any]) -> dict[str, Any]:
    """What the chart changes on a phone: its ``media`` entry for a narrow box."""
    [entry] = [m for m in option.get("media", []) if m["query"].get("maxWidth", 10**6) <= 480]
    return cast(dict[str, Any], entry["option"])


def test_an_amount_axis_name_runs_right_from_the_axis_so_a_long_one_stays_on_the_card() -> None:
    view = overview([377_121_22, 92_670_70, 0, 0, 0])
    for chart in (stage_chart(view, ZH), bucket_chart(view, ZH)):
        axis = chart["yAxis"]
        assert axis["name"].endswith("（CNY）")
        assert axis["nameTextStyle"]["align"] == "left"


def test_an_empty_class_has_no_label_on_the_ring_and_a_phone_leaves_names_to_the_legend() -> None:
    option = class_chart(overview([377_121_22, 92_670_70, 0, 0, 0]), EN)
    slices = option["series"][0]["data"]
    labelled = [s["name"] for s in slices if s.get("label", {}).get("show", True)]
    assert labelled == ["Normal", "Special mention"]
    assert all(s["labelLine"] == {"show": False} for s in slices[2:])
    assert option["legend"]  # the names every slice still has
    assert narrow(option)["series"][0]["label"] == {"show": False}


def test_a_roll_rate_cell_reads_in_whole_percent_on_a_phone_the_tooltip_keeping_decimals() -> None:
    matrix = SimpleNamespace(
        rows=[[Decimal("0.9103"), Decimal("0.0897")] + [Decimal(0)] * 4] + [[Decimal(0)] * 6] * 5,
        gone=[Decimal(0)] * 6,
        balance=[100] + [0] * 5,
    )
    roll = cast(RollPeriod, SimpleNamespace(start=date(2026, 10, 31), matrix=matrix))
    option = roll_chart(roll, EN)
    cells = option["series"][0]["data"]
    assert cells[0] == [0, 0, "91.03", "91"] and cells[1] == [1, 0, "8.97", "9"]
    assert option["series"][0]["label"]["formatter"] == "{@[2]}%"
    assert narrow(option)["series"][0]["label"]["formatter"] == "{@[3]}%"
    assert option["tooltip"]["formatter"] == "{a}: {@[2]}%"
    assert option["visualMap"]["dimension"] == 2  # coloured by the percent, not the rounding
    assert (whole_percent("91.50"), whole_percent("0.49"), whole_percent("100.00")) == (
        "92",
        "0",
        "100",
    )


def test_the_term_bars_read_as_amounts_as_the_table_under_them_in_the_pages_language() -> None:
    data = QuoteInput(vehicle_price="150000", down_payment_ratio="30", annual_rate="4.5",
                      term_months=36)  # fmt: skip
    outcome = price_quote(data, date(2026, 12, 1))
    option = terms_chart(outcome.comparison, 36, EN, "en")
    labels = [bar["label"]["formatter"] for bar in option["series"][0]["data"]]
    assert labels == [f"¥{Decimal(q.monthly_payment.to_api()):,.2f}" for q in outcome.comparison]
    assert labels[0] == "¥8,964.74"  # the 12-month payment, no longer "8964.74"
    assert option["xAxis"]["axisLabel"]["interval"] == 0  # every term named, on a phone too
    assert narrow(option)["series"][0]["labelLayout"] == {"hideOverlap": True}
    deal = QuoteInput(vehicle_price="35000", down_payment_ratio="20", annual_rate="6.99",
                      term_months=60)  # fmt: skip
    us = price_quote(deal, date(2026, 12, 1), US_PACK)
    dollars = terms_chart(us.comparison, 60, EN, "en")["series"][0]["data"]
    assert all(bar["label"]["formatter"].startswith("$") for bar in dollars)


def test_end_of_day_progress_counts_one_day_in_the_singular() -> None:
    template = build_environment("en", "Asia/Shanghai").get_template("_eod_progress.html")
    one = template.render(progress=RunProgress(1, False, 100, None, 1, 1))
    three = template.render(progress=RunProgress(2, False, 100, None, 3, 3))
    assert "1 of 1 day<" in one and "1 days" not in one
    assert "3 of 3 days" in three


def test_the_terms_table_is_one_card_per_term_on_a_phone(client: TestClient) -> None:  # noqa: F811
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/calculator?{GOLDEN_QUERY}").text
    table = page.split('data-table="terms"')[0].rsplit("<table", 1)[1]
    assert "table--stack" in table
    body = page.split('data-table="terms"')[1].split("<tbody>")[1].split("</tbody>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
    assert len(cells) == 20 and all('class="cell-label"' in cell for cell in cells)
    assert '<span class="cell-label">Total interest</span>' in body
