"""The decision's fraud signals, read in one statement, on both databases: other
applications in 30 days with the same resident ID and with the same mobile (counted
apart, the one being decided left out) and the customer's written-off loans."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_bureau_sandbox import sandbox, sandbox_url  # noqa: F401 - fixtures
from tests.integration.test_loan_services import SERVICING, cny
from tests.integration.test_origination_api import (  # noqa: F401 - fixtures
    bureau,
    container,
    dealer,
    filed,
    model,
    sms,
)
from tests.support.origination import BORROWER_ID, application_body
from tests.support.write_off import written_off

pytestmark = pytest.mark.integration
MOBILE = "13800138000"


def counts(built: Container, application_id: int) -> tuple[int, int, int]:
    cipher, since = built.cipher, built.services.clock.now() - timedelta(days=30)
    with built.uow() as uow:
        row = uow.applications.get(application_id)
        assert row is not None
        return uow.applications.fraud_counts(
            id_number_bidx=cipher.blind_index("id_number", BORROWER_ID),
            phone_bidx=cipher.blind_index("phone", MOBILE),
            since=since,
            excluding=application_id,
            customer_id=row.customer_id,
        )


def written_off_loan(built: Container, customer_id: int) -> None:
    start = date(2026, 1, 5)
    terms = LoanTerms(principal=cny("10000"), annual_rate=Decimal("0.12"), periods=12,
                      start=start)  # fmt: skip
    loans = built.services.loans
    request = BookingRequest(terms=terms, approved=cny("10000"), customer_id=customer_id)
    loan_id = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan_id, DisbursementInput(cny("10000"), start))
    written_off(built, loan_id, start)


def test_the_same_resident_id_and_the_same_mobile_are_counted_apart_in_the_window(
    client: TestClient,
    container: Container,  # noqa: F811 - the fixtures of the origination tests
    dealer: dict[str, str],  # noqa: F811
    clock: FixedClock,
) -> None:
    first = filed(client, dealer)["id"]
    filed(client, dealer)  # the same ID and mobile
    other_mobile: dict[str, Any] = application_body()
    other_mobile["applicants"][0]["mobile"] = "13900139000"
    made = client.post("/api/v1/applications", json=other_mobile, headers=dealer)
    assert made.status_code == 201, made.text
    # Two others with the ID, one with the mobile; the application itself is left out.
    assert counts(container, first) == (2, 1, 0)
    with container.uow() as uow:
        found = uow.applications.get(first)
        assert found is not None
        customer_id = found.customer_id
    written_off_loan(container, customer_id)
    assert counts(container, first) == (2, 1, 1)
    clock.advance(timedelta(days=31))  # out of the 30-day window; the write-off stays
    assert counts(container, first) == (0, 0, 1)
