"""The monitoring page as a risk manager reads it (services stubbed, no database): months
without AUC and KS say why, the charts cover every month of the window, the fairness chart
shows the error rates beside the approval rate, and the approved grades are named."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Actor, Role
from autolend.web.i18n import translations
from autolend.web.monitoring_charts import approval_chart, monitoring_charts
from tests.support.fairness import example_fairness
from tests.unit.web.test_monitoring_fairness import monitoring_client

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
RISK = Actor(user_id=3, username="risk", roles=(Role.RISK,))


def _month(month: str, count: int, bads: int, auc: float | None) -> dict[str, Any]:
    ks = None if auc is None else 0.3
    return {"month": month, "count": count, "bads": bads, "bad_rate": bads / count,
            "auc": auc, "ks": ks, "mean_pd": 0.08, "note": None}  # fmt: skip


def _body() -> dict[str, Any]:
    """Three months: one measured, one with only goods, one whose outcomes are not in yet."""
    return {
        "window": {"rows": 30, "first_month": "2025-01", "last_month": "2025-03",
                   "approval_rate": 0.7, "approve_grades": ["A", "B", "C"]},
        "score_psi": {"psi": 0.01, "status": "stable"},
        "feature_psi": [],
        "performance": [_month("2025-01", 10, 2, 0.7), _month("2025-02", 10, 0, None)],
        "bad_rate_by_month": [
            {"month": "2025-01", "applications": 10, "observed": 10, "bad_rate": 0.2},
            {"month": "2025-02", "applications": 10, "observed": 10, "bad_rate": 0.0},
            {"month": "2025-03", "applications": 10, "observed": 0, "bad_rate": None},
        ],
        "fairness": example_fairness(),
    }  # fmt: skip


@pytest.fixture
def client() -> Iterator[TestClient]:
    yield from monitoring_client(_body(), created_at=NOW)


def _page(client: TestClient, locale: str) -> str:
    client.cookies.set("autolend_lang", locale)
    response = client.get("/risk/monitoring")
    assert response.status_code == 200, response.text[:500]
    return str(response.text)


def _why(page: str, month: str) -> str:
    row = re.search(rf'<tr data-month="{month}">(.*?)</tr>', page, re.S)
    assert row is not None, month
    cell = re.search(r'data-why="\w*">(.*?)</td>', row[1], re.S)
    assert cell is not None
    return re.sub(r'<span class="cell-label">.*?</span>', "", cell[1]).strip()


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_a_month_without_auc_and_ks_says_why_in_the_pages_language(
    client: TestClient, locale: str
) -> None:
    gettext = translations(locale).gettext
    page = _page(client, locale)
    assert _why(page, "2025-01") == ""
    assert _why(page, "2025-02") == gettext(
        "Only goods so far: AUC and KS need both goods and bads"
    )
    assert _why(page, "2025-03") == gettext("No outcome known yet")
    assert 'data-note="month-gaps"' in page


def test_the_auc_chart_runs_over_every_month_of_the_window_with_gaps_where_unmeasured() -> None:
    charts = monitoring_charts(_body(), lambda text: text)
    performance, bad_rate = charts["performance"], charts["bad_rate"]
    assert performance["xAxis"]["data"] == ["2025-01", "2025-02", "2025-03"]
    assert performance["xAxis"]["data"] == bad_rate["xAxis"]["data"]
    assert performance["series"][0]["data"] == [0.7, None, None]
    # Beside the observed bad rate, the mean PD of the same rows (a gap with no outcome).
    assert [s["name"] for s in bad_rate["series"]] == ["Bad rate (%)", "Mean PD (%)"]
    assert bad_rate["series"][1]["data"] == [8.0, 8.0, None]


def test_a_window_without_any_outcome_says_so_instead_of_an_empty_chart() -> None:
    body = {**_body(), "performance": []}
    body["bad_rate_by_month"] = [
        {**r, "observed": 0, "bad_rate": None} for r in body["bad_rate_by_month"]
    ]
    assert set(monitoring_charts(body, lambda text: text)) == {"psi", "approval"}


def test_the_fairness_chart_shows_the_error_rates_beside_the_approval_rate() -> None:
    chart = approval_chart(_body(), lambda text: text)
    names = [s["name"] for s in chart["series"]]
    assert names == ["Approval rate (%)", "False-positive rate (%)", "False-negative rate (%)"]
    assert chart["legend"] == {"top": 0}
    assert chart["series"][1]["data"] == [33.3, 0.0]  # F: 1 of 3 goods declined; M: none


def test_the_summary_names_the_grades_that_count_as_approved(client: TestClient) -> None:
    gettext = translations("zh_CN").gettext
    page = _page(client, "zh_CN")
    assert gettext("approved: grades %(grades)s") % {"grades": "A, B, C"} in page


def test_the_wide_tables_may_wrap_their_headings_and_scroll_rather_than_be_cut(
    client: TestClient,
) -> None:
    page = _page(client, "en")
    for table in ("fairness", "months"):
        wrapped = re.search(
            rf'<div class="table-wrap">\s*<table class="table table--wrap-head table--stack" '
            rf'data-table="{table}">',
            page,
        )
        assert wrapped, table
