"""The synthetic book of the end-of-day benchmarks books what origination would: each CN
loan carries its catalogue product's late fee and penalty uplift in its stored terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from autolend.batch.bulk_synth import PRODUCTS, synthetic_loans
from autolend.domain.product_catalogue import SEASONAL, USED_CAR
from autolend.domain.servicing import LateFeeRule
from autolend.services.terms_codec import load_servicing


def stored_by_product() -> dict[str, tuple[LateFeeRule | None, Decimal | None]]:
    """The late fee and penalty uplift stored with one loan of each synthetic product."""
    loans = synthetic_loans(list(range(1, 201)), [date(2026, 1, 5)], seed=11)
    found = {}
    for loan in loans:
        servicing = load_servicing(loan.terms_json)
        found[loan.product_code] = (servicing.late_fee, servicing.penalty_uplift)
    return found


def test_a_synthetic_used_car_loan_carries_the_catalogues_late_fee() -> None:
    assert USED_CAR.late_fee is not None
    assert stored_by_product()["USED_CAR"] == (USED_CAR.late_fee.rule, USED_CAR.penalty_uplift)
    assert USED_CAR.late_fee.rule == LateFeeRule(5_000, 15)  # 50.00 after 15 days


def test_a_synthetic_seasonal_loan_carries_the_catalogues_penalty_uplift() -> None:
    assert stored_by_product()["SEASONAL"] == (None, SEASONAL.penalty_uplift)
    assert SEASONAL.penalty_uplift == Decimal("0.3")  # not the pack's default +50 %


def test_every_synthetic_product_carries_its_catalogue_products_terms() -> None:
    found = stored_by_product()
    assert set(found) == {p.code for p in PRODUCTS}  # every product drawn
    for product in PRODUCTS:
        assert found[product.code] == (product.late_fee, product.penalty_uplift)
    assert found["US_AUTO"] == (None, None)  # no catalogue product: the US pack's default
    late = {code for code, (fee, _) in found.items() if fee is not None}
    assert late == {"USED_CAR"}
