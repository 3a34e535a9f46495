"""An application with several wrong fields is refused once, naming every one: a form
with three mistakes came back three times, one field marked each time."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from autolend.domain.application import parse_application, parse_new_application
from autolend.domain.errors import InvalidInput
from tests.support.origination import BORROWER_ID, application_body

DAY = date(2026, 11, 28)


def refused(body: dict[str, Any]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_application(body, as_of=DAY)
    return caught.value


def test_every_wrong_field_is_named_the_first_as_the_error_itself() -> None:
    body = application_body(term_months=0, down_payment="abc")
    party = body["applicants"][0]
    party.update(id_number=BORROWER_ID[:-1] + "9", monthly_income="-5", mobile="12345")
    body["vehicle"]["vin"] = "SHORT"
    error = refused(body)
    assert [e.field for e in error.every()] == [
        "applicants[0].id_number", "applicants[0].mobile", "applicants[0].monthly_income",
        "vehicle.vin", "down_payment", "term_months",
    ]  # fmt: skip
    assert error.field == "applicants[0].id_number"  # as before: the first found
    assert "check character" in error.message


def test_one_wrong_field_is_the_error_as_it_was_raised_with_no_others() -> None:
    error = refused(application_body(term_months=500))
    assert (error.field, error.others) == ("term_months", ())


def test_the_amounts_are_checked_for_their_form_when_the_price_is_wrong() -> None:
    body = application_body(down_payment="-1")
    body["vehicle"]["price"] = "0"
    assert [e.field for e in refused(body).every()] == ["vehicle.price", "down_payment"]
    body = application_body(down_payment="250000.00")  # above the price: one error
    assert [e.field for e in refused(body).every()] == ["down_payment"]


def test_each_applicant_is_checked_whole_and_the_roles_after_them() -> None:
    body = application_body()
    second = dict(body["applicants"][0], role="co_borrower", name="", mobile="1")
    body["applicants"] = [dict(body["applicants"][0], name=""), second]
    fields = [e.field for e in refused(body).every()]
    assert fields == ["applicants[0].name", "applicants[1].mobile", "applicants[1].name"]


def test_months_of_stable_income_are_still_checked_when_the_id_is_wrong() -> None:
    body = application_body()
    body["applicants"][0].update(id_number="123", income_stability_months="-3")
    fields = [e.field for e in refused(body).every()]
    assert fields == ["applicants[0].id_number", "applicants[0].income_stability_months"]


def test_a_wrong_vin_still_lets_the_down_payment_be_checked_against_the_price() -> None:
    """The helper who filled the form in met "the down payment must be below the price"
    only after fixing the VIN: the price was known only once the whole car was right."""
    body = application_body(down_payment="250000.00")  # the car costs 200,000.00
    body["vehicle"]["vin"] = "LGXCE4CB0N012345I"  # I is never in a VIN
    assert [e.field for e in refused(body).every()] == ["vehicle.vin", "down_payment"]


def test_a_new_application_is_told_its_missing_consents_with_its_wrong_fields() -> None:
    """The consents came a round after every field was right."""
    body = application_body(term_months=0)
    body["consents"] = [c for c in body["consents"] if c["kind"] == "bureau_query"]
    with pytest.raises(InvalidInput) as caught:
        parse_new_application(body, as_of=DAY)
    fields = [e.field for e in caught.value.every()]
    assert fields == ["term_months", "consents"]
    assert "processing of sensitive data" in caught.value.every()[-1].message
    right = application_body()  # and nothing changes for a body that is right
    assert parse_new_application(right, as_of=DAY) == parse_application(right, as_of=DAY)
