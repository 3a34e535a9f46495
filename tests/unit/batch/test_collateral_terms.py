"""The car recorded as collateral in the stored terms: it round-trips through the terms
JSON, older rows read as none, and the bulk end of day reads its price and curve."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolend.batch.bulk_book import _terms
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.contract import Collateral, ServicingTerms
from autolend.services.terms_codec import dump_terms, load_servicing

TERMS = LoanTerms(principal=Money.parse("120000", "CNY"), annual_rate=Decimal("0.05"),
                  periods=36, start=date(2026, 3, 1))  # fmt: skip


def test_the_collateral_round_trips_through_the_stored_terms_and_feeds_the_bulk_read() -> None:
    car = Collateral.of(16_000_000, nev=True, used=False)
    text = dump_terms(TERMS, "CN", servicing=ServicingTerms(collateral=car))
    assert load_servicing(text).collateral == Collateral(16_000_000, "nev_new")
    assert _terms(text)[-1] == (16_000_000, 2)  # the NEV-new depreciation curve


def test_terms_stored_without_a_car_read_as_no_collateral() -> None:
    text = dump_terms(TERMS, "CN", servicing=ServicingTerms())
    assert load_servicing(text).collateral is None
    assert _terms(text)[-1] == (0, 0)


@pytest.mark.parametrize(("price", "kind"), [(0, "ice_new"), (100, "diesel_new")])
def test_a_collateral_needs_a_positive_price_and_a_known_kind(price: int, kind: str) -> None:
    with pytest.raises(ValueError, match=r"price|vehicle_type"):
        Collateral(price, kind)
