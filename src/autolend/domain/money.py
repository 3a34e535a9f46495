"""Exact money: integer minor units tagged with an ISO 4217 currency.

* An amount is an ``int`` count of minor units (fen, cents, yen).  Binary floating
  point never appears; fractional values are :class:`decimal.Decimal` and become minor
  units in one place, :func:`round_to_minor`, with a *named* :class:`RoundingMode`.
* Amounts in different currencies never combine: ``+``, ``-`` and ordering raise
  :class:`~autolend.domain.errors.CurrencyMismatch` (``==`` is simply ``False``).
* Splitting never creates or loses a minor unit: the parts always sum to the whole.
* Locale-aware display (grouping, symbols) belongs to the web layer, not here.

>>> [str(p) for p in Money.parse("100.00", "CNY").split(3)]
['33.34 CNY', '33.33 CNY', '33.33 CNY']
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import total_ordering

from autolend.domain.errors import CurrencyMismatch, InvalidInput

__all__ = [
    "MAX_ABS_MINOR", "Currency", "Money", "RoundingMode", "currency", "ensure_currency",
    "parse_money", "round_to_minor", "sum_money",
]  # fmt: skip

MAX_ABS_MINOR = 10**15
"""Largest magnitude (in minor units) :func:`parse_money` accepts: 10 trillion CNY."""

_MAX_TEXT_LENGTH = 40
_AMOUNT_RE = re.compile(r"(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?", re.ASCII)
_CODE_RE = re.compile(r"[A-Z]{3}", re.ASCII)
_NON_FINITE = frozenset({"nan", "snan", "inf", "infinity"})


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency and how many decimal minor-unit digits it has.

    >>> Currency("CNY", 2).minor_per_major
    100
    """

    code: str
    minor_digits: int

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not _CODE_RE.fullmatch(self.code):
            message = f"currency code {self.code!r} is not three upper-case letters"
            raise InvalidInput(message, field="currency")
        if type(self.minor_digits) is not int or not 0 <= self.minor_digits <= 4:
            message = f"minor_digits must be an int 0-4, got {self.minor_digits!r}"
            raise InvalidInput(message, field="currency")

    @property
    def minor_per_major(self) -> int:
        """Minor units in one major unit: 100 fen per yuan, 1 yen per yen."""
        return int(10**self.minor_digits)


_REGISTRY: dict[str, Currency] = {
    c.code: c
    for c in (Currency("CNY", 2), Currency("USD", 2), Currency("EUR", 2),
              Currency("HKD", 2), Currency("GBP", 2), Currency("JPY", 0))
}  # fmt: skip


def currency(code: str) -> Currency:
    """Look up a supported currency by its exact upper-case ISO 4217 code.

    >>> currency("JPY")
    Currency(code='JPY', minor_digits=0)
    """
    found = _REGISTRY.get(code) if isinstance(code, str) else None
    if found is None:
        supported = ", ".join(sorted(_REGISTRY))
        message = f"unknown currency {code!r}; supported ISO 4217 codes: {supported}"
        raise InvalidInput(message, field="currency")
    return found


class RoundingMode(Enum):
    """How a fractional minor unit is resolved; values are :mod:`decimal` constants.

    Ties (exactly half a minor unit): HALF_UP rounds away from zero, HALF_EVEN to the
    even neighbour (banker's rounding).  UP is away from zero, DOWN toward zero,
    CEILING toward +infinity, FLOOR toward -infinity.
    """

    HALF_UP = decimal.ROUND_HALF_UP
    HALF_EVEN = decimal.ROUND_HALF_EVEN
    UP = decimal.ROUND_UP
    DOWN = decimal.ROUND_DOWN
    CEILING = decimal.ROUND_CEILING
    FLOOR = decimal.ROUND_FLOOR


def _require_finite_decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{what} must be a Decimal or int, got {type(value).__name__}")
    dec = Decimal(value)
    if not dec.is_finite():
        raise InvalidInput(f"{what} must be a finite number, got {dec}", field=what)
    return dec


def _exact(prec: int) -> decimal.Context:
    """A context wide enough that an operation needing ``prec`` digits never rounds."""
    return decimal.Context(prec=prec, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def _round_integral(value: Decimal, mode: RoundingMode) -> int:
    """Round a finite Decimal to an integer exactly, whatever its size."""
    _, digits, exponent = value.as_tuple()
    prec = len(digits) + max(int(exponent), 0) + 1
    return int(value.quantize(Decimal(1), rounding=mode.value, context=_exact(prec)))


def _exact_product(a: Decimal, b: Decimal) -> Decimal:
    prec = len(a.as_tuple().digits) + len(b.as_tuple().digits) + 1
    return _exact(prec).multiply(a, b)


def round_to_minor(amount: Decimal, currency: Currency, mode: RoundingMode) -> int:
    """Convert a major-unit Decimal to integer minor units, rounding by ``mode``.

    This is the single place a fractional amount becomes money.

    >>> cny = Currency("CNY", 2)
    >>> round_to_minor(Decimal("2.345"), cny, RoundingMode.HALF_EVEN)
    234
    >>> round_to_minor(Decimal("2.345"), cny, RoundingMode.HALF_UP)
    235
    >>> round_to_minor(Decimal("-2.341"), cny, RoundingMode.FLOOR)
    -235
    """
    dec = _require_finite_decimal(amount, "amount")
    sign, digits, exponent = dec.as_tuple()
    shifted = Decimal((sign, digits, int(exponent) + currency.minor_digits))
    return _round_integral(shifted, mode)


def _other_currency(left: Money, right: Money, action: str) -> None:
    if left.currency != right.currency:
        message = f"cannot {action} {left.currency.code} and {right.currency.code}"
        raise CurrencyMismatch(message, field="currency")


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: ``minor`` units of ``currency`` (e.g. 123456 fen = 1234.56 CNY).

    >>> a = Money.of_minor(123456, "CNY")
    >>> str(a - Money.of_minor(56, "CNY")), a.to_api()
    ('1234.00 CNY', '1234.56')
    """

    minor: int
    currency: Currency

    def __post_init__(self) -> None:
        if type(self.minor) is not int:
            kind = type(self.minor).__name__
            raise TypeError(f"Money.minor must be an int, got {kind}")
        if not isinstance(self.currency, Currency):
            raise TypeError(f"Money.currency must be a Currency, got {self.currency!r}")

    @classmethod
    def zero(cls, cur: Currency) -> Money:
        """Zero in ``cur``."""
        return cls(0, cur)

    @classmethod
    def of_minor(cls, minor: int, code: str) -> Money:
        """Build from minor units and a currency code: 5, "CNY" is 0.05 CNY."""
        return cls(minor, currency(code))

    @classmethod
    def parse(cls, text: str, currency_code: str, *, field: str = "amount") -> Money:
        """Strictly parse a plain decimal string; see :func:`parse_money`."""
        return parse_money(text, currency_code, field=field)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        _other_currency(self, other, "add")
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        _other_currency(self, other, "subtract")
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        """Order within one currency (``<=``, ``>``, ``>=`` via total_ordering)."""
        if not isinstance(other, Money):
            return NotImplemented
        _other_currency(self, other, "compare")
        return self.minor < other.minor

    def abs(self) -> Money:
        """The magnitude: ``abs(-0.05 CNY)`` is 0.05 CNY."""
        return Money(abs(self.minor), self.currency)

    __abs__ = abs

    def is_zero(self) -> bool:
        return self.minor == 0

    def is_negative(self) -> bool:
        return self.minor < 0

    def to_decimal(self) -> Decimal:
        """Exact major-unit value: 123456 fen -> ``Decimal('1234.56')``."""
        sign = int(self.minor < 0)
        return Decimal((sign, _digits(abs(self.minor)), -self.currency.minor_digits))

    def to_api(self) -> str:
        """Canonical wire string: plain digits, ``-`` sign, ``minor_digits`` decimals.

        >>> Money.of_minor(-5, "CNY").to_api(), Money.of_minor(1234, "JPY").to_api()
        ('-0.05', '1234')
        """
        digits = self.currency.minor_digits
        whole, frac = divmod(abs(self.minor), self.currency.minor_per_major)
        sign = "-" if self.minor < 0 else ""
        return f"{sign}{whole}.{frac:0{digits}d}" if digits else f"{sign}{whole}"

    def __str__(self) -> str:
        return f"{self.to_api()} {self.currency.code}"

    def multiply(self, rate: Decimal | int, mode: RoundingMode) -> Money:
        """Scale by an exact ``rate`` and round the product to minor units by ``mode``.

        >>> Money.of_minor(1001, "CNY").multiply(Decimal("0.5"), RoundingMode.HALF_EVEN)
        Money(minor=500, currency=Currency(code='CNY', minor_digits=2))
        """
        factor = _require_finite_decimal(rate, "rate")
        product = _exact_product(Decimal(self.minor), factor)
        return Money(_round_integral(product, mode), self.currency)

    def split(self, parts: int) -> list[Money]:
        """Split into ``parts`` near-equal amounts; the first ones carry the leftover.

        Parts differ by at most one minor unit and always sum to ``self``.  A negative
        amount splits by magnitude: -1.00 in 3 is -0.34, -0.33, -0.33.

        >>> [m.minor for m in Money.of_minor(100, "CNY").split(3)]
        [34, 33, 33]
        """
        if type(parts) is not int or parts < 1:
            raise InvalidInput(f"parts must be an int >= 1: {parts!r}", field="parts")
        base, extra = divmod(abs(self.minor), parts)
        sign = -1 if self.minor < 0 else 1
        return [Money(sign * (base + (i < extra)), self.currency) for i in range(parts)]

    def allocate(self, weights: Sequence[int | Decimal]) -> list[Money]:
        """Allocate in proportion to ``weights`` by the largest-remainder method.

        Each part first gets the floor of its exact share of the magnitude; the
        leftover minor units go one each to the largest fractional remainders, ties to
        the earlier position.  The sign is reapplied last, so the parts always sum to
        ``self``.  A zero weight always receives zero.

        >>> [m.minor for m in Money.of_minor(1000, "CNY").allocate([1, 1, 1])]
        [334, 333, 333]
        >>> [m.minor for m in Money.of_minor(-100, "CNY").allocate([Decimal("0.3"), 7])]
        [-4, -96]
        """
        exact = _exact_weights(weights)
        total_weight = sum(exact, Fraction(0))
        magnitude = abs(self.minor)
        shares = [magnitude * w / total_weight for w in exact]
        floors = [s.numerator // s.denominator for s in shares]
        leftover = magnitude - sum(floors)
        # Ascending (floor - share) is descending fractional remainder; then position.
        order = sorted(range(len(exact)), key=lambda i: (floors[i] - shares[i], i))
        for i in order[:leftover]:
            floors[i] += 1
        sign = -1 if self.minor < 0 else 1
        return [Money(sign * f, self.currency) for f in floors]


def _digits(n: int) -> tuple[int, ...]:
    return tuple(int(ch) for ch in str(n))


def _exact_weights(weights: Sequence[int | Decimal]) -> list[Fraction]:
    is_sequence = isinstance(weights, Sequence) and not isinstance(weights, str | bytes)
    if not is_sequence or not weights:
        raise InvalidInput("weights must be a non-empty sequence", field="weights")
    exact: list[Fraction] = []
    for w in weights:
        if isinstance(w, bool) or not isinstance(w, int | Decimal):
            raise InvalidInput(f"weight {w!r} is not int or Decimal", field="weights")
        if not Decimal(w).is_finite() or w < 0:
            raise InvalidInput(f"weight {w} must be finite and >= 0", field="weights")
        exact.append(Fraction(w))
    if sum(exact) == 0:
        raise InvalidInput("weights must have a positive sum", field="weights")
    return exact


def sum_money(items: Iterable[Money], currency: Currency) -> Money:
    """Total of ``items``, all in ``currency``; an empty iterable totals zero.

    >>> cny = Currency("CNY", 2)
    >>> str(sum_money([Money(150, cny), Money(-50, cny)], cny))
    '1.00 CNY'
    """
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total


def ensure_currency(money: Money, expected_code: str) -> Money:
    """Return ``money`` if it is in ``expected_code``, else raise CurrencyMismatch.

    E.g. a USD payment to a CNY loan fails: "expected an amount in CNY, got USD".
    """
    expected = currency(expected_code)
    if money.currency != expected:
        message = f"expected an amount in {expected.code}, got {money.currency.code}"
        raise CurrencyMismatch(message, field="currency")
    return money


def _reject_obvious_forms(text: str, field: str) -> None:
    """Name the specific problem in common malformed inputs, before the grammar."""
    lowered = text.lower()
    problems = [
        (text == "" or text.isspace(), "is empty"),
        (text != text.strip(), "has leading or trailing whitespace"),
        (len(text) > _MAX_TEXT_LENGTH, f"is longer than {_MAX_TEXT_LENGTH} characters"),
        (not text.isascii(), "contains non-ASCII characters (e.g. full-width digits)"),
        (lowered.lstrip("+-") in _NON_FINITE, "is not a finite number"),
        ("e" in lowered, "uses exponent notation"),
        (text.startswith("+"), "has a '+' sign; write positive amounts unsigned"),
        (any(c in text for c in ", _'"), "contains a digit-group separator"),
        (text.endswith("."), "has no digits after the decimal point"),
        (text.lstrip("-").startswith("."), "has no digits before the decimal point"),
    ]
    for failed, problem in problems:
        if failed:
            raise InvalidInput(f"{field} {text!r} {problem}", field=field)


def parse_money(text: str, currency_code: str, *, field: str = "amount") -> Money:
    """Strictly parse a plain decimal amount in major units.

    Grammar: optional ``-``, integer digits without leading zeros (``0`` alone is fine),
    optionally ``.`` and 1..``minor_digits`` digits, ASCII only, no surrounding space.
    ``+5``, ``1,234.56``, ``1e3``, ``NaN``, ``12.``, ``.5``, ``007`` are rejected, as is
    a magnitude above :data:`MAX_ABS_MINOR` minor units.  Errors carry ``field``.
    Surplus decimals fail even when zero (``1.230`` CNY): the text is taken as typed.

    >>> parse_money("-0.05", "CNY").minor
    -5
    >>> parse_money("1234.5", "CNY").minor
    123450
    >>> parse_money("1.234", "CNY", field="fee")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: fee '1.234' has 3 decimal places; CNY allows 2
    """
    cur = currency(currency_code)
    if not isinstance(text, str):
        kind = type(text).__name__
        raise InvalidInput(f"{field} must be a string, got {kind}", field=field)
    _reject_obvious_forms(text, field)
    match = _AMOUNT_RE.fullmatch(text)
    if match is None:
        leading_zero = re.fullmatch(r"-?0[0-9].*", text) is not None
        problem = "has leading zeros" if leading_zero else "is not like 1234.56"
        raise InvalidInput(f"{field} {text!r} {problem}", field=field)
    sign, whole, frac = match.group(1), match.group(2), match.group(3) or ""
    places, allowed = len(frac), cur.minor_digits
    if places > allowed:
        problem = f"has {places} decimal places; {cur.code} allows {allowed}"
        raise InvalidInput(f"{field} {text!r} {problem}", field=field)
    frac_minor = int(frac.ljust(cur.minor_digits, "0") or "0")
    magnitude = int(whole) * cur.minor_per_major + frac_minor
    if magnitude > MAX_ABS_MINOR:
        raise InvalidInput(f"{field} {text!r} is above the maximum", field=field)
    return Money(-magnitude if sign else magnitude, cur)
