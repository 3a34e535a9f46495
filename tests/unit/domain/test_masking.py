"""Tests for display masking of personal data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autolend.domain.masking import (
    FULLY_MASKED,
    mask_bank_account,
    mask_id_number,
    mask_income,
    mask_name,
    mask_phone,
)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110105194912310021", "1101**********0021"),
        ("11010519491231002X", "1101**********002X"),
        ("110105491231002", "1101*******1002"),
        (" 1101 0519 4912 3100 21 ", "1101**********0021"),
    ],
)
def test_an_id_number_keeps_only_its_first_and_last_four_characters(
    value: str, masked: str
) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("138 1234 5678", "138****5678"),
    ],
)
def test_a_mobile_number_keeps_its_first_three_and_last_four_digits(
    value: str, masked: str
) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    "value", ["6222021234567890123", "6222 0212 3456 7890 123", "6222-0212-3456-7890-123"]
)
def test_a_bank_account_shows_only_its_last_four_digits_in_a_fixed_shape(value: str) -> None:
    assert mask_bank_account(value) == "**** **** **** 0123"


def test_bank_accounts_of_different_lengths_mask_to_the_same_shape() -> None:
    assert len(mask_bank_account("622202123456")) == len(mask_bank_account("6222021234567890123"))


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三丰", "张**"),
        ("张三", "张*"),
        ("欧阳修远", "欧***"),
        ("John Smith", "J*** S****"),
        ("  Mary   Jane  Watson ", "M*** J*** W*****"),
        ("A Li", "* L*"),
        ("张", "*"),
    ],
)
def test_a_name_keeps_only_the_first_character_of_each_word(value: str, masked: str) -> None:
    assert mask_name(value) == masked


@pytest.mark.parametrize("value", [Decimal("25000.00"), 0, 1234567, "8000", 3.5])
def test_an_income_is_always_fully_masked(value: object) -> None:
    assert mask_income(value) == "***"


@pytest.mark.parametrize(
    ("masker", "value"),
    [
        (mask_id_number, "1234"),
        (mask_id_number, "12345678"),
        (mask_id_number, "E12345678"),
        (mask_id_number, "1101051949123"),
        (mask_phone, "123"),
        (mask_phone, "1234567"),
        (mask_phone, "1234567890"),
        (mask_bank_account, "1234"),
        (mask_bank_account, "12345678901"),
    ],
)
def test_inputs_too_short_to_mask_partially_are_fully_masked(masker: object, value: str) -> None:
    assert callable(masker)
    assert masker(value) == FULLY_MASKED == "***"


@pytest.mark.parametrize(
    "masker", [mask_id_number, mask_phone, mask_bank_account, mask_name, mask_income]
)
@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_value_masks_to_an_empty_string(masker: object, value: str) -> None:
    assert callable(masker)
    assert masker(value) == ""


def test_a_missing_income_masks_to_an_empty_string() -> None:
    assert mask_income(None) == ""


_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=25)


@given(value=_DIGITS)
def test_no_masker_ever_returns_a_digit_string_in_full(value: str) -> None:
    for masker in (mask_id_number, mask_phone, mask_bank_account):
        masked = masker(value)
        assert masked != value
        assert sum(char.isdigit() for char in masked) <= 8
        assert masked == FULLY_MASKED or masked.count("*") >= 4


@given(
    value=st.text(alphabet=st.characters(exclude_characters="*"), min_size=1).filter(
        lambda s: s.strip() != ""
    )
)
def test_a_masked_name_never_equals_the_name(value: str) -> None:
    assert mask_name(value) != " ".join(value.split())
