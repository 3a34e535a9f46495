"""The offers side by side as the applicant met them, US and Chinese (no database): the
chart's money axis had no name and no currency sign (no $ on a US page, no ¥ on a CN
one); a financed fee read "upfront · financed"; in Chinese the US comparison headed Reg
Z's APR 年化利率, the CN annualised rate's name; and an accepted application listed its
options as if none were chosen yet."""

from __future__ import annotations

import doctest
import re
from typing import Any

import pytest

from autolend.domain.offers import build_offers, offer_to_dict
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_catalogue_us import US_NEW_AUTO
from autolend.web import charts
from autolend.web.charts import offers_chart
from autolend.web.i18n import translations
from autolend.web.offer_compare import offer_comparison
from autolend.web.render import build_environment
from tests.unit.domain.test_offers import START, decided
from tests.unit.web.test_us_offer_cards import text, us_offers

ZONES = {"CNY": "Asia/Shanghai", "USD": "America/New_York"}


def cn_offers() -> list[dict[str, Any]]:
    """The standard product's offers: a 1 % origination fee paid in cash, GPS financed."""
    app, decision = decided()
    return [offer_to_dict(o) for o in build_offers(STANDARD_NEW, app, decision, start=START)]


def page(offers: list[dict[str, Any]], locale: str, **context: Any) -> str:
    """The offers section in ``locale``, every option open to accept unless ``a`` says
    one is chosen."""
    full: dict[str, Any] = {
        "offers": offers, "a": {"id": 1, "status": "approved", "accepted_option": None},
        "may": {"accept": True, "accept_after_vin": False}, "chart_option": None,
        "csrf_token": "t",
        "reg_z": offers[0]["currency"] == "USD", "compare": offer_comparison(offers),
    } | context  # fmt: skip
    env = build_environment(locale, ZONES[offers[0]["currency"]])
    return env.get_template("_application_offers.html").render(full)


def header(html: str, column: int) -> str:
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html, re.S)
    return text(cells[column]).strip()


@pytest.mark.parametrize(
    ("currency", "locale", "name"),
    [("CNY", "zh_CN", "总成本（¥）"), ("CNY", "en", "Total cost (¥)"),
     ("USD", "en", "Total cost ($)"), ("USD", "zh_CN", "总成本（US$）")],
)  # fmt: skip
def test_the_offers_charts_money_axis_is_named_with_the_currency_as_the_page_writes_it(
    currency: str, locale: str, name: str
) -> None:
    offers = cn_offers() if currency == "CNY" else us_offers(US_NEW_AUTO, 0)
    option = offers_chart(offers, translations(locale).gettext, locale)
    assert option["yAxis"]["name"] == name
    assert option["yAxis"]["nameTextStyle"] == {"align": "left"}  # runs right, on the card
    assert option["series"][0]["name"] == re.split(r" \(|（", name)[0]


def test_a_financed_fee_reads_financed_and_a_cash_one_paid_upfront_never_both() -> None:
    offers = cn_offers()
    monthly = {"kind": "monthly_service", "label": "monthly_service", "timing": "monthly",
               "financed": False, "amount": "50.00"}  # fmt: skip
    offers[0]["fees"] = [*offers[0]["fees"], monthly]
    english = page(offers, "en")
    fees = dict(re.findall(r'<li data-fee="(\w+)">([^<]*)</li>', english))
    assert fees["gps"] == "GPS: ¥1,500.00 · financed"
    assert fees["origination"].endswith(" · paid upfront")
    assert fees["monthly_service"] == "Monthly service fee: ¥50.00 · monthly"
    assert "upfront · financed" not in english
    chinese = page(offers, "zh_CN")
    gps = re.findall(r'<li data-fee="gps">([^<]*)</li>', chinese)
    assert gps and all(g == "GPS：¥1,500.00 · 计入贷款" for g in gps), gps
    us = page(us_offers(US_NEW_AUTO, 0), "en")
    docs = re.findall(r'<li data-fee="other">([^<]*)</li>', us)
    assert docs and all(d == "Documentation fee: $199.00 · financed" for d in docs), docs


def test_the_us_comparison_heads_reg_zs_apr_apart_from_the_cn_annualised_rate() -> None:
    us, cn = us_offers(US_NEW_AUTO, 0), cn_offers()
    assert header(page(us, "zh_CN"), 2) == "年百分比利率（APR）"
    assert header(page(us, "en"), 2) == "Annual percentage rate (APR)"
    assert header(page(cn, "zh_CN"), 2) == "年化利率（名义） 年化利率（实际）"
    assert header(page(cn, "en"), 2) == "APR (nominal) APR (effective)"
    # each column one number: a US offer stored without its Reg Z figures shows none
    # there, not its PBOC-style nominal rate under Reg Z's name
    stale = [{k: v for k, v in o.items() if k != "regz"} for o in us]
    cells = re.findall(r'data-compare="apr">([^<]*)<', page(stale, "en"))
    assert cells and set(cells) == {"—"}


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
@pytest.mark.parametrize("currency", ["CNY", "USD"])
def test_an_accepted_option_is_shown_chosen_and_the_others_not_with_nothing_to_accept(
    locale: str, currency: str
) -> None:
    """Even where the steps would still say "accept" (a page drawn from a stale view), an
    application with an accepted option offers no second acceptance: the service refuses
    it (409)."""
    offers = cn_offers() if currency == "CNY" else us_offers(US_NEW_AUTO, 0)
    assert len(offers) > 1
    before = page(offers, locale)  # none chosen yet: each offered, none marked
    assert before.count('data-form="accept"') == len(offers)
    assert "data-accepted" not in before and "data-chosen" not in before
    html = page(offers, locale, a={"id": 1, "status": "accepted", "accepted_option": 2})
    assert 'data-form="accept"' not in html and "data-accept-needs-vin" not in html
    assert re.findall(r'data-offer="(\d)" data-accepted="true"', html) == ["2"]
    others = re.findall(r'data-offer="(\d)" data-accepted="false"', html)
    assert others == [str(o["option"]) for o in offers if o["option"] != 2]
    assert html.count("data-not-chosen") == len(others)
    rows = dict(re.findall(r'data-compare-option="(\d)" data-chosen="(\w+)"', html))
    assert rows == {str(o["option"]): str(o["option"] == 2).lower() for o in offers}
    accepted = "Accepted" if locale == "en" else "已接受"
    assert re.search(rf'data-offer="2"[^>]*>\s*<h3>[^<]*<span class="badge badge--ok">{accepted}<',
                     html)  # fmt: skip


def test_the_money_axis_helpers_examples_hold_where_every_chart_finds_them() -> None:
    """The calculator's axes and the offers' share one rule (moved to :mod:`charts`)."""
    result = doctest.testmod(charts)
    assert result.failed == 0 and result.attempted >= 2


@pytest.mark.parametrize(
    ("locale", "said"), [("en", "Accepted, then withdrawn"), ("zh_CN", "曾接受，已撤回")]
)
def test_an_option_accepted_before_the_application_was_withdrawn_reads_so_not_accepted(
    locale: str, said: str
) -> None:
    """Withdrawn after acceptance (its booked loan cancelled): the badge and the
    comparison row said "Accepted" as if the deal stood."""
    a = {"id": 1, "status": "withdrawn", "accepted_option": 2}
    html = page(cn_offers(), locale, a=a, may={"accept": False, "accept_after_vin": False})
    assert re.search(rf'data-offer="2"[^>]*>\s*<h3>[^<]*<span class="badge badge--muted">{said}<',
                     html)  # fmt: skip
    assert re.search(rf'data-compare-option="2" data-chosen="true">.*?<strong>{said}</strong>',
                     html, re.S)  # fmt: skip
    assert "badge--ok" not in html


def test_a_us_offers_two_amounts_have_two_chinese_names_and_reg_zs_english_one() -> None:
    """In Chinese the card's loan amount (fees included) read 借款本金 and Reg Z's
    amount financed 贷款金额, the CN cards' name for the former: two sums, one word."""
    offers = us_offers(US_NEW_AUTO, 0)
    box = r"<dt>([^<]*)</dt><dd data-regz-amount-financed>"
    chinese, english = page(offers, "zh_CN"), page(offers, "en")
    assert set(re.findall(box, chinese)) == {"融资金额"}
    assert set(re.findall(box, english)) == {"Amount financed"}
    assert "(Reg Z)" not in english and "贷款金额" not in chinese
