"""The servicing terms a loan booked under a product carries (services/product_terms.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from autolend.domain.money import Money
from autolend.domain.product_catalogue import SENIOR_INSURED, USED_CAR
from autolend.domain.products import LateFee
from autolend.domain.schedule import LoanTerms
from autolend.domain.servicing import LateFeeRule
from autolend.services.product_terms import servicing_terms
from autolend.services.terms_codec import dump_terms, load_servicing

FINANCED = Money.parse("100000", "CNY")


def test_a_products_late_fee_travels_with_the_loan_and_reads_back_from_its_terms() -> None:
    product = replace(USED_CAR, late_fee=LateFee(amount=Money.parse("50", "CNY"), after_days=10))
    terms = servicing_terms(product, FINANCED)
    assert terms.late_fee == LateFeeRule(5_000, 10)
    stored = dump_terms(*_booked(), servicing=terms)
    assert load_servicing(stored).late_fee == LateFeeRule(5_000, 10)


def test_a_product_without_a_late_fee_books_loans_without_one() -> None:
    terms = servicing_terms(USED_CAR, FINANCED)
    assert terms.late_fee is None
    assert "late_fee" not in dump_terms(*_booked(), servicing=terms)


def test_the_senior_loans_insurance_is_billed_monthly_on_the_amount_financed() -> None:
    """0.05 % a month of 100,000.00 (the product module's example): 50.00."""
    assert servicing_terms(SENIOR_INSURED, FINANCED).monthly_fees == (("insurance", 5_000),)


def _booked() -> tuple[LoanTerms, str]:
    terms = LoanTerms(principal=FINANCED, annual_rate=Decimal("0.12"), periods=12,
                      start=date(2026, 1, 5))  # fmt: skip
    return terms, "CN"
