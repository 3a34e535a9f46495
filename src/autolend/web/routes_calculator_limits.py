"""The calculator holds a product preset to its catalogue product: the product's term
choices, its rate range, its minimum down payment, its loan-to-value cap and its amount
range. A quote that breaks one is refused, naming the limit in the page's language, never
priced silently outside the product.

The limits are checked on the priced quote (so a value the domain refuses, a rate of
"abc", says that first), in this order: term, rate, down payment, loan-to-value, amount.
Example: the used-car loan (USED_CAR) over 60 months reads, in Chinese, "二手车贷期限为
12、24 或 36 个月" and in English "for the Used car loan, the term is 12, 24 or 36 months";
the form offers only those terms (:func:`preset_terms`).

>>> from autolend.domain.product_catalogue import OEM_ZERO, USED_CAR
>>> preset_terms(USED_CAR, ("12", "24", "36", "48", "60"))
('12', '24', '36')
>>> [percent(rate) for rate in rate_range(USED_CAR)], [percent(r) for r in rate_range(OEM_ZERO)]
(['5.99', '12.99'], ['0', '0'])
>>> choices(["12", "24", "36"], "en", str)
'12, 24 or 36'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.products import Product, VehicleCondition
from autolend.domain.quote import Quote
from autolend.domain.schedule_input import parse_percent
from autolend.web.calculator_errors import FIELD_INPUTS, QuoteError, error_label
from autolend.web.charts import Translate
from autolend.web.i18n import format_money, list_separator

__all__ = [
    "choices", "late_fee_view", "percent", "preset_terms", "product_name", "product_refusal",
    "rate_range",
]  # fmt: skip

# What a broken limit says: the field at fault, the message and its values.
Broken = tuple[str, str, dict[str, str]]


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where the page is built."""
    return message


def percent(fraction: Decimal) -> str:
    """A fraction as a percent without trailing zeros: 0.0599 -> "5.99", 0.30 -> "30"."""
    return f"{(fraction * 100).normalize():f}"


def product_name(product: Product, locale: str) -> str:
    """The catalogue's name of the product in ``locale``."""
    return product.name_zh if locale.startswith("zh") else product.name_en


def preset_terms(product: Product, offered: Sequence[str]) -> tuple[str, ...]:
    """The terms the form offers for the product: its choices among those ``offered``."""
    return tuple(term for term in offered if int(term) in product.terms)


def rate_range(product: Product) -> tuple[Decimal, Decimal]:
    """The rates the borrower may be quoted: the product's range, or the rate a subsidy
    fixes for them (the car maker's 0 % promotion: 0 % however much the maker pays)."""
    subsidy = product.subsidy
    if subsidy is not None and subsidy.customer_rate is not None:
        return subsidy.customer_rate, subsidy.customer_rate
    return product.rate_min, product.rate_max


def choices(items: Sequence[str], locale: str, gettext: Translate) -> str:
    """Items as running text, the last after "or": "12, 24 or 36", "12、24 或 36"."""
    if len(items) < 2:
        return "".join(items)
    head = list_separator(locale).join(items[:-1])
    return gettext(_("%(items)s or %(last)s")) % {"items": head, "last": items[-1]}


def late_fee_view(product: Product) -> dict[str, object] | None:
    """The product's late charge: 25.00 once on an installment unpaid 10 days after its
    due date is ``{"amount": "25.00", "days": 10}``; None where it charges none."""
    late = product.late_fee
    return None if late is None else {"amount": late.amount.to_api(), "days": late.after_days}


@dataclass(frozen=True)
class _Asked:
    """The priced quote of a preset, the rate the borrower is quoted and the page."""

    product: Product
    quote: Quote
    rate: Decimal
    locale: str
    gettext: Translate

    def money(self, amount: Money) -> str:
        return format_money(amount.to_api(), amount.currency.code, self.locale)


def _term(asked: _Asked) -> Broken | None:
    product = asked.product
    if asked.quote.request.term_months in product.terms:
        return None
    terms = choices([str(months) for months in product.terms], asked.locale, asked.gettext)
    return "term_months", _("for the %(product)s, the term is %(terms)s months"), {"terms": terms}


def _rate(asked: _Asked) -> Broken | None:
    low, high = rate_range(asked.product)
    if low <= asked.rate <= high:
        return None
    if low == high:
        said = _("for the %(product)s, the annual interest rate is %(rate)s")
        return "annual_rate", said, {"rate": f"{percent(low)}%"}
    said = _("for the %(product)s, the annual interest rate is from %(low)s to %(high)s")
    return "annual_rate", said, {"low": f"{percent(low)}%", "high": f"{percent(high)}%"}


def _down(asked: _Asked) -> Broken | None:
    least, quote = asked.product.min_down_payment_ratio, asked.quote
    if quote.down_payment.minor >= least * quote.request.vehicle_price.minor:
        return None
    said = _("for the %(product)s, the down payment is at least %(share)s of the price")
    return "down_payment", said, {"share": f"{percent(least)}%"}


def _ltv(asked: _Asked) -> Broken | None:
    product = asked.product
    used = product.eligibility.conditions == (VehicleCondition.USED,)
    cap = product.max_ltv_used if used else product.max_ltv_new
    loan, price = asked.quote.loan_principal.minor, asked.quote.request.vehicle_price.minor
    if loan <= cap * price:
        return None
    said = _("for the %(product)s, the loan with the fees added to it is at most %(share)s "
             "of the price (here %(ltv)s)")  # fmt: skip
    ltv = (Decimal(loan) * 100 / price).quantize(Decimal("0.01"))
    return "down_payment", said, {"share": f"{percent(cap)}%", "ltv": f"{ltv}%"}


def _amount(asked: _Asked) -> Broken | None:
    product = asked.product
    if product.min_amount <= asked.quote.vehicle_financed <= product.max_amount:
        return None
    said = _("for the %(product)s, the price less the down payment is from %(low)s to %(high)s")
    values = {"low": asked.money(product.min_amount), "high": asked.money(product.max_amount)}
    return "vehicle_price", said, values


def product_refusal(
    product: Product, quote: Quote, rate: str, gettext: Translate, locale: str
) -> QuoteError | None:
    """The first limit of ``product`` the priced ``quote`` breaks, said in ``locale`` as
    :func:`~autolend.web.calculator_errors.quote_error` says a domain refusal (the
    field's label, the reason, the input to mark); None where the quote fits. ``rate`` is
    the rate typed, what the borrower pays (under a subsidy not the contract rate)."""
    try:
        asked = _Asked(product, quote, parse_percent(rate, "annual_rate"), locale, gettext)
    except InvalidInput:  # priced, so readable; should it not be, the domain has said so
        return None
    for check in (_term, _rate, _down, _ltv, _amount):
        broken = check(asked)
        if broken is not None:
            field, said, values = broken
            reason = gettext(said) % {"product": product_name(product, locale), **values}
            label = error_label(field, gettext)
            return QuoteError(field, label, Markup("{}").format(reason), FIELD_INPUTS[field])
    return None
