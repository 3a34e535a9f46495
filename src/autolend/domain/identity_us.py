"""US identity checks: the taxpayer ID (SSN or ITIN), the date of birth, NANP phone numbers.

A US applicant is known by a 9-digit taxpayer identification number, typed as
``123-45-6789`` or ``123456789`` and stored as the 9 digits. It is an SSN (area, group,
serial: AAA-GG-SSSS) unless it starts with 9, when it is an IRS ITIN. Forms never issued
are refused (SSA: area 000, 666 or 900-999, group 00, serial 0000; IRS: an ITIN's group is
50-65, 70-88, 90-92 or 94-99). So are the single SSNs that are known not to be a person's:

* ``078-05-1120``, printed on the sample card sold in wallets from 1938 (Woolworth's):
  the SSA voided it and gave its holder a new number (SSA history, "Social Security
  Cards Issued by Woolworth", https://www.ssa.gov/history/ssn/misused.html);
* ``123-45-6789``, the example number, never issued (payroll edits that apply the SSA's
  restrictions refuse it: New York State Comptroller, State Agencies Bulletin No. 1125,
  2011-12-30, "New National ID Field Edits").

The SSA's own forms of a number never issued: POMS RM 10201.035 "Invalid Social Security
Numbers" (https://secure.ssa.gov/apps10/poms.nsf/lnx/0110201035). The numbers the SSA
keeps for advertisements, 987-65-4320..987-65-4329, start with 9: never an SSN, they are
read (and accepted) as ITINs of group 65, as the demo's fictional people use them.
E.g. ``123-45-6788`` -> ``123456788``; ``666-12-3456``, ``123-00-4567``, ``912-93-4567``,
``078-05-1120`` and ``123-45-6789`` are refused.

The number says nothing of the birth date, so a US applicant gives ``birth_date``
(YYYY-MM-DD, a real date before the day of filing). A phone is a North American Numbering
Plan number: 10 digits, optionally after ``+1`` (or ``1``), the area code and the exchange
each starting 2-9; spaces, hyphens, dots and brackets are ignored, and it is stored in
E.164: ``(614) 555-0100`` -> ``+16145550100``.

Every refusal is :class:`InvalidInput` naming ``field``, in English and in Chinese.
"""

from __future__ import annotations

import re
from datetime import date

from autolend.domain.errors import InvalidInput

__all__ = ["validate_birth_date", "validate_us_phone", "validate_us_tin"]

_TIN_SHAPE = re.compile(r"([0-9]{3})-([0-9]{2})-([0-9]{4})|([0-9]{3})([0-9]{2})([0-9]{4})")
_ITIN_GROUPS = (range(50, 66), range(70, 89), range(90, 93), range(94, 100))
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PHONE_NOISE = re.compile(r"[\s\-.()]")
_NANP = re.compile(r"[2-9][0-9]{2}[2-9][0-9]{6}")
_EARLIEST_BIRTH_YEAR = 1900
# Single SSNs that are no one's (module docstring): the number -> (English, Chinese) refusal.
_NOT_A_PERSONS = {
    "078051120": (
        "078-05-1120 is not a valid SSN: the SSA voided it after it was printed on the "
        "sample card sold with wallets",
        "078-05-1120不是有效的社会安全号码：该号码曾印在随钱包出售的样卡上，已被美国社会保障署作废",
    ),
    "123456789": (
        "123-45-6789 is not a valid SSN: it is the example number and was never issued",
        "123-45-6789不是有效的社会安全号码：这是示例号码，从未签发",
    ),
}


def _refuse(field: str, message: str, message_zh: str) -> InvalidInput:
    return InvalidInput(message, field=field, message_zh=message_zh)


def _check_itin(group: str, field: str) -> None:
    """An ITIN (first digit 9) has a group the IRS issues: ``912-70-1234`` passes,
    ``912-93-1234`` does not."""
    if not any(int(group) in allowed for allowed in _ITIN_GROUPS):
        raise _refuse(
            field,
            "an ITIN (a number starting with 9) has a group (4th and 5th digits) of "
            "50-65, 70-88, 90-92 or 94-99",
            "以9开头的ITIN第4、5位须为50-65、70-88、90-92或94-99",
        )


def _check_ssn(area: str, group: str, serial: str, field: str) -> None:
    """An SSN's parts as the SSA issues them: area not 000 or 666, group not 00,
    serial not 0000; and not one of the numbers known to be no one's (module docstring).
    ``123-45-6788`` passes; ``123-45-6789`` and ``078-05-1120`` do not."""
    if area in ("000", "666"):
        raise _refuse(field, "an SSN's area number (first 3 digits) is never 000 or 666",
                      "社会安全号码前3位不能为000或666")  # fmt: skip
    if group == "00":
        raise _refuse(field, "an SSN's group number (4th and 5th digits) is never 00",
                      "社会安全号码第4、5位不能为00")  # fmt: skip
    if serial == "0000":
        raise _refuse(field, "an SSN's serial number (last 4 digits) is never 0000",
                      "社会安全号码后4位不能为0000")  # fmt: skip
    voided = _NOT_A_PERSONS.get(area + group + serial)
    if voided is not None:
        raise _refuse(field, *voided)


def validate_us_tin(text: str, *, field: str = "id_number") -> str:
    """The SSN or ITIN as its 9 digits, or InvalidInput naming what is wrong.

    >>> validate_us_tin("123-45-6788"), validate_us_tin(" 912701234 ")
    ('123456788', '912701234')
    """
    match = _TIN_SHAPE.fullmatch(text.strip())
    if match is None:
        raise _refuse(
            field,
            "a US taxpayer ID (SSN or ITIN) has 9 digits, as 123-45-6789 or 123456789",
            "美国纳税人识别号（SSN或ITIN）为9位数字，格式如123-45-6789或123456789",
        )
    area, group, serial = (part for part in match.groups() if part is not None)
    if area.startswith("9"):
        _check_itin(group, field)
    else:
        _check_ssn(area, group, serial, field)
    return area + group + serial


def validate_birth_date(value: object, *, as_of: date, field: str = "birth_date") -> date:
    """A date of birth typed YYYY-MM-DD: a real date, from 1900 and before ``as_of``.

    >>> validate_birth_date("1985-04-12", as_of=date(2026, 11, 28))
    datetime.date(1985, 4, 12)
    """
    if not isinstance(value, str) or not _DATE_SHAPE.fullmatch(value.strip()):
        raise _refuse(field, "the date of birth is required, as YYYY-MM-DD",
                      "须填写出生日期，格式为YYYY-MM-DD")  # fmt: skip
    text = value.strip()
    try:
        born = date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        raise _refuse(field, "the date of birth is not a date", "出生日期不是有效日期") from None
    if born >= as_of or born.year < _EARLIEST_BIRTH_YEAR:
        raise _refuse(field, "the date of birth is not plausible", "出生日期不合理")
    return born


def validate_us_phone(text: str, *, field: str = "phone") -> str:
    """A NANP number in E.164 (``+1`` and 10 digits), or InvalidInput naming the field.

    >>> validate_us_phone("6145550100"), validate_us_phone("+1 (614) 555-0100")
    ('+16145550100', '+16145550100')
    """
    value = _PHONE_NOISE.sub("", text)
    if value.startswith("+1"):
        value = value[2:]
    elif len(value) == 11 and value.startswith("1"):
        value = value[1:]
    if not _NANP.fullmatch(value):
        raise _refuse(
            field,
            "a US phone number has 10 digits (optionally after +1); its area code and "
            "exchange do not start with 0 or 1",
            "美国电话号码为10位数字（可加+1），区号和局号不以0或1开头",
        )
    return "+1" + value
