"""An id posted in a web form is a whole number from 1 to 2**63 - 1, as the API bounds its
ids; a larger one is refused with the form's own message in the page's language, never
a 500, on both databases. A reversal of repayment 99999999999999999999999 answered
``OverflowError: Python int too large to convert to SQLite INTEGER`` (bigint out of range
on PostgreSQL); so did a dealer of that number on the application form, and an offer
"²" (a digit to ``str.isdigit``, none to ``int``) a ``ValueError``.

The loan is tests/integration/test_loans_api's (12,000.00 from 2026-01-05).
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
from tests.integration.test_borrower_numbers_agree import approved
from tests.integration.test_fees_and_waivers import charge
from tests.integration.test_loan_forms_errors_at_once import described
from tests.integration.test_loans_api import loan_id  # noqa: F401 - fixture
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.support.loan_pages import done_form, refused_form

pytestmark = pytest.mark.integration
TOO_LARGE = ("99999999999999999999999", str(2**63))


def test_a_reversal_of_a_repayment_id_too_large_for_the_database_is_refused_in_words(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    paid = {"csrf_token": csrf(client.get(f"/loans/{loan_id}").text), "idempotency_key": "k-pay",
            "amount": "100.00", "value_date": "2026-11-20", "channel": "cash"}  # fmt: skip
    done_form(client, f"/loans/{loan_id}/repayments", paid)
    for number in TOO_LARGE:  # the form offers it once a repayment was posted
        typed = {"idempotency_key": f"k-{number}", "event_id": number, "reason": "test"}
        _, form_html = refused_form(client, f"/loans/{loan_id}/reversals", typed, "reversal")
        assert described(form_html) == {"event_id": "该贷款没有这笔还款"}, number
    client.cookies.set("autolend_lang", "en")
    typed = {"idempotency_key": "k-en", "event_id": TOO_LARGE[0], "reason": "test"}
    _, form_html = refused_form(client, f"/loans/{loan_id}/reversals", typed, "reversal")
    assert described(form_html) == {"event_id": "this loan has no such repayment"}


def test_a_fee_waiver_of_an_installment_beyond_any_loan_is_refused_in_words(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    loan = book(container)
    charge(container, loan, "30.00")
    web_sign_in(client, staff, Role.SERVICING)
    for number in (*TOO_LARGE, "0", "1001"):
        typed = {"n": number, "amount": "10.00", "reason": "goodwill"}
        _, html = refused_form(client, f"/loans/{loan}/fee-waiver-requests", typed, "fee-waiver")
        assert described(html) == {"n": "请选择期次"}, number
    typed = {"n": "99", "amount": "10.00", "reason": "goodwill"}  # a number, not this loan's
    _, html = refused_form(client, f"/loans/{loan}/fee-waiver-requests", typed, "fee-waiver")
    assert described(html) == {"n": "该贷款没有第 99 期"}


def test_an_offer_that_is_no_whole_number_is_refused_in_words(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    page = approved(client, staff, "STD_NEW").removeprefix("/api/v1")
    web_sign_in(client, staff, Role.DEALER)
    token = csrf(client.get(page).text)
    for option in ("²", *TOO_LARGE, "9"):
        refused = client.post(f"{page}/accept", data={"csrf_token": token, "option": option})
        assert refused.status_code == 422, (option, refused.text[:2000])
        alert = re.search(r'data-error-field="option">(.*?)</p>', refused.text, re.S)
        assert alert and "请选择一个方案" in alert.group(1), option


def test_a_dealer_id_too_large_for_the_database_is_refused_on_the_application_form(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    web_sign_in(client, staff, Role.UNDERWRITER)  # staff choose the dealer
    token = csrf(client.get("/applications/new").text)
    for number in TOO_LARGE:
        data = form(**{"vehicle.dealer_id": number, "channel": "dealer"}) | {"csrf_token": token}
        refused = client.post("/applications/new", data=data)
        assert refused.status_code == 422, (number, refused.text[:2000])
        marked = re.findall(r'data-field-error="vehicle.dealer_id">(.*?)</p>', refused.text, re.S)
        assert marked == ["请检查此项： 请从列表中选择经销商"], number
    assert stored(container) == 0
