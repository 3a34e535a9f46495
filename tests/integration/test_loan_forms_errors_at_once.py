"""The loan page's servicing forms are refused once for all their wrong fields: each input
marked with its own message (aria-invalid, the message tied to it by aria-describedby),
the banner counting them, what was typed kept; over the API, ``error.errors`` lists them.
A repayment with three mistakes used to come back three times, one field marked each time.

The loan is tests/integration/test_loans_api's (12,000.00 from 2026-01-05); the test
clock's day is 2026-11-28.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_fees_and_waivers import charge
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role, loan_id  # noqa: F401 - fixture
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.support.loan_pages import refused_form

pytestmark = pytest.mark.integration


def marked(form: str) -> list[str]:
    """The fields the form says a message at, in its order."""
    return re.findall(r'data-field-error="([^"]+)"', form)


def described(form: str) -> dict[str, str]:
    """Each input marked invalid by its name, with the text of the message it points to."""
    found = {}
    for tag in re.findall(r"<(?:input|select)[^>]*aria-invalid=\"true\"[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        points = re.search(r'aria-describedby="([^"]+)"', tag)
        assert name and points, tag
        message = re.search(rf'<p[^>]*id="{points.group(1)}"[^>]*>(.*?)</p>', form, re.S)
        assert message, f"{points.group(1)} names no message"
        found[name.group(1)] = " ".join(message.group(1).split())
    return found


def test_a_repayment_with_three_wrong_fields_is_refused_once_naming_each(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    typed = {"amount": "12,34x", "value_date": "2026-13-01", "channel": "ach"}  # ach: US's
    data = {"idempotency_key": "k-three", **typed, "reference": "R-9"}
    page, form = refused_form(client, f"/loans/{loan_id}/repayments", data, "repayment")
    assert marked(form) == ["amount", "value_date", "channel"]
    messages = described(form)
    assert sorted(messages) == ["amount", "channel", "value_date"]
    assert "2026-11-30" in messages["value_date"]  # its own words: a date such as ...
    assert "ach" in messages["channel"]
    assert "Please check the 3 fields marked in the form below." in page
    assert 'href="#repay-amount"' in page  # the banner leads to the first
    assert 'value="12,34x"' in form and 'value="2026-13-01"' in form and 'value="R-9"' in form
    assert '<option value="ach" selected>' not in form  # no CN channel named ach to keep
    kinds = [t["kind"] for t in container.services.loans.transactions(SERVICING, loan_id)]
    assert "repayment" not in kinds  # nothing posted


def test_a_zero_repayment_dated_tomorrow_names_both_fields_the_service_refuses(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    typed = {"idempotency_key": "k-two", "amount": "0", "value_date": "2026-11-29",
             "channel": "cash"}  # fmt: skip
    _, form = refused_form(client, f"/loans/{loan_id}/repayments", typed, "repayment")
    assert marked(form) == ["amount", "value_date"]
    assert sorted(described(form)) == ["amount", "value_date"]


def test_a_write_off_asked_with_a_wrong_date_and_no_reason_names_both(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container)
    web_sign_in(client, staff, Role.SERVICING)
    for day in (
        "2026-13-01",
        "2020-01-01",
    ):  # not a date (the page's), out of range (the service's)
        typed = {"value_date": day, "reason": "  "}
        _, form = refused_form(client, f"/loans/{loan}/write-off-requests", typed, "write-off")
        assert marked(form) == ["value_date", "reason"], day
        assert described(form)["reason"] == "核销须说明原因"
        assert f'value="{day}"' in form


def test_a_fee_waiver_with_three_wrong_fields_names_each(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container)
    charge(container, loan, "30.00")
    web_sign_in(client, staff, Role.SERVICING)
    typed = {"n": "99", "amount": "0", "reason": ""}
    _, form = refused_form(client, f"/loans/{loan}/fee-waiver-requests", typed, "fee-waiver")
    assert marked(form) == ["n", "amount", "reason"]
    assert sorted(described(form)) == ["amount", "n", "reason"]


def test_a_fee_waiver_without_a_reason_says_so_in_chinese(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container)
    charge(container, loan, "30.00")
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "zh_CN")
    typed = {"n": "1", "amount": "10.00", "reason": " "}
    _, form = refused_form(client, f"/loans/{loan}/fee-waiver-requests", typed, "fee-waiver")
    assert described(form) == {"reason": "减免须填写原因"}


def test_a_reversal_with_no_repayment_chosen_and_no_reason_names_both(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    posted = client.post(
        f"/loans/{loan_id}/repayments",
        data={"csrf_token": csrf(page), "idempotency_key": "k-pay", "amount": "100.00",
              "value_date": "2026-11-20", "channel": "cash"},
    )  # fmt: skip
    assert posted.status_code == 200, posted.text[:2000]
    typed = {"csrf_token": csrf(page), "idempotency_key": "k-rev", "event_id": "", "reason": ""}
    _, form = refused_form(client, f"/loans/{loan_id}/reversals", typed, "reversal")
    assert marked(form) == ["event_id", "reason"]
    assert sorted(described(form)) == ["event_id", "reason"]


def test_the_api_lists_every_wrong_field_of_a_repayment_in_error_errors(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "api-two"}
    body = {"amount": "-5x", "currency": "CNY", "value_date": "2026-13-01", "channel": "cash"}
    answer = client.post(f"/api/v1/loans/{loan_id}/repayments", json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == "amount"  # the first, as before
    assert [e["field"] for e in error["errors"]] == ["amount", "value_date"]
    assert error["errors"][0]["message"] == error["message"]
    zero = body | {"amount": "0", "value_date": "2026-11-29"}  # both the service's to refuse
    headers["Idempotency-Key"] = "api-zero"
    answer = client.post(f"/api/v1/loans/{loan_id}/repayments", json=zero, headers=headers)
    assert [e["field"] for e in answer.json()["error"]["errors"]] == ["amount", "value_date"]
