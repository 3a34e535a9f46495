"""What the borrower's "My details", the users page and the audit trail show (SQLite and
PostgreSQL). "My details" asked the borrower to "tell us if anything is wrong" with no
way to: it now says where to go (their dealer or the lender's branch), and a US
borrower's SSN and phone read as people write them (123-45-6788, (614) 555-0100), not as
stored (123456788, +16145550100). The users page showed a dealer user's dealer as its
number: it shows the dealer's name. The audit trail's "Object" column showed stored codes
(``loan:12``, ``portfolio:2026-12-01``): it names the object in the page's language,
linked to its page where the reader may open it, the code kept in the title."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.services.audit import record_change
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loans_api import as_role
from tests.support.jurisdiction import jurisdiction_container  # noqa: F401 - the container

pytestmark = pytest.mark.integration

US_PERSON = {"name": "John Smith", "id_number": "123-45-6788", "phone": "6145550100",
             "pack_code": "US"}  # fmt: skip


def signed_in(client: TestClient, staff: dict[Role, str], role: Role, lang: str = "en") -> None:
    web_sign_in(client, staff, role)
    client.cookies.set("autolend_lang", lang)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("container", ["US"], indirect=True)
def test_my_details_show_a_us_borrowers_ssn_and_phone_as_written_and_where_to_correct_them(
    client: TestClient, staff: dict[Role, str]
) -> None:
    made = client.post("/api/v1/customers", json=US_PERSON,
                       headers=as_role(client, staff, Role.BORROWER))  # fmt: skip
    assert made.status_code == 201, made.text
    signed_in(client, staff, Role.BORROWER)
    mine = client.get("/customers").text
    row = mine.split(f'data-customer-id="{made.json()["id"]}"')[1].split("</tr>", 1)[0]
    assert "123-45-6788" in row and "(614) 555-0100" in row
    assert "123456788" not in row and "+16145550100" not in row
    header = text_of(mine.split("<h1", 1)[1].split("</header>", 1)[0])
    assert "tell us" not in header
    assert "tell your dealer or the lender's branch" in header
    page = client.get(f"/customers/{made.json()['id']}").text
    assert "123-45-6788" in page and "(614) 555-0100" in page


@pytest.mark.parametrize("container", ["US"], indirect=True)
def test_a_masked_us_id_and_phone_stay_masked_under_the_format(
    client: TestClient, staff: dict[Role, str]
) -> None:
    made = client.post("/api/v1/customers", json=US_PERSON,
                       headers=as_role(client, staff, Role.DEALER))  # fmt: skip
    assert made.status_code == 201, made.text
    signed_in(client, staff, Role.DEALER)  # no pii:read_full
    row = client.get("/customers").text.split(f'data-customer-id="{made.json()["id"]}"')[1]
    cells = re.findall(r'<td class="mono">(.*?)</td>', row.split("</tr>", 1)[0], re.S)
    assert [text_of(cell).split()[-1] for cell in cells[1:]] == ["***", "+16*****0100"]


def test_the_users_page_names_a_dealer_users_dealer(
    client: TestClient, staff: dict[Role, str]
) -> None:
    signed_in(client, staff, Role.ADMIN)
    page = client.get("/users").text
    dealer = page.split('<tr data-username="dealer">')[1].split("</tr>", 1)[0]
    cell = dealer.split('data-dealer-id="1"')[1].split("</td>", 1)[0]
    assert text_of(cell).endswith("Dealer One")
    admin = page.split('<tr data-username="admin">')[1].split("</tr>", 1)[0]
    assert 'data-dealer-id=""' in admin


def audited(container: Container, clock: FixedClock, *objects: tuple[str, str]) -> None:
    """One audit record about each ``(object_type, object_id)``."""
    with container.uow(write=True) as uow:
        for kind, object_id in objects:
            record_change(uow, clock, SYSTEM_ACTOR, action=f"{kind}.test", object_type=kind,
                          object_id=object_id)  # fmt: skip
        uow.commit()


OBJECTS = (("portfolio", "2026-12-01"), ("loan", "12"), ("application", "3"),
           ("model", "default@2"), ("gadget", "x1"))  # fmt: skip


def objects_of(page: str) -> dict[str, str]:
    """Each object cell's stored code -> the cell's element (tags kept)."""
    cells = re.findall(r'(<(a|span)[^>]*data-object="([^"]+)"[^>]*>.*?</\2>)', page, re.S)
    return {code: cell for cell, _tag, code in cells}


def test_the_audit_trail_names_its_objects_and_links_those_the_auditor_may_open(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str]
) -> None:
    audited(container, clock, *OBJECTS)
    signed_in(client, staff, Role.AUDITOR)
    shown = objects_of(client.get("/audit").text)
    assert text_of(shown["portfolio:2026-12-01"]) == "Portfolio 2026-12-01"
    assert 'href="/portfolio?date=2026-12-01"' in shown["portfolio:2026-12-01"]
    assert text_of(shown["loan:12"]) == "Loan no. 12"
    assert shown["loan:12"].startswith('<a href="/loans/12" class="nowrap" title="loan:12"')
    assert 'href="/applications/3"' in shown["application:3"]
    assert text_of(shown["model:default@2"]) == "Model default, version 2"
    assert 'href="/risk/models/default/v/2"' in shown["model:default@2"]
    assert text_of(shown["gadget:x1"]) == "gadget:x1"  # a kind the page does not know


def test_an_administrator_who_reads_no_loans_sees_the_object_named_but_not_linked(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str]
) -> None:
    audited(container, clock, *OBJECTS)
    signed_in(client, staff, Role.ADMIN, "zh_CN")
    shown = objects_of(client.get("/audit").text)
    assert shown["loan:12"].startswith('<span class="nowrap" title="loan:12"')
    assert text_of(shown["loan:12"]) == "贷款编号 12"
    assert text_of(shown["application:3"]) == "申请编号 3"
    assert "<a " in shown["application:3"]  # an administrator reads every application
    assert "loan:12" not in text_of(client.get("/audit").text)
