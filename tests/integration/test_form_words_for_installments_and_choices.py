"""Forms name what they ask in words, in both languages, on both databases: the loan
page's fee-waiver form asks for an installment ("期次"), not a monthly payment ("月供",
which its selector was labelled); and an application posted without the car's energy
or condition says which to choose ("请选择能源类型"), not the parser's
"None is not one of ice, nev".
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - container: no bureau
    container,
    csrf,
    form,
    stored,
    web_sign_in,
)
from tests.integration.test_fees_and_waivers import charge
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.support.loan_pages import form_html, refused_form

pytestmark = pytest.mark.integration


def label_of(html: str, input_id: str) -> str:
    found = re.search(rf'<label for="{input_id}">(.*?)</label>', html, re.S)
    assert found, html[:2000]
    return found.group(1)


def test_the_fee_waiver_form_asks_for_an_installment_not_a_monthly_payment(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    loan = book(container)
    charge(container, loan, "30.00")
    web_sign_in(client, staff, Role.SERVICING)
    waiver = form_html(client.get(f"/loans/{loan}").text, "fee-waiver")
    assert label_of(waiver, "waiver-n") == "期次"
    assert "月供" not in waiver
    typed = {"n": "", "amount": "10.00", "reason": "goodwill"}
    page, _ = refused_form(client, f"/loans/{loan}/fee-waiver-requests", typed, "fee-waiver")
    assert "请检查“期次”字段。" in page  # the banner names the field so too
    assert "月供" not in page.split('id="loan-chart"')[0]  # (the chart's axis is the payment)
    client.cookies.set("autolend_lang", "en")
    waiver = form_html(client.get(f"/loans/{loan}").text, "fee-waiver")
    assert label_of(waiver, "waiver-n") == "Installment no."


def field_errors(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-field-error="([^"]+)">(.*?)</p>', page, re.S))


@pytest.mark.parametrize(
    ("locale", "energy", "condition"),
    [
        ("zh_CN", "请检查此项： 请选择能源类型", "请检查此项： 请选择新车或二手车"),
        ("en", "Please check this field: choose the energy type",
         "Please check this field: choose whether the car is new or used"),
    ],
)  # fmt: skip
def test_an_application_without_energy_or_condition_names_the_choice_in_words(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
    locale: str, energy: str, condition: str,
) -> None:  # fmt: skip
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", locale)
    data = form() | {"csrf_token": csrf(client.get("/applications/new").text)}
    del data["vehicle.energy"], data["vehicle.condition"]
    refused = client.post("/applications/new", data=data)
    assert refused.status_code == 422
    shown = field_errors(refused.text)
    assert (shown["vehicle.energy"], shown["vehicle.condition"]) == (energy, condition)
    assert "is not one of" not in refused.text and 'lang="en"' not in str(shown)
    assert stored(container) == 0
