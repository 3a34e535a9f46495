"""A CN application's offers on its page, in English and Chinese (SQLite and PostgreSQL):
the chart's money axis had no name and no ¥; the GPS fee read "upfront · financed"; and
after the dealer accepted an option the page listed every option as before, none marked
chosen (a second acceptance the service refuses, 409)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - the fixture
    _approved,
    container,
    post,
    web_sign_in,
)

pytestmark = pytest.mark.integration


def chart(page: str) -> dict[str, Any]:
    found = re.search(r'id="offers-chart">(.*?)</script>', page, re.S)
    assert found, "the chart is drawn for two offers or more"
    return dict(json.loads(found.group(1)))


def shown(client: TestClient, app_id: int, locale: str) -> str:
    client.cookies.set("autolend_lang", locale)
    return str(client.get(f"/applications/{app_id}").text)


def test_a_cn_offers_chart_names_its_axis_in_yuan_and_the_gps_fee_reads_financed(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    english, chinese = shown(client, app_id, "en"), shown(client, app_id, "zh_CN")
    assert chart(english)["yAxis"]["name"] == "Total cost (¥)"
    assert chart(chinese)["yAxis"]["name"] == "总成本（¥）"
    fees = re.findall(r'<li data-fee="(\w+)">([^<]*)</li>', english)
    assert {kind for kind, _line in fees} == {"gps", "origination"}
    assert "upfront · financed" not in english
    for kind, line in fees:  # GPS is financed, the origination fee paid in cash
        assert line.endswith(" · financed" if kind == "gps" else " · paid upfront"), line
    assert '<li data-fee="gps">GPS：¥1,500.00 · 计入贷款</li>' in chinese


def test_after_acceptance_the_page_shows_the_chosen_option_and_offers_none_to_accept(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    before = shown(client, app_id, "en")
    options = re.findall(r'data-offer="(\d)"', before)
    assert len(options) > 1 and before.count('data-form="accept"') == len(options)
    assert post(client, f"/applications/{app_id}/accept", {"option": "2"}).status_code == 303
    for locale, accepted, other in (("en", "Accepted", "Not chosen"), ("zh_CN", "已接受", None)):
        page = shown(client, app_id, locale)
        assert 'data-form="accept"' not in page and "data-accept-needs-vin" not in page
        assert re.findall(r'data-offer="(\d)" data-accepted="true"', page) == ["2"]
        assert re.findall(r'data-offer="(\d)" data-accepted="false"', page) == [
            o for o in options if o != "2"
        ]
        row = re.search(r'data-compare-option="2" data-chosen="true">\s*<th scope="row">(.*?)</th>',
                        page, re.S)  # fmt: skip
        assert row and f"<strong>{accepted}</strong>" in row.group(1)
        if other:
            assert page.count(f">{other}<") == 2 * (len(options) - 1)  # card and row
    # a second acceptance (a page drawn before the first) is refused; its answer offers none
    again = post(client, f"/applications/{app_id}/accept", {"option": "1"})
    assert again.status_code == 409
    assert 'data-form="accept"' not in again.text and 'data-chosen="true"' in again.text


def test_after_accepting_another_term_the_header_says_what_was_applied_for_and_accepted(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The header read "Term 36 months" to the disbursement while the SMS, the contract
    and the loan said 48: the figures filed are now marked as applied for, and the
    accepted option's own follow on a line of their own."""
    app_id = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    before = shown(client, app_id, "en")
    applied = re.search(r"data-applied-for>[^<]*</span>", before)
    assert applied is None and "data-accepted-summary" not in before
    filed = re.search(r"· Term (\d+) months", before)
    terms = dict(re.findall(r'data-compare-option="(\d)"[^>]*>\s*<th scope="row">.*?'
                            r'data-compare="term">(\d+) months<', before, re.S))  # fmt: skip
    other = next(n for n, months in terms.items() if filed and months != filed[1])
    assert post(client, f"/applications/{app_id}/accept", {"option": other}).status_code == 303
    for locale, said in (("en", f"Accepted: option {other}"), ("zh_CN", f"已接受：方案 {other}")):
        page = shown(client, app_id, locale)
        assert "data-applied-for" in page
        summary = re.search(r"<p data-accepted-summary>(.*?)</p>", page, re.S)
        assert summary and said in summary[1]
        months = terms[other]
        assert (f"Term {months} months" if locale == "en" else f"期限 {months} 个月") in summary[1]
        assert 'data-accepted-amount="installment"' in summary[1]
