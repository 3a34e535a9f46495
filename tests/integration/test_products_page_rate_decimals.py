"""The catalogue's contract rates as staff read them (SQLite and PostgreSQL): the car
maker's promotion read "4.5% – 6%" beside the standard loan's "3.99% – 8.99%"; a rate
now has two decimals wherever it stands, as on the calculator and the loan pages
("4.50% – 6.00%"), its version history too."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - container: the demo one
    container,
    web_sign_in,
)
from tests.integration.test_products_and_audit_pages_wording import catalogue, terms_of

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("lang", "label"), [("en", "Contract rate"), ("zh_CN", None)])
def test_every_contract_rate_has_two_decimals_in_both_languages(
    client: TestClient, staff: dict[Role, str], lang: str, label: str | None
) -> None:
    page = catalogue(client, staff, lang)
    promo = terms_of(page, "OEM_ZERO")
    rate = promo[label] if label else next(iter(promo.values()))  # the first term: the rate
    assert rate == "4.50% – 6.00%"
    history = page.split('data-history="OEM_ZERO"')[1].split("</details>", 1)[0]
    assert "4.50% – 6.00%" in history and "4.5% – 6%" not in page
