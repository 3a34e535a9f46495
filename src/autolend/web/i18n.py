"""Languages of the web UI: message catalogues, the visitor's language, and formatting.

The catalogues are the ``.po`` files under ``web/locale/<locale>/LC_MESSAGES/``; they are
compiled in memory at start-up (``read_po`` -> ``write_mo`` into a buffer -> ``Translations``),
so no compiled ``.mo`` file is ever committed or needed on disk.

The language is the ``autolend_lang`` cookie when it names a supported locale, else the
configured default (``zh_CN``). Example::

    >>> format_money("1500.00", "CNY", "zh_CN")
    '¥1,500.00'
    >>> format_money("1500.00", "CNY", "en")
    '¥1,500.00'
    >>> format_money("1500.00", "USD", "en")
    '$1,500.00'
    >>> html_lang("zh_CN")
    'zh-CN'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, get_currency_symbol
from babel.support import Translations

from autolend.domain.date_text import DateStyle, day_text, instant_text

LOCALES: tuple[str, ...] = ("zh_CN", "en")
LANG_COOKIE = "autolend_lang"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE_NAMES: Mapping[str, str] = {"zh_CN": "中文", "en": "English"}
# The symbol a currency's own market writes in every language: lenders in China write
# ¥1,500.00 on English pages too, where CLDR's English has "CN¥" (to tell it from the yen).
HOME_SYMBOLS: Mapping[str, str] = {"CNY": "¥"}
LIST_SEPARATORS: Mapping[str, str] = {"zh_CN": "、", "en": ", "}
# The pages that write dates in the lender's pack's style (US: 12/01/2026); the others ISO.
PACK_STYLED_LOCALES: tuple[str, ...] = ("en",)


def catalogue_path(locale: str) -> Path:
    """Where the ``.po`` catalogue of ``locale`` lives."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> Translations:
    """The compiled translations of one locale (compiled once per process)."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; supported: {', '.join(LOCALES)}")
    with catalogue_path(locale).open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return Translations(buffer, domain="messages")


def choose_locale(cookie_value: str | None, default: str) -> str:
    """The cookie's locale when it is supported, else ``default`` (itself checked)."""
    if cookie_value in LOCALES:
        return str(cookie_value)
    return default if default in LOCALES else LOCALES[0]


def locale_of_tag(tag: str) -> str | None:
    """The supported locale a language tag names, however it is spelt: the catalogue's
    code (``zh_CN``), the BCP 47 tag the pages declare (``zh-CN``, any case), or a bare
    or regional language with one locale (``zh``, ``en-US``); None for any other.

    >>> [locale_of_tag(t) for t in ("zh_CN", "zh-cn", "zh", "en-US", "fr")]
    ['zh_CN', 'zh_CN', 'zh_CN', 'en', None]
    """
    wanted = tag.replace("-", "_").lower()
    for locale in LOCALES:
        if wanted == locale.lower():
            return locale
    language = wanted.split("_")[0]
    same = [locale for locale in LOCALES if locale.split("_")[0].lower() == language]
    return same[0] if len(same) == 1 else None


def html_lang(locale: str) -> str:
    """The BCP 47 tag for ``<html lang>``: ``zh_CN`` -> ``zh-CN``."""
    return locale.replace("_", "-")


def format_money(amount: object, currency: str, locale: str) -> str:
    """Format a decimal-string amount (``"1234.56"``) for ``locale``.

    A value that is not a number (a masked ``"***"``, an empty string) is shown as it is,
    so masked amounts never turn into a made-up figure. The yuan takes its home symbol in
    every language (``HOME_SYMBOLS``): ``format_money("-20", "CNY", "en")`` is
    "-¥20.00"; other currencies keep the locale's (US$ in Chinese, $ in English).
    """
    if amount is None:
        return ""
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        return str(amount)
    if not value.is_finite():
        return str(amount)
    text = format_currency(value, currency, locale=locale)
    home = HOME_SYMBOLS.get(currency)
    if home is None:
        return text
    return text.replace(get_currency_symbol(currency, locale), home, 1)


def list_separator(locale: str) -> str:
    """What separates the items of a list in running text: the enumeration comma in
    Chinese, where an ASCII comma reads as a typo (``list_separator("zh_CN")`` is "、"),
    ", " in English."""
    return LIST_SEPARATORS.get(locale, ", ")


def page_date_style(locale: str, style: DateStyle) -> DateStyle:
    """The date style a page in ``locale`` writes under a pack whose style is ``style``:
    the pack's on English pages, ISO on Chinese ones whatever the pack (a Chinese reader
    writes 2026-12-01, never 12/01/2026).

    >>> page_date_style("en", "mdy"), page_date_style("zh_CN", "mdy")
    ('mdy', 'iso')
    """
    return style if locale in PACK_STYLED_LOCALES else "iso"


def format_day(day: date | str | None, locale: str, style: DateStyle = "iso") -> str:
    """A day (or its ISO text, as views carry it) as a page in ``locale`` writes it under
    a pack whose ``date_style`` is ``style`` (:func:`page_date_style`): US English pages
    write MM/DD/YYYY in table cells and running text alike, ``12/01/2026``; everything
    else ISO, ``2026-12-01``. Text that is not an ISO day (a dash, a masked value) is
    shown as it is, None as nothing.

    >>> format_day("2026-12-01", "en", "mdy"), format_day(date(2026, 12, 1), "zh_CN", "mdy")
    ('12/01/2026', '2026-12-01')
    >>> format_day("—", "en", "mdy")
    '—'
    """
    if day is None:
        return ""
    if isinstance(day, str):
        try:
            return format_day(date.fromisoformat(day.strip()), locale, style)
        except ValueError:
            return day
    return day_text(day, page_date_style(locale, style))


def format_instant(
    moment: datetime | str | None, zone: str, locale: str, style: DateStyle = "iso"
) -> str:
    """A stored UTC instant (or its ISO text, as views carry it) shown in the tenant's time
    zone for ``locale``: medium length (``Dec 1, 2026, 11:05:00 PM``, ``2026年12月1日
    23:05:00``), or under a pack writing ``mdy`` on English pages the day MM/DD/YYYY and
    the 12-hour clock to the minute: 15:05 UTC in New York is ``12/01/2026 10:05 AM``."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if page_date_style(locale, style) == "mdy":
        return instant_text(moment.astimezone(ZoneInfo(zone)), "mdy")
    return format_datetime(moment, "medium", tzinfo=ZoneInfo(zone), locale=locale)
