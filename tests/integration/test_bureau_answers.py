"""A bureau that answers, but not with a report the platform can read, on both databases:
a report of the wrong shape (an account that is not an object, a negative monthly payment,
an infinite balance, ``thin_file`` as text) or a body that does not decode. The dealer's
submit answered 500 and the application stayed a draft; now it is referred, the review
queue says the report could not be used and why, and the query is logged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_loans_api import as_role
from tests.integration.test_model_warm_start import submitted
from tests.support.messaging import served
from tests.support.origination import origination_container

pytestmark = pytest.mark.integration

ACCOUNT = {"type": "auto_loan", "status": "open", "history": "N" * 24, "balance": 50_000,
           "monthly_payment": 3_000}  # fmt: skip
REPORT = {"accounts": [ACCOUNT], "inquiries": {"last_6_months": 1, "last_12_months": 2},
          "thin_file": False}  # fmt: skip


@dataclass
class FakeBureau:
    """An HTTP bureau that answers every report request with ``body`` and ``headers``."""

    url: str = ""
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    requests: int = 0


@pytest.fixture
def bureau() -> Iterator[FakeBureau]:
    fake = FakeBureau()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            fake.requests += 1
            self.send_response(200)
            for name, value in {"Content-Type": "application/json", **fake.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(fake.body)))
            self.end_headers()
            self.wfile.write(fake.body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    with served(Handler) as url:
        fake.url = url
        yield fake


@pytest.fixture
def container(
    db_url: str, tmp_path: Path, clock: FixedClock, bureau: FakeBureau
) -> Iterator[Container]:
    with origination_container(db_url, tmp_path, clock, None, bureau_url=bureau.url,
                               bureau_retries=1, bureau_backoff_seconds=0.0) as built:  # fmt: skip
        yield built


def _logged(container: Container) -> list[tuple[str, str | None]]:
    q = t.bureau_queries.c
    with container.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(q.outcome, q.detail).order_by(q.id))]


@pytest.mark.parametrize(
    ("report", "field"),
    [
        (REPORT | {"accounts": [1]}, "accounts"),
        (REPORT | {"accounts": [ACCOUNT | {"monthly_payment": -3_000}]}, "monthly_payment"),
        (REPORT | {"accounts": [ACCOUNT | {"balance": float("inf")}]}, "balance"),
        (REPORT | {"thin_file": "false"}, "thin_file"),
    ],
    ids=["account-not-an-object", "negative-payment", "infinite-balance", "thin-file-as-text"],
)
def test_a_report_of_the_wrong_shape_refers_the_application_and_the_queue_says_why(
    client: TestClient, container: Container, staff: dict[Role, str], bureau: FakeBureau,
    report: dict[str, Any], field: str,
) -> None:  # fmt: skip
    bureau.body = json.dumps(report).encode()  # Infinity, as Python's json writes it
    decided = submitted(client, staff)
    assert decided["status"] == "referred"
    assert "bureau_unavailable" in [r["code"] for r in decided["decision"]["reasons"]]
    detail = f"the credit bureau's report is malformed ({field})"
    assert _logged(container) == [("rejected", detail)]
    queue = client.get("/api/v1/review-queue", headers=as_role(client, staff, Role.UNDERWRITER))
    [item] = queue.json()["items"]
    assert item["id"] == decided["id"] and any(detail in r for r in item["reasons"])


def test_an_answer_that_does_not_decode_is_retried_then_refers_the_application(
    client: TestClient, container: Container, staff: dict[Role, str], bureau: FakeBureau
) -> None:
    """A gzip body that is not gzip raised httpx's DecodingError through the submit."""
    bureau.body, bureau.headers = b"not gzip at all", {"Content-Encoding": "gzip"}
    decided = submitted(client, staff)
    assert decided["status"] == "referred"
    assert bureau.requests == 2  # the first attempt and its one retry
    [(outcome, detail)] = _logged(container)
    assert outcome == "unavailable" and detail is not None and "unreadable answer" in detail
