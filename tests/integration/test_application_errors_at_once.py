"""An application with several wrong fields is refused once, naming every one, over the
API (``error.errors``) and on the form (each input marked with its own message, the
banner counting them); nothing is stored. A form with three mistakes used to come back
three times, one field marked each time."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - container: no bureau
    BAD_ID,
    container,
    csrf,
    form,
    stored,
    web_sign_in,
)
from tests.integration.test_loans_api import as_role
from tests.support.origination import application_body

pytestmark = pytest.mark.integration


def test_the_api_names_every_wrong_field_of_an_application_at_once(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    body = application_body(term_months=0)
    body["applicants"][0].update(id_number=BAD_ID, monthly_income="-5")
    headers = as_role(client, staff, Role.DEALER)
    answer = client.post("/api/v1/applications", json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == "applicants[0].id_number"  # the first, as before
    assert [e["field"] for e in error["errors"]] == [
        "applicants[0].id_number", "applicants[0].monthly_income", "term_months",
    ]  # fmt: skip
    assert all(e["message"] for e in error["errors"])
    assert error["errors"][0]["message"] == error["message"]
    assert stored(container) == 0
    one = client.post("/api/v1/applications", json=application_body(term_months=0),
                      headers=headers)  # fmt: skip
    assert one.status_code == 422 and "errors" not in one.json()["error"], one.text


def test_the_form_marks_every_wrong_field_with_its_own_message_in_one_go(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    web_sign_in(client, staff, Role.DEALER)
    token = csrf(client.get("/applications/new").text)
    wrong = {"applicants[0].id_number": BAD_ID, "applicants[0].monthly_income": "abc",
             "vehicle.vin": "SHORT"}  # fmt: skip
    answer = client.post("/applications/new", data=form(**wrong) | {"csrf_token": token})
    assert answer.status_code == 422
    page = answer.text
    marked = re.findall(r'data-field-error="([^"]+)"', page)
    assert marked == ["vehicle.vin", "applicants[0].id_number", "applicants[0].monthly_income"]
    invalid = re.findall(r'name="([^"]+)"[^>]*aria-invalid="true"', page)
    assert sorted(invalid) == sorted(marked)
    assert "请检查下方标出的 3 个字段" in page
    assert "身份证号码的校验位不正确" in page  # each in its own words, in the page's language
    assert 'href="#f-applicants-0-id_number"' in page  # the banner leads to the first
    assert all(f'value="{value}"' in page for value in wrong.values())  # kept as typed
    assert stored(container) == 0
