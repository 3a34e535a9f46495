"""Pieces of a loan application that stand alone: uploaded documents and field parsers.

:func:`check_document` accepts an upload only when its declared type is PDF, JPEG or PNG,
its first bytes carry that type's signature (magic number) and its size is 1 byte to
10 MiB; every refusal names the field (``kind``, ``content_type``, ``size``).

>>> check_document("id_front", "image/png", 2048, b"\\x89PNG\\r\\n\\x1a\\n....")
<DocumentKind.ID_FRONT: 'id_front'>
>>> check_document("id_front", "image/png", 2048, b"%PDF-1.7")
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: the file's content is not image/png
>>> check_document("id_front", "text/plain", 2048, b"hello")
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: the file must be a PDF, JPEG or PNG
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, parse_money

__all__ = [
    "MAX_DOCUMENT_BYTES", "DocumentKind", "check_document", "choice", "flag", "money_field",
    "optional_months", "optional_text", "text_field",
]  # fmt: skip

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
E = TypeVar("E", bound=StrEnum)


class DocumentKind(StrEnum):
    ID_FRONT = "id_front"
    ID_BACK = "id_back"
    INCOME_PROOF = "income_proof"
    BANK_STATEMENT = "bank_statement"
    VEHICLE_INVOICE = "vehicle_invoice"
    DRIVING_LICENCE = "driving_licence"


def check_document(kind: str, content_type: str, size: int, head: bytes) -> DocumentKind:
    """The document's kind, when the upload is an allowed type whose first bytes match it."""
    document = choice(kind, DocumentKind, "kind")
    text = content_type if isinstance(content_type, str) else ""
    declared = text.split(";", maxsplit=1)[0].strip().lower()
    if declared not in _MAGIC:  # said by name, not media type: "text/plain" is refused
        raise InvalidInput("the file must be a PDF, JPEG or PNG", field="content_type",
                           message_zh="文件须为 PDF、JPEG 或 PNG 格式")  # fmt: skip
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_DOCUMENT_BYTES:
        raise InvalidInput("a file must be from 1 byte to 10 MiB", field="size")
    if not any(bytes(head).startswith(magic) for magic in _MAGIC[declared]):
        raise InvalidInput(f"the file's content is not {declared}", field="content_type")
    return document


def choice(value: object, kind: type[E], field: str) -> E:
    """A member of ``kind`` by its value; an unknown one lists the known ones."""
    known = ", ".join(member.value for member in kind)
    try:
        if isinstance(value, str):
            return kind(value)
    except ValueError:
        pass
    raise InvalidInput(f"{value!r} is not one of {known}", field=field)


def text_field(data: Mapping[str, Any], key: str, path: str, *, max_length: int = 200) -> str:
    """A required, non-blank string of at most ``max_length`` characters."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{key} is required", field=path)
    if len(value.strip()) > max_length:
        raise InvalidInput(f"{key} is at most {max_length} characters", field=path)
    return value.strip()


def optional_text(data: Mapping[str, Any], key: str, path: str) -> str | None:
    """A string or null (blank reads as null)."""
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return text_field(data, key, path)


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
"""An address with one ``@``, no spaces, and a dot in its domain (``a@b.cn``)."""


def optional_email(data: Mapping[str, Any], key: str, path: str) -> str | None:
    """An e-mail address or null (blank reads as null): "foo@" is refused.

    >>> optional_email({"email": "foo@"}, "email", "applicants[0].email")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: not an e-mail address
    """
    text = optional_text(data, key, path)
    if text is not None and not EMAIL.match(text.strip()):
        raise InvalidInput("not an e-mail address", field=path,
                           message_zh="不是有效的电子邮箱地址")  # fmt: skip
    return None if text is None else text.strip()


def flag(data: Mapping[str, Any], key: str, path: str) -> bool:
    """A JSON boolean; missing reads as false."""
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise InvalidInput(f"{key} must be true or false", field=path)
    return value


def money_field(
    data: Mapping[str, Any], key: str, path: str, currency: str, *, required: bool = True
) -> Money | None:
    """A non-negative amount written as a decimal string ("1500.00", at most 2 decimals)."""
    value = data.get(key)
    if value is None:
        if required:
            raise InvalidInput(f"{key} is required", field=path)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidInput(f"{key} must be a decimal string such as 1500.00", field=path)
    amount = parse_money(value.strip(), currency, field=path)
    if amount.is_negative():
        raise InvalidInput(f"{key} must not be negative", field=path)
    return amount


def price_field(
    data: Mapping[str, Any], key: str, currency: str, *, required: bool = True
) -> Money | None:
    """The car's ``key`` price (``vehicle.<key>``) above 0: LTV is measured on it.

    >>> price_field({"reference_price": "0"}, "reference_price", "CNY")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: reference_price must be above 0
    """
    price = money_field(data, key, f"vehicle.{key}", currency, required=required)
    if price is not None and price.minor <= 0:
        raise InvalidInput(f"{key} must be above 0", field=f"vehicle.{key}")
    return price


WORKING_AGE = 16
"""The minimum age of employment in China (Labour Law art. 15): nobody's income has been
stable for longer than they have been 16."""


def months_since_working_age(birth: date, as_of: date) -> int:
    """Whole months from the 16th birthday to ``as_of`` (0 before it): born 1990-06-15,
    on 2026-11-28 -> 245 (2006-06-15 to 2026-11-15 is 20 years 5 months).

    >>> months_since_working_age(date(1990, 6, 15), date(2026, 11, 28))
    245
    """
    months = (as_of.year - birth.year - WORKING_AGE) * 12 + as_of.month - birth.month
    months -= 1 if as_of.day < birth.day else 0
    return max(months, 0)


def optional_months(data: Mapping[str, Any], key: str, path: str, *, at_most: int) -> int | None:
    """A whole number of months from 0 to ``at_most``, or null (missing or blank).

    >>> optional_months({"m": 30}, "m", "p", at_most=245), optional_months({}, "m", "p", at_most=1)
    (30, None)
    """
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"{key} must be a whole number of months, 0 or more", field=path)
    if value > at_most:
        raise InvalidInput(f"{key} cannot be more than the {at_most} months since the "
                           f"applicant turned {WORKING_AGE}", field=path)  # fmt: skip
    return value
