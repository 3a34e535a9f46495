"""A product's refusals name the product's own fields, the ones its administrator typed:
an unknown pack was refused on ``jurisdiction`` (the settings' name), an
``effective_from`` too late for a loan to fit on the sample quote's ``start``, a
``min_amount`` too small for the fees on the APR solver's ``payments``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_checks import product_field
from autolend.domain.product_codec import product_from_dict, product_to_dict


def refusal(**changes: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        replace(STANDARD_NEW, **changes)
    return refused.value


@pytest.mark.parametrize("pack", ["XX", "", "CNN"])
def test_an_unknown_pack_is_refused_on_pack_naming_the_known_ones(pack: str) -> None:
    refused = refusal(pack=pack)
    assert refused.field == "pack"
    assert refused.message == f"pack {pack!r} is not a regulation pack; known: CN, US"


def test_a_pack_that_is_no_code_is_refused_on_pack() -> None:
    assert refusal(pack=None).field == "pack"


def test_a_product_file_with_an_unknown_pack_names_pack() -> None:
    data = product_to_dict(STANDARD_NEW) | {"pack": "XX"}
    with pytest.raises(InvalidInput) as refused:
        product_from_dict(data)
    assert refused.value.field == "pack"


@pytest.mark.parametrize("day", [date(9999, 12, 1), date(9999, 1, 1)])
def test_an_effective_from_with_no_room_for_the_loans_is_refused_on_effective_from(
    day: date,
) -> None:
    refused = refusal(effective_from=day)
    assert refused.field == "effective_from"
    assert refused.message == (
        f"effective_from {day.isoformat()} leaves no room for 12 payments before 9999-12-31"
    )


def test_a_min_amount_too_small_to_price_with_the_fees_is_refused_on_min_amount() -> None:
    refused = refusal(min_amount=Money.parse("0.01", "CNY"))
    assert refused.field == "min_amount"
    assert refused.message.startswith(
        "min_amount: a loan of 0.01 CNY over 12 months at rate_max 0.0899, the fees "
        "included, cannot be priced: "
    )


def test_the_cost_ceiling_is_still_refused_on_rate_max() -> None:
    refused = refusal(terms=(1,))
    assert refused.field == "rate_max"
    assert refused.message.startswith("rate_max 0.0899 with the fees gives an APR of ")


@pytest.mark.parametrize(
    ("quote_field", "product"),
    [("start", "effective_from"), ("first_due", "effective_from"), ("term_months", "terms"),
     ("annual_rate", "rate_max"), ("fees", "fees"), ("balloon_ratio_of_price", "balloon_ratio"),
     ("step_weights", "step_weights"), ("payments", "min_amount"), ("principal", "min_amount"),
     ("down_payment", "min_amount"), (None, "min_amount")],
)  # fmt: skip
def test_each_field_of_the_sample_quote_is_named_by_the_products_field_it_comes_from(
    quote_field: str | None, product: str
) -> None:
    assert product_field(quote_field) == product
