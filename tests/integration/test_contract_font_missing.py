"""A server without the contract PDFs' font (``fonts-noto-cjk`` not installed, as after
``make run`` on a fresh machine, or ``AUTOLEND_CONTRACT_FONT`` naming no file), on both
databases. Asking to issue a contract or for a signing code answered 500 ("an unexpected
error occurred"), and only the log said ``FontMissingError``. Now it is a 503
``contract_font_missing`` that names the font file and AUTOLEND_CONTRACT_FONT, in English
and in Chinese, over the API and on the application page (a page with the message, not
JSON), and nothing is half-written: no contract, no registry entry, no code, no message,
no audit record, the application still accepted. The server warns of it at start-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import contract_tables as ct
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container, create_app
from autolend.domain.access import Role
from tests.integration import test_contracts
from tests.integration.test_application_pages import post, web_sign_in
from tests.integration.test_application_signing import accepted
from tests.integration.test_borrower_numbers_agree import _ok
from tests.integration.test_contracts import VEHICLE, contract_check
from tests.integration.test_loans_api import as_role
from tests.support.messaging import SmsSandbox
from tests.support.origination import origination_container

pytestmark = pytest.mark.integration
loan_id, sms = test_contracts.loan_id, test_contracts.sms  # fixtures: a booked loan, SMS sandbox

WRITTEN = (ct.contracts, ct.contract_registry, ct.contract_challenges, ct.outbox, t.audit_log,
           t.audit_queue)  # fmt: skip


@pytest.fixture
def font(tmp_path: Path) -> Path:
    return tmp_path / "fonts" / "NotoSansCJK-Regular.ttc"  # never there


@pytest.fixture
def container(
    db_url: str, tmp_path: Path, clock: FixedClock, sms: SmsSandbox, font: Path
) -> Iterator[Container]:
    """No bureau and no model (every application referred to a person), SMS to the
    sandbox, and a contract font that is not there."""
    with origination_container(
        db_url, tmp_path, clock, None, sms_url=sms.url, contract_font=font
    ) as built:
        yield built


def rows(container: Container) -> dict[str, int]:
    with container.engine.connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in WRITTEN
        }


def assert_names_the_font(error: dict[str, str], font: Path) -> None:
    assert error["code"] == "contract_font_missing"
    for message in (error["message"], error["message_zh"]):
        assert str(font) in message and "AUTOLEND_CONTRACT_FONT" in message, message
    assert "fonts-noto-cjk" in error["message"]
    assert "缺少字体文件" in error["message_zh"]


def test_issuing_a_contract_without_its_font_is_a_503_naming_the_font_and_writes_nothing(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int, font: Path
) -> None:
    before = rows(container)
    answer = client.post("/api/v1/contracts", json={"loan_id": loan_id, "vehicle": VEHICLE},
                         headers=as_role(client, staff, Role.SERVICING))  # fmt: skip
    assert answer.status_code == 503, answer.text
    assert_names_the_font(answer.json()["error"], font)
    assert rows(container) == before
    assert contract_check(container) == ()


def test_asking_for_a_signing_code_is_the_same_503_and_the_application_stays_accepted(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,
    font: Path,
) -> None:  # fmt: skip
    app = accepted(client, staff)
    dealer = as_role(client, staff, Role.DEALER)
    before = rows(container)
    answer = client.post(f"{app}/sign", json={}, headers=dealer)
    assert answer.status_code == 503, answer.text
    assert_names_the_font(answer.json()["error"], font)
    assert rows(container) == before and sms.received == []
    view = _ok(client.get(app, headers=dealer))
    assert (view["status"], view["contract_id"]) == ("accepted", None)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_application_page_shows_the_missing_font_in_words_not_as_json(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,
    font: Path, lang: str,
) -> None:  # fmt: skip
    app = accepted(client, staff)
    app_id = app.rsplit("/", 1)[1]
    web_sign_in(client, staff, Role.DEALER)
    if lang == "en":
        client.get("/lang/en")
    before = rows(container)
    page = post(client, f"/applications/{app_id}/sign")
    assert page.status_code == 503, page.text[:2000]
    assert page.headers["content-type"].startswith("text/html")
    assert page.text.startswith("<!doctype html>") and 'data-error="code_sent"' in page.text
    assert "contract_font_missing" not in page.text  # the error body's code: no JSON
    assert str(font) in page.text and "AUTOLEND_CONTRACT_FONT" in page.text
    words = "缺少字体文件" if lang == "zh_CN" else "contracts cannot be drawn"
    assert words in page.text
    assert rows(container) == before and sms.received == []
    assert 'data-application-status="accepted"' in client.get(f"/applications/{app_id}").text


def test_the_server_warns_at_start_up_that_contracts_cannot_be_drawn(
    container: Container, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_app(container=container)
    logged = capsys.readouterr().err
    warning = next(line for line in logged.splitlines() if "contracts cannot be drawn" in line)
    assert "WARNING" in warning.upper() and str(font) in warning
    assert "AUTOLEND_CONTRACT_FONT" in warning
