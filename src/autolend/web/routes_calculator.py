"""The public car-loan calculator: ``GET /calculator`` (the page) and
``GET /calculator/quote`` (the HTMX result fragment).

No sign-in: neither route depends on the session (a signed-in visitor still sees their
navigation).  Both are GET and stateless (nothing is stored or changed), so no CSRF
token is involved.  The form's fields become a
:class:`~autolend.domain.quote_input.QuoteInput`, priced by the same code as
``POST /api/v1/quotes``.  A product preset fills in the rate and the fee toggles on the
page and offers only its product's terms (``static/calculator.js``); on the server the
product decides the method (balloon) and the subsidy (car-maker promotion), and holds the
quote to its limits (terms, rate range, down payment, loan-to-value, amount: a quote
outside them is refused naming the limit, :mod:`routes_calculator_limits`). The terms
compared are the product's; the late-payment card states its late charge, if any.

The page follows the lender's jurisdiction (``AUTOLEND_JURISDICTION``, its regulation
pack): amounts in the pack's currency (the charts' tooltips too), the terms offered up to
the pack's longest term cap (CN 60 months, US 84: :func:`terms_offered`), and the
:class:`Market`'s presets and texts. Under
US the presets are the US catalogue's (new, used, the maker's 0 % APR promotion), the APR
is explained as Regulation Z's with the four Truth-in-Lending figures, no China-only preset
(the NEV green loan, the balloon loan, the GPS fee), no penalty interest where the pack
charges none, the cost ceiling as the lender's own maximum where the pack's is policy, not
law, and dates MM/DD/YYYY on English pages (the ``day`` filter).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from autolend.domain.errors import InvalidInput
from autolend.domain.penalty import policy_from_pack
from autolend.domain.products import Product
from autolend.domain.quote import Quote
from autolend.domain.quote_input import (
    QuoteInput,
    QuoteOutcome,
    comparison_terms,
    late_payment_example,
    percent_text,
    price_quote,
    quote_wire,
)
from autolend.domain.regulation import CN_PACK, RegulationPack, pack_for
from autolend.domain.schedule import Method
from autolend.domain.schedule_input import parse_percent
from autolend.web.calculator_charts import schedule_chart, terms_chart
from autolend.web.calculator_errors import check_term, quote_error
from autolend.web.calculator_fees import CalculatorFee, fee_inputs, fee_label
from autolend.web.charts import Translate
from autolend.web.deps import SignedIn, SignInRequired, WebState, WebStateDep, current_session
from autolend.web.deps import is_htmx as htmx_request
from autolend.web.i18n import format_money
from autolend.web.routes_calculator_limits import (
    late_fee_view,
    percent,
    preset_terms,
    product_refusal,
    rate_range,
)
from autolend.web.routes_calculator_presets import (
    MARKETS,
    PRODUCT_KEYS,
    PRODUCTS,
    CalculatorForm,
    Market,
    Preset,
)

router = APIRouter(include_in_schema=False)
PAGE_PATH = "/calculator"
MAX_TEXT = 20
SHARES = ("30", "40", "50")
PROMO_CONTRACT_RATE = "4.5"
BALLOON_PERCENT = "30"
__all__ = [
    "MARKETS", "PRODUCTS", "PRODUCT_KEYS", "CalculatorForm", "Market", "Preset", "form_query",
    "market_of", "preset_label", "quote_input", "read_form", "result_context", "router",
    "terms_offered",
]  # fmt: skip


def market_of(pack: RegulationPack) -> Market:
    """The calculator's market under ``pack``."""
    return MARKETS[pack.code]


def read_form(params: Mapping[str, str], pack: RegulationPack = CN_PACK) -> CalculatorForm:
    """The form from a query string; without ``price`` (a first visit) the market's first
    deal.  A box left unticked is absent from a submitted form, so it reads as off; a
    preset or fee the market does not offer reads as the standard loan / off."""
    market = market_of(pack)
    if "price" not in params:
        return market.first_deal

    def text(name: str) -> str:
        return params.get(name, "").strip()[:MAX_TEXT]

    product = text("product")
    return CalculatorForm(
        price=text("price"),
        down_mode="amount" if text("down_mode") == "amount" else "percent",
        down=text("down"),
        term=text("term"),
        product=product if product in market.presets else "standard",
        rate=text("rate"),
        fees=tuple(item.key for item in market.fees if text(item.key) == "1"),
        income=text("income"),
        share=text("share") or "50",
    )


def terms_offered(pack: RegulationPack, today: date) -> tuple[str, ...]:
    """The terms the form offers: those the quote is compared over, up to the pack's
    longest term cap in force (CN 12..60 months, US 12..84)."""
    return tuple(str(months) for months in comparison_terms(pack, today))


def form_query(form: CalculatorForm) -> str:
    """The form as a canonical query string (for the address bar and language links)."""
    fields = {k: v for k, v in asdict(form).items() if k != "fees"}
    fields |= {k: "1" for k in form.fees}
    return urlencode(fields)


def _below(rate: str, limit: str) -> bool:
    try:
        return parse_percent(rate, "annual_rate") < parse_percent(limit, "annual_rate")
    except InvalidInput:
        return False


def quote_input(form: CalculatorForm, pack: RegulationPack = CN_PACK) -> QuoteInput:
    """The quote the form asks for under ``pack`` (fees from the toggles the market
    offers, method and subsidy from the product); invalid values are left for
    :func:`price_quote` to report."""
    market = market_of(pack)
    fees = fee_inputs(form.fees, market.fees)
    promo = form.product == "promo" and "promo" in market.presets
    promo = promo and _below(form.rate, PROMO_CONTRACT_RATE)
    percent = form.down_mode == "percent"
    return QuoteInput(
        vehicle_price=form.price, term_months=form.term, fees=fees,
        annual_rate=PROMO_CONTRACT_RATE if promo else form.rate,
        subsidy_customer_rate=form.rate if promo else None,
        down_payment_ratio=form.down if percent else None,
        down_payment=None if percent else form.down,
        balloon_percent=BALLOON_PERCENT if form.product == "balloon" else None,
        monthly_income=form.income or None, max_income_share=form.share,
    )  # fmt: skip


def _late_view(quote: Quote, pack: RegulationPack) -> dict[str, Any] | None:
    """The late-payment example, None where the pack's default policy charges nothing
    beyond the contract interest (US: no uplift, no compounding; a late fee instead)."""
    policy = policy_from_pack(pack, quote.request.start)
    if policy.uplift == 0 and not policy.compound_overdue_interest:
        return None
    late = late_payment_example(quote, pack=pack)
    return {
        "n": late.n, "due_date": late.due_date, "days": late.days,
        "payment": late.payment.to_api(), "per_day": late.per_day.to_api(),
        "total": late.total.to_api(), "penalty_rate": percent_text(late.penalty_rate),
        "uplift": percent_text(policy.uplift, Decimal(1)),
    }  # fmt: skip


def _result_view(
    outcome: QuoteOutcome,
    gettext: Translate,
    pack: RegulationPack,
    locale: str,
    product: Product,
) -> dict[str, Any]:
    """The priced quote as the page shows it: the terms compared are the product's, days
    are dates (the template writes them as the page's language does, ``day``)."""
    quote = outcome.quote
    rows = quote.schedule.rows
    balloon = quote.request.method is Method.BALLOON
    compared = tuple(q for q in outcome.comparison if q.request.term_months in product.terms)
    return {
        "wire": quote_wire(replace(outcome, comparison=compared)),
        "schedule_option": schedule_chart(quote, gettext, locale),
        "terms_option": terms_chart(compared, quote.request.term_months, gettext, locale),
        "term": quote.request.term_months,
        "first_due": rows[0].due_date,
        "final_payment": rows[-1].money("payment").to_api() if balloon else None,
        "contract_rate": percent_text(quote.request.annual_rate),
        "ceiling": percent_text(outcome.ceiling_rate, Decimal(1)),
        "ceiling_is_law": pack.cost_ceiling_is_law,
        # Where a late payment is reported: the page names the PBOC centre for "pboc".
        "credit_bureau": pack.credit_reporting,
        "late": _late_view(quote, pack),
        "late_fee": late_fee_view(product),
    }


def result_context(
    form: CalculatorForm,
    today: date,
    gettext: Translate,
    pack: RegulationPack = CN_PACK,
    *,
    locale: str,
) -> dict[str, Any]:
    """What ``_quote_result.html`` shows in ``locale``: the priced quote under the
    regulation pack's cost ceiling, or why it cannot be priced (``quote_error``: the
    field's label, the reason and the input to mark, :mod:`calculator_errors`), or which
    limit of the preset's product it breaks (:func:`product_refusal`)."""
    product = market_of(pack).product_of(form.product)
    try:
        check_term(form.term, terms_offered(pack, today))
        outcome = price_quote(quote_input(form, pack), today, pack)
    except InvalidInput as error:
        return {"result": None, "quote_error": quote_error(error, gettext, locale)}
    refused = product_refusal(product, outcome.quote, form.rate, gettext, locale)
    if refused is not None:
        return {"result": None, "quote_error": refused}
    result = _result_view(outcome, gettext, pack, locale, product)
    return {"result": result, "quote_error": None}


def _today(state: WebState) -> date:
    return state.services.clock.today()


def _signed_or_none(request: Request, state: WebState) -> SignedIn | None:
    try:
        return current_session(request, state)
    except SignInRequired:
        return None


def preset_label(preset: Preset, market: Market, locale: str, gettext: Translate) -> str:
    """The preset's name on the page: the catalogue product's in ``locale`` (the names
    of the products page and the application), then what the preset adds.

    >>> preset_label(PRODUCT_KEYS["nev"], MARKETS["CN"], "en", str)
    'NEV green loan · no fees'
    """
    product = market.catalogue.get(preset.key)
    if product is None:
        name = gettext(preset.label or preset.key)
    else:
        name = product.name_zh if locale.startswith("zh") else product.name_en
    detail = market.detail_of(preset)
    return name if detail is None else f"{name} · {gettext(detail)}"


def _products(
    gettext: Translate, market: Market, locale: str, offered: tuple[str, ...]
) -> list[dict[str, object]]:
    """The presets with what the script applies on choosing one: the rate, the fees, the
    terms (the product's among ``offered``) and the rate range (the rate box's bounds)."""
    shown = (p for p in PRODUCTS if p.key in market.presets)

    def view(preset: Preset) -> dict[str, object]:
        product = market.product_of(preset.key)
        low, high = rate_range(product)
        return {"key": preset.key, "rate": market.rate_of(preset),
                "fees": " ".join(market.fees_of(preset)),
                "terms": " ".join(preset_terms(product, offered)),
                "rate_min": percent(low), "rate_max": percent(high),
                "label": preset_label(preset, market, locale, gettext)}  # fmt: skip

    return [view(preset) for preset in shown]


def _fee_toggles(market: Market, gettext: Translate, locale: str) -> list[dict[str, str]]:
    """The fee toggles with their texts, amounts in the page's locale."""

    def amount(item: CalculatorFee) -> str | None:
        fee = item.fee.amount
        return None if fee is None else format_money(fee.to_api(), fee.currency.code, locale)

    return [{"key": item.key, "label": fee_label(item, gettext, amount(item))}
            for item in market.fees]  # fmt: skip


@router.get(PAGE_PATH)
def calculator_page(request: Request, state: WebStateDep) -> Response:
    """The calculator, with the quote of the fields in the query (or the defaults)."""
    locale = state.renderer.locale_of(request)
    gettext = state.renderer.gettext(locale)
    pack = pack_for(state.settings.jurisdiction)
    form = read_form(request.query_params, pack)
    market = market_of(pack)
    offered = terms_offered(pack, _today(state))
    context = {
        "form": form, "products": _products(gettext, market, locale, offered),
        "fee_toggles": _fee_toggles(market, gettext, locale),
        "terms": preset_terms(market.product_of(form.product), offered),
        "shares": SHARES, "calculator_page": True, "market": market,
        "currency": pack.currency,
        **result_context(form, _today(state), gettext, pack, locale=locale),
    }  # fmt: skip
    signed = _signed_or_none(request, state)
    return state.renderer.render(request, "calculator.html", context, signed=signed)


@router.get(f"{PAGE_PATH}/quote")
def calculator_quote(request: Request, state: WebStateDep) -> Response:
    """The result fragment for HTMX (the address bar follows the form); a plain
    request goes to the page with the same fields."""
    pack = pack_for(state.settings.jurisdiction)
    form = read_form(request.query_params, pack)
    target = f"{PAGE_PATH}?{form_query(form)}"
    if not htmx_request(request):
        return RedirectResponse(target, status_code=303)
    locale = state.renderer.locale_of(request)
    gettext = state.renderer.gettext(locale)
    context = result_context(form, _today(state), gettext, pack, locale=locale)
    response = state.renderer.render(request, "_quote_result.html", context)
    response.headers["HX-Push-Url"] = target
    return response
