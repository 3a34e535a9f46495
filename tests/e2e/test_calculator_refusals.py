"""The calculator in headless Chromium on a phone: a value it cannot quote is marked at its
input (red, ``aria-invalid``, described by the message that names the field and says why)
as soon as the quote comes back, with the reason under the input where the results are
below the form, out of sight; the mark goes once the value is fixed, and a value the
browser itself would refuse (a rate of 150 %) reaches the server, which says why."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

ERROR_RED = "rgb(185, 28, 28)"


def type_value(page: Any, selector: str, value: str) -> None:
    page.fill(selector, value)
    page.press(selector, "Tab")  # a change: HTMX asks for the quote


def test_a_refused_value_marks_its_input_until_it_is_fixed(phone: Any) -> None:
    phone.goto("/calculator")
    down = phone.locator("#calc-down")

    type_value(phone, "#calc-down", "120")

    message = phone.locator("#quote-error")
    expect(message).to_contain_text("“首付”")
    expect(message).to_contain_text("首付须低于车价")
    expect(down).to_have_attribute("aria-invalid", "true")
    expect(down).to_have_attribute("aria-describedby", "quote-error")
    assert down.evaluate("e => getComputedStyle(e).borderTopColor") == ERROR_RED
    expect(down).to_have_value("120")
    # The results sit below the form on a phone, out of sight: the reason stands under
    # the input too (hidden from screen readers, which hear the message once).
    inline = phone.locator("[data-inline-quote-error]")
    expect(inline).to_be_in_viewport()
    expect(inline).to_contain_text("首付须低于车价")
    expect(inline).to_have_attribute("aria-hidden", "true")

    type_value(phone, "#calc-down", "30")

    expect(phone.locator("[data-installment]")).to_have_count(1)
    expect(inline).to_have_count(0)
    expect(down).not_to_have_attribute("aria-invalid", "true")
    expect(down).not_to_have_attribute("aria-describedby", "quote-error")


def test_a_rate_the_browser_would_refuse_is_explained_by_the_server(page: Any) -> None:
    page.goto("/calculator")
    expect(page.locator("[data-installment]")).to_have_count(1)

    type_value(page, "#calc-rate", "150")

    expect(page.locator("#quote-error")).to_be_visible()
    # Beside the form (a wide screen) the message is in view; no copy under the input.
    expect(page.locator("[data-inline-quote-error]")).to_have_count(1)
    expect(page.locator("[data-inline-quote-error]")).to_be_hidden()
    expect(page.locator("[data-installment]")).to_have_count(0)
    expect(page.locator("#calc-rate")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#calc-down")).not_to_have_attribute("aria-invalid", "true")
