"""The loan calculator refuses a value it cannot quote by naming the field AND the reason,
in the page's language, under both regulation packs, and marks the input (``aria-invalid``,
``aria-describedby`` pointing at the message) keeping what was typed; the end-of-day form
says its refused date as a sentence after "Please check the field ...".

The reasons come from the domain's own errors through ``problem_text``'s catalogue; a
reason whose Chinese is not in the catalogues yet is checked in English only."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_eod_page import web_sign_in
from tests.integration.test_eod_run_from_the_page import csrf

pytestmark = pytest.mark.integration

HTMX = {"HX-Request": "true"}
CN_DEAL = {"price": "150000", "down_mode": "percent", "down": "30", "term": "36",
           "product": "standard", "rate": "4.5"}  # fmt: skip
US_DEAL = {**CN_DEAL, "price": "35000", "down": "20", "term": "60", "rate": "6.99"}
FIELD_CODES = ("vehicle_price", "down_payment", "term_months", "annual_rate", "balloon")


def refusal(client: TestClient, lang: str, deal: dict[str, str], **typed: str) -> str:
    """The alert of the HTMX fragment for ``deal`` with ``typed`` changed, in ``lang``."""
    client.cookies.set(LANG_COOKIE, lang)
    fragment = client.get("/calculator/quote", params={**deal, **typed}, headers=HTMX)
    assert fragment.status_code == 200 and "data-installment" not in fragment.text
    found = re.search(r'<div class="alert alert--error" role="alert"[^>]*>.*?</div>', fragment.text)
    assert found, fragment.text[:500]
    return found.group(0)


def marked_inputs(html: str) -> list[str]:
    """The ids of the inputs marked invalid, each described by the quote's message."""
    tags = re.findall(r"<(?:input|select)[^>]*>", html)
    marked = [tag for tag in tags if 'aria-invalid="true"' in tag]
    assert all('aria-describedby="quote-error"' in tag for tag in marked)
    return [re.search(r'id="([^"]+)"', tag).group(1) for tag in marked]  # type: ignore[union-attr]


def test_a_down_payment_of_120_percent_says_why_in_both_languages_and_marks_the_input(
    client: TestClient,
) -> None:
    zh = refusal(client, "zh_CN", CN_DEAL, down="120")
    assert "“首付”" in zh and "首付须低于车价" in zh
    assert 'id="quote-error"' in zh and 'data-error-input="calc-down"' in zh
    en = refusal(client, "en", CN_DEAL, down="120")
    assert "Please check “Down payment”: the down payment must be below the price." in en
    assert "cannot be used for a quote" not in en

    page = client.get("/calculator", params={**CN_DEAL, "down": "120"}).text

    assert marked_inputs(page) == ["calc-down"]
    assert re.search(r'id="calc-down"[^>]*value="120"', page)  # what was typed is kept


def test_each_refused_field_gets_its_own_reason_not_its_code(client: TestClient) -> None:
    reasons = {
        ("price", "0"): ("Vehicle price", "the amount must be above 0", "calc-price"),
        ("price", ""): ("Vehicle price", "this field is required", "calc-price"),
        ("down", "-5"): ("Down payment", "must not be negative", "calc-down"),
        ("rate", "150"): ("Annual interest rate", "must be a percentage from 0 to 100",
                          "calc-rate"),
        ("rate", "abc"): ("Annual interest rate", "a percentage such as 4.5", "calc-rate"),
        ("income", "0"): ("Monthly income", "the amount must be above 0", "calc-income"),
    }  # fmt: skip
    for (name, value), (label, reason, input_id) in reasons.items():
        alert = refusal(client, "en", CN_DEAL, **{name: value})
        assert f"Please check “{label}”: {reason}." in alert, (name, value, alert)
        assert f'data-error-input="{input_id}"' in alert
        said = re.sub(r"<[^>]+>", "", alert)
        assert not any(code in said for code in FIELD_CODES), said
    zh = refusal(client, "zh_CN", CN_DEAL, price="0")
    assert "“车辆价格”" in zh and "金额须大于 0" in zh and "must be positive" not in zh


def test_a_balloon_the_loan_cannot_carry_names_the_product_and_says_why(
    client: TestClient,
) -> None:
    alert = refusal(client, "en", CN_DEAL, product="balloon", down="80")

    assert "Please check “Product”: the final balloon payment must be below the amount " in alert
    assert 'data-error-input="calc-product"' in alert


def test_a_term_the_form_does_not_offer_is_refused_with_the_terms_of_the_pack(
    client: TestClient, us_client: TestClient
) -> None:
    cn = refusal(client, "en", CN_DEAL, term="72")
    assert "Please check “Term”: choose one of the terms offered: 12, 24, 36, 48, 60 months." in cn
    assert 'data-error-input="calc-term"' in cn
    us_client.cookies.set(LANG_COOKIE, "en")
    offered = us_client.get("/calculator/quote", params={**US_DEAL, "term": "72"}, headers=HTMX)
    assert "data-installment" in offered.text  # US offers up to 84 months
    us = refusal(us_client, "en", US_DEAL, term="90")
    assert "choose one of the terms offered: 12, 24, 36, 48, 60, 72, 84 months." in us


def test_a_us_lender_s_calculator_says_why_in_dollars_pages_of_both_languages(
    us_client: TestClient,
) -> None:
    en = refusal(us_client, "en", US_DEAL, price="35000.123")
    assert "Please check “Vehicle price”: too many decimal places: USD has 2." in en
    zh = refusal(us_client, "zh_CN", US_DEAL, down="100")
    assert "“首付”" in zh and "首付须低于车价" in zh
    page = us_client.get("/calculator", params={**US_DEAL, "rate": "150"}).text
    assert marked_inputs(page) == ["calc-rate"]
    assert re.search(r'id="calc-rate"[^>]*value="150"', page)


def test_a_priced_quote_marks_no_input_and_the_form_leaves_checking_to_the_server(
    client: TestClient,
) -> None:
    page = client.get("/calculator", params=CN_DEAL).text

    assert "data-installment" in page and marked_inputs(page) == []
    # novalidate: the browser would keep the last quote silently on a rate of 150.
    assert re.search(r"<form [^>]*novalidate[^>]*data-calculator-form", page)


def test_the_end_of_day_form_says_a_refused_date_as_a_sentence_in_both_languages(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    token = csrf(client.get("/eod").text)
    said = {}
    for lang in ("en", "zh_CN"):
        client.cookies.set(LANG_COOKIE, lang)
        refused = client.post("/eod/runs", data={"through": "9" * 300, "csrf_token": token})
        assert refused.status_code == 422
        said[lang] = refused.text.split('id="eod-error"')[1].split("</div>")[0]

    sentence = "“Through business day”. Not a date: write it as 2026-11-30 (year, month, day)."
    assert sentence in said["en"]
    assert "不是有效日期：请写作 2026-11-30（年-月-日）。" in said["zh_CN"]
