"""The loan list's status filter, on both databases: it offered a borrower the lender's
book-keeping steps too (Booked, Closed, Cancelled). A borrower is offered the statuses
their loans are read by (in repayment, paid off, written off); staff keep every one."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import web_sign_in

pytestmark = pytest.mark.integration

EVERY = ["booked", "active", "paid_off", "closed", "written_off", "cancelled"]


def offered(page: str) -> dict[str, str]:
    """The status filter's options, value: label (the "All" option left out)."""
    menu = re.search(r'<select id="status-filter" name="status">(.*?)</select>', page, re.S)
    assert menu, page[:2000]
    found = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', menu.group(1))
    return {value: label for value, label in found if value}


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", {"active": "In repayment", "paid_off": "Paid off", "written_off": "Written off"}),
        ("zh_CN", {"active": "还款中", "paid_off": "已结清", "written_off": "已核销"}),
    ],
)
def test_a_borrowers_filter_offers_only_the_statuses_their_loans_are_read_by(
    client: TestClient, staff: dict[Role, str], lang: str, said: dict[str, str]
) -> None:
    web_sign_in(client, staff, Role.BORROWER)
    client.cookies.set("autolend_lang", lang)
    page = client.get("/loans").text
    assert offered(page) == said
    for staff_word in ("Booked", "Closed", "Cancelled", "已登记", "已关闭", "已取消"):
        assert staff_word not in page, staff_word


def test_a_borrower_asking_for_a_staff_status_gets_all_their_loans(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.BORROWER)
    page = client.get("/loans?status=booked").text
    assert " selected" not in page.split('id="status-filter"')[1].split("</select>")[0]


@pytest.mark.parametrize("role", [Role.SERVICING, Role.DEALER])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_staff_and_dealers_keep_every_status_in_the_filter(
    client: TestClient, staff: dict[Role, str], role: Role, lang: str
) -> None:
    web_sign_in(client, staff, role)
    client.cookies.set("autolend_lang", lang)
    shown = offered(client.get("/loans?status=booked").text)
    assert list(shown) == EVERY
    assert shown["booked"] == ("Booked" if lang == "en" else "已登记")
