"""The demo's hand-made loans belong to the demo catalogue: a loan page names a product a
person can look up, at a rate and term that product allows (they used to say "standard",
"used" and "nev", at rates up to 15 % where the used-car loan stops at 12.99 %)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autolend.domain.product_catalogue import DEMO_PRODUCTS
from autolend.services.demo_loans import DEMO_LOANS, DemoLoan

PRODUCTS = {product.code: product for product in DEMO_PRODUCTS}


@pytest.mark.parametrize("plan", DEMO_LOANS, ids=lambda plan: f"{plan.product}-{plan.rate}")
def test_each_demo_loan_is_a_catalogue_product_at_a_rate_and_term_it_allows(
    plan: DemoLoan,
) -> None:
    product = PRODUCTS.get(plan.product)
    assert product is not None, f"{plan.product} is not in the demo catalogue"
    assert product.rate_min <= Decimal(plan.rate) <= product.rate_max
    assert plan.periods in product.terms


@pytest.mark.parametrize("plan", DEMO_LOANS, ids=lambda plan: f"{plan.product}-{plan.principal}")
def test_each_demo_loan_borrows_an_amount_its_product_lends(plan: DemoLoan) -> None:
    """The two used-car loans were 40,000.00 and 30,000.00 under a 50,000.00 minimum."""
    product = PRODUCTS[plan.product]
    assert product.min_amount.minor <= plan.principal <= product.max_amount.minor
