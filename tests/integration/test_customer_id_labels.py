"""The customer pages name a customer's ID by their identity scheme, on both databases.
The list's column and the customer's page said "Resident ID" whatever the customer, so a
US lender's staff read "Resident ID" over an SSN. Now a US customer's ID is "SSN or ITIN"
and their phone "Phone" (the application form's words); a CN customer's stay "Resident
ID" / "Mobile"; on a page mixing both, the column follows the lender's jurisdiction and
the other customers' IDs say what they are."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loans_api import as_role
from tests.support.jurisdiction import jurisdiction_container  # noqa: F401 - the container

pytestmark = pytest.mark.integration

US_PERSON = {"name": "John Smith", "id_number": "123-45-6788", "phone": "6145550100",
             "pack_code": "US"}  # fmt: skip
CN_PERSON = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13800138000"}


def register(client: TestClient, staff: dict[Role, str], person: dict[str, str]) -> int:
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post("/api/v1/customers", json=person, headers=dealer)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def column_heads(page: str) -> list[str]:
    table = page.split('data-table="customers"')[1].split("</thead>", maxsplit=1)[0]
    return [" ".join(head.split()) for head in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]


def row(page: str, customer_id: int) -> str:
    return page.split(f'data-customer-id="{customer_id}"')[1].split("</tr>", maxsplit=1)[0]


def detail_terms(page: str) -> list[str]:
    return [" ".join(term.split()) for term in re.findall(r"<dt>(.*?)</dt>", page, re.S)]


def dealer_in(client: TestClient, staff: dict[Role, str], lang: str) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", lang)


@pytest.mark.parametrize("container", ["US"], indirect=True)
def test_a_us_lenders_customer_list_and_page_name_the_ssn_or_itin_and_the_phone(
    client: TestClient, staff: dict[Role, str]
) -> None:
    smith = register(client, staff, US_PERSON)
    dealer_in(client, staff, "en")
    listed = client.get("/customers").text
    assert column_heads(listed)[2:4] == ["SSN or ITIN", "Phone"]
    assert "Resident ID" not in listed and "data-id-scheme" not in row(listed, smith)
    page = client.get(f"/customers/{smith}").text
    assert detail_terms(page)[1:3] == ["SSN or ITIN", "Phone"]
    assert "Resident ID" not in page
    client.cookies.set("autolend_lang", "zh_CN")
    assert column_heads(client.get("/customers").text)[2:4] == [
        "社会安全号码或个人纳税识别号（SSN/ITIN）",
        "电话",
    ]


def test_a_cn_lenders_customer_pages_still_say_resident_id_and_mobile(
    client: TestClient, staff: dict[Role, str]
) -> None:
    zhang = register(client, staff, CN_PERSON)
    dealer_in(client, staff, "zh_CN")
    listed = client.get("/customers").text
    assert column_heads(listed)[2:4] == ["身份证号", "手机号"]
    assert "data-id-scheme" not in row(listed, zhang)
    assert detail_terms(client.get(f"/customers/{zhang}").text)[1:3] == ["身份证号", "手机号"]


def test_on_a_cn_lenders_mixed_list_the_us_customers_id_says_it_is_an_ssn_or_itin(
    client: TestClient, staff: dict[Role, str]
) -> None:
    zhang, smith = register(client, staff, CN_PERSON), register(client, staff, US_PERSON)
    dealer_in(client, staff, "en")
    listed = client.get("/customers").text
    assert column_heads(listed)[2:4] == ["Resident ID", "Mobile"]  # the lender's (CN)
    assert re.search(r'data-id-scheme="taxpayer_id">\(SSN or ITIN\)<', row(listed, smith))
    assert "data-id-scheme" not in row(listed, zhang)
    page = client.get(f"/customers/{smith}").text
    assert detail_terms(page)[1:3] == ["SSN or ITIN", "Phone"]  # the customer's own
