"""A dealer's and a borrower's home and list of applications on a phone (390 px wide) in
headless Chromium, in English, whose words are longer than the Chinese: nothing is wider
than the screen, and each of the dealer's next steps is a tap target at least 44 px tall."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the screen."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_the_dealers_next_steps_fit_a_phone_and_are_easy_to_tap(phone: Page) -> None:
    sign_in(phone, "dealer")
    phone.goto("/lang/en?next=/")
    assert overflow(phone) <= 0
    steps = phone.locator("[data-next-step]")
    assert steps.count() >= 1  # the demo dealer has an approved application: an offer to take
    for index in range(steps.count()):
        box = steps.nth(index).bounding_box()
        assert box is not None and box["height"] >= 44, box
    assert phone.locator("text=application:create").count() == 0


# The status filter (its longest choice 'Waiting for a second approval') and 'New
# application' made the page 514 px wide: the filter bar now wraps.
@pytest.mark.parametrize("user", ["dealer", "borrower"])
def test_the_list_of_applications_and_its_filter_fit_a_phone_in_english(
    phone: Page, user: str
) -> None:
    sign_in(phone, user)
    phone.goto("/lang/en?next=/applications")
    assert overflow(phone) <= 0
    button = phone.locator("[data-action=new-application]").bounding_box()
    assert button is not None and button["x"] + button["width"] <= 390
