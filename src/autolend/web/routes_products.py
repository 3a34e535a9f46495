"""The product catalogue page: each product's key terms today and its version history.

``/products`` needs ``product:read_all`` (staff). Labels are translated (zh-CN / en); each
CN product's name is shown in both languages, a product of a pack that speaks another
language (US) in the page's only. An upper age limit a product does not have (a
US product has none) reads "18 and over" / "no upper limit". Under a pack that adds
nothing to the rate of overdue principal and never compounds overdue interest (US), a
product with no uplift shows "interest on overdue principal at the contract rate" instead
of a "+0%" penalty uplift, and "no late charge" when it has no late fee (not "penalty
interest only"). A subsidy names its caps: on at most how much of the principal it runs
and the most one borrower is granted at this lender under the plan ("at most ¥3,000.00
per borrower", :func:`_subsidy`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from autolend.domain.access import Permission
from autolend.domain.penalty import charges_penalty_interest
from autolend.domain.products import Product
from autolend.domain.regulation import pack_for
from autolend.web.deps import SignedIn, WebStateDep, needs

router = APIRouter(include_in_schema=False)
CatalogueReader = Annotated[SignedIn, Depends(needs(Permission.PRODUCT_READ_ALL))]


def percent(rate: Decimal) -> str:
    """A rate fraction as percent with up to two places: 0.0399 -> '3.99%', 0.5 -> '50%'."""
    text = f"{rate * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def rate_percent(rate: Decimal) -> str:
    """An interest rate as percent with two places, as every rate of the site reads and
    the range's other end may need: 0.045 -> '4.50%' (beside '6.00%', not '4.5% – 6%')."""
    return f"{rate * 100:.2f}%"


def _fees(product: Product) -> list[dict[str, Any]]:
    return [
        {
            "kind": f.kind.value,
            "timing": f.timing.value,
            "financed": f.financed,
            "amount": f.amount.to_api() if f.amount is not None else None,
            "rate": percent(f.rate_of_amount) if f.rate_of_amount is not None else None,
        }
        for f in product.fees
    ]


def _subsidy(product: Product) -> dict[str, Any] | None:
    """A subsidy's terms as the page words them: the borrower's rate or the points off
    it, at most which share of the rate (``max_share``, shown below 100 %), on at most
    how much of the principal (``principal_cap``) and at most how much per borrower at
    this lender over all their loans under the plan (``cap``). The 2025 state plan:
    1% off the rate, at most 50% of it, on at most 50,000.00 of the principal, at most
    3,000.00 per borrower."""
    s = product.subsidy
    if s is None:
        return None
    points = s.rate_points
    return {
        "subsidiser": s.subsidiser,
        "customer_rate": percent(s.customer_rate) if s.customer_rate is not None else None,
        "rate_points": percent(points) if points is not None else None,
        "max_share": percent(s.max_share) if points is not None and s.max_share < 1 else None,
        "principal_cap": s.principal_cap.to_api() if s.principal_cap is not None else None,
        "cap": s.cap.to_api() if s.cap is not None else None,
    }


def no_penalty_interest(product: Product) -> bool:
    """Whether overdue money bears nothing beyond the contract rate: no uplift on the
    product and no compounding of overdue interest in its pack (a US product)."""
    return not charges_penalty_interest(pack_for(product.pack), product.penalty_uplift)


def product_view(product: Product) -> dict[str, Any]:
    """What the page shows of one version."""
    rules = product.eligibility
    return {
        "p": product,
        "rate": f"{rate_percent(product.rate_min)} – {rate_percent(product.rate_max)}",
        # The page joins them with its language's list comma (12、24、36 in Chinese).
        "terms": [str(t) for t in product.terms],
        "down": percent(product.min_down_payment_ratio),
        "ltv_new": percent(product.max_ltv_new),
        "ltv_used": percent(product.max_ltv_used),
        "balloon": percent(product.balloon_ratio) if product.balloon_ratio else None,
        # None: no upper age limit (a US product: Reg B 1002.6(b)(2)); the page says so.
        "ages": (rules.min_age, rules.max_age, rules.max_age_at_maturity),
        "dsr": percent(rules.max_dsr),
        "uplift": percent(product.penalty_uplift),
        "no_penalty_interest": no_penalty_interest(product),
        "prepay": percent(product.prepayment_fee_rate),
        "fees": _fees(product),
        "subsidy": _subsidy(product),
    }


def own_name(product: Product, locale: str) -> str | None:
    """The one name the page shows of a product of a pack that speaks another language
    than Chinese (a US product: "New vehicle loan" on the English page, its Chinese name
    on the Chinese one); None for a CN product, whose two names the catalogue pairs.

    >>> from autolend.domain.product_catalogue import DEMO_PRODUCTS
    >>> own_name(DEMO_PRODUCTS[0], "en") is None
    True
    """
    if pack_for(product.pack).locale.startswith("zh"):
        return None
    chinese = locale.startswith("zh") and product.name_zh
    return product.name_zh if chinese else product.name_en


@router.get("/products")
def products_page(request: Request, state: WebStateDep, signed: CatalogueReader) -> Response:
    """Every product: the version in force today, then all its versions."""
    locale = state.renderer.locale_of(request)
    entries = [
        {"now": product_view(now) if now else None, "latest": versions[0],
         "history": [product_view(v) for v in versions],
         "own_name": own_name(versions[0], locale)}
        for now, versions in state.services.products.catalogue(signed.actor)
    ]  # fmt: skip
    return state.renderer.render(request, "products.html", {"entries": entries}, signed=signed)
