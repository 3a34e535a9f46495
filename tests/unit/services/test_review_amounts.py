"""The second-approval limit is compared with the vehicle amount financed, by a person's
review as by the automated decision (both ask ``decision_policy.needs_second_person``;
``Decision.second_approval_required``), never with the total with financed fees."""

from __future__ import annotations

import pytest

from autolend.domain.decision import decide
from autolend.domain.decision_policy import DEFAULT_POLICY, needs_second_person
from autolend.domain.money import Money
from autolend.domain.offers import financed_fees
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.services.review_amounts import limit_of, second_approval_view
from tests.unit.domain.test_decision import application, facts

LIMIT = DEFAULT_POLICY.second_approval_above  # 300,000.00 CNY


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


@pytest.mark.parametrize(("down", "above"), [("100000.00", False), ("99999.99", True)])
def test_the_review_and_the_automated_decision_compare_the_same_amount_with_the_limit(
    down: str, above: bool
) -> None:
    """A 400,000.00 car: 300,000.00 (a 301,500.00 loan with the GPS fee) is at the limit,
    300,000.01 above it, for the model and a person alike."""
    app = application(price="400000.00", down=down, income="60000.00")
    total = app.financed + financed_fees(STANDARD_NEW, app)
    assert total > LIMIT  # the loan is above the limit either way
    decided = decide(facts(app), DEFAULT_POLICY)
    assert decided.second_approval_required is above
    assert needs_second_person(app.financed, LIMIT) is above


def test_the_view_labels_both_amounts_and_names_the_one_compared() -> None:
    view = second_approval_view(cny("300000"), cny("1500"), LIMIT)
    assert view == {"compared": "vehicle_amount", "vehicle_amount": "300000.00",
                    "financed_fees": "1500.00", "total_financed": "301500.00",
                    "limit": "300000.00", "above": False}  # fmt: skip
    unknown = second_approval_view(cny("300000.01"), None, None)  # no product, no limit
    assert (unknown["total_financed"], unknown["limit"], unknown["above"]) == (None, None, False)


def test_a_currency_the_policy_has_no_limit_in_has_none() -> None:
    assert limit_of(DEFAULT_POLICY, "USD") == Money.parse("50000", "USD")
    assert limit_of(DEFAULT_POLICY, "EUR") is None
