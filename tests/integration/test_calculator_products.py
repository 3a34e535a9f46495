"""The calculator holds each product preset to its catalogue product and follows the US
catalogue and US dates.

A tester quoted the CN used-car preset at 60 months, 10 % down and 30 % a year with no
warning, though USED_CAR lends only over 12, 24 or 36 months, with at least 30 % down, at
5.99 %..12.99 %: now each limit broken is named, in both languages, and the form lists
only the product's terms. The US calculator offered a balloon loan the US catalogue does
not have and left out its 0 % APR promotion; its late-payment card never named the US
products' late charge; and it wrote dates as ISO where US English pages write MM/DD/YYYY.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.product_catalogue import USED_CAR
from autolend.domain.product_catalogue_us import US_DEMO_PRODUCTS
from autolend.web.i18n import LANG_COOKIE, translations

pytestmark = pytest.mark.integration

HTMX = {"HX-Request": "true"}
ZH, EN = translations("zh_CN"), translations("en")
# The tester's address: the used-car preset, typed outside USED_CAR everywhere.
TESTER = {"product": "used", "price": "60000", "down_mode": "percent", "down": "10",
          "term": "60", "rate": "30"}  # fmt: skip
US_DEAL = {"product": "standard", "price": "35000", "down_mode": "percent", "down": "20",
           "term": "60", "rate": "6.99", "documentation": "1"}  # fmt: skip
LATE_FEE = (
    "A late fee of %(amount)s on an installment still unpaid %(days)s day after its due date.",
    "A late fee of %(amount)s on an installment still unpaid %(days)s days after its due date.",
)


def fragment(client: TestClient, lang: str, deal: dict[str, str], **typed: str) -> str:
    client.cookies.set(LANG_COOKIE, lang)
    response = client.get("/calculator/quote", params={**deal, **typed}, headers=HTMX)
    assert response.status_code == 200
    return str(response.text)


def refusal(client: TestClient, lang: str, deal: dict[str, str], **typed: str) -> str:
    """The refusal's text and the input it marks, for ``deal`` with ``typed`` changed."""
    html = fragment(client, lang, deal, **typed)
    found = re.search(r'<div class="alert alert--error"[^>]*data-error-input="([^"]+)"[^>]*>'
                      r"(.*?)</div>", html, re.S)  # fmt: skip
    assert found and "data-installment" not in html, html[:500]
    return f"{found.group(2)} #{found.group(1)}"


def select_values(html: str, select_id: str) -> list[str]:
    found = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert found, select_id
    return re.findall(r'<option value="([^"]*)"', found.group(1))


def presets(html: str) -> dict[str, str]:
    """Each preset's terms, as the script lists them on choosing it."""
    return dict(re.findall(r'<option value="(\w+)" data-rate="[^"]*" data-fees="[^"]*" '
                           r'data-terms="([^"]*)"', html))  # fmt: skip


def test_the_testers_used_car_quote_is_refused_naming_each_limit_in_both_languages(
    client: TestClient,
) -> None:
    said = refusal(client, "zh_CN", TESTER)
    assert "二手车贷期限为 12、24 或 36 个月" in said and said.endswith("#calc-term")
    assert "for the Used car loan, the term is 12, 24 or 36 months" in refusal(client, "en", TESTER)
    # Put right one at a time, the next limit is named, with its input.
    steps = [
        ({"term": "36"}, "the annual interest rate is from 5.99% to 12.99%", "calc-rate",
         "年利率为 5.99% 至 12.99%"),
        ({"rate": "7.5"}, "the down payment is at least 30% of the price", "calc-down",
         "首付不低于车价的 30%"),
        # 42,000 and the GPS tracker's 1,500 financed on a 60,000 car is 72.50 %, not 70 %.
        ({"down": "30", "gps": "1"}, "the loan with the fees added to it is at most 70% of "
         "the price (here 72.50%)", "calc-down", "不超过车价的 70%（此处为 72.50%）"),
        ({"gps": "0"}, "the price less the down payment is from ¥50,000.00 to ¥500,000.00",
         "calc-price", "须在 ¥50,000.00 至 ¥500,000.00 之间"),
    ]  # fmt: skip
    typed: dict[str, str] = {}
    for changed, english, input_id, chinese in steps:
        typed |= changed
        en = refusal(client, "en", TESTER, **typed)
        assert f"for the Used car loan, {english}." in en and en.endswith(f"#{input_id}"), en
        assert chinese in refusal(client, "zh_CN", TESTER, **typed)
    quoted = fragment(client, "en", TESTER, **typed, price="100000")
    assert "data-installment" in quoted and "data-quote-error" not in quoted


def test_a_used_car_quote_inside_the_product_is_the_apis_with_its_terms_and_late_fee(
    client: TestClient,
) -> None:
    deal = {**TESTER, "price": "100000", "down": "30", "term": "24", "rate": "7.5",
            "origination": "1"}  # fmt: skip
    api = client.post("/api/v1/quotes", json={
        "vehicle_price": "100000", "down_payment_ratio": "30", "annual_rate": "7.5",
        "term_months": 24, "fees": [{"kind": "origination", "rate_percent": "1"}],
    }).json()  # fmt: skip
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/calculator", params=deal).text
    installment = re.search(r'data-installment="([^"]+)"', page)
    assert installment is not None and installment.group(1) == api["installment"]
    assert f"data-apr-nominal>{api['apr']['nominal']}<" in page
    # The form and the comparison offer USED_CAR's terms only.
    assert select_values(page, "calc-term") == ["12", "24", "36"]
    assert re.findall(r'<tr data-term="(\d+)"', page) == ["12", "24", "36"]
    assert presets(page)["used"] == "12 24 36" and presets(page)["standard"] == "12 24 36 48 60"
    assert re.search(r'id="calc-rate"[^>]*min="5.99" max="12.99"', page)
    assert USED_CAR.late_fee is not None and USED_CAR.late_fee.after_days == 15
    late = EN.ngettext(*LATE_FEE, 15) % {"amount": "¥50.00", "days": 15}
    assert f'<li data-late-fee="50.00"><strong>Late fee</strong> {late}</li>' in page
    standard = client.get("/calculator").text
    assert "data-late-fee" not in standard  # STD_NEW charges no late fee


def test_the_us_presets_are_the_us_catalogues_new_used_and_0_apr_promotion(
    us_client: TestClient,
) -> None:
    us_client.cookies.set(LANG_COOKIE, "en")
    page = us_client.get("/calculator").text
    offered = presets(page)
    assert list(offered) == ["standard", "used", "promo"]
    for key, product in zip(offered, US_DEMO_PRODUCTS, strict=True):
        assert offered[key] == " ".join(str(term) for term in product.terms), key
    assert "0% APR manufacturer promotion</option>" in page and "Balloon" not in page
    promo = {**US_DEAL, "product": "promo", "rate": "0", "documentation": "0", "term": "48"}
    quoted = fragment(us_client, "en", promo)
    assert "data-apr-nominal>0.00<" in quoted and "data-subsidy>" in quoted
    assert "data-regz-apr>0.00%<" in quoted
    assert "the annual interest rate is 0%." in refusal(us_client, "en", promo, rate="2.9")
    said = refusal(us_client, "en", promo, term="72")
    assert "for the 0% APR manufacturer promotion, the term is 36, 48 or 60 months" in said
    zh = refusal(us_client, "zh_CN", promo, term="72")
    assert "美国厂商零利率促销期限为 36、48 或 60 个月" in zh
    # A balloon asked for in the address reads as the new-car loan: no final payment.
    balloon = fragment(us_client, "en", US_DEAL, product="balloon")
    assert "data-installment" in balloon and "data-final-payment" not in balloon


def test_the_us_late_payment_card_states_the_products_late_charge_in_both_languages(
    us_client: TestClient,
) -> None:
    for lang, catalogue, amount in (("en", EN, "$25.00"), ("zh_CN", ZH, "US$25.00")):
        html = fragment(us_client, lang, US_DEAL)
        card = re.search(r"<section [^>]*data-late-payment>(.*?)</section>", html, re.S)
        assert card is not None, lang
        late = catalogue.ngettext(*LATE_FEE, 10) % {"amount": amount, "days": 10}
        assert (
            f'<li data-late-fee="25.00"><strong>{catalogue.gettext("Late fee")}</strong> '
            f"{late}</li>" in card.group(1)
        ), lang


def mdy(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def test_the_us_calculator_writes_dates_mm_dd_yyyy_in_english_and_iso_in_chinese(
    us_client: TestClient,
) -> None:
    api: dict[str, Any] = us_client.post("/api/v1/quotes", json={
        "vehicle_price": "35000", "down_payment_ratio": "20", "annual_rate": "6.99",
        "term_months": 60, "fees": [{"kind": "other", "amount": "199.00", "financed": True}],
    }).json()  # fmt: skip
    days = [row["due_date"] for row in api["schedule"]["rows"]]
    english = fragment(us_client, "en", US_DEAL)
    assert f"60 payments, the first due on {mdy(days[0])}" in english
    cells = re.findall(r'<td class="mono">([^<]*)</td>', english)
    assert cells == [mdy(day) for day in days]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", english)
    chinese = fragment(us_client, "zh_CN", US_DEAL)
    assert re.findall(r'<td class="mono">([^<]*)</td>', chinese) == days  # ISO in Chinese
