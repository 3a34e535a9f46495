"""The calculator of a US lender (``AUTOLEND_JURISDICTION=US``) in headless Chromium: a
visitor can pick the 84-month term the US pack allows (the list stopped at China's 60), the
comparison chart draws the deal over every term offered, and the charts' tooltips state
dollars (they said CN¥ whatever the currency). A CN lender's tooltips still say yuan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

# The tooltip's text of 1,234.50 as the page's chart formats it (ECharts draws it on the
# canvas, so the test asks the chart's own formatter).
TOOLTIP_OF = """name => {
  const chart = window.echarts.getInstanceByDom(document.querySelector(`[data-echarts=${name}]`));
  return chart.getOption().tooltip[0].valueFormatter(1234.5);
}"""


def charts_drawn(page: Page) -> None:
    for name in ("quote-schedule-chart", "quote-terms-chart"):
        expect(page.locator(f"[data-echarts={name}]")).to_have_attribute(
            "data-echarts-rendered", "true"
        )


def test_a_us_visitor_prices_84_months_and_reads_dollars_in_the_tooltips(us_page: Page) -> None:
    page = us_page
    response = page.goto("/calculator")
    assert response is not None and response.status == 200
    options = page.locator("#calc-term option")
    terms = [int(value) for value in options.evaluate_all("list => list.map(o => o.value)")]
    assert max(terms) > 60  # the US pack's longest cap
    page.select_option("#calc-term", str(max(terms)))
    chosen = page.locator(f"[data-table=terms] tbody tr[data-term='{max(terms)}']")
    expect(chosen).to_have_class("is-chosen")
    expect(page.locator("[data-table=terms] tbody tr")).to_have_count(len(terms))
    charts_drawn(page)
    for name in ("quote-schedule-chart", "quote-terms-chart"):
        shown = page.evaluate(TOOLTIP_OF, name)
        assert shown == "$1,234.50", name


def test_a_cn_visitor_still_reads_yuan_in_the_tooltips(page: Page) -> None:
    page.goto("/lang/en?next=/calculator")
    charts_drawn(page)
    terms = page.locator("#calc-term option").evaluate_all("list => list.map(o => o.value)")
    assert max(int(value) for value in terms) == 60
    assert page.evaluate(TOOLTIP_OF, "quote-schedule-chart") == "¥1,234.50"
