"""A US address as the form asks it, in parts: street, city, one of the 50 states or DC,
and a ZIP code of 5 digits or ZIP+4, written as the one line the application keeps."""

from __future__ import annotations

import pytest

from autolend.domain.address_us import US_STATES, us_address, us_state, us_zip
from autolend.domain.errors import InvalidInput

PARTS = {"street": "123 Main St", "city": "Springfield", "state": "IL", "zip": "62701"}


def test_the_state_list_is_the_50_states_and_dc_by_their_two_letter_codes() -> None:
    codes = [code for code, _en, _zh in US_STATES]
    assert len(codes) == len(set(codes)) == 51
    assert "DC" in codes and all(len(c) == 2 and c.isalpha() and c.isupper() for c in codes)
    assert not {"PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"} & set(codes)  # no territory
    assert all(en and zh for _code, en, zh in US_STATES)


def test_the_parts_are_written_as_one_line_as_an_envelope_shows_them() -> None:
    assert us_address(PARTS, "applicants[0]") == "123 Main St, Springfield, IL 62701"
    plus4 = PARTS | {"state": " il ", "zip": "627011234", "city": " Springfield "}
    assert us_address(plus4, "applicants[0]") == "123 Main St, Springfield, IL 62701-1234"


@pytest.mark.parametrize("typed", ["62701", "62701-1234", "627011234"])
def test_a_zip_code_of_five_digits_or_zip_plus_four_is_taken(typed: str) -> None:
    assert us_zip(typed)[:5] == "62701"


@pytest.mark.parametrize("typed", ["6270", "627012", "62701-12", "ABCDE", "62701 1234", "٦٢٧٠١"])
def test_any_other_zip_code_is_refused_naming_the_field_in_both_languages(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        us_zip(typed, field="applicants[1].zip")
    assert caught.value.field == "applicants[1].zip"
    assert "ZIP" in caught.value.message and caught.value.message_zh


@pytest.mark.parametrize("typed", ["PR", "XX", "Illinois", "I"])
def test_a_state_not_among_the_50_and_dc_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        us_state(typed, field="applicants[0].state")
    assert caught.value.field == "applicants[0].state"
    assert caught.value.message == "state must be one of the 50 states or DC, e.g. IL"


def test_every_wrong_part_is_named_at_once_and_blank_ones_are_required() -> None:
    with pytest.raises(InvalidInput) as caught:
        us_address({"street": " ", "city": "", "state": "", "zip": "1234"}, "applicants[2]")
    found = [(e.field, e.message) for e in caught.value.every()]
    assert found == [
        ("applicants[2].street", "street is required"),
        ("applicants[2].city", "city is required"),
        ("applicants[2].state", "state is required"),
        ("applicants[2].zip", "ZIP code must be 5 digits or ZIP+4 (62701-1234)"),
    ]
    assert all(e.message_zh for e in caught.value.every())
