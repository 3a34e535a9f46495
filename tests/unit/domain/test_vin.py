"""VINs: 17 characters, no I/O/Q, check digit at position 9 (ISO 3779, 49 CFR 565.15,
GB 16735)."""

from __future__ import annotations

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.vin import _VALUES, check_digit, validate_vin

# The sample VIN of 49 CFR 565 and of Wikipedia's "Vehicle identification number" article
# (section "Check-digit calculation"): weighted sum 351, 351 mod 11 = 10 -> "X".
PUBLIC_SAMPLE = "1M8GDM9AXKP042788"


def test_the_public_sample_vin_of_49_cfr_565_has_check_digit_x() -> None:
    assert check_digit(PUBLIC_SAMPLE) == "X"
    assert validate_vin(PUBLIC_SAMPLE) == PUBLIC_SAMPLE


def test_a_vin_is_upper_cased_and_trimmed() -> None:
    assert validate_vin(f"  {PUBLIC_SAMPLE.lower()} ") == PUBLIC_SAMPLE


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (PUBLIC_SAMPLE[:16], "17 characters"),
        (PUBLIC_SAMPLE + "1", "17 characters"),
        ("1M8GDM9A1KP042788", "check digit"),
        ("1M8GDM9AXKP04278O", "I, O or Q"),
        ("1M8GDM9AXKP04278I", "I, O or Q"),
        ("1M8GDM9AXKP04278-", "digits and letters"),
    ],
)
def test_a_malformed_vin_is_refused_naming_the_vehicle_vin_field(text: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why) as error:
        validate_vin(text)
    assert error.value.field == "vehicle.vin"


def test_the_field_named_in_the_error_can_be_chosen() -> None:
    with pytest.raises(InvalidInput) as error:
        validate_vin("123", field="vin")
    assert error.value.field == "vin"


def test_changing_one_character_to_another_value_is_always_caught() -> None:
    # 11 is prime and every weight but position 9's is 1..10, so a value change of 1..9
    # at one position never leaves the weighted sum's remainder unchanged.
    for position in (0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16):
        original = _VALUES[PUBLIC_SAMPLE[position]]
        replacement = next(str(d) for d in range(10) if d != original)
        changed = PUBLIC_SAMPLE[:position] + replacement + PUBLIC_SAMPLE[position + 1 :]
        with pytest.raises(InvalidInput, match="check digit"):
            validate_vin(changed)
