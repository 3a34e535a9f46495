"""US identity: the SSN or ITIN, the date of birth and the NANP phone, each refusal
naming its field in English and Chinese; and the pack choosing the rules."""

from __future__ import annotations

from datetime import date

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.identity import pack_of_id_number, validate_person_id, validate_phone
from autolend.domain.identity_us import validate_birth_date, validate_us_phone, validate_us_tin

AS_OF = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("123-45-6788", "123456788"), ("123456788", "123456788"), (" 912-70-1234 ", "912701234"),
     ("950651234", "950651234"), ("994991234", "994991234")],
)  # fmt: skip
def test_an_ssn_or_itin_is_stored_as_its_nine_digits(typed: str, stored: str) -> None:
    assert validate_us_tin(typed, field="applicants[0].id_number") == stored


@pytest.mark.parametrize(
    "typed",
    ["000-12-3456", "666-12-3456", "123-00-4567", "123-45-0000", "912-49-1234",
     "912-66-1234", "912-89-1234", "912-93-1234", "12345678", "1234567890", "123-456789",
     "12a-45-6789", "11010519491231002X"],
)  # fmt: skip
def test_a_never_issued_or_malformed_taxpayer_id_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_us_tin(typed, field="applicants[0].id_number")
    assert refused.value.field == "applicants[0].id_number"
    assert refused.value.message_zh


@pytest.mark.parametrize("typed", ["6145550100", "+1 614 555 0100", "(614) 555-0100",
                                   "1-614-555-0100", "614.555.0100"])  # fmt: skip
def test_a_us_phone_is_stored_in_e164(typed: str) -> None:
    assert validate_us_phone(typed) == "+16145550100"


@pytest.mark.parametrize("typed", ["0145550100", "1145550100", "6140550100", "6141550100",
                                   "614555010", "+86 13800138000", "13800138000"])  # fmt: skip
def test_a_phone_outside_the_nanp_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_us_phone(typed, field="applicants[0].mobile")
    assert refused.value.field == "applicants[0].mobile" and refused.value.message_zh


def test_a_birth_date_is_a_real_date_before_the_day_of_filing() -> None:
    assert validate_birth_date("1985-04-12", as_of=AS_OF) == date(1985, 4, 12)
    bad_dates = (None, "", "12/04/1985", "19850412", "1985-02-30", "2026-11-28",
                 "2027-01-01", "1899-12-31", 19850412)  # fmt: skip
    for bad in bad_dates:
        with pytest.raises(InvalidInput) as refused:
            validate_birth_date(bad, as_of=AS_OF, field="applicants[0].birth_date")
        assert refused.value.field == "applicants[0].birth_date", bad


def test_the_pack_chooses_the_id_and_phone_rules_and_cn_stays_as_it_was() -> None:
    assert validate_person_id("123-45-6788", pack="US", as_of=AS_OF) == "123456788"
    assert validate_person_id("11010519491231002x", pack="CN", as_of=AS_OF) == "11010519491231002X"
    with pytest.raises(InvalidInput, match="a resident ID has 17 digits"):
        validate_person_id("123-45-6788", pack="CN", as_of=AS_OF)
    with pytest.raises(InvalidInput, match="9 digits"):
        validate_person_id("11010519491231002X", pack="US", as_of=AS_OF)
    assert validate_phone("13800138000", pack="CN") == "13800138000"
    with pytest.raises(InvalidInput, match="11 digits and starts with 13 to 19"):
        validate_phone("6145550100", pack="CN")
    assert (pack_of_id_number("123456788"), pack_of_id_number("11010519491231002X")) == (
        "US", "CN")  # fmt: skip
