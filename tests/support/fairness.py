"""A small fairness report for the tests of its pages and command-line output."""

from __future__ import annotations

from typing import Any

import pandas as pd  # type: ignore[import-untyped]

from autolend.risk.fairness import fairness_report


def example_fairness(group_col: str = "gender") -> dict[str, Any]:
    """Two groups by ``group_col``: M, 6 applicants, 5 approved (1 bad among them, 1 bad
    declined); F, 4 applicants, 2 approved (no bad), 1 bad declined. As the monitoring
    report stores it."""
    frame = pd.DataFrame(
        {
            "g": list("MMMMMMFFFF"),
            "ok": [1, 1, 1, 1, 1, 0, 1, 1, 0, 0],
            "bad": [0, 0, 0, 0, 1, 1, 0, 0, 0, 1],
        }
    )
    fairness = fairness_report(frame, group_col="g", approved_col="ok", bad_col="bad")
    return {**fairness.as_dict(), "group_col": group_col}
