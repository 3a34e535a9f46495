"""The scorecard download (services stubbed, no database): a CSV that Excel on a Chinese
Windows opens as UTF-8, so a bin label in Chinese reads as written."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.config import Settings
from autolend.domain.access import Actor, Role
from autolend.domain.errors import AuthenticationFailed
from autolend.services.registry import Services
from autolend.web.app import mount_web

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
RISK = Actor(user_id=3, username="risk", roles=(Role.RISK,))
CSV = (
    "feature,bin,count,event_rate,woe,coefficient,points\n"
    "employment_type,个体经营,120,0.1,-0.2,-0.5,30.7\n"
)


class _Auth:
    def session_actor(self, token: str, request_id: str | None = None) -> tuple[Actor, str]:
        if token != "risk-token":
            raise AuthenticationFailed("ended")
        return RISK, "risk-csrf"


class _Models:
    def describe(self, actor: Actor, name: str, version: int | None) -> Any:
        return SimpleNamespace(name=name, version=version or 1, metadata={})

    def scorecard_csv(self, actor: Actor, name: str, version: int) -> str:
        return CSV


@pytest.fixture
def client() -> Iterator[TestClient]:
    services = SimpleNamespace(clock=FixedClock(NOW), auth=_Auth(), models=_Models())
    app = FastAPI()
    mount_web(app, cast(Services, services), Settings(session_cookie_secure=False))
    with TestClient(app, follow_redirects=False) as test_client:
        test_client.cookies.set("autolend_session", "risk-token")
        yield test_client


def test_the_scorecard_csv_starts_with_a_byte_order_mark_so_excel_reads_it_as_utf8(
    client: TestClient,
) -> None:
    response = client.get("/risk/models/default/v/1/scorecard.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["feature"] == "employment_type" and rows[0]["bin"] == "个体经营"
