"""The model card as ``autolend model card`` writes it and the risk pages include it: the
notes on how the training data's columns were read (left out, numbers read from text)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
import pandas  # type: ignore[import-untyped]
import pytest

from autolend.risk.card import model_card
from autolend.risk.challenger import ChallengerSettings
from autolend.risk.dataset import training_data
from autolend.risk.model import train_model_with_evidence
from autolend.web.i18n import translations
from autolend.web.model_card import standalone_card

FAST = ChallengerSettings(max_trees=60, early_stopping=10, inner_folds=3)


def _frame(rows: int = 600) -> pandas.DataFrame:
    rng = np.random.default_rng(4)
    dsr = rng.uniform(0.05, 0.8, rows)
    bad = (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(-(-2.5 + 3.0 * dsr)))).astype(int)
    return pandas.DataFrame(
        {
            "debt_service_ratio": dsr,
            "monthly_income": [f"{v:,.0f}" for v in rng.lognormal(8.8, 0.4, rows)],
            "notes": np.nan,
            "branch": "X",
            "contract_no": [f"C{i:05d}" for i in range(rows)],
            "bad": bad,
        }
    )


@cache
def _meta() -> dict[str, Any]:
    """Registry metadata as services/models.py stores it, around a real card."""
    data = training_data(_frame(), "bad", 1)
    model, oof = train_model_with_evidence(data, name="notes", seed=1, folds=3, challenger=FAST)
    return {
        "version": 1,
        "artifact_sha256": "a" * 64,
        "trained_at": "2026-11-29T09:30:00+00:00",
        "data": {"file": "book.csv", "sha256": "b" * 64, "target": "bad", "excluded": [],
                 "protected": []},
        "training_seconds": 1.0,
        "libraries": {"autolend": "0"},
        "card": model_card(model, data, oof),
    }  # fmt: skip


def _notes(html: str) -> dict[str, list[str]]:
    """Each column-note row by its code: the column, the label and the note's text."""
    rows = re.findall(r'<tr data-column-note="(\w+)"[^>]*>(.*?)</tr>', html, re.S)
    return {
        code: re.findall(r"<td[^>]*>(?:<code>)?(.*?)(?:</code>)?</td>", row) for code, row in rows
    }


def test_the_card_file_shows_why_each_column_was_left_out_or_read_otherwise() -> None:
    notes = _notes(standalone_card(_meta(), "en"))
    assert notes["numbers_in_text"][:2] == [
        "monthly_income",
        "Numbers written as text, read as numbers",
    ]
    assert notes["no_values"][:2] == ["notes", "Left out: no values"]
    assert notes["single_value"][:2] == ["branch", "Left out: the same value in every row"]
    assert notes["too_many_levels"][:2] == ["contract_no", "Left out: too many rare values"]
    assert notes["single_value"][2] == "branch: left out, every row holds &#39;X&#39;"
    assert "group them into fewer categories" in notes["too_many_levels"][2]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_column_notes_are_labelled_in_the_cards_language(locale: str) -> None:
    html = standalone_card(_meta(), locale)
    gettext = translations(locale).gettext
    assert gettext("How the columns were read") in html
    assert _notes(html)["no_values"][1] == gettext("Left out: no values")


def test_a_card_from_before_the_column_notes_still_renders_without_them() -> None:
    meta = _meta()
    older = {**meta, "card": {k: v for k, v in meta["card"].items() if k != "columns"}}
    html = standalone_card(older, "en")
    assert "data-model-card" in html and "data-column-notes" not in html


def test_the_reading_notes_of_dates_leaks_and_guessed_targets_are_said_in_chinese() -> None:
    """The notes added for dates, a possible leak and a guessed bad value fell back to
    their English text on a Chinese card."""
    from autolend.web.model_card import column_note_rows

    notes: list[Mapping[str, Any]] = [
        {"column": "application_month", "code": "date_values", "details": {}, "text": "x"},
        {"column": "dpd", "code": "separates_the_classes", "details": {"auc": "1.000"},
         "text": "x"},
        {"column": "bad", "code": "bad_value_guessed", "details": {"value": "1", "other": "0"},
         "text": "x"},
    ]  # fmt: skip
    rows = column_note_rows(notes, translations("zh_CN").gettext)
    assert all(row["lang"] is None for row in rows), rows
    assert rows[1]["text"].startswith(
        "dpd：仅凭该列即可几乎完全区分好坏客户（训练数据上 AUC 1.000）"
    )
    assert (
        rows[2]["text"]
        == "bad：未指定坏客户取值；1 视为坏客户，0 视为好客户（可用 --bad 另行指定）"
    )
