"""The message catalogues cover every string of the web UI, in Chinese and in English."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import autolend.web.i18n as i18n_module
from autolend.web.i18n import (
    LOCALES,
    catalogue_path,
    choose_locale,
    format_instant,
    format_money,
    html_lang,
    list_separator,
    translations,
)

WEB = Path(i18n_module.__file__).parent
METHOD_MAP = [("**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted_messages() -> set[str | tuple[str, str]]:
    """Every message of the web UI: a text, or an ``ngettext``'s (singular, plural)."""
    found = extract_from_dir(str(WEB), METHOD_MAP, options_map=OPTIONS)
    return {
        message
        for _file, _line, message, _comments, _context in found
        if isinstance(message, str) or (len(message) == 2 and all(message))
    }


def forms(text: object) -> tuple[str, ...]:
    """A message's texts: one, or a plural message's forms (a translation's too)."""
    return tuple(text) if isinstance(text, (tuple, list)) else (str(text or ""),)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_of_the_templates_is_translated_in_each_catalogue(locale: str) -> None:
    with catalogue_path(locale).open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    messages = extracted_messages()
    assert len(messages) > 50
    missing = sorted(
        (m for m in messages if m not in catalogue or not all(forms(catalogue[m].string))), key=str
    )
    assert missing == []
    # a plural message is translated as one, with every form its language has
    singular = sorted(str(m) for m in messages if isinstance(m, tuple) != catalogue[m].pluralizable)
    assert singular == []
    fuzzy = sorted((m.id for m in catalogue if m.id and m.fuzzy), key=str)
    assert fuzzy == []
    for message in messages:
        wanted = {name for text in forms(message) for name in PLACEHOLDER.findall(text)}
        for translated in forms(catalogue[message].string):
            assert set(PLACEHOLDER.findall(translated)) == wanted, message


def test_the_catalogues_hold_no_stale_messages() -> None:
    messages = extracted_messages()
    for locale in LOCALES:
        with catalogue_path(locale).open("rb") as handle:
            ids = {m.id for m in read_po(handle, locale=locale) if m.id}
        assert ids - messages == set(), locale


@pytest.mark.parametrize("locale", LOCALES)
def test_no_message_is_in_a_catalogue_twice(locale: str) -> None:
    """Babel keeps the last of two entries silently: a second, different translation
    added at the end would quietly replace the first."""
    ids = re.findall(r'^msgid "(.+)"$', catalogue_path(locale).read_text("utf-8"), re.M)
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_translations_are_compiled_in_memory_from_the_po_files() -> None:
    assert translations("zh_CN").gettext("Sign in") == "登录"
    assert translations("en").gettext("Sign in") == "Sign in"
    with pytest.raises(ValueError, match="unsupported locale"):
        translations("fr")


def test_the_language_cookie_wins_only_when_it_names_a_supported_locale() -> None:
    assert choose_locale("en", "zh_CN") == "en"
    assert choose_locale("xx", "zh_CN") == "zh_CN"
    assert choose_locale(None, "en") == "en"
    assert html_lang("zh_CN") == "zh-CN"


def test_money_is_formatted_for_the_locale_and_masked_values_stay_masked() -> None:
    assert format_money("1234.5", "CNY", "zh_CN") == "¥1,234.50"
    assert format_money("1234.5", "CNY", "en") == "¥1,234.50"
    assert format_money("***", "CNY", "en") == "***"
    assert format_money(None, "CNY", "en") == ""


def test_english_pages_write_the_yuan_as_lenders_in_china_do_and_dollars_stay_dollars() -> None:
    """CLDR's English writes "CN¥"; English pages of lenders in China write "¥"."""
    assert format_money("-20", "CNY", "en") == "-¥20.00"
    assert format_money("1500.00", "USD", "en") == "$1,500.00"
    assert format_money("1500.00", "USD", "zh_CN") == "US$1,500.00"
    assert format_money("1500.00", "JPY", "zh_CN") == "JP¥1,500"


@pytest.mark.parametrize(("locale", "separator"), [("zh_CN", "、"), ("en", ", ")])
def test_a_list_in_running_text_takes_the_languages_list_comma(locale: str, separator: str) -> None:
    assert list_separator(locale) == separator


def test_instants_are_shown_in_the_tenant_time_zone() -> None:
    from datetime import UTC, datetime

    shown = format_instant(datetime(2025, 1, 1, 16, 30, tzinfo=UTC), "Asia/Shanghai", "en")
    assert "Jan 2, 2025" in shown and "12:30" in shown
    # Views carry instants as ISO text: the review queue showed "2025-01-01 16:30" (UTC).
    assert format_instant("2025-01-01T16:30:00+00:00", "Asia/Shanghai", "en") == shown


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(i18n_module).failed == 0
