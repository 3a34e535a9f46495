"""Masking of personal data for display: screens, exports, logs and support tickets.

Staff usually need just enough of a value to confirm they have the right customer ("the
phone ending 5678"), not the value itself. Every helper here follows two rules:

* Keep only a fixed, small number of characters (the conventional ones for each kind of
  data in Chinese lending practice: first 4 / last 4 of an ID number, 3 / 4 of a mobile
  number, last 4 of a bank card, first character of a name).
* If the input is too short for that rule to hide a meaningful part of it, return the
  constant ``"***"`` instead of revealing it in full (a 6-character "ID number" with 4 + 4
  kept would otherwise be shown whole). The constant also hides the input's length.

An empty (or whitespace-only) input masks to ``""``: there is nothing to hide, and showing
``"***"`` would tell staff a value exists when it does not.

Pure functions, standard library only.
"""

from __future__ import annotations

import re

__all__ = [
    "FULLY_MASKED",
    "mask_bank_account",
    "mask_id_number",
    "mask_income",
    "mask_name",
    "mask_phone",
]

FULLY_MASKED = "***"
"""Returned when a value is too short to show any part of it safely."""

_SEPARATORS = re.compile(r"[\s\-]+")


def _compact(value: str) -> str:
    """Drop spaces and hyphens so '138-1234 5678' masks like '13812345678'."""
    return _SEPARATORS.sub("", value)


def _keep_ends(value: str, head: int, tail: int, min_hidden: int) -> str:
    """Show ``head`` leading and ``tail`` trailing characters, star the middle.

    Falls back to :data:`FULLY_MASKED` unless at least ``min_hidden`` characters end up
    hidden, so a short input is never revealed in full or almost in full.
    """
    hidden = len(value) - head - tail
    if hidden < min_hidden:
        return FULLY_MASKED
    return value[:head] + "*" * hidden + value[len(value) - tail :]


def mask_id_number(value: str) -> str:
    """``"110105194912310021"`` -> ``"1101**********0021"`` (keeps region and check digits).

    Works for 18- and 15-character resident ID numbers; anything shorter than 14
    characters (e.g. a passport number) is fully masked.
    """
    compact = _compact(value)
    if not compact:
        return ""
    return _keep_ends(compact, head=4, tail=4, min_hidden=6)


def mask_phone(value: str) -> str:
    """``"13812345678"`` -> ``"138****5678"``; shorter numbers are fully masked."""
    compact = _compact(value)
    if not compact:
        return ""
    return _keep_ends(compact, head=3, tail=4, min_hidden=4)


def mask_bank_account(value: str) -> str:
    """``"6222021234567890123"`` -> ``"**** **** **** 0123"``.

    Only the last four digits are kept, and the output has a fixed shape so it reveals
    neither the card prefix (issuer) nor the account length. Accounts shorter than 12
    digits are fully masked.
    """
    compact = _compact(value)
    if not compact:
        return ""
    if len(compact) < 12:
        return FULLY_MASKED
    return "**** **** **** " + compact[-4:]


def _mask_word(word: str) -> str:
    # A one-character word would be revealed in full by "keep the first character".
    if len(word) < 2:
        return "*" * len(word)
    return word[0] + "*" * (len(word) - 1)


def mask_name(value: str) -> str:
    """Keep the first character of each word: ``"张三丰"`` -> ``"张**"``,
    ``"John Smith"`` -> ``"J*** S****"``.

    For Chinese names this keeps the (usually single-character) surname, which is what
    call-centre scripts expect. One-character words are fully starred.
    """
    words = value.split()
    return " ".join(_mask_word(word) for word in words)


def mask_income(value: object) -> str:
    """Incomes are never shown, not even their magnitude: always ``"***"``.

    Takes any value (``Decimal``, ``int``, ``str``) so call sites can mask uniformly; only
    a missing value (``None`` or blank string) gives ``""``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return FULLY_MASKED
