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
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


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
    assert "Reference group: M." in page


def test_the_largest_gap_from_the_reference_group_is_shown_for_each_rate(
    client: TestClient,
) -> None:
    page = _page(client)
    assert _cells(page, 'data-gap="approval_rate"') == [
        "Approval rate", "F", "50.0%", "83.3%", "-33.3",
    ]  # fmt: skip
    assert _cells(page, 'data-gap="false_positive_rate"') == [
        "False-positive rate", "F", "33.3%", "0.0%", "+33.3",
    ]  # fmt: skip
    assert _cells(page, 'data-gap="false_negative_rate"')[1:] == ["F", "0.0%", "50.0%", "-50.0"]


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
