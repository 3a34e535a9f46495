"""The origination pages' layout in headless Chromium against ``autolend serve --demo``: a
message under one input of a two-column row leaves its neighbour where it was; the
secondary buttons on the application page's light cards can be read; a declined
application's adverse-action notice wraps inside its card instead of widening the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_application_pages import FORM
from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e

BAD_ID = "110105194912310023"  # 11010519491231002X with its check character changed


def _top(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return float(box["y"])


def _fill_with_a_wrong_id(page: Page) -> None:
    page.goto("/applications/new")
    page.select_option("[name=product_code]", "STD_NEW")
    for name, value in FORM.items():
        page.fill(f"[name='{name}']", value)
    page.fill("[name='applicants[0].id_number']", BAD_ID)
    for kind in ("bureau_query", "data_processing", "sensitive_data"):
        page.check(f"[name='consent.{kind}']")
    page.click("[data-action=file-application]")


def test_a_message_under_the_id_input_leaves_the_name_input_beside_it_in_place(
    page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, "dealer")
    _fill_with_a_wrong_id(page)
    expect(page.locator("[data-field-error='applicants[0].id_number']")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "application-form-row.png"), full_page=True)
    name_top = _top(page, "[name='applicants[0].name']")
    assert abs(name_top - _top(page, "[name='applicants[0].id_number']")) < 2


def _contrast(rgb: tuple[float, ...], background: tuple[float, ...]) -> float:
    def luminance(colour: tuple[float, ...]) -> float:
        lin = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    light, dark = sorted((luminance(rgb), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _colours(page: Page, selector: str) -> Any:
    return page.locator(selector).evaluate(
        """button => {
            const rgb = text => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
            let card = button.closest('.card');
            return [rgb(getComputedStyle(button).color),
                    rgb(getComputedStyle(card).backgroundColor)];
        }"""
    )


def test_the_withdraw_button_on_its_white_card_can_be_read(page: Page) -> None:
    sign_in(page, "dealer")
    page.goto("/applications?status=referred")
    page.locator("table a[href^='/applications/']").first.click()
    button = page.locator("[data-action=withdraw]")
    expect(button).to_be_visible()
    text, card = _colours(page, "[data-action=withdraw]")
    assert _contrast(tuple(text), tuple(card)) >= 4.5, (text, card)


def test_a_declined_applications_notice_wraps_inside_the_page(
    page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, "dealer")
    page.click("[data-lang=en]")
    page.goto("/applications?status=declined")
    page.locator("table a[href^='/applications/']").first.click()
    expect(page.locator("[data-section=adverse-action]")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "application-declined.png"), full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


def _middle(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return float(box["y"] + box["height"] / 2)


def test_the_filter_and_the_new_application_button_sit_on_one_line(page: Page) -> None:
    sign_in(page, "dealer")
    page.goto("/applications")
    filter_at = _middle(page, "[data-action=filter]")
    assert abs(filter_at - _middle(page, "[data-action=new-application]")) < 2
