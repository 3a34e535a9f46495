"""A column note keeps what it cites apart from its English sentence (so a page can say it in
another language), and the reasons' catalogue names every feature it knows in both
languages without changing any reason."""

from __future__ import annotations

import math

import pandas  # type: ignore[import-untyped]

from autolend.risk import reasons
from autolend.risk.columns import ColumnNote, read_columns
from autolend.risk.reasons import explain_missing, feature_name


def _frame() -> pandas.DataFrame:
    """30 rows with every kind of note."""
    return pandas.DataFrame(
        {
            "income": ["1,200"] * 29 + ["n/a?"],
            "age_text": ["30", "40"] * 15,
            "empty": [None] * 30,
            "branch": ["X"] * 30,
            "contract_no": [f"C{i:03d}" for i in range(30)],
            "dealer_id": ["D1", "D2"] * 15,
            "ltv": [0.5, math.inf] + [0.6] * 28,
        }
    )


def _notes() -> dict[str, ColumnNote]:
    return {n.column: n for n in read_columns(_frame()).notes}


def test_each_note_cites_its_numbers_apart_from_its_english_sentence() -> None:
    notes = _notes()
    assert {c: (n.code, dict(n.details)) for c, n in notes.items()} == {
        "income": ("numbers_in_text", {"unread": 1, "example": "'n/a?'"}),
        "age_text": ("numbers_in_text", {"unread": 0}),
        "empty": ("no_values", {}),
        "branch": ("single_value", {"value": "'X'"}),
        "contract_no": ("too_many_levels", {"levels": 30, "rows": 30, "most": 20}),
        "dealer_id": ("not_about_the_applicant", {"who": "the dealer"}),
        "ltv": ("infinite_values", {"count": 1}),
    }


def test_the_english_sentence_of_each_note_is_the_one_the_cli_always_printed() -> None:
    notes = _notes()
    assert notes["income"].text == (
        "income: numbers written as text, read as numbers; 1 values that are not numbers "
        "(e.g. 'n/a?') read as missing"
    )
    assert notes["age_text"].text == "age_text: numbers written as text, read as numbers"
    assert notes["branch"].text == "branch: left out, every row holds 'X'"
    assert notes["contract_no"].text == (
        "contract_no: left out, 30 distinct values in 30 rows are too many to learn from "
        "(at most 20); group them into fewer categories"
    )
    assert notes["dealer_id"].text.startswith("dealer_id: left out, it describes the dealer, ")
    assert notes["ltv"].text == "ltv: 1 infinite values read as missing"


def test_the_stored_note_gains_its_details_and_keeps_every_field_it_had() -> None:
    notes = _notes()
    assert notes["contract_no"].as_dict() == {
        "column": "contract_no", "code": "too_many_levels", "left_out": True,
        "text": notes["contract_no"].text,
        "details": {"levels": 30, "rows": 30, "most": 20},
    }  # fmt: skip
    # a note that cites nothing is stored as before
    assert notes["empty"].as_dict() == {"column": "empty", "code": "no_values",
                                        "left_out": True,
                                        "text": "empty: left out, it has no values"}  # fmt: skip


def test_every_feature_of_the_reason_catalogue_has_a_name_in_both_languages() -> None:
    unnamed = [key for key in reasons._CATALOGUE if feature_name(key) is None]
    assert unnamed == []
    assert feature_name("debt_service_ratio") == (
        "monthly debt payments compared with income",
        "债务收入比",
    )
    assert feature_name("Income.Stability.Months") == ("how long the income has been stable",
                                                       "收入稳定时长")  # fmt: skip
    assert feature_name("contract_no") is None


def test_naming_a_feature_for_the_pages_leaves_the_reason_for_a_missing_value_unchanged() -> None:
    assert explain_missing("debt_service_ratio").text_en == (
        "no information was given on debt service ratio"
    )
    assert explain_missing("credit_utilisation").text_zh == "未提供信用额度使用率的信息"


def test_a_column_named_as_a_protected_attribute_is_left_out_with_a_note() -> None:
    """CREDIT_MODELS.md: a protected attribute is never used in a decision. A lender's file
    with ``Gender`` or ``marital status`` was trained on them without a word; they are
    left out now, each with a note naming the attribute."""
    frame = pandas.DataFrame({"Gender": ["F", "M"] * 15, "marital status": ["a", "b", "c"] * 10,
                              "income": [1000.0 + i for i in range(30)]})  # fmt: skip
    read = read_columns(frame)
    notes = {n.column: n for n in read.notes}
    assert set(read.kinds) == {"income"}
    assert (notes["Gender"].code, dict(notes["Gender"].details)) == (
        "protected_attribute", {"what": "sex"},
    )  # fmt: skip
    assert notes["Gender"].left_out and notes["marital status"].left_out
    assert notes["marital status"].details == {"what": "marital status"}
    assert notes["Gender"].text.startswith("Gender: left out, it records sex, a protected")
    assert "income" not in notes


def test_a_study_may_keep_a_protected_attribute_it_names_saying_so() -> None:
    """``model cv --use-protected``: German credit compared with published figures that use
    ``personal_status_and_sex`` keeps it, with a note; the other protected column goes."""
    frame = pandas.DataFrame({"personal_status_and_sex": ["a", "b"] * 15,
                              "foreign_worker": ["y", "n", "n"] * 10,
                              "income": [1000.0 + i for i in range(30)]})  # fmt: skip
    read = read_columns(frame, studied=("personal_status_and_sex",))
    notes = {n.column: n for n in read.notes}
    assert set(read.kinds) == {"personal_status_and_sex", "income"}
    assert notes["personal_status_and_sex"].code == "protected_attribute_studied"
    assert not notes["personal_status_and_sex"].left_out
    assert "model train leaves it out" in notes["personal_status_and_sex"].text
    assert notes["foreign_worker"].code == "protected_attribute"
