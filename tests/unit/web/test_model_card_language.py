"""The model card in the reader's language: each note on how a column was read said in the
card's language from its details (a card stored before the details were kept falls back to
its English text), each feature by its name in words with its column beside it, and the
reason-code method in words beside its code."""

from __future__ import annotations

import html
import math
import re
from typing import Any

import pandas  # type: ignore[import-untyped]
import pytest

from autolend.risk.columns import read_columns
from autolend.web.i18n import translations
from autolend.web.model_card import NOTE_TEXTS, REASON_METHOD_NAMES, standalone_card
from tests.unit.web.test_model_card_charts import _meta as plain_meta


def _notes() -> list[dict[str, object]]:
    """A note of every code, as risk/card.py stores them."""
    frame = pandas.DataFrame(
        {
            "income": ["1,200"] * 29 + ["n/a?"],
            "age_text": ["30", "40"] * 15,
            "empty": [None] * 30,
            "branch": ["X"] * 30,
            "contract_no": [f"C{i:03d}" for i in range(30)],
            "dealer_id": ["D1", "D2"] * 15,
            "ltv": [0.5, math.inf] + [0.6] * 28,
            "gender": ["F", "M"] * 15,
        }
    )
    return [note.as_dict() for note in read_columns(frame).notes]


def _meta(**card: Any) -> dict[str, Any]:
    meta = plain_meta()
    return {**meta, "card": {**meta["card"], "columns": _notes(), **card}}


def _details(page: str) -> dict[str, tuple[str, str]]:
    """Each note's column -> (the detail cell's attributes, its text)."""
    rows = re.findall(r"<tr data-column-note=.*?<code>(\w+)</code>.*?<td([^>]*)>([^<]*)</td></tr>",
                      page)  # fmt: skip
    return {column: (attributes, html.unescape(text)) for column, attributes, text in rows}


def test_the_english_card_says_each_note_exactly_as_the_stored_english_text() -> None:
    details = _details(standalone_card(_meta(), "en"))
    assert {c: text for c, (_, text) in details.items()} == {
        str(n["column"]): n["text"] for n in _notes()
    }
    assert all("lang=" not in attributes for attributes, _ in details.values())


def test_the_chinese_card_says_each_note_in_chinese_from_its_details() -> None:
    gettext = translations("zh_CN").gettext
    details = _details(standalone_card(_meta(), "zh_CN"))
    assert all("lang=" not in attributes for attributes, _ in details.values())
    too_many = gettext(NOTE_TEXTS["too_many_levels"][0]) % {
        "column": "contract_no", "levels": "30", "rows": "30", "most": "20",
    }  # fmt: skip
    assert details["contract_no"][1] == too_many
    unread = gettext(NOTE_TEXTS["unread_numbers_in_text"][0]) % {
        "column": "income", "unread": "1", "example": "'n/a?'",
    }  # fmt: skip
    assert details["income"][1] == unread
    dealer = gettext(NOTE_TEXTS["not_about_the_applicant"][0]) % {
        "column": "dealer_id", "who": gettext("the dealer"),
    }  # fmt: skip
    assert details["dealer_id"][1] == dealer
    protected = gettext(NOTE_TEXTS["protected_attribute"][0]) % {
        "column": "gender", "what": gettext("sex"),
    }  # fmt: skip
    assert details["gender"][1] == protected
    assert details["gender"][1].startswith("gender：已排除，它记录的是性别，属于受保护属性")


def test_a_note_stored_without_details_shows_its_english_text_marked_as_english() -> None:
    older = [{k: v for k, v in note.items() if k != "details"} for note in _notes()]
    details = _details(standalone_card(_meta(columns=older), "zh_CN"))
    assert details["contract_no"] == (' class="muted" lang="en"', str(older[4]["text"]))
    # a note that cites nothing but its column needs no details to be said in Chinese
    assert "lang=" not in details["empty"][0]


def _top_features(page: str) -> dict[str, str]:
    rows = re.findall(r'<tr data-feature="(\w+)"><td>(.*?)</td>', page)
    return dict(rows)


@pytest.mark.parametrize(("locale", "name"), [("zh_CN", "信用额度使用率"),
                                              ("en", "Share of credit limits in use")])  # fmt: skip
def test_a_feature_is_shown_by_its_name_in_the_cards_language_beside_its_column(
    locale: str, name: str
) -> None:
    top = [{"feature": "credit_utilisation", "points_range": 30.0, "gain_share": 0.2},
           {"feature": "branch_code", "points_range": 3.0, "gain_share": 0.1}]  # fmt: skip
    bins = [{"feature": "credit_utilisation", "rows": []}]
    page = standalone_card(_meta(top_features=top, bins=bins), locale)
    cells = _top_features(page)
    assert cells["credit_utilisation"] == (
        f'<span class="feature-name">{name}</span> '
        '<code class="code-aside">credit_utilisation</code>'
    )
    # a feature the catalogue does not name: its column only
    assert cells["branch_code"] == "<code>branch_code</code>"
    summary = re.search(r'data-feature-bins="credit_utilisation">\s*<summary>(.*?)</summary>', page)
    assert summary is not None and name in summary[1] and "credit_utilisation" in summary[1]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("method", sorted(REASON_METHOD_NAMES))
def test_the_reason_code_method_is_said_in_words_beside_its_code(locale: str, method: str) -> None:
    words = translations(locale).gettext(REASON_METHOD_NAMES[method])
    page = standalone_card(_meta(reason_method=method), locale)
    cell = re.search(r'<td data-reason-method="([^"]+)">(.*?)</td>', page)
    assert cell is not None and html.unescape(cell[1]) == method
    assert html.unescape(cell[2]) == f'{words} <code class="code-aside">{method}</code>'


def test_an_unknown_reason_code_method_shows_its_code_alone() -> None:
    page = standalone_card(_meta(reason_method="custom_v9"), "en")
    assert '<td data-reason-method="custom_v9"><code>custom_v9</code></td>' in page
