"""A retired borrower's employment reaches the credit model as "retired", not missing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from autolend.domain.application import parse_application
from autolend.domain.money import Money
from autolend.domain.products import Employment
from autolend.domain.score_features import score_features

AS_OF = date(2026, 11, 28)


def features_of(employment: str) -> dict[str, object]:
    data: dict[str, Any] = {
        "channel": "borrower", "product_code": "STD_NEW", "term_months": 36,
        "down_payment": "50000.00",
        "applicants": [{"role": "borrower", "name": "李四", "id_number": "110105196201010011",
                        "mobile": "13800138000", "address": "北京", "employment": employment,
                        "monthly_income": "8000.00", "monthly_obligations": "0.00"}],
        "vehicle": {"make": "BYD", "model": "Seal", "energy": "nev", "condition": "new",
                    "price": "150000.00"},
    }  # fmt: skip
    application = parse_application(data, as_of=AS_OF)
    installment = Money.parse("3000.00", "CNY")
    return score_features(application, None, installment=installment, as_of=AS_OF)


def test_a_retired_borrower_is_scored_as_retired_not_as_missing() -> None:
    row = features_of("retired")
    assert row["employment_type"] == "retired"
    assert row["age"] == 64


@pytest.mark.parametrize("employment", [e.value for e in Employment])
def test_every_employment_passes_through_as_it_is(employment: str) -> None:
    assert features_of(employment)["employment_type"] == employment
