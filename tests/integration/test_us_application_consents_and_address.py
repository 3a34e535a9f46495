"""A US application asks the US consents and a US address, on both databases. Under the
US pack the form asked China's PIPL consents, its separate consent to sensitive personal
information among them, and the service refused a US application without that consent;
PIPL does not bind a US lender. Now the US form shows the FCRA authorization and the
consent under the lender's GLBA privacy notice only, the API files a US application
without ``sensitive_data`` (a CN one is still refused), and the address is asked as
street, city, state and ZIP and kept as one line: ``1 Main St, Columbus, OH 43215``."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services.application_records import raw_details
from tests.integration.test_application_pages import stored, web_sign_in
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_application_form import (
    US_FORM,
    input_tag,
    options_of,
    post_form,
)
from tests.integration.test_us_origination import us_body, us_product  # noqa: F401 - fixture
from tests.support.origination import (
    application_body,
    us_lender_container,  # noqa: F401 - the container
)

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("us_product")]
PROCESSING = "consent to the processing of personal data"  # in words, never codes
SENSITIVE = "separate consent to the processing of sensitive data"
APPLICATIONS = "/api/v1/applications"
US_CONSENTS = [{"kind": "bureau_query", "text_version": "v1"},
               {"kind": "data_processing", "text_version": "v1"}]  # fmt: skip


def consent_kinds(container: Container) -> list[str]:
    with container.engine.connect() as conn:
        return sorted(conn.execute(select(t.consents.c.kind)).scalars())


def stored_address(container: Container, app_id: int) -> str:
    with container.uow() as uow:
        row = uow.applications.get(app_id)
    assert row is not None
    return str(raw_details(container.cipher, row)["applicants"][0]["address"])


def test_the_api_files_a_us_application_without_the_sensitive_data_consent(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post(APPLICATIONS, json=us_body() | {"consents": US_CONSENTS}, headers=dealer)
    assert made.status_code == 201, made.text
    assert consent_kinds(container) == ["bureau_query", "data_processing"]
    refused = client.post(APPLICATIONS, json=us_body() | {"consents": US_CONSENTS[:1]},
                          headers=dealer)  # fmt: skip
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "consents" and f"(missing: {PROCESSING})" in error["message"]


def test_the_api_still_refuses_a_cn_application_without_the_sensitive_data_consent(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    refused = client.post(APPLICATIONS, json=application_body(consents=US_CONSENTS),
                          headers=dealer)  # fmt: skip
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "consents" and f"(missing: {SENSITIVE})" in error["message"]
    assert stored(container) == 0 and consent_kinds(container) == []


def test_the_us_form_asks_the_us_consents_and_the_address_in_parts_with_a_state_menu(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    page = client.get("/applications/new").text
    assert 'name="consent.sensitive_data"' not in page
    assert "sensitive personal information" not in page
    assert "Fair Credit Reporting Act" in page and "privacy notice" in page
    assert 'name="applicants[0].address"' not in page
    for part in ("street", "city", "zip"):
        input_tag(page, f"applicants[0].{part}")
    states = options_of(page, "applicants[0].state")
    assert len(states) == 52 and states[0][0] == ""
    assert ("IL", "Illinois (IL)") in states and ("DC", "District of Columbia (DC)") in states
    client.cookies.set("autolend_lang", "zh-CN")
    chinese = client.get("/applications/new").text
    assert ("IL", "伊利诺伊州（IL）") in options_of(chinese, "applicants[0].state")


@pytest.mark.parametrize("container", ["CN"], indirect=True)
def test_the_cn_form_still_asks_pipls_separate_consent_and_one_address_line(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    page = client.get("/applications/new").text
    assert 'name="consent.sensitive_data"' in page
    input_tag(page, "applicants[0].address")
    assert 'name="applicants[0].state"' not in page and "privacy notice" not in page


def test_the_us_form_files_the_address_as_one_line_and_only_the_us_consents(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    made = post_form(client, US_FORM | {"applicants[0].zip": "43215-1234"})
    assert made.status_code == 303, made.text[:3000]
    found = re.search(r"/applications/(\d+)", made.headers["location"])
    assert found, made.headers["location"]
    app_id = int(found.group(1))
    assert stored_address(container, app_id) == "1 Main St, Columbus, OH 43215-1234"
    assert consent_kinds(container) == ["bureau_query", "data_processing"]


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        ({"applicants[0].zip": "4321"}, "applicants[0].zip", "ZIP code must be 5 digits"),
        ({"applicants[0].zip": ""}, "applicants[0].zip", "This field is required"),
        ({"applicants[0].state": "PR"}, "applicants[0].state", "50 states or DC"),
        ({"applicants[0].state": ""}, "applicants[0].state", "This field is required"),
        ({"applicants[0].street": " "}, "applicants[0].street", "This field is required"),
        ({"applicants[0].city": ""}, "applicants[0].city", "This field is required"),
    ],
    ids=["short_zip", "no_zip", "territory", "no_state", "no_street", "no_city"],
)
def test_a_wrong_address_part_is_named_and_what_was_typed_is_kept(
    client: TestClient, container: Container, staff: dict[Role, str],
    change: dict[str, str], field: str, said: str,
) -> None:  # fmt: skip
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    answer = post_form(client, US_FORM | change)
    assert answer.status_code == 422
    page = answer.text
    shown = re.search(rf'data-field-error="{re.escape(field)}">([^<]*)<', page)
    assert shown and said.lower() in shown.group(1).lower(), shown
    assert 'value="1 Main St"' in input_tag(page, "applicants[0].street") or "street" in field
    assert 'value="John Smith"' in input_tag(page, "applicants[0].name")
    if "state" not in field:
        assert re.search(r'<option value="OH" selected>', page)
    assert stored(container) == 0


def test_refusals_in_chinese_name_the_address_part(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "zh-CN")
    page = post_form(client, US_FORM | {"applicants[0].zip": "ABCDE"}).text
    assert re.search(r'data-field-error="applicants\[0\]\.zip">[^<]*邮政编码', page)
