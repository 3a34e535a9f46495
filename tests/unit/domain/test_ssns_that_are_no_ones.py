"""Single SSNs known to be no one's are refused like the never-issued forms: 078-05-1120
(the wallet sample card's number, voided by the SSA) and 123-45-6789 (the example number),
typed with or without hyphens; the refusal names the field, in English and Chinese. Their
neighbours pass, and the SSA's advertising numbers 987-65-4320..4329 stay ITINs (group 65)
as the demo's fictional people use them."""

from __future__ import annotations

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.identity_us import validate_us_tin

FIELD = "applicants[0].id_number"


@pytest.mark.parametrize(
    ("typed", "says"),
    [("078-05-1120", "078-05-1120 is not a valid SSN"), ("078051120", "the SSA voided it"),
     ("123-45-6789", "123-45-6789 is not a valid SSN"), (" 123456789 ", "never issued")],
)  # fmt: skip
def test_an_ssn_that_is_no_ones_is_refused_naming_the_field(typed: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as refused:
        validate_us_tin(typed, field=FIELD)
    assert refused.value.field == FIELD
    assert refused.value.message_zh and "社会安全号码" in refused.value.message_zh


@pytest.mark.parametrize("typed", ["078-05-1121", "078-05-1119", "123-45-6788", "123-45-6790"])
def test_the_numbers_beside_them_pass(typed: str) -> None:
    assert validate_us_tin(typed, field=FIELD) == typed.replace("-", "")


def test_the_advertising_numbers_start_with_9_and_are_read_as_itins() -> None:
    assert [validate_us_tin(f"987-65-432{d}") for d in range(10)] == [
        f"98765432{d}" for d in range(10)
    ]
