"""The down payment an underwriter types into the review form's counter-offer is read as
people write it: "80,000" was refused for its comma. The JSON API stays strict: this is
the page's reading alone (:func:`autolend.web.counter_offer.typed_amount`)."""

from __future__ import annotations

import doctest

import pytest

from autolend.domain.money import parse_money
from autolend.web import application_steps, counter_offer
from autolend.web.counter_offer import typed_amount


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("80,000", "80000"),
        ("80,000.00", "80000.00"),
        ("1,280,000.50", "1280000.50"),
        ("80 000", "80000"),
        ("80\u00a0000.00", "80000.00"),  # a no-break space, as a pasted amount may hold
        ("８０，０００．００", "80000.00"),  # a Chinese input method's full-width digits
        ("８０\u3000０００", "80000"),  # and its full-width space
        ("  80000.00 ", "80000.00"),
    ],
)
def test_an_amount_grouped_in_threes_is_read_as_its_plain_digits(typed: str, read: str) -> None:
    assert typed_amount(typed) == read
    assert parse_money(read, "CNY").to_api() in (read, f"{read}.00")  # the service's reading


@pytest.mark.parametrize("typed", ["8,0000", "80,00", "80, 000", "1.234,56", "80 000,000"])
def test_misplaced_separators_are_left_for_the_service_to_refuse(typed: str) -> None:
    """Never guessed into another amount: 8,0000 is not 80000 (nor 8000)."""
    assert typed_amount(typed) == typed


def test_nothing_typed_leaves_the_down_payment_as_applied_for() -> None:
    assert typed_amount(None) is None and typed_amount("") is None and typed_amount(" ") is None


def test_the_module_examples_hold() -> None:
    for module in (counter_offer, application_steps):
        assert doctest.testmod(module).failed == 0, module.__name__
