"""Every wrong field of a request at once, not one per try.

A form with three mistakes used to come back three times, one field marked each time: the
parser stopped at the first :class:`~autolend.domain.errors.InvalidInput`. :func:`gather`
runs each field's parser, keeps what each returns, and raises one InvalidInput for all
that failed: the first found is the error itself (its ``field`` and message, as before),
the rest are its ``others``, in the order of the parsers.

>>> def amount(text: str) -> int:
...     if not text.isdigit():
...         raise InvalidInput(f"{text!r} is not a whole number", field="amount")
...     return int(text)
>>> gather({"a": lambda: amount("12"), "b": lambda: amount("3")})
{'a': 12, 'b': 3}
>>> try:
...     gather({"a": lambda: amount("x"), "b": lambda: amount("3"), "c": lambda: amount("y")})
... except InvalidInput as error:
...     print([(e.field, e.message) for e in error.every()])
[('amount', "'x' is not a whole number"), ('amount', "'y' is not a whole number")]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from autolend.domain.errors import InvalidInput

__all__ = ["combined", "gather"]


def gather(parsers: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each parser's value by its key; one InvalidInput for every parser that failed
    (an error that already carries others, from a nested :func:`gather`, brings them)."""
    values: dict[str, Any] = {}
    found: list[InvalidInput] = []
    for key, parse in parsers.items():
        try:
            values[key] = parse()
        except InvalidInput as error:
            found.extend(error.every())
    if found:
        raise combined(found)
    return values


def combined(found: Sequence[InvalidInput]) -> InvalidInput:
    """One error for ``found`` (at least one): the first, with the rest as its others; a
    single one as it was raised (it keeps its own kind, e.g. a currency mismatch)."""
    first, *rest = found
    if not rest:
        return first
    return InvalidInput(first.message, field=first.field, message_zh=first.message_zh,
                        others=rest)  # fmt: skip
