"""A US postal address as the application form asks for it: street, city, state, ZIP.

The application (and the API) keeps one ``address`` text; the US form asks it in parts
and :func:`us_address` checks each and writes the one line a US envelope shows:
``123 Main St, Springfield, IL 62701``. The state is one of the 50 states or the District
of Columbia by its USPS two-letter code (:data:`US_STATES`; territories and military
addresses are not offered); the ZIP code is 5 digits or ZIP+4 (``62701-1234``, also typed
as ``627011234``). Every wrong part is named at once, in English and in Chinese.

>>> us_address({"street": " 123 Main St ", "city": "Springfield", "state": "il",
...             "zip": "62701"}, "applicants[0]")
'123 Main St, Springfield, IL 62701'
>>> try:
...     us_address({"street": "1 Elm St", "city": "", "state": "XX", "zip": "6270"}, "a")
... except InvalidInput as error:
...     print([e.field for e in error.every()])
['a.city', 'a.state', 'a.zip']
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from autolend.domain.errors import InvalidInput
from autolend.domain.field_errors import gather
from autolend.domain.text_input import check_text

__all__ = ["ADDRESS_PARTS", "US_STATES", "us_address", "us_state", "us_zip"]

ADDRESS_PARTS = ("street", "city", "state", "zip")
"""The parts the US form asks, in order (each an input ``<party path>.<part>``)."""

# USPS code, English name, Chinese name; ordered by the English name, as US forms list them.
US_STATES: tuple[tuple[str, str, str], ...] = (
    ("AL", "Alabama", "亚拉巴马州"), ("AK", "Alaska", "阿拉斯加州"),
    ("AZ", "Arizona", "亚利桑那州"), ("AR", "Arkansas", "阿肯色州"),
    ("CA", "California", "加利福尼亚州"), ("CO", "Colorado", "科罗拉多州"),
    ("CT", "Connecticut", "康涅狄格州"), ("DE", "Delaware", "特拉华州"),
    ("DC", "District of Columbia", "哥伦比亚特区"), ("FL", "Florida", "佛罗里达州"),
    ("GA", "Georgia", "佐治亚州"), ("HI", "Hawaii", "夏威夷州"), ("ID", "Idaho", "爱达荷州"),
    ("IL", "Illinois", "伊利诺伊州"), ("IN", "Indiana", "印第安纳州"),
    ("IA", "Iowa", "艾奥瓦州"), ("KS", "Kansas", "堪萨斯州"), ("KY", "Kentucky", "肯塔基州"),
    ("LA", "Louisiana", "路易斯安那州"), ("ME", "Maine", "缅因州"),
    ("MD", "Maryland", "马里兰州"), ("MA", "Massachusetts", "马萨诸塞州"),
    ("MI", "Michigan", "密歇根州"), ("MN", "Minnesota", "明尼苏达州"),
    ("MS", "Mississippi", "密西西比州"), ("MO", "Missouri", "密苏里州"),
    ("MT", "Montana", "蒙大拿州"), ("NE", "Nebraska", "内布拉斯加州"),
    ("NV", "Nevada", "内华达州"), ("NH", "New Hampshire", "新罕布什尔州"),
    ("NJ", "New Jersey", "新泽西州"), ("NM", "New Mexico", "新墨西哥州"),
    ("NY", "New York", "纽约州"), ("NC", "North Carolina", "北卡罗来纳州"),
    ("ND", "North Dakota", "北达科他州"), ("OH", "Ohio", "俄亥俄州"),
    ("OK", "Oklahoma", "俄克拉何马州"), ("OR", "Oregon", "俄勒冈州"),
    ("PA", "Pennsylvania", "宾夕法尼亚州"), ("RI", "Rhode Island", "罗得岛州"),
    ("SC", "South Carolina", "南卡罗来纳州"), ("SD", "South Dakota", "南达科他州"),
    ("TN", "Tennessee", "田纳西州"), ("TX", "Texas", "得克萨斯州"), ("UT", "Utah", "犹他州"),
    ("VT", "Vermont", "佛蒙特州"), ("VA", "Virginia", "弗吉尼亚州"),
    ("WA", "Washington", "华盛顿州"), ("WV", "West Virginia", "西弗吉尼亚州"),
    ("WI", "Wisconsin", "威斯康星州"), ("WY", "Wyoming", "怀俄明州"),
)  # fmt: skip

_CODES = frozenset(code for code, _en, _zh in US_STATES)
_ZIP = re.compile(r"([0-9]{5})(?:-?([0-9]{4}))?")
_STREET_MAX, _CITY_MAX = 100, 60


def us_state(text: str | None, *, field: str = "state") -> str:
    """The USPS code of one of the 50 states or DC, upper case; anything else is refused.

    >>> us_state("il"), us_state("DC")
    ('IL', 'DC')
    >>> us_state("PR")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: state must be one of the 50 states or DC, e.g. IL
    """
    code = (text or "").strip().upper()
    if code in _CODES:
        return code
    if not code:
        raise InvalidInput("state is required", field=field, message_zh="请选择州")
    raise InvalidInput(
        "state must be one of the 50 states or DC, e.g. IL",
        field=field,
        message_zh="州须为美国 50 个州或哥伦比亚特区之一，如 IL",
    )


def us_zip(text: str | None, *, field: str = "zip") -> str:
    """A ZIP code of 5 digits, or ZIP+4 written with its hyphen.

    >>> us_zip("62701"), us_zip("62701-1234"), us_zip(" 627011234 ")
    ('62701', '62701-1234', '62701-1234')
    >>> us_zip("6270")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: ZIP code must be 5 digits or ZIP+4 (62701-1234)
    """
    typed = (text or "").strip()
    if not typed:
        raise InvalidInput("zip is required", field=field, message_zh="请填写邮政编码（ZIP）")
    found = _ZIP.fullmatch(typed)
    if found is None:
        raise InvalidInput(
            "ZIP code must be 5 digits or ZIP+4 (62701-1234)",
            field=field,
            message_zh="邮政编码（ZIP）须为 5 位数字或 ZIP+4 格式（62701-1234）",
        )
    five, four = found.groups()
    return f"{five}-{four}" if four else five


def _line(text: str | None, name: str, zh: str, field: str, most: int) -> str:
    """A required line of at most ``most`` characters (street, city) of typed text
    (:func:`~autolend.domain.text_input.check_text`), stripped."""
    value = check_text(text or "", field).strip()
    if not value:
        raise InvalidInput(f"{name} is required", field=field, message_zh=f"请填写{zh}")
    if len(value) > most:
        raise InvalidInput(f"{name} is at most {most} characters", field=field,
                           message_zh=f"{zh}最多 {most} 个字符")  # fmt: skip
    return value


def us_address(parts: Mapping[str, str | None], path: str) -> str:
    """The one-line address of ``parts`` (keys :data:`ADDRESS_PARTS`), each checked; one
    :class:`InvalidInput` names every wrong part as ``<path>.<part>`` (see the module)."""
    v = gather({
        "street": lambda: _line(parts.get("street"), "street", "街道地址", f"{path}.street",
                                _STREET_MAX),
        "city": lambda: _line(parts.get("city"), "city", "城市", f"{path}.city", _CITY_MAX),
        "state": lambda: us_state(parts.get("state"), field=f"{path}.state"),
        "zip": lambda: us_zip(parts.get("zip"), field=f"{path}.zip"),
    })  # fmt: skip
    return f"{v['street']}, {v['city']}, {v['state']} {v['zip']}"
