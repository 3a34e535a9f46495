"""A US application's offers as the page shows them (English), built from the US demo's
products: the documentation fee was listed by its code ("documentation: $199.00"); a
0 % promotion's subsidy note promised "penalty interest at the contract rate" beside
"no penalty interest"; four promotions at 0.00 each had the first marked "lowest"; and
the Truth-in-Lending box gave no payment schedule (12 CFR 1026.18(g)), which the
contract states as runs of equal payments."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from autolend.domain.application import parse_application
from autolend.domain.offers import build_offers, offer_to_dict
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_catalogue_us import US_NEW_AUTO, US_PROMO_0APR
from autolend.domain.products import Product
from autolend.services.demo_applications_us import us_demo_application_body
from autolend.web.offer_compare import offer_comparison, payment_runs
from autolend.web.render import build_environment
from tests.unit.domain.test_offers import START, decided


def us_offers(product: Product, serial: int) -> list[dict[str, Any]]:
    """The offers for the ``serial``-th US demo application under ``product``."""
    app = parse_application(us_demo_application_body(serial, 1), as_of=START, pack="US")
    app, decision = decided(app, product)
    return [offer_to_dict(o) for o in build_offers(product, app, decision, start=START)]


def page(offers: list[dict[str, Any]], *, reg_z: bool = True) -> str:
    context: dict[str, Any] = {"offers": offers, "a": {"id": 1, "accepted_option": None},
                               "may": {"accept": False, "accept_after_vin": False},
                               "chart_option": None, "reg_z": reg_z,
                               "compare": offer_comparison(offers)}  # fmt: skip
    template = build_environment("en", "America/New_York").get_template("_application_offers.html")
    return template.render(context)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_us_offers_documentation_fee_is_named_as_a_fee_not_by_its_code() -> None:
    shown = re.findall(r'<li data-fee="other">([^<]*)</li>', page(us_offers(US_NEW_AUTO, 0)))
    assert shown and all(f.startswith("Documentation fee: $199.00") for f in shown), shown


def test_a_us_promotions_subsidy_note_speaks_of_overdue_interest_not_penalty_interest() -> None:
    html = page(us_offers(US_PROMO_0APR, 1))
    notes = re.findall(r"data-subsidy-note>(.*?)</p>", html, re.S)
    assert notes and all("penalty" not in note for note in notes), notes
    assert all("overdue principal bears interest at the contract rate" in n for n in notes)


def test_options_that_cost_the_same_are_compared_with_none_marked_lowest() -> None:
    offers = us_offers(US_PROMO_0APR, 1)
    assert len(offers) > 1 and {o["total_cost"] for o in offers} == {"0.00"}
    html = page(offers)
    assert 'data-table="offer-compare"' in html
    assert "data-lowest" not in html and ">lowest<" not in html
    assert offer_comparison(offers)["lowest"] is None


def test_one_option_that_costs_least_is_still_marked_lowest() -> None:
    offers = us_offers(US_NEW_AUTO, 0)
    cheapest = min(offers, key=lambda o: Decimal(o["total_cost"]))["option"]
    assert offer_comparison(offers)["lowest"] == cheapest
    assert page(offers).count("data-lowest") == 1


def test_each_us_offers_box_states_a_payment_schedule_adding_up_to_its_total_of_payments(
) -> None:  # fmt: skip
    offers = us_offers(US_NEW_AUTO, 0) + us_offers(US_PROMO_0APR, 1)
    for offer in offers:
        runs = payment_runs(offer)
        assert runs is not None, offer["option"]
        assert sum(count for count, _, _ in runs) == offer["term_months"]
        total = sum(count * Decimal(amount) for count, amount, _ in runs)
        assert total == Decimal(offer["regz"]["total_of_payments"])
        assert runs[0][2] == offer["schedule_preview"][0]["due_date"]
    html = page(us_offers(US_NEW_AUTO, 0))
    schedules = [text(p) for p in re.findall(r"<p[^>]*data-regz-schedule>(.*?)</p>", html, re.S)]
    assert len(schedules) == html.count("data-regz>") > 0
    assert re.search(r"Payment schedule \d+ payments of \$[\d,.]+, due monthly from 20\d\d-",
                     schedules[0]), schedules[0]  # fmt: skip


def test_a_cn_offer_has_no_truth_in_lending_schedule() -> None:
    app, decision = decided()
    offers = [offer_to_dict(o) for o in build_offers(STANDARD_NEW, app, decision, start=START)]
    assert all(payment_runs(o) is None for o in offers)
    assert "data-regz-schedule" not in page(offers, reg_z=False)
