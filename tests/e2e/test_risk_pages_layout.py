"""The risk pages at 1280 px in headless Chromium, in both languages: no table runs past its
box (the fairness table was cut off in English), and the model card's charts fit their
columns with their tick labels."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e

WIDER_THAN_THEIR_BOX = """() => [...document.querySelectorAll('main table, main svg')]
  .filter(e => e.getBoundingClientRect().width > e.parentElement.clientWidth + 1
               || (e.tagName === 'TABLE' && e.scrollWidth > e.parentElement.clientWidth + 1))
  .map(e => e.dataset.table || e.getAttribute('aria-label') || e.tagName)"""


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_no_risk_table_or_chart_is_wider_than_its_box_at_1280_px(page: Page, lang: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "risk")
    page.click(f"[data-lang={lang}]")
    for path in ("/risk/models", "/risk/models/default", "/risk/monitoring"):
        page.goto(path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(WIDER_THAN_THEIR_BOX) == [], (lang, path)
