"""Behaviour of autolend.domain.money: exact minor units, named rounding, strict parsing."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import (
    MAX_ABS_MINOR,
    Currency,
    Money,
    RoundingMode,
    currency,
    ensure_currency,
    parse_money,
    round_to_minor,
    sum_money,
)

CNY = currency("CNY")
USD = currency("USD")
JPY = currency("JPY")


def cny(minor: int) -> Money:
    return Money(minor, CNY)


# --- currencies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "digits"), [("CNY", 2), ("USD", 2), ("EUR", 2), ("HKD", 2), ("JPY", 0)]
)
def test_registry_knows_iso_4217_minor_digits(code: str, digits: int) -> None:
    # Minor-unit exponents from the ISO 4217 list (e.g. JPY has no minor unit).
    assert currency(code) == Currency(code, digits)


@pytest.mark.parametrize("code", ["XYZ", "cny", "", "CNY "])
def test_unknown_currency_code_is_rejected_on_the_currency_field(code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        currency(code)
    assert caught.value.field == "currency"
    assert repr(code) in caught.value.message
    assert "CNY" in caught.value.message  # lists the supported codes


@pytest.mark.parametrize(("code", "digits"), [("CN", 2), ("cny", 2), ("CNY", -1), ("CNY", 5)])
def test_malformed_currency_definitions_are_rejected(code: str, digits: int) -> None:
    with pytest.raises(InvalidInput):
        Currency(code, digits)


# --- construction, arithmetic, comparison ----------------------------------------------


@pytest.mark.parametrize("bad", [True, 1.5, Decimal("1"), "100"])
def test_money_refuses_a_minor_amount_that_is_not_a_plain_int(bad: object) -> None:
    with pytest.raises(TypeError):
        Money(bad, CNY)  # type: ignore[arg-type]


def test_adding_and_subtracting_work_in_minor_units() -> None:
    assert cny(150) + cny(275) == cny(425)
    assert cny(150) - cny(275) == cny(-125)
    assert -cny(5) == cny(-5)
    assert cny(-5).abs() == cny(5) == abs(cny(-5))


def test_combining_different_currencies_raises_currency_mismatch() -> None:
    for combine in (
        lambda: cny(1) + Money(1, USD),
        lambda: cny(1) - Money(1, USD),
        lambda: cny(1) < Money(2, USD),
        lambda: cny(1) <= Money(2, USD),
        lambda: cny(1) > Money(2, USD),
        lambda: cny(1) >= Money(2, USD),
    ):
        with pytest.raises(CurrencyMismatch) as caught:
            combine()
        assert caught.value.field == "currency"
        assert caught.value.code == "currency_mismatch"


def test_equal_minor_units_in_different_currencies_are_not_equal() -> None:
    assert cny(100) != Money(100, USD)
    assert len({cny(100), Money(100, USD), cny(100)}) == 2


def test_amounts_order_by_value_within_one_currency() -> None:
    assert sorted([cny(5), cny(-3), cny(0)]) == [cny(-3), cny(0), cny(5)]
    assert cny(1) <= cny(1) < cny(2)
    assert cny(2) >= cny(2) > cny(1)


def test_sign_predicates() -> None:
    assert cny(0).is_zero() and not cny(0).is_negative()
    assert cny(-1).is_negative() and not cny(-1).is_zero()
    assert Money.zero(JPY) == Money.of_minor(0, "JPY")


def test_money_is_immutable() -> None:
    with pytest.raises(AttributeError):
        cny(1).minor = 2  # type: ignore[misc]


# --- decimal views ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("money", "api"),
    [
        (cny(123456), "1234.56"),
        (cny(-5), "-0.05"),
        (cny(0), "0.00"),
        (cny(100), "1.00"),
        (Money(1234, JPY), "1234"),
        (Money(-7, JPY), "-7"),
    ],
)
def test_api_string_is_plain_decimal_with_the_currency_decimals(money: Money, api: str) -> None:
    assert money.to_api() == api
    assert str(money) == f"{api} {money.currency.code}"


def test_to_decimal_is_exact_and_keeps_the_currency_scale() -> None:
    assert str(cny(100).to_decimal()) == "1.00"
    assert cny(-123456).to_decimal() == Decimal("-1234.56")
    assert str(Money(1234, JPY).to_decimal()) == "1234"
    huge = 10**40 + 1  # beyond the 28-digit default decimal context
    assert str(cny(huge).to_decimal()) == "1" + "0" * 37 + "0.01"


# --- rounding ---------------------------------------------------------------------------

# Expected values follow the decimal module's documented rounding constants, i.e.
# IEEE 754-2008 roundTiesToEven (HALF_EVEN, "banker's rounding": 2.345 -> 2.34) etc.
ROUNDING_GOLDEN = [
    ("2.345", RoundingMode.HALF_EVEN, 234),
    ("2.355", RoundingMode.HALF_EVEN, 236),
    ("-2.345", RoundingMode.HALF_EVEN, -234),
    ("2.345", RoundingMode.HALF_UP, 235),
    ("-2.345", RoundingMode.HALF_UP, -235),
    ("2.341", RoundingMode.UP, 235),
    ("-2.341", RoundingMode.UP, -235),
    ("2.349", RoundingMode.DOWN, 234),
    ("-2.349", RoundingMode.DOWN, -234),
    ("2.341", RoundingMode.CEILING, 235),
    ("-2.349", RoundingMode.CEILING, -234),
    ("2.349", RoundingMode.FLOOR, 234),
    ("-2.341", RoundingMode.FLOOR, -235),
    ("2.34", RoundingMode.UP, 234),
    ("1E+3", RoundingMode.DOWN, 100000),
]


@pytest.mark.parametrize(("amount", "mode", "minor"), ROUNDING_GOLDEN)
def test_round_to_minor_applies_the_named_rounding_mode(
    amount: str, mode: RoundingMode, minor: int
) -> None:
    assert round_to_minor(Decimal(amount), CNY, mode) == minor


def test_round_to_minor_uses_the_currency_minor_digits() -> None:
    assert round_to_minor(Decimal("1234.5"), JPY, RoundingMode.HALF_UP) == 1235
    assert round_to_minor(Decimal("1234.5"), JPY, RoundingMode.HALF_EVEN) == 1234


def test_round_to_minor_is_exact_beyond_28_significant_digits() -> None:
    amount = Decimal("12345678901234567890123456789.125")
    assert round_to_minor(amount, CNY, RoundingMode.HALF_EVEN) == 1234567890123456789012345678912
    assert round_to_minor(amount, CNY, RoundingMode.UP) == 1234567890123456789012345678913


def test_round_to_minor_rejects_floats_and_non_finite_values() -> None:
    with pytest.raises(TypeError):
        round_to_minor(2.345, CNY, RoundingMode.HALF_UP)  # type: ignore[arg-type]
    for special in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(InvalidInput):
            round_to_minor(Decimal(special), CNY, RoundingMode.HALF_UP)


def test_multiply_rounds_the_exact_product_by_the_named_mode() -> None:
    # 10.01 * 0.5 = 5.005: a tie, so the mode decides.
    assert cny(1001).multiply(Decimal("0.5"), RoundingMode.HALF_EVEN) == cny(500)
    assert cny(1001).multiply(Decimal("0.5"), RoundingMode.HALF_UP) == cny(501)
    assert cny(-1001).multiply(Decimal("0.5"), RoundingMode.FLOOR) == cny(-501)
    assert cny(7).multiply(3, RoundingMode.HALF_UP) == cny(21)


def test_multiply_does_not_lose_precision_in_a_long_product() -> None:
    # 10**20 * (1 + 1e-28) needs 49 significant digits; a 28-digit context would drop
    # the tail and UP would wrongly return exactly 10**20.
    rate = Decimal("1.0000000000000000000000000001")
    assert cny(10**20).multiply(rate, RoundingMode.UP) == cny(10**20 + 1)
    assert cny(10**20).multiply(rate, RoundingMode.HALF_UP) == cny(10**20)


def test_multiply_refuses_float_and_non_finite_rates() -> None:
    with pytest.raises(TypeError):
        cny(100).multiply(0.1, RoundingMode.HALF_UP)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as caught:
        cny(100).multiply(Decimal("NaN"), RoundingMode.HALF_UP)
    assert caught.value.field == "rate"


# --- split and allocate -----------------------------------------------------------------


def test_splitting_100_fen_three_ways_loses_no_fen() -> None:
    assert [p.minor for p in cny(100).split(3)] == [34, 33, 33]


def test_splitting_a_negative_amount_splits_its_magnitude() -> None:
    assert [p.minor for p in cny(-100).split(3)] == [-34, -33, -33]
    assert [p.minor for p in cny(2).split(5)] == [1, 1, 0, 0, 0]


@pytest.mark.parametrize("parts", [0, -1, True])
def test_split_needs_a_positive_int_number_of_parts(parts: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        cny(100).split(parts)
    assert caught.value.field == "parts"


def test_allocate_matches_the_hare_quota_largest_remainder_example() -> None:
    # Wikipedia "Largest remainder method", Hare quota example: 100,000 votes split
    # 47,000/16,000/15,800/12,000/6,100/3,100 give 10 seats as 5, 2, 1, 1, 1, 0.
    votes = [47_000, 16_000, 15_800, 12_000, 6_100, 3_100]
    assert [p.minor for p in cny(10).allocate(votes)] == [5, 2, 1, 1, 1, 0]


def test_allocate_breaks_equal_remainders_by_position() -> None:
    # 5 * 3/10 = 1.5 and 5 * 7/10 = 3.5: equal remainders, the first position wins.
    assert [p.minor for p in cny(5).allocate([3, 7])] == [2, 3]
    assert [p.minor for p in cny(1).allocate([1, 1, 1])] == [1, 0, 0]


def test_allocate_handles_negative_amounts_and_decimal_weights() -> None:
    parts = cny(-100).allocate([Decimal("0.3"), Decimal("0.7")])
    assert [p.minor for p in parts] == [-30, -70]
    assert [p.minor for p in cny(-100).allocate([1, 1, 1])] == [-34, -33, -33]


def test_allocate_gives_nothing_to_a_zero_weight() -> None:
    assert [p.minor for p in cny(101).allocate([0, 1, 1, 0])] == [0, 51, 50, 0]


@pytest.mark.parametrize(
    "weights",
    [[], [0, 0], [-1, 2], [1.5, 1], [True, 1], [Decimal("NaN"), 1], "12"],
)
def test_allocate_rejects_weights_that_cannot_share(weights: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        cny(100).allocate(weights)  # type: ignore[arg-type]
    assert caught.value.field == "weights"


# --- totals and currency checks ---------------------------------------------------------


def test_sum_money_totals_in_one_currency_and_empty_is_zero() -> None:
    assert sum_money([cny(150), cny(-50), cny(1)], CNY) == cny(101)
    assert sum_money([], USD) == Money.zero(USD)
    with pytest.raises(CurrencyMismatch):
        sum_money([cny(1), Money(1, USD)], CNY)
    with pytest.raises(CurrencyMismatch):
        sum_money([cny(1)], USD)


def test_ensure_currency_passes_a_match_and_rejects_a_mismatch() -> None:
    assert ensure_currency(cny(5), "CNY") == cny(5)
    with pytest.raises(CurrencyMismatch) as caught:
        ensure_currency(Money(5, USD), "CNY")
    assert caught.value.field == "currency"
    assert "CNY" in caught.value.message and "USD" in caught.value.message


# --- parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "minor"),
    [
        ("1234.56", "CNY", 123456),
        ("1234.5", "CNY", 123450),
        ("1234", "CNY", 123400),
        ("-12.30", "CNY", -1230),
        ("0.01", "CNY", 1),
        ("0", "CNY", 0),
        ("-0.00", "CNY", 0),
        ("1234", "JPY", 1234),
        ("10000000000000.00", "CNY", MAX_ABS_MINOR),
        ("-10000000000000", "CNY", -MAX_ABS_MINOR),
    ],
)
def test_parse_accepts_plain_decimal_strings(text: str, code: str, minor: int) -> None:
    assert parse_money(text, code) == Money.of_minor(minor, code)
    assert Money.parse(text, code) == Money.of_minor(minor, code)


@pytest.mark.parametrize(
    ("text", "code", "problem"),
    [
        ("1.234", "CNY", "3 decimal places; CNY allows 2"),
        ("1.230", "CNY", "3 decimal places"),
        ("12.5", "JPY", "1 decimal places; JPY allows 0"),
        ("1,234.56", "CNY", "separator"),
        ("1 234", "CNY", "separator"),
        ("1e3", "CNY", "exponent"),
        ("1E3", "CNY", "exponent"),
        ("NaN", "CNY", "not a finite number"),
        ("Infinity", "CNY", "not a finite number"),
        ("-inf", "CNY", "not a finite number"),
        ("", "CNY", "is empty"),
        ("  ", "CNY", "is empty"),
        ("+5", "CNY", "'+' sign"),
        ("12.", "CNY", "no digits after the decimal point"),
        (".5", "CNY", "no digits before the decimal point"),
        ("-.5", "CNY", "no digits before the decimal point"),
        ("\uff11\uff12", "CNY", "non-ASCII"),  # full-width digits: str.isdigit() says yes
        ("\u0661", "CNY", "non-ASCII"),  # Arabic-Indic one
        (" 12", "CNY", "whitespace"),
        ("12\n", "CNY", "whitespace"),
        ("007", "CNY", "leading zeros"),
        ("--5", "CNY", "not like 1234.56"),
        ("12a", "CNY", "not like 1234.56"),
        ("-", "CNY", "not like 1234.56"),
        ("10000000000000.01", "CNY", "above the maximum"),
        ("-10000000000000.01", "CNY", "above the maximum"),
        ("1" * 41, "CNY", "longer than 40"),
    ],
)
def test_parse_rejects_malformed_amounts_naming_the_problem(
    text: str, code: str, problem: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_money(text, code)
    assert caught.value.field == "amount"
    assert problem in caught.value.message


def test_parse_reports_errors_against_the_callers_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_money("1.234", "CNY", field="down_payment")
    assert caught.value.field == "down_payment"
    assert caught.value.message.startswith("down_payment '1.234'")


def test_parse_blames_the_currency_field_for_an_unknown_currency() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_money("1.00", "XXX")
    assert caught.value.field == "currency"


def test_parse_rejects_non_string_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_money(12.5, "CNY")  # type: ignore[arg-type]
    assert "must be a string" in caught.value.message


# --- properties -------------------------------------------------------------------------

currencies = st.sampled_from([CNY, USD, JPY])
minors = st.integers(min_value=-(10**18), max_value=10**18)
monies = st.builds(Money, minor=minors, currency=currencies)
weight = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False),
)


@given(monies, st.integers(min_value=1, max_value=50))
def test_split_parts_sum_exactly_and_differ_by_at_most_one_minor_unit(
    money: Money, parts: int
) -> None:
    pieces = money.split(parts)
    assert len(pieces) == parts
    assert sum_money(pieces, money.currency) == money
    sizes = [abs(p.minor) for p in pieces]
    assert max(sizes) - min(sizes) <= 1
    assert sizes == sorted(sizes, reverse=True)  # extra units go to the first parts


@given(monies, st.lists(weight, min_size=1, max_size=12))
def test_allocate_sums_exactly_and_each_part_is_within_one_unit_of_its_share(
    money: Money, weights: list[int | Decimal]
) -> None:
    total_weight = sum(Fraction(w) for w in weights)
    if total_weight == 0:
        with pytest.raises(InvalidInput):
            money.allocate(weights)
        return
    pieces = money.allocate(weights)
    assert sum_money(pieces, money.currency) == money
    for piece, w in zip(pieces, weights, strict=True):
        exact_share = Fraction(money.minor) * Fraction(w) / total_weight
        assert abs(piece.minor - exact_share) < 1
        if w == 0:
            assert piece.is_zero()


@given(st.integers(min_value=-MAX_ABS_MINOR, max_value=MAX_ABS_MINOR), currencies)
def test_parsing_the_api_string_round_trips(minor: int, cur: Currency) -> None:
    money = Money(minor, cur)
    assert parse_money(money.to_api(), cur.code) == money
    assert Decimal(money.to_api()) == money.to_decimal()


@given(minors, minors, currencies)
def test_subtraction_undoes_addition(a: int, b: int, cur: Currency) -> None:
    x, y = Money(a, cur), Money(b, cur)
    assert (x + y) - y == x
    assert x - y == x + (-y)
    assert (x < y) == (a < b) and (x >= y) == (a >= b)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6), currencies)
def test_directed_roundings_bracket_the_exact_amount(amount: Decimal, cur: Currency) -> None:
    floor = round_to_minor(amount, cur, RoundingMode.FLOOR)
    ceiling = round_to_minor(amount, cur, RoundingMode.CEILING)
    scaled = Fraction(amount) * cur.minor_per_major  # exact, unlike Decimal.scaleb
    assert floor <= scaled <= ceiling
    assert ceiling - floor == (0 if scaled == floor else 1)
    for mode in RoundingMode:
        assert round_to_minor(amount, cur, mode) in (floor, ceiling)
