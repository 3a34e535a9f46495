"""The public loan calculator in headless Chromium: a signed-out visitor prices the
issue's example, sees both charts, the 36-row schedule and the explanations, switches
language without losing the figures, and no console error or CSP violation occurs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def problems(page: Page) -> Iterator[list[str]]:
    """Console errors (CSP violations are reported there) and uncaught page errors."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    yield found


def fill_golden_example(page: Page) -> None:
    """150,000 with 30 % down over 36 months at 4.5 %, no fees."""
    page.select_option("#calc-product", "standard")
    page.fill("#calc-price", "150000")
    page.fill("#calc-down", "30")
    page.select_option("[name=down_mode]", "percent")
    page.select_option("#calc-term", "36")
    page.fill("#calc-rate", "4.5")
    page.uncheck("[data-fee=origination]")
    page.uncheck("[data-fee=gps]")
    page.click("[data-action=calculate]")


def expect_chart_drawn(page: Page, name: str) -> None:
    chart = page.locator(f"[data-echarts={name}]")
    expect(chart.locator("canvas")).to_have_count(1)
    expect(chart).to_have_attribute("data-echarts-rendered", "true")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200


def full_page_screenshot(page: Page, shot: Path) -> None:
    """The whole page from the top, once both charts have finished drawing."""
    expect(page.locator("[data-echarts-rendered=true]")).to_have_count(2)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000


def test_a_signed_out_visitor_prices_the_issue_example(
    page: Page, server: str, problems: list[str]
) -> None:
    response = page.goto("/calculator")
    assert response is not None and response.status == 200
    expect(page).to_have_url(f"{server}/calculator")  # public: no redirect to sign-in
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.evaluate("window.__calculatorMarker = 'same page'")
    fill_golden_example(page)
    expect(page.locator("[data-apr-nominal]")).to_have_text("4.50")
    expect(page.locator("[data-installment]")).to_have_text("¥3,123.43")
    expect(page.locator("[data-apr-effective]")).to_have_text("4.59")
    expect(page.locator("[data-ceiling]")).to_have_attribute("data-ceiling", "ok")
    expect(page.locator("[data-total-interest]")).to_have_text("¥7,443.34")
    expect_chart_drawn(page, "quote-schedule-chart")
    expect_chart_drawn(page, "quote-terms-chart")
    expect(page.locator("[data-table=terms] tbody tr")).to_have_count(5)
    rows = page.locator("[data-table=schedule] tbody tr")
    expect(rows).to_have_count(36)
    expect(rows.first).to_be_hidden()  # collapsed until asked for
    page.click("[data-schedule] summary")
    expect(rows.last).to_be_visible()
    expect(rows.first.locator("td").nth(2)).to_have_text("¥3,123.43")
    late = page.locator("[data-late-payment]")
    expect(late).to_contain_text("罚息")
    expect(late).to_contain_text("征信")
    expect(page.locator("[data-late-example]")).to_contain_text("¥17.40")  # 0.58 x 30 days
    expect(page.locator("[data-explain=apr]")).to_contain_text("年化利率")
    assert page.evaluate("window.__calculatorMarker") == "same page"  # swapped by HTMX
    expect(page).to_have_url(re.compile(r"/calculator\?price=150000&"))
    assert problems == []


def test_switching_to_english_keeps_the_figures_and_shows_english_labels(
    page: Page, problems: list[str], screenshot_dir: Path
) -> None:
    page.goto("/lang/zh_CN?next=/calculator")
    fill_golden_example(page)
    page.fill("#calc-income", "12000")
    page.locator("#calc-income").dispatch_event("change")
    expect(page.locator("[data-income-share]")).to_have_attribute("data-income-share", "26.0")
    full_page_screenshot(page, screenshot_dir / "calculator-zh_CN.png")
    page.click("[data-lang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Car loan calculator")
    expect(page.locator("label[for=calc-price]")).to_have_text("Vehicle price")
    expect(page.locator("[data-installment]")).to_have_text("¥3,123.43")
    expect(page.locator("[data-apr-nominal]")).to_have_text("4.50")
    expect(page.locator("[data-late-payment]")).to_contain_text("Penalty interest")
    expect(page.locator("[data-late-payment]")).to_contain_text("Credit report")
    expect(page.locator("[data-affordability]")).to_contain_text("of your monthly income")
    expect_chart_drawn(page, "quote-schedule-chart")
    expect_chart_drawn(page, "quote-terms-chart")
    expect(page.locator("[data-table=schedule] tbody tr")).to_have_count(36)
    page.click("[data-schedule] summary")
    full_page_screenshot(page, screenshot_dir / "calculator-en.png")
    assert problems == []


def test_a_product_preset_sets_the_rate_and_fees_and_the_apr_counts_the_fees(
    page: Page, problems: list[str]
) -> None:
    page.goto("/lang/en?next=/calculator")
    expect(page.locator("[data-fee=origination]")).to_be_checked()  # the standard deal
    standard_apr = float(page.locator("[data-apr-nominal]").inner_text())
    assert standard_apr > 4.5  # 1 % at signing and the GPS tracker's 1,500 are in the APR
    page.select_option("#calc-product", "nev")
    expect(page.locator("#calc-rate")).to_have_value("3.5")
    expect(page.locator("[data-fee=origination]")).not_to_be_checked()
    expect(page.locator("[data-fee=gps]")).not_to_be_checked()
    expect(page.locator("[data-apr-nominal]")).to_have_text("3.50")
    page.select_option("#calc-product", "promo")
    expect(page.locator("#calc-rate")).to_have_value("0")
    expect(page.locator("[data-apr-nominal]")).to_have_text("0.00")
    expect(page.locator("[data-subsidy]")).to_be_visible()
    page.select_option("#calc-product", "balloon")
    expect(page.locator("[data-fee=gps]")).to_be_checked()  # BALLOON charges both fees
    expect(page.locator("[data-final-payment]")).to_contain_text("Final balloon payment")
    expect_chart_drawn(page, "quote-schedule-chart")
    assert problems == []


def test_everyone_finds_the_calculator_in_the_navigation_and_on_the_sign_in_page(
    page: Page, server: str
) -> None:
    page.goto("/login")
    expect(page.locator("nav.mainnav [data-public-nav=calculator]")).to_be_visible()
    page.click("[data-action=open-calculator]")
    expect(page).to_have_url(f"{server}/calculator")
    link = page.locator("[data-public-nav=calculator]")
    expect(link).to_have_attribute("aria-current", "page")
    page.goto("/login")
    page.fill("#username", "dealer")
    page.fill("#password", "demo-dealer")
    page.click("[data-action=sign-in]")
    expect(page.locator("[data-user]")).to_have_attribute("data-user", "dealer")
    link.click()
    expect(page.locator("[data-user]")).to_have_attribute("data-user", "dealer")
    expect(page.locator("[data-nav=customers]")).to_be_visible()
    expect(page.locator("[data-installment]")).to_be_visible()


def test_a_signed_out_visitor_on_the_calculator_finds_the_sign_in_link(page: Page) -> None:
    page.goto("/calculator")
    page.locator("[data-action=go-to-sign-in]").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator("[data-action=go-to-sign-in]")).to_have_count(0)
    expect(page.locator("button[data-action=sign-in]")).to_be_visible()
