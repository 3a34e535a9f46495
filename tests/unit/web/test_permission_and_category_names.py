"""Codes in words: every permission has a name, translated in both catalogues (a new
permission cannot reach the home page as a bare code), and the known values of a model's
categorical features (``gig``, ``nev``, ``True``) have theirs; an unknown one stays as it is."""

from __future__ import annotations

import doctest

import pytest
from babel.messages.pofile import read_po

from autolend.domain.access import Permission
from autolend.web import category_names, group_names, permission_names
from autolend.web.category_names import CATEGORY_NAMES, category_label
from autolend.web.group_names import group_value_label
from autolend.web.i18n import LOCALES, catalogue_path, list_separator, translations
from autolend.web.permission_names import PERMISSION_NAMES, permission_label


@pytest.mark.parametrize("locale", LOCALES)
def test_every_permission_has_a_name_of_its_own_in_each_catalogue(locale: str) -> None:
    assert set(PERMISSION_NAMES) == set(Permission)
    with catalogue_path(locale).open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    names = list(PERMISSION_NAMES.values())
    assert [n for n in names if n not in catalogue or not catalogue[n].string] == []
    shown = [translations(locale).gettext(n) for n in names]
    assert len(set(shown)) == len(shown)  # no two permissions read the same
    assert ":" not in "".join(shown)  # words, not codes


def test_chinese_names_a_permission_in_chinese_and_english_in_english() -> None:
    zh, en = translations("zh_CN").gettext, translations("en").gettext
    assert permission_label("fee:waive_approve", zh) == "批准费用减免"
    assert permission_label("fee:waive_approve", en) == "Approve fee waivers"
    assert all(zh(name) != name for name in PERMISSION_NAMES.values())


@pytest.mark.parametrize(
    ("locale", "value", "words"),
    [
        ("zh_CN", "salaried", "受薪"),
        ("zh_CN", "self_employed", "个体经营"),
        ("zh_CN", "gig", "灵活就业"),
        ("zh_CN", "civil_servant", "公务员"),
        ("zh_CN", "nev", "新能源"),
        ("zh_CN", "ice", "燃油"),
        ("zh_CN", "used, new", "二手车、新车"),
        ("zh_CN", "True", "是"),
        ("zh_CN", "False", "否"),
        ("en", "civil_servant", "Civil servant"),
        ("en", "gig", "Gig work"),
        ("en", "used, new", "Used, New"),
        ("en", "True", "Yes"),
    ],
)
def test_a_known_category_is_named_in_the_pages_language(
    locale: str, value: str, words: str
) -> None:
    gettext = translations(locale).gettext
    assert category_label(value, gettext, list_separator(locale)) == words


@pytest.mark.parametrize("value", ["north", "(-inf, 0.50)", "[0.2, 0.3)", "gig, north", ""])
def test_an_unknown_value_or_a_group_with_one_stays_as_the_data_has_it(value: str) -> None:
    assert category_label(value, translations("zh_CN").gettext, "、") == value


def test_every_category_is_translated_and_a_fairness_group_takes_its_name() -> None:
    zh = translations("zh_CN").gettext
    assert all(zh(name) != name for name in CATEGORY_NAMES.values())
    assert group_value_label("employment_type", "farmer", zh) == "农户"
    assert group_value_label("gender", "F", zh) == "女"


def test_the_module_examples_hold() -> None:
    for module in (permission_names, category_names, group_names):
        assert doctest.testmod(module).failed == 0
