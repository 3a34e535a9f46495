"""A product's interest subsidy on the catalogue page names both its caps, in both
languages and on both databases. The 2025 state plan subsidises a car loan on at most
50,000.00 of its principal and grants one borrower at most 3,000.00 at this lender over
all their loans; the page said "State: 1% off the rate, at most ¥3,000.00", which reads
as a cap per loan and leaves the principal cap and the half-the-rate limit out. It now
says "State: 1% off the rate, at most 50% of the rate, on at most ¥50,000.00 of the
principal, at most ¥3,000.00 per borrower"."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.product_catalogue import DEMO_PRODUCTS, NEV_GREEN_2025
from autolend.web.routes_products import product_view
from tests.integration.test_application_pages import (  # noqa: F401 - container: the demo one
    container,
)
from tests.integration.test_products_and_audit_pages_wording import catalogue, terms_of

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("lang", "label", "shown"),
    [("en", "Interest subsidy",
      "State: 1% off the rate, at most 50% of the rate, on at most ¥50,000.00 of the "
      "principal, at most ¥3,000.00 per borrower"),
     ("zh_CN", "贴息",
      "政府：利率减免 1%，不超过利率的 50%，按不超过 ¥50,000.00 的本金计算，每位借款人最多 "
      "¥3,000.00")],
)  # fmt: skip
def test_the_state_plans_subsidy_names_its_principal_cap_and_its_cap_per_borrower(
    client: TestClient,
    container: Container,  # noqa: F811
    clock: FixedClock,
    staff: dict[Role, str],
    lang: str,
    label: str,
    shown: str,
) -> None:
    """The plan published again from tomorrow (the past is not rewritten), read then."""
    tomorrow = container.services.clock.today() + timedelta(days=1)
    plan = replace(NEV_GREEN_2025, effective_from=tomorrow, effective_to=None)
    container.services.products.publish(SYSTEM_ACTOR, plan)
    clock.advance(timedelta(days=1))
    assert terms_of(catalogue(client, staff, lang), "NEV_GREEN")[label] == shown


def test_a_subsidy_without_caps_gives_the_page_no_cap_to_word() -> None:
    """A guard: the car maker's 0 % promotion has no cap of either kind, nor a share."""
    promo = next(p for p in DEMO_PRODUCTS if p.code == "OEM_ZERO")
    subsidy = product_view(promo)["subsidy"]
    assert subsidy["principal_cap"] is None and subsidy["cap"] is None
    assert subsidy["max_share"] is None and subsidy["customer_rate"] == "0%"
