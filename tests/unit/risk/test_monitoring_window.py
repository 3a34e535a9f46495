"""A monitoring window from a lender's own file: dated by day, its outcome a number with
blanks (read as float), the bad value as the registry recorded it."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas  # type: ignore[import-untyped]

from autolend.risk.card import model_card
from autolend.risk.challenger import ChallengerSettings
from autolend.risk.dataset import training_data
from autolend.risk.model import CreditModel, train_model_with_evidence
from autolend.risk.monitoring_report import MonitoringInput, monitoring_report, month_labels

FAST = ChallengerSettings(max_trees=40, early_stopping=10, inner_folds=3)


def _book(rows: int = 900) -> pandas.DataFrame:
    rng = np.random.default_rng(12)
    dsr = rng.uniform(0.05, 0.8, rows)
    bad = (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(2.0 - 3.0 * dsr))).astype(float)
    bad[:30] = np.nan  # not observed yet
    days = pandas.date_range("2026-01-01", periods=rows, freq="6h")
    return pandas.DataFrame(
        {"debt_service_ratio": dsr, "opened": days.strftime("%Y-%m-%d"), "bad": bad}
    )


@cache
def _model() -> tuple[CreditModel, dict[str, Any], str]:
    frame = _book().drop(columns=["opened"])
    data = training_data(frame, "bad")
    model, oof = train_model_with_evidence(data, name="w", seed=0, folds=3, challenger=FAST)
    return model, model_card(model, data, oof), data.bad_label


def test_dates_read_as_their_month_and_anything_else_stays_as_written() -> None:
    values = pandas.Series(["2026-03", "2026/3/17 10:00", "2026年3月5日", "Q1"])
    assert month_labels(values).tolist() == ["2026-03", "2026-03", "2026-03", "Q1"]
    stamps = pandas.Series(pandas.to_datetime(["2026-03-17", "2025-12-01"]))
    assert month_labels(stamps).tolist() == ["2026-03", "2025-12"]


def test_a_window_dated_by_day_is_reported_by_month_with_its_bads_counted() -> None:
    model, card, bad_label = _model()
    assert bad_label == "1.0"  # a float target's bad value, as the registry records it
    window = _book()
    given = MonitoringInput(window, month_col="opened", target_col="bad", bad_label=bad_label)
    report = monitoring_report(model, card, given)
    months = [row["month"] for row in report["bad_rate_by_month"]]
    assert months == [f"2026-{m:02d}" for m in range(1, 9)]  # 900 rows, 4 a day
    observed = window["bad"].dropna()
    total_bads = sum(round(r["bad_rate"] * r["observed"]) for r in report["bad_rate_by_month"])
    assert total_bads == int(observed.sum()) > 0
    assert report["window"]["first_month"] == "2026-01"
