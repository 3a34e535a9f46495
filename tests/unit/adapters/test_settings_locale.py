"""The web pages' default language is the jurisdiction pack's (CN zh_CN, US en) when
``AUTOLEND_DEFAULT_LOCALE`` is not given, as the time zone is; a given one wins. A CN
lender keeps zh_CN."""

from __future__ import annotations

import pytest

from autolend.config import Settings


@pytest.fixture(autouse=True)
def no_locale_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTOLEND_DEFAULT_LOCALE", raising=False)
    monkeypatch.delenv("AUTOLEND_JURISDICTION", raising=False)


def test_a_cn_lender_keeps_chinese_pages() -> None:
    assert Settings().default_locale == "zh_CN"
    assert Settings(jurisdiction="CN").default_locale == "zh_CN"


def test_a_us_lender_without_a_locale_gets_english_pages() -> None:
    assert Settings(jurisdiction="US").default_locale == "en"


def test_a_locale_that_is_given_wins_over_the_jurisdictions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings(jurisdiction="US", default_locale="zh_CN").default_locale == "zh_CN"
    assert Settings(jurisdiction="CN", default_locale="en").default_locale == "en"
    monkeypatch.setenv("AUTOLEND_DEFAULT_LOCALE", "zh_CN")
    assert Settings(jurisdiction="US").default_locale == "zh_CN"
