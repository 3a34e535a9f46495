"""The language switch (``/lang/{tag}``) takes the tag as the pages declare it
(``<html lang="zh-CN">``) as well as the catalogue's code: ``/lang/zh-CN`` used to leave
the language as it was, silently."""

from __future__ import annotations

import pytest

from autolend.web.i18n import LANG_COOKIE, locale_of_tag
from tests.unit.web.test_monitoring_fairness import _body, monitoring_client


@pytest.mark.parametrize(
    ("tag", "locale"),
    [("zh_CN", "zh_CN"), ("zh-CN", "zh_CN"), ("zh-cn", "zh_CN"), ("zh", "zh_CN"),
     ("en", "en"), ("en-US", "en"), ("EN", "en")],
)  # fmt: skip
def test_a_language_tag_names_its_locale_however_it_is_spelt(tag: str, locale: str) -> None:
    assert locale_of_tag(tag) == locale


@pytest.mark.parametrize("tag", ["fr", "ja-JP", "", "de-DE"])
def test_a_language_without_a_catalogue_names_none(tag: str) -> None:
    assert locale_of_tag(tag) is None


@pytest.mark.parametrize(("tag", "locale"), [("zh-CN", "zh_CN"), ("en-US", "en")])
def test_the_switch_takes_the_tag_the_pages_declare(tag: str, locale: str) -> None:
    for client in monitoring_client(_body()):
        answer = client.get(f"/lang/{tag}?next=/risk/monitoring")
        assert answer.status_code == 303 and answer.headers["location"] == "/risk/monitoring"
        assert f"{LANG_COOKIE}={locale};" in answer.headers["set-cookie"]


def test_an_unknown_language_keeps_the_one_in_use() -> None:
    for client in monitoring_client(_body()):
        answer = client.get("/lang/fr?next=/risk/monitoring")
        assert answer.status_code == 303 and "set-cookie" not in answer.headers
