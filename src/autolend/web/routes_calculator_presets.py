"""The calculator's product presets and markets: which presets a lender's jurisdiction
offers, the catalogue product each stands for (its fees, its limits, its name), the rate
it fills in and the first visit's deal (:mod:`autolend.web.routes_calculator`).

Every preset is a product of the market's catalogue: under CN the five China presets, under
US the US catalogue's three (new, used and the maker's 0 % APR promotion; no balloon loan).

>>> [MARKETS["US"].product_of(key).code for key in MARKETS["US"].presets]
['US_NEW_AUTO', 'US_USED_AUTO', 'US_PROMO_0APR']
>>> MARKETS["CN"].product_of("used").terms
(12, 24, 36)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from autolend.domain.product_catalogue import BALLOON, NEV_GREEN, OEM_ZERO, STANDARD_NEW, USED_CAR
from autolend.domain.product_catalogue_us import US_NEW_AUTO, US_PROMO_0APR, US_USED_AUTO
from autolend.domain.products import Product
from autolend.web.calculator_fees import CalculatorFee, fees_of_market, preset_fees

__all__ = ["MARKETS", "PRODUCTS", "PRODUCT_KEYS", "CalculatorForm", "Market", "Preset"]


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where the page is built."""
    return message


@dataclass(frozen=True)
class Preset:
    """A preset: its default rate (the market may set its own, :attr:`Market.rates`); its
    fees are those its catalogue product charges (``calculator_fees.preset_fees``), both
    applied on the page by script. Its name is the catalogue's product of the market
    (:attr:`Market.catalogue`), with ``detail`` after it; ``label`` names it where the
    market's catalogue has none."""

    key: str
    rate: str
    detail: str | None = None
    label: str | None = None


PRODUCTS: tuple[Preset, ...] = (
    Preset("standard", "4.5"),
    Preset("nev", "3.5", _("no fees")),
    Preset("used", "7.5"),
    Preset("promo", "0", _("interest subsidised")),
    Preset("balloon", "4.99", _("30% final payment"), _("Balloon loan")),
)
PRODUCT_KEYS = {product.key: product for product in PRODUCTS}


@dataclass(frozen=True)
class CalculatorForm:
    """The calculator's fields as typed; the defaults are the standard new-car deal."""

    price: str = "150000"
    down_mode: str = "percent"
    down: str = "30"
    term: str = "36"
    product: str = "standard"
    rate: str = "4.5"
    fees: tuple[str, ...] = ("origination", "gps")
    income: str = ""
    share: str = "50"


@dataclass(frozen=True)
class Market:
    """What the calculator offers under one regulation pack: the presets (by key), each a
    product of its catalogue, their rates where the market's differ (each within its
    product's range), what a preset's name adds where the market's differs (``details``),
    the fee toggles (its catalogue's fees), the first visit's deal and the price box's sign.
    Why here: these are the lender's market presets; the legal facts (whether the cost
    ceiling is law, where a late payment is reported) are the pack's
    (``cost_ceiling_is_law``, ``credit_reporting``)."""

    presets: tuple[str, ...]
    fees: tuple[CalculatorFee, ...]
    sign: str
    first_deal: CalculatorForm = field(default_factory=CalculatorForm)
    catalogue: Mapping[str, Product] = field(default_factory=dict)
    rates: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, str | None] = field(default_factory=dict)

    def rate_of(self, preset: Preset) -> str:
        """The preset's rate in this market."""
        return self.rates.get(preset.key, preset.rate)

    def detail_of(self, preset: Preset) -> str | None:
        """What the preset's name adds in this market ("no fees")."""
        return self.details.get(preset.key, preset.detail)

    def product_of(self, key: str) -> Product:
        """The catalogue product the preset ``key`` stands for (the standard loan's for a
        key the market does not offer)."""
        return self.catalogue.get(key) or self.catalogue["standard"]

    def fees_of(self, preset: Preset) -> tuple[str, ...]:
        """The fees the preset ticks: its catalogue product's."""
        return preset_fees(self.product_of(preset.key), self.fees)


MARKETS: Mapping[str, Market] = {
    "CN": Market(tuple(PRODUCT_KEYS), fees_of_market("CN"), sign="¥",
                 catalogue={"standard": STANDARD_NEW, "nev": NEV_GREEN, "used": USED_CAR,
                            "promo": OEM_ZERO, "balloon": BALLOON}),
    "US": Market(("standard", "used", "promo"), fees_of_market("US"), sign="$",
                 first_deal=CalculatorForm(price="35000", down="20", term="60", rate="6.99",
                                           fees=("documentation",)),
                 catalogue={"standard": US_NEW_AUTO, "used": US_USED_AUTO,
                            "promo": US_PROMO_0APR},
                 rates={"standard": "6.99", "used": "8.99"}, details={"promo": None}),
}  # fmt: skip
