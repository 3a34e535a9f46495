"""A product's checks that lean on other rules, refused on the product's own fields.

A product (:class:`~autolend.domain.products.Product`) is checked with rules that are
not the product's: the regulation pack it names, and the quotes of the sample loans its
cost ceiling is measured on. Their refusals named *their* fields, not the ones the
catalogue's administrator typed: an unknown pack was ``jurisdiction`` (the settings'
name), an ``effective_from`` too late to fit a loan was the quote's ``start``, a
``min_amount`` too small for the fees the APR solver's ``payments``. Here each is
named by the product's field (``pack``, ``effective_from``, ``min_amount`` ...).

>>> product_pack("XX")
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: pack 'XX' is not a regulation pack; known: CN, US
>>> product_field("start"), product_field("term_months"), product_field("payments")
('effective_from', 'terms', 'min_amount')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from autolend.domain.errors import InvalidInput
from autolend.domain.quote import CeilingStatus, Quote, build_quote, cost_ceiling_check
from autolend.domain.regulation import RegulationPack, all_packs, known_pack, pack_for

if TYPE_CHECKING:
    from autolend.domain.products import Product

__all__ = ["check_cost_ceiling", "product_field", "product_pack"]

_QUOTE_FIELDS = {
    **dict.fromkeys(("start", "first_due", "due_day", "date", "dates", "end", "when"),
                    "effective_from"),
    **dict.fromkeys(("term_months", "periods", "months"), "terms"),
    **dict.fromkeys(("annual_rate", "rate"), "rate_max"),
    **dict.fromkeys(("fees", "fee"), "fees"),
    **dict.fromkeys(("balloon", "balloon_ratio_of_price"), "balloon_ratio"),
    **dict.fromkeys(("step_weights", "weights"), "step_weights"),
    "subsidy": "subsidy",
}  # fmt: skip
"""A sample quote's field -> the product's field it was built from; any other (the
``payments``, the ``principal``, the price or the down payment) is the sample's amount,
``min_amount``."""


def product_field(quote_field: str | None) -> str:
    """The product's field a sample quote's ``quote_field`` comes from (see above)."""
    return _QUOTE_FIELDS.get(quote_field or "", "min_amount")


def product_pack(code: object) -> RegulationPack:
    """The regulation pack a product names in ``pack``, by its exact code (CN, US: the
    code is stored as written, and compared as stored); refused on ``pack``.

    >>> product_pack("us")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: pack 'us' is not a regulation pack; known: CN, US
    """
    codes = sorted(p.code for p in all_packs())
    known, zh = ", ".join(codes), f"监管规则包须为 {'、'.join(codes)} 之一"
    if not isinstance(code, str):
        raise InvalidInput(f"pack must be a pack's code: {known}", field="pack", message_zh=zh)
    found = known_pack(code)  # exact: "us" is refused, as pack_for would have taken it
    if found is None:
        raise InvalidInput(f"pack {code!r} is not a regulation pack; known: {known}",
                           field="pack", message_zh=zh)  # fmt: skip
    return found


def _sample_quote(product: Product, months: int) -> Quote:
    """The quote of ``min_amount`` over ``months`` at ``rate_max``, its refusal named by
    the product's field (``start 9999-12-01 leaves no room ...`` is ``effective_from``)."""
    try:
        return build_quote(product.sample_request(product.min_amount, months, product.rate_max))
    except InvalidInput as error:
        field = product_field(error.field)
        said = error.message
        if error.field and said.startswith(f"{error.field} "):
            message = field + said[len(error.field) :]
        else:
            sample = f"{product.min_amount.to_api()} {product.currency} over {months} months"
            message = (f"{field}: a loan of {sample} at rate_max {product.rate_max}, the "
                       f"fees included, cannot be priced: {said}")  # fmt: skip
        raise InvalidInput(message, field=field, message_zh=error.message_zh) from None


def check_cost_ceiling(product: Product) -> None:
    """The APR at ``rate_max`` with every fee, on the smallest amount over the shortest
    and the longest term (where upfront fees weigh most), must not breach the pack's
    cost ceiling (refused on ``rate_max``)."""
    ceiling = pack_for(product.pack).cost_ceiling(product.effective_from)
    for months in {product.terms[0], product.terms[-1]}:
        quote = _sample_quote(product, months)
        status = cost_ceiling_check(quote.apr, ceiling.ceiling, ceiling.warn_at)
        if status is CeilingStatus.BREACH:
            problem = f"rate_max {product.rate_max} with the fees gives an APR of "
            problem += f"{quote.apr.nominal_percent()} %, above the cost ceiling"
            raise InvalidInput(problem, field="rate_max")
