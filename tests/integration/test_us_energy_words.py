"""The car's energy on the application form and page, on both databases: a US lender's
form offered "New energy (NEV)" / "Combustion engine (ICE)", China's words. Under the US
pack they read "Electric (EV)" / "Gas (ICE)" (as the US loan page's "Gas, new"), in both
languages; CN keeps its words, and the values stay "nev" / "ice"."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import form, web_sign_in
from tests.integration.test_us_application_form import (
    US_FORM,
    options_of,
    post_form,
)
from tests.integration.test_us_origination import us_product  # noqa: F401 - fixture
from tests.support.origination import us_lender_container  # noqa: F401 - the container

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("us_product")]

US_WORDS = {
    "en": [("nev", "Electric (EV)"), ("ice", "Gas (ICE)")],
    "zh_CN": [("nev", "电动车"), ("ice", "燃油车")],
}
CN_WORDS = {
    "en": [("nev", "New energy (NEV)"), ("ice", "Combustion engine (ICE)")],
    "zh_CN": [("nev", "新能源车"), ("ice", "燃油车")],
}


def energy_shown(page: str) -> str:
    """What the application page's vehicle card says of the car's energy."""
    found = re.search(r'<dd data-energy="(nev|ice)">([^<]*)</dd>', page)
    assert found, page[:2000]
    return found.group(2)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_us_lenders_form_offers_an_electric_or_a_gas_car(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    lang: str,
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", lang)
    page = client.get("/applications/new").text
    assert options_of(page, "vehicle.energy") == US_WORDS[lang]
    assert "NEV)" not in page and "新能源车" not in page


@pytest.mark.parametrize("container", ["CN"], indirect=True)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_cn_lenders_form_keeps_its_words_until_a_us_product_is_chosen(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    lang: str,
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", lang)
    page = client.get("/applications/new").text
    assert options_of(page, "vehicle.energy") == CN_WORDS[lang]
    chosen = client.get("/applications/new?product=US_NEW").text
    assert options_of(chosen, "vehicle.energy") == US_WORDS[lang]


@pytest.mark.parametrize("container", ["US", "CN"], indirect=True)
def test_the_application_page_names_the_energy_in_the_words_of_its_pack(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
) -> None:
    """A US application reads so under either lender (a CN lender's, for a US product)."""
    web_sign_in(client, staff, Role.DEALER)
    filed = []
    for fields in (US_FORM, US_FORM | {"vehicle.energy": "nev"}):
        made = post_form(client, fields)
        assert made.status_code == 303, made.text[:3000]
        filed.append(made.headers["location"].split("?")[0])
    for lang, (nev, ice) in (
        ("en", ("Electric (EV)", "Gas (ICE)")),
        ("zh_CN", ("电动车", "燃油车")),
    ):
        client.cookies.set("autolend_lang", lang)
        assert energy_shown(client.get(filed[0]).text) == ice
        assert energy_shown(client.get(filed[1]).text) == nev


@pytest.mark.parametrize("container", ["CN"], indirect=True)
def test_a_cn_application_page_keeps_new_energy_and_combustion_engine(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    made = post_form(client, form())  # STD_NEW, a new energy car
    assert made.status_code == 303, made.text[:3000]
    address = made.headers["location"].split("?")[0]
    for lang, nev in (("en", "New energy (NEV)"), ("zh_CN", "新能源车")):
        client.cookies.set("autolend_lang", lang)
        assert energy_shown(client.get(address).text) == nev
