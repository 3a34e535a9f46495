"""The calculator prices a preset with its catalogue product's fees and a rate inside that
product's range: "Standard new car loan" on the calculator costs what STD_NEW costs on an
application (it charged a GPS fee of 50 a month where STD_NEW finances 1,500 once, and
the US page an origination fee no US product charges)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autolend.domain.quote_input import FeeInput
from autolend.domain.regulation import pack_for
from autolend.web.calculator_fees import fee_inputs, fee_label
from autolend.web.i18n import format_money, translations
from autolend.web.routes_calculator import MARKETS, PRODUCT_KEYS, CalculatorForm, quote_input

ZH = translations("zh_CN").gettext


@pytest.mark.parametrize("code", ["CN", "US"])
def test_each_preset_ticks_exactly_the_fees_its_catalogue_product_charges(code: str) -> None:
    market = MARKETS[code]
    offered = {item.fee: item.key for item in market.fees}
    for key, product in market.catalogue.items():
        assert set(product.fees) <= set(offered), f"{product.code} charges a fee not offered"
        expected = tuple(offered[fee] for fee in product.fees)
        assert sorted(market.fees_of(PRODUCT_KEYS[key])) == sorted(expected), key


@pytest.mark.parametrize("code", ["CN", "US"])
def test_each_presets_rate_lies_in_its_catalogue_products_range(code: str) -> None:
    market = MARKETS[code]
    for key, product in market.catalogue.items():
        rate = Decimal(market.rate_of(PRODUCT_KEYS[key])) / 100
        if product.subsidy is not None and product.subsidy.customer_rate is not None:
            assert rate == product.subsidy.customer_rate, key  # what the borrower pays
        else:
            assert product.rate_min <= rate <= product.rate_max, key


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_first_visit_is_the_standard_preset_with_its_fees(code: str) -> None:
    market = MARKETS[code]
    standard = PRODUCT_KEYS["standard"]
    assert market.first_deal.rate == market.rate_of(standard)
    assert market.first_deal.fees == market.fees_of(standard)


def test_the_us_standard_deal_is_priced_with_the_documentation_fee_financed() -> None:
    us = pack_for("US")
    deal = quote_input(MARKETS["US"].first_deal, us)
    assert deal.fees == (FeeInput(kind="other", amount="199.00", financed=True),)
    assert deal.annual_rate == "6.99"
    # A CN fee asked for by name is not one the US market offers: nothing is charged.
    assert quote_input(CalculatorForm(fees=("gps", "origination")), us).fees == ()


def test_the_toggles_say_the_catalogues_amounts_in_both_languages() -> None:
    origination, gps = MARKETS["CN"].fees
    amount = format_money("1500.00", "CNY", "zh_CN")
    assert fee_label(gps, ZH, amount) == "GPS 定位器：¥1,500.00，计入贷款"
    assert fee_label(origination, ZH) == "手续费：贷款金额的 1%，签约时支付"
    assert fee_label(gps, str, "¥1,500.00") == "GPS tracker: ¥1,500.00, added to the loan"
    assert [f.amount for f in fee_inputs(("gps",), MARKETS["CN"].fees)] == ["1500.00"]
