"""An application under the US pack: in USD, the applicant's SSN or ITIN stored as its
9 digits, the birth date given (not read from the ID) and the phone in E.164; under CN
the same body is refused at the ID. A stored USD application is re-read under US."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from autolend.domain.application import parse_application
from autolend.domain.errors import InvalidInput

AS_OF = date(2026, 11, 28)


def body(**applicant: Any) -> dict[str, Any]:
    person = {"role": "borrower", "name": "John Smith", "id_number": "123-45-6788",
              "birth_date": "1985-04-12", "mobile": "(614) 555-0100", "address": "1 Main St",
              "employment": "salaried", "monthly_income": "9000.00"} | applicant  # fmt: skip
    return {"channel": "dealer", "product_code": "US_NEW", "term_months": 60,
            "down_payment": "8000.00", "applicants": [person],
            "vehicle": {"make": "Ford", "model": "Escape", "energy": "ice",
                        "condition": "new", "price": "35000.00"}}  # fmt: skip


def test_a_us_application_is_read_in_usd_with_the_ssn_birth_date_and_e164_phone() -> None:
    application = parse_application(body(), as_of=AS_OF, pack="US", currency="USD")
    borrower = application.borrower
    assert (borrower.id_number, borrower.birth_date, borrower.mobile) == (
        "123456788", date(1985, 4, 12), "+16145550100")  # fmt: skip
    assert application.financed.to_api() == "27000.00"
    assert (application.financed.currency.code, application.pack) == ("USD", "US")


def test_a_stored_usd_application_is_re_read_under_the_us_pack() -> None:
    again = parse_application(body(), as_of=AS_OF, currency="USD")
    assert (again.pack, again.borrower.id_number) == ("US", "123456788")


@pytest.mark.parametrize(
    ("applicant", "field"),
    [({"id_number": "666-12-3456"}, "applicants[0].id_number"),
     ({"birth_date": None}, "applicants[0].birth_date"),
     ({"birth_date": "1985-13-01"}, "applicants[0].birth_date"),
     ({"mobile": "13800138000"}, "applicants[0].mobile")],
)  # fmt: skip
def test_bad_us_input_names_the_path(applicant: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_application(body(**applicant), as_of=AS_OF, pack="US")
    assert refused.value.field == field and refused.value.message_zh


def test_a_us_body_under_cn_is_refused_at_the_resident_id_as_before() -> None:
    with pytest.raises(InvalidInput, match="a resident ID has 17 digits") as refused:
        parse_application(body(), as_of=AS_OF)
    assert refused.value.field == "applicants[0].id_number"
