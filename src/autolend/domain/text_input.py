"""Free text as a person types it: the one rule for every text field that is stored.

Names, addresses, a car's make and model, a product's names, a reason, a payment's
reference: each holds what a keyboard types. Refused, on the field, in English and
Chinese (``message_zh``), naming the first such character by its code point:

* control characters: ``U+0000`` (NUL: PostgreSQL refuses it in text, so it was a 500
  there and stored as sent on SQLite) to ``U+001F``, ``U+007F`` and ``U+0080`` to
  ``U+009F``; a multi-line field (a reason typed in a text area) keeps the line feed,
  the carriage return and the tab;
* a lone surrogate (``U+D800`` to ``U+DFFF``, half a UTF-16 pair that a JSON ``\\ud800``
  escape can carry): no UTF-8 encodes it, so sealing the text failed;
* the bidirectional embeddings, overrides and isolates (``U+202A`` to ``U+202E``,
  ``U+2066`` to ``U+2069``): they make a name read on screen otherwise than it is
  stored (the marks ``U+200E`` / ``U+200F`` that a right-to-left name may need stay);
* in a one-line field, the line and paragraph separators ``U+2028`` / ``U+2029``.

Spaces, tabs and line breaks at either end are not judged: the readers strip them (a
name pasted with its line feed). A body is
judged as a whole by :func:`check_texts` (every string in it, named by its JSON path),
so a reader that forgets the rule still stores nothing it refuses.

>>> check_text(" 张伟 ", "applicants[0].name")
' 张伟 '
>>> check_text("张\\x00伟", "applicants[0].name")
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: name must not contain control characters (U+0000)
>>> check_text("checked\\nincome", "reason", multiline=True)
'checked\\nincome'
>>> [e.field for e in text_errors({"applicants": [{"name": "a\\x07", "address": "b"}]})]
['applicants[0].name']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from autolend.domain.errors import InvalidInput
from autolend.domain.field_errors import combined

__all__ = ["check_optional_text", "check_text", "check_texts", "text_errors", "untypable"]

_MULTILINE_KEPT = frozenset("\t\n\r")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\u2028\u2029")
_ENDS = " \t\n\r"  # what the readers strip that a keyboard types (not str.strip's \x1c-\x1f)


def untypable(text: str, *, multiline: bool = False) -> str | None:
    """The first character of ``text`` (spaces, tabs and line breaks at its ends left
    aside) that no one types into a field (see the module), or None.

    >>> untypable("Zhang Wei"), untypable("a\\tb"), untypable("a\\tb", multiline=True)
    (None, '\\t', None)
    """
    for char in text.strip(_ENDS):
        if multiline and char in _MULTILINE_KEPT:
            continue
        if unicodedata.category(char) in {"Cc", "Cs"} or char in _BIDI_CONTROLS:
            return char
        if not multiline and char in _LINE_BREAKS:
            return char
    return None


def check_text(text: str, field: str, *, multiline: bool = False) -> str:
    """``text`` unchanged when it holds nothing :func:`untypable`; else a refusal on
    ``field`` whose message names the field's last part (``applicants[0].name``: name)."""
    char = untypable(text, multiline=multiline)
    if char is None:
        return text
    point = f"U+{ord(char):04X}"
    label = field.rsplit(".", 1)[-1]
    raise InvalidInput(
        f"{label} must not contain control characters ({point})",
        field=field,
        message_zh=f"不能包含控制字符（{point}）",
    )


def check_optional_text(text: str | None, field: str, *, multiline: bool = False) -> str | None:
    """:func:`check_text` of a text that may be missing (None stays None).

    >>> check_optional_text(None, "reference") is None
    True
    """
    return None if text is None else check_text(text, field, multiline=multiline)


def text_errors(data: object, path: str = "") -> list[InvalidInput]:
    """One refusal per string in the JSON value ``data`` that :func:`check_text` refuses
    (one-line), each on its JSON path (``vehicle.make``, ``consents[1].text_version``), in
    the order of the body; keys and other values are left to the body's own readers."""
    if isinstance(data, str):
        try:
            check_text(data, path or "body")
        except InvalidInput as refused:
            return [refused]
        return []
    if isinstance(data, Mapping):
        prefix = f"{path}." if path else ""
        return [e for key, value in data.items() for e in text_errors(value, f"{prefix}{key}")]
    if isinstance(data, list | tuple):
        return [e for i, item in enumerate(data) for e in text_errors(item, f"{path}[{i}]")]
    return []


def check_texts(data: object) -> None:
    """Refuse a JSON body with any string :func:`text_errors` finds: one
    :class:`InvalidInput` naming every such field at once."""
    found = text_errors(data)
    if found:
        raise combined(found)
