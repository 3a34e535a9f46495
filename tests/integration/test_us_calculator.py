"""A lender under the US regulation pack (``AUTOLEND_JURISDICTION=US``), on both databases:
the quotes API quotes in dollars (another currency is 422 naming ``currency``), the
calculator page speaks of dollars, Regulation Z's APR and its four figures with no China-only
text or preset, and the products page shows a US product's missing upper age limit in words
and its overdue terms without China's penalty wording."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container, build_container
from autolend.domain.access import Role
from autolend.domain.regulation import US_PACK
from autolend.web.i18n import translations
from tests import conftest as shared
from tests.integration.test_model_risk import web_sign_in
from tests.integration.test_products_api import new_version, sign_in
from tests.integration.test_us_product_ages import us_product

pytestmark = pytest.mark.integration

ZH, EN = translations("zh_CN").gettext, translations("en").gettext
DEAL: dict[str, Any] = {
    "vehicle_price": "35000", "down_payment_ratio": "20", "annual_rate": "6.99",
    "term_months": 60, "fees": [{"kind": "other", "amount": "199.00", "financed": True}],
}  # fmt: skip
# The calculator's form for the same deal (its first visit under US: US_NEW_AUTO's rate
# range 5.49-14.99 %, its 199.00 documentation fee financed).
DEAL_QUERY = (
    "price=35000&down_mode=percent&down=20&term=60&product=standard&rate=6.99&documentation=1"
)
# Texts only a China lender's page carries, in either language: the PBOC and its credit
# bureau, the legal cost ceiling, penalty and compound interest, the NEV green loan, the
# car maker's subsidy (贴息, the China wording), the GPS fee, the balloon loan, yuan. (The US
# catalogue has a maker's 0 % APR promotion of its own: the "promo" preset is offered.)
CHINA_ONLY = (
    "PBOC", "中国人民银行", "征信中心", "贴息", "¥", "yuan", "China",
    "Licensed lenders", "penalty interest", "Penalty interest", "Compound interest",
    "NEV green loan", "新能源绿色贷", "car-maker promotion", "厂商零息购车",
    EN("interest subsidised"), ZH("interest subsidised"),
    ZH("Penalty interest"), ZH("Compound interest"), "GPS", 'value="nev"', 'value="balloon"',
)  # fmt: skip


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    """The test container of a lender under the US pack (its time zone New York)."""
    settings = shared.test_settings(db_url, tmp_path).model_copy(
        update={"jurisdiction": "US", "timezone": "America/New_York"}
    )
    built = build_container(settings, clock=clock)
    yield built
    built.close()


def china_only_texts(html: str) -> list[str]:
    return [text for text in CHINA_ONLY if text in html]


def dd(html: str, name: str) -> str:
    match = re.search(rf"<dd {name}>([^<]*)</dd>", html)
    assert match, name
    return match.group(1)


def test_a_us_quote_is_in_dollars_with_the_regz_figures_and_another_currency_is_422(
    client: TestClient,
) -> None:
    implicit = client.post("/api/v1/quotes", json=DEAL)
    assert implicit.status_code == 200, implicit.text
    explicit = client.post("/api/v1/quotes", json={**DEAL, "currency": "USD"})
    assert explicit.status_code == 200, explicit.text
    assert explicit.json() == implicit.json()
    quote = implicit.json()
    assert quote["currency"] == quote["schedule"]["currency"] == "USD"
    assert quote["cost_ceiling"]["ceiling"] == "36.00"  # the US pack's, not CN's 24
    regz = quote["regz"]
    assert regz is not None and regz["apr"] == quote["apr"]["nominal"]
    # 28,199 lent (28,000 and the 199.00 documentation fee financed) less that fee, a
    # prepaid finance charge (Regulation Z, 12 CFR 1026.18(b)).
    assert regz["amount_financed"] == "28000.00"
    for currency in ("CNY", "usd", "EUR"):
        refused = client.post("/api/v1/quotes", json={**DEAL, "currency": currency})
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["field"] == "currency"


def test_the_us_calculator_shows_dollars_and_regulation_z_and_nothing_china_only(
    client: TestClient,
) -> None:
    regz = client.post("/api/v1/quotes", json=DEAL).json()["regz"]
    client.cookies.set("autolend_lang", "en")
    page = client.get("/calculator").text  # the first visit is the US deal
    assert china_only_texts(page) == []
    assert '<span class="affix__unit" aria-hidden="true">$</span>' in page
    assert ">dollars</option>" in page
    presets = re.findall(r'<option value="(\w+)" data-rate=', page)
    assert presets == ["standard", "used", "promo"]  # the US catalogue's three products
    assert "the cost of your credit as a yearly rate" in page
    assert "Truth in Lending Act (Regulation Z)" in page
    assert dd(page, "data-regz-apr") == f"{regz['apr']}%"
    for name in ("amount_financed", "finance_charge", "total_of_payments", "total_sale_price"):
        shown = dd(page, f"data-regz-{name.replace('_', '-')}")
        assert shown == f"${float(regz[name]):,.2f}", name
    assert "This lender's maximum is 36% a year." in page
    assert "Within this lender's maximum of 36% a year" in page
    assert "data-late-example" not in page
    assert "reported to the credit bureaus" in page
    # A China-only preset or fee asked for in the address reads as the standard loan, no GPS.
    asked = client.get(f"/calculator?{DEAL_QUERY.replace('=standard', '=nev')}&gps=1")
    assert china_only_texts(asked.text) == []
    assert dd(asked.text, "data-regz-apr") == f"{regz['apr']}%"
    fragment = client.get(f"/calculator/quote?{DEAL_QUERY}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and china_only_texts(fragment.text) == []
    assert "data-regz" in fragment.text
    client.cookies.set("autolend_lang", "zh_CN")
    chinese = client.get(f"/calculator?{DEAL_QUERY}").text
    assert china_only_texts(chinese) == []
    assert "US$" in chinese and dd(chinese, "data-regz-apr") == f"{regz['apr']}%"


def test_the_products_page_shows_a_us_products_ages_without_an_upper_limit(
    client: TestClient, staff: dict[Role, str]
) -> None:
    admin = sign_in(client, staff, Role.ADMIN)
    made = client.post("/api/v1/products", json=us_product(), headers=admin)
    assert made.status_code == 201, made.text
    web_sign_in(client, staff, Role.ADMIN)
    client.cookies.set("autolend_lang", "en")
    page = client.get("/products").text
    assert "<dd>18 and over / no upper limit</dd>" in page
    assert "None" not in re.sub(r"None \(penalty interest only\)|>None<", "", page)


def product_section(page: str, code: str) -> str:
    found = re.search(rf'<section class="card" data-product="{code}">(.*?)</section>', page, re.S)
    assert found, page[:3000]
    return found.group(1)


def test_the_products_page_says_a_us_products_overdue_terms_without_china_penalty_wording(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """A US product with no uplift and no late fee under a pack that never compounds:
    neither "Penalty uplift +0 %" nor "None (penalty interest only)", in both languages;
    a CN product on the same page keeps its penalty wording."""
    admin = sign_in(client, staff, Role.ADMIN)
    for body in (us_product(), new_version(code="CN_PLAIN", effective_from="2026-11-28")):
        made = client.post("/api/v1/products", json=body, headers=admin)
        assert made.status_code == 201, made.text
    web_sign_in(client, staff, Role.ADMIN)
    for lang, say in (("en", EN), ("zh_CN", ZH)):
        client.cookies.set("autolend_lang", lang)
        page = client.get("/products").text
        us, cn = product_section(page, "US_NEW"), product_section(page, "CN_PLAIN")
        assert dd(us, "data-overdue-interest") == say(
            "Interest on overdue principal at the contract rate"
        )
        assert dd(us, "data-late-fee") == say("No late charge")
        for china in ("Penalty uplift", "None (penalty interest only)"):
            assert say(china) not in us and say(china) in cn, (lang, china)
        assert "+0%" not in us and "data-overdue-interest" not in cn


def select_values(html: str, select_id: str) -> list[str]:
    found = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert found, select_id
    return re.findall(r'<option value="([^"]*)"', found.group(1))


def test_the_us_calculator_offers_and_compares_terms_up_to_the_packs_longest_cap(
    client: TestClient, container: Container
) -> None:
    """The US pack allows 84 months (new car) and 72 (used): the term list and the
    comparison went no further than China's 60, and the form stated no currency for the
    charts' tooltips (they said CN¥). Both are the new-car loan's terms (24..84 months),
    each compared at the API's figures."""
    limits = US_PACK.term_limits_on(container.services.clock.today())
    longest = max(limits.new_car_months, limits.used_car_months)
    client.cookies.set("autolend_lang", "en")
    page = client.get("/calculator").text
    terms = select_values(page, "calc-term")
    assert terms[-1] == str(longest) and str(limits.used_car_months) in terms
    assert [int(t) for t in terms] == sorted(int(t) for t in terms)
    assert 'data-calculator-form data-currency="USD"' in page
    asked = DEAL_QUERY.replace("term=60", f"term={longest}")
    fragment = client.get(f"/calculator/quote?{asked}", headers={"HX-Request": "true"}).text
    compared = re.findall(r'<tr data-term="(\d+)"', fragment)
    assert compared == terms  # the deal over every term offered, the one asked for in it
    assert f'<tr data-term="{longest}" class="is-chosen">' in fragment
    quoted = client.post("/api/v1/quotes", json=DEAL | {"term_months": longest}).json()
    assert [int(t) for t in terms] == [t for t in (12, 24, 36, 48, 60, 72, 84) if t >= 24]
    rows = re.findall(r'<tr data-term="(\d+)"[^>]*>(.*?)</tr>', fragment, re.S)
    shown = [(term, re.findall(r"</span>([^<]+)</td>", cells)[1]) for term, cells in rows]
    api = {str(row["term_months"]): row["monthly_payment"] for row in quoted["comparison"]}
    assert shown == [(term, f"${float(api[term]):,.2f}") for term in terms]


def test_the_us_calculator_says_overdue_principal_bears_the_contract_rate_in_both_languages(
    client: TestClient, container: Container
) -> None:
    """Under a pack with no penalty uplift the late-payment card named no overdue interest
    at all; it now says what the products page says: the contract rate runs on."""
    for lang, say in (("en", EN), ("zh_CN", ZH)):
        client.cookies.set("autolend_lang", lang)
        page = client.get(f"/calculator?{DEAL_QUERY}").text
        late = re.search(r"<li data-overdue-interest>(.*?)</li>", page, re.S)
        assert late is not None, lang
        assert say("Overdue interest") in late.group(1)
        assert say("Interest on overdue principal at the contract rate") in late.group(1)
        assert china_only_texts(page) == []


def test_the_english_products_page_names_a_us_product_in_english_only_and_a_cn_one_in_both(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The English page read "美国新车贷 · New vehicle loan" for a US product; a CN
    product keeps both names, in either language."""
    admin = sign_in(client, staff, Role.ADMIN)
    named = us_product() | {"name_zh": "美国新车贷", "name_en": "New vehicle loan"}
    for body in (named, new_version(code="CN_PLAIN", effective_from="2026-11-28")):
        assert client.post("/api/v1/products", json=body, headers=admin).status_code == 201
    web_sign_in(client, staff, Role.ADMIN)
    for lang, shown, hidden in (("en", "New vehicle loan", "美国新车贷"),
                                ("zh_CN", "美国新车贷", "New vehicle loan")):  # fmt: skip
        client.cookies.set("autolend_lang", lang)
        page = client.get("/products").text
        us_title = re.search(r"<h2>(.*?)</h2>", product_section(page, "US_NEW"), re.S)
        cn_title = re.search(r"<h2>(.*?)</h2>", product_section(page, "CN_PLAIN"), re.S)
        assert us_title is not None and cn_title is not None
        assert shown in us_title.group(1) and hidden not in us_title.group(1), lang
        assert cn_title.group(1).endswith("标准新车贷 · Standard new car loan"), lang
