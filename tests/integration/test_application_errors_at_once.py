"""An application with several wrong fields is refused once, naming every one, over the
API (``error.errors``) and on the form (each input marked with its own message, the
banner counting them); nothing is stored. A form with three mistakes used to come back
three times, one field marked each time."""

from __future__ import annotations

import re
from typing import Any

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


def described(page: str) -> dict[str, str]:
    """Each input marked invalid by its name, with the text of the message it points to
    first (an input with help points to that after it)."""
    found = {}
    for tag in re.findall(r"<(?:input|select)[^>]*aria-invalid=\"true\"[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        points = re.search(r'aria-describedby="([^"]+)"', tag)
        assert name and points, tag
        first = points.group(1).split()[0]
        message = re.search(rf'<p[^>]*id="{re.escape(first)}"[^>]*>(.*?)</p>', page, re.S)
        assert message, f"{first} names no message"
        found[name.group(1)] = " ".join(message.group(1).split())
    return found


def test_each_wrong_input_of_the_form_points_to_its_own_message(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    """A screen reader says the message with the input (aria-describedby), a select and
    an input with help of its own too: the message first, then the help."""
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    token = csrf(client.get("/applications/new").text)
    wrong = {"applicants[0].id_number": BAD_ID, "applicants[0].monthly_income": "abc",
             "applicants[0].income_stability_months": "abc", "term_months": "0"}  # fmt: skip
    answer = client.post("/applications/new", data=form(**wrong) | {"csrf_token": token})
    assert answer.status_code == 422
    found = described(answer.text)
    assert sorted(found) == sorted(re.findall(r'data-field-error="([^"]+)"', answer.text))
    assert set(wrong) <= set(found), found
    assert all(text.startswith("Please check this field:") for text in found.values())
    assert "check character" in found["applicants[0].id_number"], found
    stability = re.search(r'<input[^>]*name="applicants\[0\].income_stability_months"[^>]*>',
                          answer.text)  # fmt: skip
    assert stability and (
        'aria-describedby="f-applicants-0-income_stability_months-error '
        'f-applicants-0-income_stability_months-help"'
    ) in stability.group(0)
    assert stored(container) == 0


def test_missing_consents_are_said_with_their_fieldset(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    """The consents are checkboxes, none of them wrong on its own: the group points to
    the message."""
    web_sign_in(client, staff, Role.DEALER)
    token = csrf(client.get("/applications/new").text)
    fields = {k: v for k, v in form().items() if k != "consent.sensitive_data"}
    answer = client.post("/applications/new", data=fields | {"csrf_token": token})
    assert answer.status_code == 422
    fieldset = re.search(r'<fieldset[^>]*data-section="consents"[^>]*>', answer.text)
    assert fieldset and 'aria-describedby="f-consents-error"' in fieldset.group(0)
    assert re.search(r'<p[^>]*id="f-consents-error"[^>]*data-field-error="consents"', answer.text)


def test_a_dealer_cannot_name_another_dealers_showroom_for_the_car(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    """The dealer user is D001's (id 1): a car of D002's was filed, the application
    dealer 1's and its vehicle dealer 2's."""
    body = application_body()
    body["vehicle"]["dealer_id"] = 2
    headers = as_role(client, staff, Role.DEALER)
    answer = client.post("/api/v1/applications", json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == "vehicle.dealer_id"
    assert stored(container) == 0
    body["vehicle"]["dealer_id"] = 1
    assert client.post("/api/v1/applications", json=body, headers=headers).status_code == 201


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("term_months",), "36"),
        (("term_months",), 36.0),
        (("term_months",), True),
        (("vehicle", "dealer_id"), "1"),
        (("applicants", 0, "income_documented"), "yes"),
        (("applicants", 0, "first_time_buyer"), 1),
    ],
)
def test_a_number_or_flag_written_as_something_else_is_refused_not_guessed(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
    path: tuple[str | int, ...], value: object,
) -> None:  # fmt: skip
    """The API read "36" as 36 months, True as 1 month and "yes" as true before the
    application's own checks saw them."""
    body = application_body()
    parent: Any = body
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    answer = client.post("/api/v1/applications", json=body,
                         headers=as_role(client, staff, Role.DEALER))  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert str(path[-1]) in answer.json()["error"]["field"]
    assert stored(container) == 0


def test_a_product_code_no_product_may_have_is_refused_on_its_field(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    """A NUL character reached PostgreSQL, which refuses to compare it: a 500."""
    body = application_body(product_code="\x00")
    answer = client.post("/api/v1/applications", json=body,
                         headers=as_role(client, staff, Role.DEALER))  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == "product_code"
    assert stored(container) == 0
