"""The offers in English: the late fee's days ("1 day", "15 days"), and a seasonal
offer's installment named as the first of varying ones."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from autolend.domain.offers import build_offers, offer_to_dict
from autolend.domain.product_catalogue import SEASONAL, USED_CAR
from autolend.web.offer_compare import offer_comparison
from autolend.web.render import build_environment
from tests.unit.domain.test_decision import application
from tests.unit.domain.test_offers import START, decided


def offers_page(after_days: int) -> str:
    """The offers section (English) for a used-car application whose product charges its
    late fee ``after_days`` after the due date."""
    assert USED_CAR.late_fee is not None
    product = replace(USED_CAR, late_fee=replace(USED_CAR.late_fee, after_days=after_days))
    used = application(condition="used", price="100000.00", down="40000.00", term=36)
    app, decision = decided(used, product)
    offers = [offer_to_dict(o) for o in build_offers(product, app, decision, start=START)]
    context: dict[str, Any] = {"offers": offers, "a": {"id": 1, "accepted_option": None},
                               "may": {"accept": False, "accept_after_vin": False},
                               "chart_option": None, "reg_z": False,
                               "compare": offer_comparison(offers)}  # fmt: skip
    template = build_environment("en", "Asia/Shanghai").get_template("_application_offers.html")
    return template.render(context)


@pytest.mark.parametrize(
    ("after_days", "said"),
    [
        (1, "still unpaid 1 day after its due date."),
        (15, "still unpaid 15 days after its due date."),
    ],
)
def test_each_offer_states_its_late_fees_days_in_the_right_number(
    after_days: int, said: str
) -> None:
    shown = re.findall(r'<span data-late-fee="50.00">([^<]*)</span>', offers_page(after_days))
    assert shown and all(text.endswith(said) for text in shown), shown
    assert all(text.startswith("A late fee of ¥50.00 on an installment") for text in shown)


def test_a_seasonal_offer_labels_its_installment_as_the_first_of_varying_ones() -> None:
    """The seasonal product's offer put "Monthly installment" over its first installment
    while its harvest months pay about five times as much."""
    app, decision = decided(application(employment="farmer"), SEASONAL)
    offers = [offer_to_dict(o) for o in build_offers(SEASONAL, app, decision, start=START)]
    assert offers and all(o.get("installments_vary") for o in offers)
    context: dict[str, Any] = {"offers": offers, "a": {"id": 1, "accepted_option": None},
                               "may": {"accept": False, "accept_after_vin": False},
                               "chart_option": None, "reg_z": False,
                               "compare": offer_comparison(offers)}  # fmt: skip
    template = build_environment("en", "Asia/Shanghai").get_template("_application_offers.html")
    page = template.render(context)
    # each card, and the heading of the side-by-side table's column
    assert page.count("First installment (installments vary)") == len(offers) + 1
    assert "Monthly installment" not in page
