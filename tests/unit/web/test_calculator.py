"""The public loan calculator over stub services (no database): the form, the product
presets, the page and its HTMX fragment, error messages and the chart options."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.config import Settings
from autolend.domain.access import Actor, Role
from autolend.domain.errors import AuthenticationFailed
from autolend.domain.quote_input import QuoteInput, price_quote
from autolend.domain.regulation import CN_PACK
from autolend.services.registry import Services
from autolend.web.app import mount_web
from autolend.web.calculator_charts import (
    CHOSEN_COLOUR,
    OTHER_TERM_COLOUR,
    schedule_chart,
    terms_chart,
    yuan,
)
from autolend.web.calculator_errors import error_label
from autolend.web.i18n import translations
from autolend.web.routes_calculator import (
    CalculatorForm,
    form_query,
    quote_input,
    read_form,
)

NOW = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)  # already the 29th in Shanghai
DEALER = Actor(user_id=8, username="dealer", roles=(Role.DEALER,), dealer_id=1)
GOLDEN_QUERY = "price=150000&down_mode=percent&down=30&term=36&product=standard&rate=4.5"
ZH, EN = translations("zh_CN").gettext, translations("en").gettext


class StubAuth:
    def session_actor(self, token: str, request_id: str | None = None) -> tuple[Actor, str]:
        if token != "dealer-token":
            raise AuthenticationFailed("no session")
        return DEALER, "dealer-csrf"


@pytest.fixture
def client() -> Iterator[TestClient]:
    services = SimpleNamespace(clock=FixedClock(NOW), auth=StubAuth())
    app = FastAPI()
    mount_web(app, cast(Services, services), Settings(session_cookie_secure=False))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def attribute(html: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', html)
    assert match, name
    return match.group(1)


# --- the form ----------------------------------------------------------------------------------


def test_a_first_visit_gets_the_standard_deal_and_a_submitted_form_reads_as_typed() -> None:
    assert read_form({}) == CalculatorForm()
    form = read_form({"price": " 200000 ", "down_mode": "amount", "down": "50000",
                      "term": "24", "product": "nev", "rate": "3.5", "gps": "1"})  # fmt: skip
    assert (form.price, form.down_mode, form.down, form.term) == ("200000", "amount", "50000", "24")
    assert (form.product, form.rate, form.fees) == ("nev", "3.5", ("gps",))
    assert form.share == "50"
    odd = read_form({"price": "1" * 99, "product": "lottery", "down_mode": "x"})
    assert (len(odd.price), odd.product, odd.down_mode) == (20, "standard", "percent")


def test_the_form_round_trips_through_its_query_string() -> None:
    form = CalculatorForm(income="12000", fees=("origination",))
    query = form_query(form)
    assert "origination=1" in query and "gps" not in query
    params = dict(pair.split("=") for pair in query.split("&"))
    assert read_form(params) == form


def test_fees_follow_the_toggles_and_the_product_sets_method_and_subsidy() -> None:
    standard = quote_input(CalculatorForm())
    # STD_NEW's fees as the catalogue states them: 1 % at signing, GPS 1,500 financed.
    assert [(f.kind, f.rate_percent, f.amount, f.timing, f.financed) for f in standard.fees] == [
        ("origination", "1", None, "upfront", False), ("gps", None, "1500.00", "upfront", True),
    ]  # fmt: skip
    assert standard.down_payment_ratio == "30" and standard.down_payment is None
    promo = quote_input(CalculatorForm(product="promo", rate="0"))
    assert (promo.annual_rate, promo.subsidy_customer_rate) == ("4.5", "0")
    dear_promo = quote_input(CalculatorForm(product="promo", rate="6"))
    assert (dear_promo.annual_rate, dear_promo.subsidy_customer_rate) == ("6", None)
    assert quote_input(CalculatorForm(product="promo", rate="abc")).annual_rate == "abc"
    balloon = quote_input(CalculatorForm(product="balloon"))
    assert balloon.balloon_percent == "30"
    amount = quote_input(CalculatorForm(down_mode="amount", down="45000", income="9000"))
    assert (amount.down_payment, amount.down_payment_ratio) == ("45000", None)
    assert amount.monthly_income == "9000"


def test_errors_are_shown_with_the_label_of_the_field() -> None:
    assert error_label("vehicle_price", ZH) == "车辆价格"
    assert error_label("fees.0.kind", EN) == "Fees"
    assert error_label("subsidy_customer_rate", EN) == "Annual interest rate"
    assert error_label(None, EN) == error_label("start", EN) == "Loan details"


# --- the pages ---------------------------------------------------------------------------------


def test_the_calculator_is_public_and_prices_the_default_deal(client: TestClient) -> None:
    page = client.get("/calculator")
    assert page.status_code == 200
    html = page.text
    # STD_NEW's GPS fee of 1,500 is financed: 3,123.43 (the P1.2 example's 105,000 at 4.5 %
    # over 36 months) x 106,500 / 105,000 = 3,168.05.
    assert attribute(html, "data-installment") == "3168.05"
    # The APR counts the 1 % (1,050) paid at signing and the 1,500 financed: 36 payments of
    # 3,168.05 against 103,950 received is 6.12 % a year (a bisection on the monthly rate).
    assert "6.12" in html
    assert 'data-public-nav="calculator" class="is-active" aria-current="page"' in html
    assert 'hx-get="/calculator/quote"' in html and "data-nav=" not in html
    assert html.count('data-table="schedule"') == 1
    assert "2026-12-29" in html  # the first due date: one month after today in Shanghai
    option = re.search(r'id="quote-terms-chart">([^<]+)<', html)
    assert option and len(json.loads(option.group(1))["series"]) == 2


def test_a_signed_in_visitor_keeps_their_navigation(client: TestClient) -> None:
    client.cookies.set("autolend_session", "dealer-token")
    html = client.get("/calculator").text
    assert 'data-nav="customers"' in html and 'data-user="dealer"' in html
    client.cookies.set("autolend_session", "expired-token")
    assert client.get("/calculator").status_code == 200  # never sent to sign in


def test_htmx_gets_a_fragment_and_the_address_of_the_page(client: TestClient) -> None:
    response = client.get(f"/calculator/quote?{GOLDEN_QUERY}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert attribute(response.text, "data-installment") == "3123.43"
    assert "data-apr-nominal>4.50<" in response.text
    assert response.headers["hx-push-url"] == f"/calculator?{GOLDEN_QUERY}&income=&share=50"
    plain = client.get(f"/calculator/quote?{GOLDEN_QUERY}")
    assert plain.status_code == 303
    assert plain.headers["location"] == response.headers["hx-push-url"]


def test_a_bad_value_shows_which_field_to_check_in_the_visitor_language(
    client: TestClient,
) -> None:
    headers = {"HX-Request": "true"}
    bad = client.get("/calculator/quote?price=150000&down=100&term=36&rate=4.5", headers=headers)
    assert bad.status_code == 200 and "data-quote-error" in bad.text
    assert "“首付”" in bad.text
    client.cookies.set("autolend_lang", "en")
    page = client.get("/calculator?price=-1&down=30&term=36&rate=4.5").text
    assert "“Vehicle price”" in page and "data-installment" not in page


def test_affordability_promotion_and_balloon_are_shown(client: TestClient) -> None:
    client.cookies.set("autolend_lang", "en")
    html = client.get(f"/calculator?{GOLDEN_QUERY}&income=12000&share=30").text
    assert attribute(html, "data-income-share") == "26.0"
    assert "within 30% of your income" in html
    promo = client.get("/calculator?price=150000&down=30&term=36&product=promo&rate=0").text
    assert "data-subsidy>¥7,284.33<" in promo and "data-apr-nominal>0.00<" in promo
    balloon = client.get("/calculator?price=150000&down=30&term=36&product=balloon&rate=4.99")
    assert "data-final-payment" in balloon.text
    # 30 % would breach the cost ceiling, but no preset's product lends at it: refused.
    above = client.get("/calculator?price=150000&down=30&term=12&rate=30").text
    assert "the annual interest rate is from 3.99% to 8.99%" in above  # STD_NEW's range
    assert "data-ceiling" not in above


# --- the charts --------------------------------------------------------------------------------


def test_the_chart_options_follow_the_quote() -> None:
    data = QuoteInput(vehicle_price="150000", down_payment_ratio="30", annual_rate="4.5",
                      term_months=24)  # fmt: skip
    outcome = price_quote(data, date(2024, 3, 10))
    option = schedule_chart(outcome.quote, EN, "en")
    principal, interest, balance = option["series"]
    assert [s["name"] for s in option["series"]] == ["Principal", "Interest", "Balance left"]
    assert len(option["xAxis"]["data"]) == len(principal["data"]) == 24
    assert principal["data"][0] + interest["data"][0] == 4583.02
    assert balance["data"][-1] == 0.0
    terms = terms_chart(outcome.comparison, 24, ZH, "zh_CN")
    assert terms["xAxis"]["data"][0] == "12 个月"
    colours = [bar["itemStyle"]["color"] for bar in terms["series"][0]["data"]]
    assert colours == [OTHER_TERM_COLOUR, CHOSEN_COLOUR] + [OTHER_TERM_COLOUR] * 3
    assert terms["tooltip"]["renderMode"] == "richText"  # no inline styles (CSP)
    assert yuan(312343) == 3123.43


def test_each_money_axis_of_the_calculator_charts_says_what_it_measures_and_in_what() -> None:
    # The two y axes of each chart were bare scales: which line is the balance's?
    data = QuoteInput(vehicle_price="150000", down_payment_ratio="30", annual_rate="4.5",
                      term_months=24)  # fmt: skip
    outcome = price_quote(data, date(2024, 3, 10))
    schedule = schedule_chart(outcome.quote, EN, "en")
    assert [a["name"] for a in schedule["yAxis"]] == ["Monthly payment (¥)", "Balance left (¥)"]
    terms = terms_chart(outcome.comparison, 24, ZH, "zh_CN")
    assert [a["name"] for a in terms["yAxis"]] == ["每月还款（¥）", "总利息（¥）"]
    assert [a["position"] for a in terms["yAxis"]] == ["left", "right"]


def test_the_form_shows_every_product_preset(client: TestClient) -> None:
    html = client.get("/calculator").text
    presets = re.findall(r'<option value="(\w+)" data-rate="([\d.]+)"', html)
    assert presets == [("standard", "4.5"), ("nev", "3.5"), ("used", "7.5"), ("promo", "0"),
                       ("balloon", "4.99")]  # fmt: skip
    assert 'src="/static/calculator.js"' in html
    assert "<script>" not in html  # no inline script (CSP)


def test_a_cn_lender_offers_the_terms_up_to_china_s_60_months_with_yuan_tooltips(
    client: TestClient,
) -> None:
    html = client.get("/calculator").text
    found = re.search(r'<select id="calc-term"[^>]*>(.*?)</select>', html, re.S)
    assert found is not None
    limits = CN_PACK.term_limits_on(NOW.date())
    longest = max(limits.new_car_months, limits.used_car_months)
    offered = re.findall(r'<option value="(\d+)"', found.group(1))
    assert offered == [str(months) for months in range(12, longest + 1, 12)]
    assert 'data-calculator-form data-currency="CNY"' in html
