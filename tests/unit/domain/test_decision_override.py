"""A person's rate override: below the case's risk-based rate it needs a second person,
above it it is recorded (``above``) and needs no one else, at it there is none; the
risk-based rate is the one the decision stored."""

from __future__ import annotations

import doctest
from dataclasses import replace
from decimal import Decimal

import pytest

from autolend.domain import decision_override
from autolend.domain.decision import Decision, Outcome
from autolend.domain.decision_override import (
    case_risk_based_rate,
    direction_of,
    override_to_dict,
    rate_override,
)
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.product_catalogue import STANDARD_NEW

REFERRED = Decision(Outcome.REFER, (), None, None, None, None, "none", (), None, None, (),
                    None, "default", 1)  # fmt: skip


@pytest.mark.parametrize(("rate", "direction", "second"), [
    ("0.0549", "below", True), ("0.0699", None, False), ("0.0749", "above", False),
])  # fmt: skip
def test_a_rate_off_the_risk_based_rate_is_an_override_and_only_one_below_needs_a_second_person(
    rate: str, direction: str | None, second: bool
) -> None:
    made = rate_override(Decimal("0.0699"), Decimal(rate), 7, "underwriter")
    assert (made and made.direction) == direction
    assert (made is not None and made.needs_second_person) is second
    if made is not None:
        assert override_to_dict(made) == {"risk_based_rate": "0.0699", "annual_rate": rate,
                                          "set_by": 7, "set_by_name": "underwriter",
                                          "direction": direction}  # fmt: skip


def test_an_override_stored_before_directions_were_kept_was_below_the_risk_based_rate() -> None:
    assert direction_of({"risk_based_rate": "0.0699", "annual_rate": "0.0549"}) == "below"


def test_the_risk_based_rate_is_the_one_the_decision_stored_not_one_priced_again() -> None:
    """A PD of 3 % is in the 0.25 band (5.24 % under STD_NEW), but the decision priced
    the case at 6.99 %: that is the rate a person's rate is held against."""
    priced = replace(REFERRED, pd=Decimal("0.03"), annual_rate=Decimal("0.0699"))
    assert case_risk_based_rate(priced, STANDARD_NEW, DEFAULT_POLICY) == Decimal("0.0699")


def test_a_decision_stored_without_a_rate_is_held_against_its_pds_band() -> None:
    unpriced = replace(REFERRED, pd=Decimal("0.03"))
    assert case_risk_based_rate(unpriced, STANDARD_NEW, DEFAULT_POLICY) == Decimal("0.0524")
    assert case_risk_based_rate(REFERRED, STANDARD_NEW, DEFAULT_POLICY) == Decimal("0.0899")


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(decision_override).failed == 0
