"""The credit policy's money thresholds hold per currency: the default asks a second
person above 300,000.00 CNY or 50,000.00 USD, an old file's single amount is CNY as it
always was, and a USD application is decided with the default policy (it raised
CurrencyMismatch comparing USD with CNY)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from autolend.domain.decision_policy import DEFAULT_POLICY, parse_policy, policy_to_dict
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money


def document(**changes: Any) -> dict[str, Any]:
    return policy_to_dict(DEFAULT_POLICY) | changes


def usd(text: str) -> Money:
    return Money.parse(text, "USD")


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def test_the_default_asks_a_second_person_above_300_000_yuan_or_50_000_dollars() -> None:
    assert DEFAULT_POLICY.in_currency("CNY") == DEFAULT_POLICY
    assert DEFAULT_POLICY.in_currency("USD").second_approval_above == usd("50000.00")
    assert policy_to_dict(DEFAULT_POLICY)["second_approval_above"] == {
        "CNY": "300000.00", "USD": "50000.00"}  # fmt: skip


def test_an_old_files_single_amount_is_cny_and_usd_takes_the_default() -> None:
    policy = parse_policy(document(second_approval_above="250000.00",
                                   refer_amount_above="400000.00"))  # fmt: skip
    assert policy.second_approval_above == cny("250000.00")
    assert policy.refer_amount_above == cny("400000.00")
    dollars = policy.in_currency("USD")
    assert (dollars.second_approval_above, dollars.refer_amount_above) == (usd("50000.00"), None)
    assert parse_policy(policy_to_dict(policy)) == policy


def test_a_file_sets_each_currencys_thresholds_by_code() -> None:
    policy = parse_policy(document(
        second_approval_above={"CNY": "280000.00", "USD": "40000.00"},
        refer_amount_above={"USD": "60000.00"}))  # fmt: skip
    assert (policy.second_approval_above, policy.refer_amount_above) == (cny("280000.00"), None)
    dollars = policy.in_currency("USD")
    assert (dollars.second_approval_above, dollars.refer_amount_above) == (
        usd("40000.00"), usd("60000.00"))  # fmt: skip
    assert parse_policy(policy_to_dict(policy)) == policy


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"second_approval_above": {"XYZ": "1.00"}}, "second_approval_above.XYZ"),
     ({"second_approval_above": {"USD": "0"}}, "second_approval_above.USD"),
     ({"second_approval_above": {"USD": 5}}, "second_approval_above.USD"),
     ({"refer_amount_above": {"EUR": "10.00"}}, "refer_amount_above.EUR"),
     ({"second_approval_above": None}, "second_approval_above")],
)  # fmt: skip
def test_a_bad_amount_by_currency_is_refused_naming_it(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_policy(document(**changes))
    assert refused.value.field == field


def test_a_currency_the_policy_has_no_threshold_in_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no amount in EUR"):
        DEFAULT_POLICY.in_currency("EUR")
    only_cny = replace(DEFAULT_POLICY, other_currencies=())
    assert policy_to_dict(only_cny)["second_approval_above"] == "300000.00"
