"""The risk pages in headless Chromium: the demo's default model card with its SVG charts,
and the monitoring page with its ECharts canvases drawn."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e


def test_the_risk_officer_reads_the_model_card_and_the_monitoring_charts(page: Page) -> None:
    sign_in(page, "risk")
    page.click("[data-nav=models]")
    expect(page.locator("[data-model=default]")).to_have_count(1)
    page.click("[data-model=default] a")
    card = page.locator("[data-model-card^='default@']")
    expect(card).to_be_visible()
    expect(card.locator("svg")).to_have_count(4)
    expect(card.locator("[data-metric=auc]")).to_have_text(re.compile(r"0\.\d{4}"))
    # How the columns were read: the dealer is left out, as it is not about the applicant.
    dealer = card.locator("[data-column-notes] [data-column-note=not_about_the_applicant]")
    expect(dealer).to_be_visible()
    expect(dealer).to_contain_text("dealer_id")

    page.click("[data-nav=monitoring]")
    report = page.locator("[data-report=default]")
    expect(report).to_be_visible()
    expect(report.locator("[data-status]").first).to_be_visible()
    psi = report.locator("[data-chart-kind=psi]")
    expect(psi.locator("canvas")).to_have_count(1)
    expect(psi).to_have_attribute("data-echarts-rendered", "true")
    expect(report.locator("[data-echarts-rendered=true]")).to_have_count(4)
