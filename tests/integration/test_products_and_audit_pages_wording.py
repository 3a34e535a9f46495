"""The product catalogue and the audit trail as staff read them (SQLite and PostgreSQL).

The Chinese catalogue joined its lists with ASCII punctuation ("新车; 燃油车, 新能源汽车",
"受薪, 个体经营", "12, 24, 36", "置换购车免收: 2 %"), which reads as a typo in Chinese: lists
now take 、 and ；, a label its full-width colon, while the English page keeps ", " and "; ".
The audit trail's page past the last record said "No audit records yet." over a trail of
hundreds; it now says the page is past the end and leads back. Wide tables (the customers,
the audit records, a product's versions) are one card per row on a phone."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - container: the demo one
    container,
    file_through_the_form,
    web_sign_in,
)

pytestmark = pytest.mark.integration


def terms_of(page: str, code: str) -> dict[str, str]:
    """The product's key terms, label -> text (tags dropped, spaces squeezed)."""
    block = page.split(f'data-terms="{code}"')[1].split("</dl>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", block, re.S)
    return {dt: " ".join(re.sub(r"<[^>]+>", "", dd).split()) for dt, dd in pairs}


def catalogue(client: TestClient, staff: dict[Role, str], lang: str) -> str:
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set("autolend_lang", lang)
    page = client.get("/products")
    assert page.status_code == 200
    return str(page.text)


def test_the_chinese_catalogue_joins_its_lists_with_chinese_punctuation(
    client: TestClient, staff: dict[Role, str]
) -> None:
    page = catalogue(client, staff, "zh_CN")
    std = terms_of(page, "STD_NEW")
    assert std["期限（月）"] == "12、24、36、48、60"
    assert std["车辆"] == "新车；燃油车、新能源汽车"
    assert std["就业类型"] == "受薪、个体经营"
    assert std["费用"].startswith("手续费 1%；GPS ¥1,500.00")
    assert std["提前还款违约金"].endswith("：2%")
    assert terms_of(page, "NEV_GREEN")["贴息"].startswith("汽车厂商：")
    for code in ("STD_NEW", "USED_CAR", "NEV_GREEN", "BALLOON", "YOUNG_FIRST"):
        for text in terms_of(page, code).values():
            assert not re.search(r"[;:,] ", text), (code, text)
    versions = page.split('data-history="STD_NEW"')[1].split("</details>", 1)[0]
    assert "12、24、36、48、60" in versions


def test_the_english_catalogue_keeps_its_commas_semicolons_and_brackets(
    client: TestClient, staff: dict[Role, str]
) -> None:
    std = terms_of(catalogue(client, staff, "en"), "STD_NEW")
    assert std["Terms (months)"] == "12, 24, 36, 48, 60"
    assert std["Vehicles"] == "New car; Combustion engine, New energy vehicle"
    assert re.fullmatch(r"Origination fee 1%; GPS (CN)?¥1,500\.00 \(financed\)", std["Fees"])
    assert std["Prepayment fee"].endswith("trade-in: 2%")


def test_a_page_of_the_audit_trail_past_its_end_says_so_and_leads_back(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.AUDITOR)
    client.cookies.set("autolend_lang", "en")
    first = client.get("/audit").text
    assert re.search(r'<tr data-seq="\d+">', first)
    past = client.get("/audit", params={"page": "9999"}).text
    empty = past.split('data-empty="audit"')[1].split("</p>", 1)[0]
    assert "No audit records yet." not in empty
    assert "past the last record" in empty and 'href="/audit"' in empty


def test_the_wide_staff_tables_are_one_card_per_row_on_a_phone(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    file_through_the_form(client)  # a customer to list
    web_sign_in(client, staff, Role.AUDITOR)
    for path, table in (("/audit", "audit"), ("/customers", "customers")):
        page = client.get(path).text
        head = re.search(rf'<table class="([^"]*)" data-table="{table}"', page)
        assert head and "table--stack" in head.group(1).split(), path
    products = catalogue(client, staff, "en")
    assert 'class="table table--stack" data-table="versions"' in products
    row = products.split('<tr data-version="1">')[1].split("</tr>", 1)[0]
    assert row.count('class="cell-label"') == 5
