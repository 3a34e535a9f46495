"""The monitoring page's fairness section: approval and error rates by group, and the largest
gap from the reference group, (services stubbed, no database)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pandas as pd  # type: ignore[import-untyped]
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.config import Settings
from autolend.domain.access import Actor, Role
from autolend.domain.errors import AuthenticationFailed
from autolend.risk.fairness import fairness_report
from autolend.services.registry import Services
from autolend.web.app import mount_web
from autolend.web.monitoring_charts import approval_chart
from tests.support.fairness import example_fairness

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
RISK = Actor(user_id=3, username="risk", roles=(Role.RISK,))


def _body() -> dict[str, Any]:
    return {
        "window": {"rows": 10, "first_month": "2025-01", "last_month": "2025-02",
                   "approval_rate": 0.7, "approve_grades": ["A", "B"]},
        "score_psi": {"psi": 0.01, "status": "stable"},
        "feature_psi": [],
        "performance": [],
        "bad_rate_by_month": [],
        "fairness": example_fairness(),
    }  # fmt: skip


class _Auth:
    def session_actor(self, token: str, request_id: str | None = None) -> tuple[Actor, str]:
        if token != "risk-token":
            raise AuthenticationFailed("ended")
        return RISK, "risk-csrf"


@pytest.fixture
def client() -> Iterator[TestClient]:
    yield from monitoring_client(_body())


def monitoring_client(
    body: dict[str, Any], *, status: str = "stable", created_at: datetime = NOW
) -> Iterator[TestClient]:
    """A risk manager's client of the web app whose latest monitoring report is ``body``
    (services stubbed: no database)."""
    report = SimpleNamespace(
        name="default", version=2, status=status, created_at=created_at, report=body
    )
    services = SimpleNamespace(
        clock=FixedClock(NOW),
        auth=_Auth(),
        model_monitoring=SimpleNamespace(latest=lambda actor: [report]),
    )
    app = FastAPI()
    mount_web(app, cast(Services, services), Settings(session_cookie_secure=False))
    with TestClient(app, follow_redirects=False) as test_client:
        test_client.cookies.set("autolend_session", "risk-token")
        yield test_client


def _cells(page: str, marker: str) -> list[str]:
    row = re.search(rf"<tr {marker}>(.*?)</tr>", page, re.S)
    assert row is not None, marker
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    # A phone's column name inside each cell (.cell-label) is not the cell's value.
    values = [re.sub(r'<span class="cell-label">.*?</span>', "", cell) for cell in cells]
    return [re.sub(r"<[^>]+>", "", value).strip() for value in values]


def _page(client: TestClient) -> str:
    client.cookies.set("autolend_lang", "en")
    response = client.get("/risk/monitoring")
    assert response.status_code == 200, response.text[:500]
    return str(response.text)


def test_each_group_shows_its_bad_rate_among_approved_and_its_error_rates(
    client: TestClient,
) -> None:
    page = _page(client)
    # F: 0 of 2 approved are bad; 1 of 3 goods declined; its 1 bad declined.
    assert _cells(page, 'data-group="F"')[-3:] == ["0.0%", "33.3%", "0.0%"]
    # M: 1 of 5 approved is bad; no good declined; 1 of 2 bads approved.
    assert _cells(page, 'data-group="M"')[-3:] == ["20.0%", "0.0%", "50.0%"]
    assert "Reference group: Male." in page


def test_the_largest_gap_from_the_reference_group_is_shown_for_each_rate(
    client: TestClient,
) -> None:
    page = _page(client)
    assert _cells(page, 'data-gap="approval_rate"') == [
        "Approval rate", "Female", "50.0%", "83.3%", "-33.3",
    ]  # fmt: skip
    assert _cells(page, 'data-gap="false_positive_rate"') == [
        "False-positive rate", "Female", "33.3%", "0.0%", "+33.3",
    ]  # fmt: skip
    assert _cells(page, 'data-gap="false_negative_rate"')[1:] == [
        "Female", "0.0%", "50.0%", "-50.0",
    ]  # fmt: skip


def test_a_group_without_a_four_fifths_ratio_is_neither_flagged_nor_passed() -> None:
    # The reference group (the largest, M) approved no one: no ratio, so no verdict either.
    frame = pd.DataFrame({"g": list("MMMMFF"), "ok": [0, 0, 0, 0, 1, 0], "bad": [0, 1, 0, 0, 0, 1]})
    fairness = fairness_report(frame, group_col="g", approved_col="ok", bad_col="bad")
    body = {**_body(), "fairness": {**fairness.as_dict(), "group_col": "gender"}}
    for client in monitoring_client(body):
        cells = _cells(_page(client), 'data-group="F"')
        assert cells[3:5] == ["—", "—"]
        assert "Passes" not in _cells(_page(client), 'data-group="M"')[4]


def test_the_approval_bars_read_like_the_table_to_one_decimal() -> None:
    chart = approval_chart(_body(), lambda text: text)
    values = [bar["value"] for bar in chart["series"][0]["data"]]
    assert values == [50.0, 83.3]  # F 2 of 4, M 5 of 6: the table's 50.0% and 83.3%


def test_groups_read_in_the_page_language_with_the_lenders_code_kept_beside() -> None:
    for client in monitoring_client(_body()):
        client.cookies.set("autolend_lang", "zh_CN")
        page = client.get("/risk/monitoring").text
        assert "按性别的公平性" in page and "参照群组：男。" in page
        assert '<span title="F">女</span>' in page  # auditors still see the stored code
        assert _cells(page, 'data-gap="approval_rate"')[1] == "女"


def test_a_column_the_page_does_not_know_shows_its_groups_as_stored() -> None:
    body = {**_body(), "fairness": example_fairness("region")}
    for client in monitoring_client(body):
        page = _page(client)
        assert "Fairness by region" in page and "Reference group: M." in page
        assert _cells(page, 'data-group="F"')[0] == "F"
    axis = approval_chart(body, lambda text: text)["xAxis"]["data"]
    assert sorted(axis) == ["F", "M"]


def test_the_approval_chart_names_the_groups_as_the_table_does() -> None:
    axis = approval_chart(_body(), lambda text: text)["xAxis"]["data"]
    assert sorted(axis) == ["Female", "Male"]


def test_on_a_phone_every_value_of_the_outcome_and_fairness_tables_carries_its_column_name(
    client: TestClient,
) -> None:
    page = _page(client)
    for table in ("fairness", "fairness-gaps"):
        body = re.search(rf'data-table="{table}".*?<tbody>(.*?)</tbody>', page, re.S)
        assert body is not None and "table--stack" in page
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body[1], re.S)
        assert cells and all('class="cell-label"' in cell for cell in cells), table
