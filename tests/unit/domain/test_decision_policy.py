"""Credit policy as data: the default round-trips; each bad value names its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from autolend.domain.decision_policy import (
    DEFAULT_POLICY,
    PricingBand,
    parse_policy,
    policy_to_dict,
)
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money


def document(**changes: Any) -> dict[str, Any]:
    return policy_to_dict(DEFAULT_POLICY) | changes


def test_the_default_policy_round_trips_through_its_json_document() -> None:
    assert parse_policy(policy_to_dict(DEFAULT_POLICY)) == DEFAULT_POLICY


def test_the_default_policy_asks_a_second_person_above_300_000_yuan() -> None:
    assert DEFAULT_POLICY.second_approval_above == Money.parse("300000.00", "CNY")
    assert DEFAULT_POLICY.bureau_unavailable == "refer"


def test_a_policy_with_every_optional_limit_round_trips() -> None:
    data = document(max_dsr="0.45", refer_amount_above="500000.00", thin_file="score",
                    name="tight", version=7)  # fmt: skip
    policy = parse_policy(data)
    assert policy.max_dsr == Decimal("0.45")
    assert policy.refer_amount_above == Money.parse("500000.00", "CNY")
    assert parse_policy(policy_to_dict(policy)) == policy


def test_a_pd_picks_the_first_band_whose_ceiling_is_at_or_above_it() -> None:
    assert DEFAULT_POLICY.band_for(Decimal("0.02")).position == 0
    assert DEFAULT_POLICY.band_for(Decimal("0.0201")).position == Decimal("0.25")
    assert DEFAULT_POLICY.band_for(Decimal("0.5")) == PricingBand(Decimal(1), Decimal(1))


def bands(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"max_pd": pd, "position": position} for pd, position in pairs]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"version": 0}, "version"),
        ({"approve_max_pd": "abc"}, "approve_max_pd"),
        ({"approve_max_pd": "1.5"}, "approve_max_pd"),
        ({"approve_max_pd": "0.2", "decline_min_pd": "0.1"}, "approve_max_pd"),
        ({"decline_min_pd": None}, "decline_min_pd"),
        ({"max_dsr": "-0.1"}, "max_dsr"),
        ({"refer_inquiries_6m": -1}, "refer_inquiries_6m"),
        # A misspelt setting used to be ignored: the rule stayed as it was.
        ({"refer_inquries_6m": 3}, "refer_inquries_6m"),
        ({"max_applications_per_id_30d": True}, "max_applications_per_id_30d"),
        ({"blacklist": "ignore"}, "blacklist"),
        ({"bureau_unavailable": "decline"}, "bureau_unavailable"),
        ({"thin_file": "decline"}, "thin_file"),
        ({"second_approval_above": "0"}, "second_approval_above"),
        ({"second_approval_above": "1.234"}, "second_approval_above"),
        ({"refer_amount_above": 5}, "refer_amount_above"),
        ({"pricing": []}, "pricing"),
        ({"pricing": ["x"]}, "pricing[0]"),
        ({"pricing": bands(("0.05", "0"), ("0.04", "0.5"), ("1", "1"))}, "pricing[1].max_pd"),
        ({"pricing": bands(("0.05", "0"), ("0.1", "0.5"), ("x", "1"))}, "pricing[2].max_pd"),
        ({"pricing": bands(("0.05", "2"), ("1", "1"))}, "pricing[0].position"),
        ({"pricing": bands(("0.05", "0"), ("0.5", "1"))}, "pricing[1].max_pd"),
    ],
)
def test_each_bad_policy_value_is_refused_naming_its_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_policy(document(**changes))
    assert error.value.field == field


def test_a_file_written_with_the_old_name_of_the_late_months_rule_still_sets_it() -> None:
    """``refer_current_overdue_accounts`` was renamed ``refer_late_months_24m``: it always
    counted late months in 24 months across the accounts, not accounts overdue now."""
    old = document(refer_current_overdue_accounts=3)
    old.pop("refer_late_months_24m")
    assert parse_policy(old).refer_late_months_24m == 3
    both = document(refer_current_overdue_accounts=3, refer_late_months_24m=2)
    assert parse_policy(both).refer_late_months_24m == 2  # the new name wins
