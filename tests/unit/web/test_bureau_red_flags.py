"""The credit report's red flags on an application page: they were the report's codes
("overdue_180_plus, written_off") joined with an ASCII comma in both languages; now they
are words, joined with the language's list comma ("、" in Chinese)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from autolend.domain.bureau import ReportSummary
from autolend.web.render import build_environment


def bureau_section(locale: str, flags: tuple[str, ...]) -> str:
    """The credit-report card of a report whose accounts carry ``flags``."""
    summary = ReportSummary(
        accounts=3, open_accounts=1, total_outstanding_minor=500_000,
        monthly_obligations_minor=20_000, worst_months_overdue=7, months_overdue_any=9,
        months_overdue_90_plus=4, inquiries_6m=2, inquiries_12m=3, thin_file=False,
        red_flags=flags, card_limit_minor=0, card_balance_minor=0,
    )  # fmt: skip
    query = SimpleNamespace(queried_at=datetime(2026, 3, 2, 8, tzinfo=UTC), outcome="ok",
                            detail=None)  # fmt: skip
    bureau = {"query": query, "summary": summary, "currency": "CNY", "outstanding": "5000.00",
              "monthly": "200.00", "utilisation": None}  # fmt: skip
    template = build_environment(locale, "Asia/Shanghai").get_template("_application_bureau.html")
    return template.render(bureau=bureau)


def red_flags_shown(page: str) -> str:
    return page.split("data-bureau-red-flags=", 1)[1].split(">", 1)[1].split("</dd>", 1)[0]


@pytest.mark.parametrize(
    ("locale", "shown"),
    [
        ("en", "More than 180 days overdue, Bad debt (written off)"),
        # the Chinese words come with the catalogue; the list comma is the page's own
        ("zh_CN", "、"),
    ],
)
def test_red_flags_are_named_in_words_and_joined_with_the_languages_list_comma(
    locale: str, shown: str
) -> None:
    page = bureau_section(locale, ("overdue_180_plus", "written_off"))

    text = red_flags_shown(page)
    assert shown in text
    assert "overdue_180_plus" not in text and "written_off" not in text
    if locale == "zh_CN":
        assert "," not in text
    assert 'data-bureau-red-flags="overdue_180_plus written_off"' in page


def test_a_report_without_red_flags_shows_a_dash() -> None:
    assert red_flags_shown(bureau_section("en", ())) == "—"


def test_a_flag_the_page_has_no_words_for_is_shown_as_the_report_gives_it() -> None:
    text = red_flags_shown(bureau_section("zh_CN", ("new_flag", "paid_by_guarantor")))
    assert text.startswith("new_flag、")
