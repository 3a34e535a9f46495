"""The model's features: the synthetic frame's names and units, missing as None."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from autolend.domain.application import parse_application
from autolend.domain.bureau import ReportSummary
from autolend.domain.money import Money
from autolend.domain.score_features import FEATURE_NAMES, NOT_COLLECTED, score_features
from autolend.risk.synth import COLUMNS, PD_DRIVERS

AS_OF = date(2026, 11, 28)


def body(**vehicle: Any) -> dict[str, Any]:
    return {
        "channel": "borrower", "product_code": "STD_NEW", "term_months": 36,
        "down_payment": "50000.00",
        "applicants": [{"role": "borrower", "name": "李四", "id_number": "110105198801010014",
                        "mobile": "13800138000", "address": "北京", "employment": "salaried",
                        "monthly_income": "20000.00", "monthly_obligations": "1500.00",
                        "first_time_buyer": True}],
        "vehicle": {"make": "BYD", "model": "Seal", "energy": "nev", "condition": "new",
                    "price": "200000.00", "dealer_id": 7} | vehicle,
    }  # fmt: skip


def report(**changes: Any) -> ReportSummary:
    values: dict[str, Any] = dict(
        accounts=3, open_accounts=2, total_outstanding_minor=0, monthly_obligations_minor=0,
        worst_months_overdue=1, months_overdue_any=2, months_overdue_90_plus=0,
        inquiries_6m=2, inquiries_12m=3, thin_file=False, red_flags=(),
    )  # fmt: skip
    return ReportSummary(**(values | changes))


def features(
    bureau: ReportSummary | None = None, stable: int | None = None, **vehicle: Any
) -> dict[str, object]:
    data = body(**vehicle)
    data["applicants"][0]["income_stability_months"] = stable
    application = parse_application(data, as_of=AS_OF)
    return score_features(application, bureau, installment=Money.parse("4500.00", "CNY"),
                          as_of=AS_OF)  # fmt: skip


def test_the_features_are_the_synthetic_frames_columns_that_a_model_may_use() -> None:
    assert set(features(report())) == set(FEATURE_NAMES)
    assert set(PD_DRIVERS) <= set(FEATURE_NAMES) <= set(COLUMNS)
    assert "gender" not in FEATURE_NAMES


def test_money_is_in_yuan_and_ratios_are_rounded_like_the_synthetic_data() -> None:
    row = features(report())
    assert row["age"] == 38
    assert row["monthly_income"] == Decimal("20000.00")
    assert row["vehicle_price"] == Decimal("200000.00")
    assert row["existing_debt_payments"] == Decimal("1500.00")
    # (1,500 + 4,500) / 20,000 = 0.3
    assert row["debt_service_ratio"] == Decimal("0.3000")
    assert (row["ltv"], row["down_payment_ratio"]) == (Decimal("0.750"), Decimal("0.250"))
    assert row["employment_type"] == "salaried" and row["first_time_buyer"] is True
    assert row["vehicle_condition"] == "new" and row["vehicle_energy"] == "nev"
    assert row["dealer_id"] == "D007" and row["term_months"] == 36


def test_bureau_debt_above_the_declared_debt_is_the_one_counted() -> None:
    row = features(report(monthly_obligations_minor=300_000))
    assert row["existing_debt_payments"] == Decimal("3000.00")
    assert row["debt_service_ratio"] == Decimal("0.3750")


def test_a_thin_file_has_no_delinquencies_and_no_report_means_missing_bureau_features() -> None:
    assert features(report(thin_file=True))["bureau_delinquencies_24m"] == 0
    assert features(report())["bureau_delinquencies_24m"] == 2
    missing = features(None)
    assert missing["bureau_delinquencies_24m"] is None
    assert missing["bureau_inquiries_6m"] is None
    assert missing["credit_utilisation"] is None and missing["city_tier"] is None


def test_a_dealer_outside_the_demo_range_is_missing() -> None:
    assert features(report(), dealer_id=41)["dealer_id"] is None
    assert features(report(), dealer_id=None)["dealer_id"] is None


def test_months_of_stable_income_are_the_borrowers_declaration() -> None:
    assert features(report(), stable=30)["income_stability_months"] == 30
    assert features(report())["income_stability_months"] is None


def test_credit_utilisation_is_the_open_cards_balances_over_their_limits() -> None:
    cards = report(card_limit_minor=4_000_000, card_balance_minor=1_260_000)
    assert features(cards)["credit_utilisation"] == Decimal("0.315")
    over = report(card_limit_minor=1_000_000, card_balance_minor=1_234_500)
    assert features(over)["credit_utilisation"] == Decimal("1.235")  # over the limit: as is
    # no card with a limit, or a thin file (the synthetic frame leaves both missing)
    assert features(report())["credit_utilisation"] is None
    thin = report(thin_file=True, card_limit_minor=500_000, card_balance_minor=100_000)
    assert features(thin)["credit_utilisation"] is None


def test_only_the_city_tier_is_left_for_a_model_of_applications_to_do_without() -> None:
    row = features(report(card_limit_minor=100_000, card_balance_minor=0), stable=12)
    assert [name for name in FEATURE_NAMES if row[name] is None] == list(NOT_COLLECTED)
