"""Identity checks: the CN resident identity number and mobile phone numbers.

The 18-character resident ID (GB 11643-1999) is 6 address digits, 8 birth-date digits
(YYYYMMDD), 3 sequence digits and a check character. The check character is computed with
ISO 7064 MOD 11-2: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over the first 17 digits, sum
mod 11 indexes "10X98765432". Example: the standard's sample ``11010519491231002X`` has the
weighted sum 167; 167 mod 11 = 2, and "10X98765432"[2] is "X".

A person's ID and phone follow their pack's ``identity_scheme`` (:func:`validate_person_id`,
:func:`validate_phone`): ``resident_id`` (CN) the resident ID and the mainland mobile above,
``taxpayer_id`` (US) the SSN or ITIN and the NANP number of
:mod:`autolend.domain.identity_us`; a code no pack has takes CN's.
"""

from __future__ import annotations

import re
from datetime import date

from autolend.domain.errors import InvalidInput
from autolend.domain.identity_us import validate_us_phone, validate_us_tin
from autolend.domain.regulation import known_pack

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_CN_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_BANK_ACCOUNT = re.compile(r"[0-9]{12,19}")


def uses_taxpayer_id(pack: str) -> bool:
    """Whether ``pack``'s people are known by a US taxpayer ID, a birth date beside it and
    a NANP phone (its ``identity_scheme``); a code no pack has takes CN's resident ID.

    >>> uses_taxpayer_id("US"), uses_taxpayer_id("CN"), uses_taxpayer_id("XX")
    (True, False, False)
    """
    found = known_pack(pack)
    return found is not None and found.uses_taxpayer_id


def resident_id_check_character(first17: str) -> str:
    """The check character for the first 17 digits of a resident ID."""
    total = sum(int(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def validate_resident_id(text: str, *, as_of: date, field: str = "id_number") -> str:
    """Return the normalised ID (upper-case X) or raise InvalidInput naming what is wrong."""
    value = text.strip().upper()
    if not _ID_SHAPE.fullmatch(value):
        raise InvalidInput("a resident ID has 17 digits followed by a digit or X", field=field)
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidInput(
            "the birth date inside the resident ID is not a date", field=field
        ) from None
    if birth > as_of or birth.year < 1900:
        raise InvalidInput("the birth date inside the resident ID is not plausible", field=field)
    if resident_id_check_character(value[:17]) != value[17]:
        raise InvalidInput("the resident ID's check character is wrong", field=field)
    return value


def birth_date_of_resident_id(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def validate_cn_mobile(text: str, *, field: str = "phone") -> str:
    """An 11-digit mainland mobile number starting 13-19; spaces and hyphens are ignored."""
    value = re.sub(r"[\s-]", "", text)
    if value.startswith("+86"):
        value = value[3:]
    if not _CN_MOBILE.fullmatch(value):
        raise InvalidInput("a mobile number has 11 digits and starts with 13 to 19", field=field)
    return value


def validate_bank_account(text: str, *, field: str = "bank_account") -> str:
    """A bank card / account number: 12 to 19 digits; spaces are ignored."""
    value = re.sub(r"\s", "", text)
    if not _BANK_ACCOUNT.fullmatch(value):
        raise InvalidInput("a bank account number has 12 to 19 digits", field=field)
    return value


def validate_person_id(text: str, *, pack: str, as_of: date, field: str = "id_number") -> str:
    """The person's ID under ``pack``, normalised: CN a resident ID, US an SSN or ITIN.

    >>> validate_person_id("123-45-6788", pack="US", as_of=date(2026, 11, 28))
    '123456788'
    """
    if uses_taxpayer_id(pack):
        return validate_us_tin(text, field=field)
    return validate_resident_id(text, as_of=as_of, field=field)


def validate_phone(text: str, *, pack: str, field: str = "phone") -> str:
    """The person's phone under ``pack``: CN an 11-digit mobile, US E.164 ``+1...``.

    >>> validate_phone("614-555-0100", pack="US"), validate_phone("13800138000", pack="CN")
    ('+16145550100', '13800138000')
    """
    if uses_taxpayer_id(pack):
        return validate_us_phone(text, field=field)
    return validate_cn_mobile(text, field=field)


def pack_of_id_number(stored: str) -> str:
    """The pack of a person by their ID as stored: 9 digits is a US SSN or ITIN, anything
    else a CN resident ID (18 characters).

    >>> pack_of_id_number("123456789"), pack_of_id_number("11010519491231002X")
    ('US', 'CN')
    """
    return "US" if len(stored) == 9 and stored.isdigit() else "CN"
