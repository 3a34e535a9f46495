"""The servicing terms a loan booked under a product carries (services/product_terms.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from autolend.domain.money import Money
from autolend.domain.product_catalogue import SEASONAL, SENIOR_INSURED, STANDARD_NEW, USED_CAR
from autolend.domain.products import LateFee
from autolend.domain.schedule import LoanTerms
from autolend.domain.servicing import LateFeeRule
from autolend.services.product_terms import booking_terms, servicing_terms
from autolend.services.terms_codec import dump_terms, load_servicing

FINANCED = Money.parse("100000", "CNY")


def test_a_products_late_fee_travels_with_the_loan_and_reads_back_from_its_terms() -> None:
    assert servicing_terms(USED_CAR, FINANCED).late_fee == LateFeeRule(5_000, 15)  # catalogue
    product = replace(USED_CAR, late_fee=LateFee(amount=Money.parse("80", "CNY"), after_days=10))
    terms = servicing_terms(product, FINANCED)
    assert terms.late_fee == LateFeeRule(8_000, 10)
    stored = dump_terms(*_booked(), servicing=terms)
    assert load_servicing(stored).late_fee == LateFeeRule(8_000, 10)


def test_a_product_without_a_late_fee_books_loans_without_one() -> None:
    terms = servicing_terms(STANDARD_NEW, FINANCED)
    assert terms.late_fee is None
    assert "late_fee" not in dump_terms(*_booked(), servicing=terms)


def test_the_senior_loans_insurance_is_billed_monthly_on_the_amount_financed() -> None:
    """0.05 % a month of 100,000.00 (the product module's example): 50.00."""
    assert servicing_terms(SENIOR_INSURED, FINANCED).monthly_fees == (("insurance", 5_000),)


def _booked() -> tuple[LoanTerms, str]:
    terms = LoanTerms(principal=FINANCED, annual_rate=Decimal("0.12"), periods=12,
                      start=date(2026, 1, 5))  # fmt: skip
    return terms, "CN"


def test_a_booking_takes_every_contract_term_from_its_product() -> None:
    """The seasonal loan: principal first, +30 % penalty uplift, no late fee; the used
    car loan: a late fee of 50.00 after 15 days, prepayment fee 2 % waived on a trade-in."""
    seasonal = booking_terms(SEASONAL, FINANCED)
    assert (seasonal["waterfall"], seasonal["penalty_uplift"], seasonal["late_fee"]) == (
        "principal_first",
        Decimal("0.3"),
        None,
    )
    used = booking_terms(USED_CAR, FINANCED)
    assert used["late_fee"] == {"amount": "50.00", "after_days": 15}
    assert (used["prepayment_fee_rule"], used["prepayment_fee_rate"]) == (
        "waived_trade_in",
        Decimal("0.02"),
    )
    assert booking_terms(SENIOR_INSURED, FINANCED)["monthly_fees"] == {"insurance": "50.00"}
