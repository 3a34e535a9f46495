"""The product catalogue page names a US product's energies in the words the US
application form uses, "Electric (EV)" / "Gas (ICE)" (电动车 / 燃油车), where it said
"Combustion engine" / "New energy vehicle", China's words; a CN product keeps those. On
both databases, in English and Chinese."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.product_catalogue import DEMO_HISTORY
from autolend.domain.product_catalogue_us import US_DEMO_HISTORY
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_products_and_audit_pages_wording import terms_of

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("lang", "label", "cn_words", "us_words"),
    [
        ("en", "Vehicles", "New car; Combustion engine, New energy vehicle",
         "New car; Gas (ICE), Electric (EV)"),
        ("zh_CN", "车辆", "新车；燃油车、新能源汽车", "新车；燃油车、电动车"),
    ],
)  # fmt: skip
def test_a_us_product_names_its_energies_as_the_us_application_form_does(
    client: TestClient, container: Container, staff: dict[Role, str], lang: str, label: str,
    cn_words: str, us_words: str,
) -> None:  # fmt: skip
    container.services.products.seed(SYSTEM_ACTOR, (*DEMO_HISTORY, *US_DEMO_HISTORY))
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set("autolend_lang", lang)
    page = client.get("/products")
    assert page.status_code == 200
    assert terms_of(page.text, "STD_NEW")[label] == cn_words
    assert terms_of(page.text, "US_NEW_AUTO")[label] == us_words
    if lang == "en":
        us = page.text.split('data-terms="US_NEW_AUTO"')[1].split("</dl>", 1)[0]
        assert "Combustion engine" not in us and "New energy vehicle" not in us
