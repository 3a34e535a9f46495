"""The calculator's fee toggles: the fees of the lender's catalogue, not numbers of its own.

A market offers the fees its catalogue products charge, each a toggle on the page keyed by
a short name (``origination``, ``gps``, ``documentation``); a product preset ticks the ones
its catalogue product charges. So the calculator prices "Standard new car loan" with the
same fees as the application does: under CN a 1 % origination fee paid at signing and the
GPS tracker's 1,500.00 added to the loan (STD_NEW), under US the 199.00 documentation fee
added to the loan (US_NEW_AUTO).

>>> [fee.key for fee in fees_of_market("CN")]
['origination', 'gps']
>>> fee_inputs(("gps",), fees_of_market("CN"))
(FeeInput(kind='gps', amount='1500.00', rate_percent=None, timing='upfront', financed=True),)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from autolend.domain.fees import Fee, FeeTiming
from autolend.domain.product_catalogue import GPS, ORIGINATION
from autolend.domain.product_catalogue_us import DOC_FEE
from autolend.domain.products import Product
from autolend.domain.quote_input import FeeInput
from autolend.web.charts import Translate

__all__ = ["CalculatorFee", "fee_inputs", "fee_label", "fees_of_market", "preset_fees"]


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where the page is built."""
    return message


@dataclass(frozen=True)
class CalculatorFee:
    """One toggle: the form's field name ``key``, the catalogue's ``fee`` and its name."""

    key: str
    fee: Fee
    name: str


_MARKET_FEES: Mapping[str, tuple[CalculatorFee, ...]] = {
    "CN": (CalculatorFee("origination", ORIGINATION, _("Origination fee")),
           CalculatorFee("gps", GPS, _("GPS tracker"))),
    "US": (CalculatorFee("documentation", DOC_FEE, _("Documentation fee")),),
}  # fmt: skip


def fees_of_market(code: str) -> tuple[CalculatorFee, ...]:
    """The fee toggles the calculator offers under the regulation pack ``code``."""
    return _MARKET_FEES[code]


def preset_fees(product: Product | None, fees: Iterable[CalculatorFee]) -> tuple[str, ...]:
    """The toggles a preset ticks: those its catalogue product charges (none without one).

    >>> from autolend.domain.product_catalogue import NEV_GREEN, STANDARD_NEW
    >>> cn = fees_of_market("CN")
    >>> preset_fees(STANDARD_NEW, cn), preset_fees(NEV_GREEN, cn)
    (('origination', 'gps'), ())
    """
    charged = () if product is None else product.fees
    return tuple(item.key for item in fees if item.fee in charged)


def fee_inputs(ticked: Iterable[str], fees: Iterable[CalculatorFee]) -> tuple[FeeInput, ...]:
    """The quote's fees for the ticked toggles, as the catalogue states them."""
    chosen = set(ticked)
    return tuple(_fee_input(item.fee) for item in fees if item.key in chosen)


def _fee_input(fee: Fee) -> FeeInput:
    if fee.rate_of_amount is not None:
        return FeeInput(kind=fee.kind.value, rate_percent=_percent(fee.rate_of_amount),
                        timing=fee.timing.value, financed=fee.financed)  # fmt: skip
    assert fee.amount is not None  # a Fee has exactly one of the two
    return FeeInput(kind=fee.kind.value, amount=fee.amount.to_api(), timing=fee.timing.value,
                    financed=fee.financed)  # fmt: skip


def _percent(fraction: Decimal) -> str:
    """A fraction as a percent without trailing zeros: 0.01 -> "1", 0.015 -> "1.5"."""
    return f"{(fraction * 100).normalize():f}"


def fee_label(item: CalculatorFee, gettext: Translate, money: str | None = None) -> str:
    """The toggle's text: the fee's name, how much and when. ``money`` is the amount as
    the page formats it (with its currency sign).

    >>> fee_label(fees_of_market("CN")[0], str)
    'Origination fee: 1% of the amount financed, paid at signing'
    >>> fee_label(fees_of_market("CN")[1], str, "¥1,500.00")
    'GPS tracker: ¥1,500.00, added to the loan'
    """
    fee, values = item.fee, {"name": gettext(item.name), "amount": money}
    if fee.rate_of_amount is not None:
        values["rate"] = f"{_percent(fee.rate_of_amount)}%"
        return gettext(_("%(name)s: %(rate)s of the amount financed, paid at signing")) % values
    if fee.timing is FeeTiming.MONTHLY:
        return gettext(_("%(name)s: %(amount)s a month")) % values
    if fee.financed:
        return gettext(_("%(name)s: %(amount)s, added to the loan")) % values
    return gettext(_("%(name)s: %(amount)s, paid at signing")) % values
