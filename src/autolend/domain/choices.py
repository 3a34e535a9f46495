"""Reading a named choice (an enum member) from user or stored input.

>>> from autolend.domain.money import RoundingMode
>>> from enum import StrEnum
>>> class Colour(StrEnum):
...     RED = "red"
>>> coerce_enum("red", Colour, "colour") is Colour.RED
True
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from autolend.domain.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)


def coerce_enum(value: object, kind: type[E], field: str) -> E:
    """Accept a member of ``kind`` or its string value (``"monthly"``); anything else is
    InvalidInput naming the field and the allowed values."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in kind)
    raise InvalidInput(f"{field} must be one of {allowed}, got {value!r}", field=field)
