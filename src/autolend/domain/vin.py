"""Vehicle identification numbers (VIN, 车辆识别代号).

A VIN has 17 characters: digits and upper-case letters except I, O and Q (they look like
1 and 0). Position 9 is a check digit (ISO 3779 as used by 49 CFR 565.15; GB 16735-2019
requires the same check digit in China): each character is transliterated to a number
(digits as themselves; A-H 1-8, J-N 1-5, P 7, R 9, S-Z 2-9), multiplied by the weight of
its position (8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2), and the sum mod 11 is the check digit,
10 written ``X``.

Worked example, the sample VIN of 49 CFR 565 and Wikipedia's VIN article,
``1M8GDM9AXKP042788``: the weighted sum is 351, 351 mod 11 = 10, so position 9 is ``X``.

>>> validate_vin("1m8gdm9axkp042788")
'1M8GDM9AXKP042788'
>>> check_digit("1M8GDM9AXKP042788")
'X'
"""

from __future__ import annotations

from autolend.domain.errors import InvalidInput

__all__ = ["VIN_LENGTH", "check_digit", "validate_vin"]

VIN_LENGTH = 17
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_LETTERS = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9,
                                                 2, 3, 4, 5, 6, 7, 8, 9), strict=True))  # fmt: skip
_VALUES = {**{str(d): d for d in range(10)}, **_LETTERS}


def check_digit(vin: str) -> str:
    """The check character (``0``-``9`` or ``X``) that position 9 of ``vin`` must hold;
    ``vin`` must already be 17 allowed characters."""
    total = sum(_VALUES[ch] * weight for ch, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_vin(text: str, *, field: str = "vehicle.vin") -> str:
    """Return the VIN upper-cased, or raise InvalidInput naming ``field``: wrong length,
    a character outside 0-9 / A-Z, a letter I, O or Q, or a wrong check digit."""
    if not isinstance(text, str):
        raise InvalidInput("a VIN must be text", field=field)
    value = text.strip().upper()
    if len(value) != VIN_LENGTH:
        raise InvalidInput(f"a VIN has 17 characters, got {len(value)}", field=field)
    if any(ch in "IOQ" for ch in value):
        raise InvalidInput("a VIN never contains the letters I, O or Q", field=field)
    if any(ch not in _VALUES for ch in value):
        raise InvalidInput("a VIN holds only digits and letters A-Z", field=field)
    expected = check_digit(value)
    if value[8] != expected:
        raise InvalidInput(f"the VIN's check digit (position 9) should be {expected}", field=field)
    return value
