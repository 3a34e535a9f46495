"""The features the credit model scores, built from an application and its bureau report.

The demo model is trained on the synthetic applicants of ``autolend.risk.synth``, so the
names and units here are exactly that frame's columns (:data:`FEATURE_NAMES`): money in
yuan as exact ``Decimal`` (the service hands the model floats at its boundary), ratios as
``Decimal`` rounded half-up like the synthetic data (DSR to 4 places, LTV and
down-payment ratio to 3), categories as their lower-case codes, and ``None`` for missing
(the frame's NaN).

* income and existing debt are the household's (borrower + co-borrowers); existing debt
  is the larger of what they declared and what the bureau reports;
* ``debt_service_ratio`` = (existing debt payments + this loan's installment) / income;
* ``bureau_delinquencies_24m``: months overdue in the last 24 (at most 12, as in the
  synthetic data); a thin file has 0 delinquencies and 0 inquiries is reported as is;
* ``income_stability_months``: the borrower's own declaration (missing when not given);
* ``credit_utilisation``: the open credit cards' balances over their limits, to 3 places
  (missing for a thin file or a report with no open card that states its limit, as the
  synthetic frame leaves a thin file's utilisation missing);
* not derivable from an application, so missing: ``city_tier``;
  ``dealer_id`` is ``D001``..``D040`` for the demo dealers 1..40, else missing;
* ``employment_type`` is the borrower's employment as it is: every kind an application
  offers (salaried, self-employed, farmer, retired) is one the synthetic applicants hold,
  so a retired borrower reaches the model as ``"retired"``, not missing.

Worked example: 20,000.00 income, 1,500.00 existing, a 5,000.00 installment:
DSR (1,500 + 5,000) / 20,000 = 0.325.

>>> dsr_of(Money.parse("1500", "CNY"), Money.parse("5000", "CNY"), Money.parse("20000", "CNY"))
Decimal('0.3250')
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from autolend.domain.application import ApplicationInput
from autolend.domain.bureau import ReportSummary
from autolend.domain.money import Money
from autolend.domain.product_rules import age_on

__all__ = [
    "FEATURE_NAMES", "NOT_COLLECTED", "card_utilisation", "dsr_of", "existing_debt",
    "score_features",
]  # fmt: skip

FEATURE_NAMES = (
    "age", "monthly_income", "income_stability_months", "employment_type",
    "existing_debt_payments", "debt_service_ratio", "bureau_delinquencies_24m",
    "bureau_inquiries_6m", "credit_utilisation", "down_payment_ratio", "ltv", "term_months",
    "vehicle_condition", "vehicle_energy", "vehicle_price", "dealer_id", "city_tier",
    "first_time_buyer",
)  # fmt: skip
"""The synthetic frame's columns less the id, month, gender and outcome columns."""

NOT_COLLECTED = ("city_tier",)
"""Columns of the synthetic applicants that no application supplies (:func:`score_features`
leaves them missing): a model that decides applications is trained without them, else
each falls in its "Missing" bin for every applicant and is a reason on every decision."""

MAX_DELINQUENCIES = 12
MAX_INQUIRIES = 20
DEMO_DEALERS = 40


def _ratio(numerator: int, denominator: int, places: str) -> Decimal | None:
    """numerator / denominator rounded half-up to ``places``: 1 / 3 to "0.001" is 0.333."""
    if denominator <= 0:
        return None
    exact = Decimal(numerator) / Decimal(denominator)

    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def dsr_of(existing: Money, installment: Money, income: Money) -> Decimal | None:
    """(existing + installment) / income to 4 places; None without an income."""
    return _ratio(existing.minor + installment.minor, income.minor, "0.0001")


def _yuan(money: Money) -> Decimal:
    return money.to_decimal()


def existing_debt(application: ApplicationInput, bureau: ReportSummary | None) -> Money:
    """Existing monthly debt payments: the larger of the household's declaration and
    the bureau's total (people forget loans; the bureau may miss a private one)."""
    declared = application.household_obligations
    if bureau is None:
        return declared
    return max(declared, Money(bureau.monthly_obligations_minor, declared.currency))


def card_utilisation(bureau: ReportSummary) -> Decimal | None:
    """Open cards' balances over their limits, to 3 places; None for a thin file or no
    limit: 12,600 owed on 40,000 of limits is 0.315.

    >>> report = ReportSummary(2, 2, 1_260_000, 126_000, 0, 0, 0, 1, 1, False, (),
    ...                        card_limit_minor=4_000_000, card_balance_minor=1_260_000)
    >>> card_utilisation(report)
    Decimal('0.315')
    """
    if bureau.thin_file:
        return None
    return _ratio(bureau.card_balance_minor, bureau.card_limit_minor, "0.001")


def _bureau(bureau: ReportSummary | None) -> dict[str, object]:
    if bureau is None:
        return {"bureau_delinquencies_24m": None, "bureau_inquiries_6m": None,
                "credit_utilisation": None}  # fmt: skip
    delinquencies = 0 if bureau.thin_file else min(bureau.months_overdue_any, MAX_DELINQUENCIES)
    return {
        "bureau_delinquencies_24m": delinquencies,
        "bureau_inquiries_6m": min(bureau.inquiries_6m, MAX_INQUIRIES),
        "credit_utilisation": card_utilisation(bureau),
    }


def _dealer(dealer_id: int | None) -> str | None:
    return f"D{dealer_id:03d}" if dealer_id is not None and dealer_id <= DEMO_DEALERS else None


def score_features(
    application: ApplicationInput,
    bureau: ReportSummary | None,
    *,
    installment: Money,
    as_of: date,
) -> dict[str, object]:
    """The model's input for ``application``; see the module docstring for each feature."""
    borrower, vehicle = application.borrower, application.vehicle
    income = application.household_income
    existing = existing_debt(application, bureau)
    price = vehicle.price.minor
    return {
        "age": age_on(borrower.birth_date, as_of),
        "monthly_income": _yuan(income) if income.minor > 0 else None,
        "income_stability_months": borrower.income_stability_months,
        "employment_type": borrower.employment.value,
        "existing_debt_payments": _yuan(existing),
        "debt_service_ratio": dsr_of(existing, installment, income),
        **_bureau(bureau),
        "down_payment_ratio": _ratio(application.down_payment.minor, price, "0.001"),
        "ltv": _ratio(application.financed.minor, price, "0.001"),
        "term_months": application.term_months,
        "vehicle_condition": vehicle.condition.value,
        "vehicle_energy": vehicle.energy.value,
        "vehicle_price": _yuan(vehicle.price),
        "dealer_id": _dealer(vehicle.dealer_id),
        "city_tier": None,
        "first_time_buyer": borrower.first_time_buyer,
    }
