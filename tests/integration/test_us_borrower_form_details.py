"""A US borrower's own application form, on both databases: it filled in their SSN and
phone as stored (``123456788`` read-only, ``+16145550100`` under the help "10 digits,
e.g. 614 555 0100"); now as people write them and as the customers page shows them
(``123-45-6788``, ``(614) 555-0100``), and the form so filled still files."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_application_form import (
    US_FORM,
    input_tag,
    post_form,
)
from tests.integration.test_us_origination import stored_customer, us_product  # noqa: F401
from tests.support.origination import us_lender_container  # noqa: F401 - the container

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("us_product", "container")]


def value_of(page: str, name: str) -> str:
    found = re.search(r'value="([^"]*)"', input_tag(page, name))
    assert found is not None, name
    return found.group(1)


def test_a_us_borrowers_own_form_writes_their_ssn_and_phone_as_people_do_and_files(
    client: TestClient, staff: dict[Role, str]
) -> None:
    person = {"name": "John Smith", "id_number": "123-45-6788", "phone": "6145550100",
              "monthly_income": "9000.00", "pack_code": "US"}  # fmt: skip
    made = client.post("/api/v1/customers", json=person,
                       headers=as_role(client, staff, Role.BORROWER))  # fmt: skip
    assert made.status_code == 201, made.text
    web_sign_in(client, staff, Role.BORROWER)
    client.cookies.set("autolend_lang", "en")
    page = client.get("/applications/new").text
    assert value_of(page, "applicants[0].id_number") == "123-45-6788"
    assert value_of(page, "applicants[0].mobile") == "(614) 555-0100"
    fields = US_FORM | {"applicants[0].mobile": value_of(page, "applicants[0].mobile")}
    filed = post_form(client, fields)
    assert filed.status_code == 303, filed.text[:3000]
    assert re.search(r"/applications/\d+", filed.headers["location"])
