"""A US application's offers side by side, in English and Chinese (SQLite and
PostgreSQL): the Chinese page headed Reg Z's APR 年化利率, the CN annualised rate's name;
the chart's money axis had no name and no dollar sign; after acceptance every option
stood as before, none marked chosen."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_bureau_sandbox import (  # noqa: F401 - fixtures
    control,
    sandbox,
    sandbox_url,
)
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_bureau import bureau, container, model  # noqa: F401 - fixtures
from tests.integration.test_us_offers import offered
from tests.integration.test_us_origination import us_product  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.integration,
    pytest.mark.usefixtures("us_product"),
    pytest.mark.usefixtures("container"),
]


def shown(client: TestClient, app_id: int, locale: str) -> str:
    client.cookies.set("autolend_lang", locale)
    return str(client.get(f"/applications/{app_id}").text)


def apr_header(page: str) -> str:
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', page, re.S)
    return str(cells[2]).strip()


def axis_name(page: str) -> str:
    found = re.search(r'id="offers-chart">(.*?)</script>', page, re.S)
    assert found, "the chart is drawn for two offers or more"
    option: dict[str, Any] = json.loads(found.group(1))
    return str(option["yAxis"]["name"])


def test_a_us_comparison_heads_reg_zs_apr_as_such_and_marks_the_accepted_option(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id, offers = offered(client, staff)
    assert len(offers) > 1
    web_sign_in(client, staff, Role.DEALER)
    chinese, english = shown(client, app_id, "zh_CN"), shown(client, app_id, "en")
    assert apr_header(chinese) == "年百分比利率（APR）" and "年化利率" not in apr_header(chinese)
    assert apr_header(english) == "Annual percentage rate (APR)"
    assert axis_name(chinese) == "总成本（US$）"  # as the Chinese page writes dollars
    cells = re.findall(r'data-compare="apr">([^<]*)<', english)
    assert cells == [f"{o['regz']['apr']}%" for o in offers]
    accepted = client.post(f"/api/v1/applications/{app_id}/accept", json={"option": 1},
                           headers=as_role(client, staff, Role.DEALER))  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    web_sign_in(client, staff, Role.DEALER)
    for locale in ("en", "zh_CN"):
        page = shown(client, app_id, locale)
        assert 'data-form="accept"' not in page
        assert re.findall(r'data-offer="(\d)" data-accepted="true"', page) == ["1"]
        assert page.count("data-not-chosen") == len(offers) - 1


def test_an_english_us_offers_chart_names_its_axis_in_dollars(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id, _offers = offered(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    assert axis_name(shown(client, app_id, "en")) == "Total cost ($)"
