"""Who may sign a contract and how a signing code behaves, on both databases: only the
borrower, their dealer and servicing ask for a code or sign (a collector or an auditor who
reads the loan does not); a code goes to an e-mail address only at the borrower's own
request; five codes an hour, then the next once the oldest is an hour old; a code typed
with full-width digits or spaces signs, a short one takes no attempt; a code the gateway
could not send before it expired is never sent, by ``autolend notify dispatch`` neither."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.cli import app
from autolend.domain.access import Role
from autolend.services.notifications import queue_message
from tests.integration.test_contracts import (  # noqa: F401 - fixtures
    EMAIL,
    container,
    issue,
    loan_id,
    mail,
    sent_code,
    sms,
)
from tests.integration.test_loans_api import as_role
from tests.support.messaging import MailSink, SmsSandbox

pytestmark = pytest.mark.integration


def _ask(client: TestClient, headers: dict[str, str], contract_id: int, **body: Any) -> Any:
    return client.post(f"/api/v1/contracts/{contract_id}/signature-requests", json=body,
                       headers=headers)  # fmt: skip


def _sign(client: TestClient, headers: dict[str, str], contract_id: int, code: str) -> Any:
    return client.post(f"/api/v1/contracts/{contract_id}/sign", json={"code": code},
                       headers=headers)  # fmt: skip


@pytest.mark.parametrize("role", [Role.COLLECTOR, Role.AUDITOR, Role.UNDERWRITER, Role.RISK])
def test_a_member_of_staff_who_only_reads_the_loan_cannot_ask_for_a_code_or_sign(
    client: TestClient, staff: dict[Role, str], loan_id: int, sms: SmsSandbox,  # noqa: F811
    mail: MailSink, role: Role,  # noqa: F811
) -> None:  # fmt: skip
    """A collector asked for the borrower's code to be e-mailed to themselves and signed
    the contract with it (any role that reads loans could)."""
    contract = issue(client, staff, loan_id)
    reader = as_role(client, staff, role)
    asked = _ask(client, reader, contract["id"], email="collector@example.com")
    assert asked.status_code == 403, asked.text
    assert mail.messages == [] and sms.received == []
    _ask(client, as_role(client, staff, Role.BORROWER), contract["id"])
    signed = _sign(client, reader, contract["id"], sent_code(sms))
    assert signed.status_code == 403, signed.text
    borrower = as_role(client, staff, Role.BORROWER)
    assert _sign(client, borrower, contract["id"], sent_code(sms)).status_code == 200


@pytest.mark.parametrize("role", [Role.DEALER, Role.SERVICING])
def test_only_the_borrower_may_have_the_code_sent_to_an_e_mail_address(
    client: TestClient, staff: dict[Role, str], loan_id: int, sms: SmsSandbox,  # noqa: F811
    mail: MailSink, role: Role,  # noqa: F811
) -> None:  # fmt: skip
    """The dealer (the loan's, D001) and servicing may have the code sent to the
    borrower's mobile, not to an address they type."""
    contract = issue(client, staff, loan_id)
    headers = as_role(client, staff, role)
    refused = _ask(client, headers, contract["id"], email="someone@example.com")
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "email"
    assert mail.messages == [] and sms.received == []
    assert _ask(client, headers, contract["id"]).status_code == 201
    assert sms.received[-1]["to"] == "13800138000" and mail.messages == []
    borrower = as_role(client, staff, Role.BORROWER)
    assert _ask(client, borrower, contract["id"], email=EMAIL).status_code == 201
    assert [m["To"] for m in mail.messages] == [EMAIL]


def test_five_codes_an_hour_and_the_next_once_the_oldest_is_an_hour_old(
    client: TestClient, clock: FixedClock, staff: dict[Role, str], loan_id: int,  # noqa: F811
    sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    """The limit counted every code ever asked: after five (lost texts, expired codes)
    the contract could never be signed, and its application stayed in signing."""
    contract = issue(client, staff, loan_id)
    for _ in range(5):
        borrower = as_role(client, staff, Role.BORROWER)  # a fresh token as time passes
        assert _ask(client, borrower, contract["id"]).status_code == 201
        clock.advance(timedelta(minutes=10))
    refused = _ask(client, as_role(client, staff, Role.BORROWER), contract["id"])
    assert refused.status_code == 409, refused.text
    assert "ask again in 10 minutes" in refused.json()["error"]["message"]
    clock.advance(timedelta(minutes=10))
    borrower = as_role(client, staff, Role.BORROWER)
    assert _ask(client, borrower, contract["id"]).status_code == 201
    assert _sign(client, borrower, contract["id"], sent_code(sms)).status_code == 200


def test_a_code_typed_with_full_width_digits_or_spaces_signs_and_a_short_one_takes_no_attempt(
    client: TestClient, staff: dict[Role, str], loan_id: int, sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    contract = issue(client, staff, loan_id)
    borrower = as_role(client, staff, Role.BORROWER)
    _ask(client, borrower, contract["id"])
    for _ in range(6):  # more than the five attempts a code has
        short = _sign(client, borrower, contract["id"], "12345")
        assert short.status_code == 422 and "6 digits" in short.json()["error"]["message"]
    code = sent_code(sms)
    typed = " ".join(chr(ord(c) + 0xFEE0) for c in code[:3]) + " " + code[3:]  # "１ ２ ３ 456"
    signed = _sign(client, borrower, contract["id"], typed)
    assert signed.status_code == 200, signed.text


def _queue_code(built: Container, queued_at: datetime, contract_id: int) -> int:
    with built.uow(write=True) as uow:
        made = queue_message(uow, built.cipher, FixedClock(queued_at), channel="sms",
                             recipient="13800138000", template="sign_code",
                             payload={"contract_id": contract_id, "minutes": 5},
                             secret="123456")  # fmt: skip
        uow.commit()
    return made


def test_a_code_the_gateway_could_not_send_before_it_expired_is_never_sent(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str],  # noqa: F811
    loan_id: int, sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    """The SMS gateway was down for a while; when it came back the dead code went out,
    and the borrower typing it spent an attempt of the new one."""
    contract = issue(client, staff, loan_id)
    borrower = as_role(client, staff, Role.BORROWER)
    sms.failing = True
    first = _ask(client, borrower, contract["id"]).json()["messages"][0]
    clock.advance(timedelta(minutes=5))
    sms.failing = False
    report = container.services.notifications.dispatch()
    assert (report.sent, report.expired) == (0, 1) and sms.received == []
    dropped = container.services.notifications.message(first)
    assert dropped is not None and dropped.status == "failed"
    assert dropped.last_error == "expired before it could be sent"
    _ask(client, borrower, contract["id"])
    assert len(sms.received) == 1
    assert _sign(client, borrower, contract["id"], sent_code(sms)).status_code == 200


def test_autolend_notify_dispatch_sends_what_is_pending_and_drops_an_expired_code(
    container: Container, sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    now = datetime.now(UTC)  # the command reads the machine's clock
    _queue_code(container, now - timedelta(hours=1), 1)
    fresh = _queue_code(container, now, 2)
    s = container.settings
    env = {
        "AUTOLEND_HOME": str(s.home), "AUTOLEND_DATABASE_URL": str(s.database_url),
        "AUTOLEND_MASTER_KEYS": str(s.master_keys), "AUTOLEND_DEMO": "false",
        "AUTOLEND_BLIND_INDEX_KEY": str(s.blind_index_key),
        "AUTOLEND_TOKEN_SECRET": str(s.token_secret), "AUTOLEND_SMS_URL": sms.url,
    }  # fmt: skip
    done = CliRunner().invoke(app, ["notify", "dispatch"], env=env)
    assert done.exit_code == 0, done.output
    assert "sent 1, retrying 0, failed 0, expired 1" in done.output
    assert len(sms.received) == 1 and "合同（编号 2）签署验证码为" in sms.received[0]["text"]
    sent = container.services.notifications.message(fresh)
    assert sent is not None and sent.status == "sent"


def test_a_signing_request_sends_its_own_code_at_once_and_leaves_the_backlog_to_dispatch(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int,  # noqa: F811
    sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    """Each request sent every pending message: with the gateway hanging, a click waited
    its timeout once a message, and each click spent an attempt of every message."""
    contract = issue(client, staff, loan_id)
    now = container.services.clock.now()
    backlog = [_queue_code(container, now, n) for n in (101, 102, 103)]
    borrower = as_role(client, staff, Role.BORROWER)
    _ask(client, borrower, contract["id"])
    mine = f"合同（编号 {contract['id']}：贷款金额"  # the backlog's name no loan
    assert len(sms.received) == 1 and mine in sms.received[0]["text"]
    waiting = [container.services.notifications.message(n) for n in backlog]
    assert [(m.status, m.attempts) for m in waiting if m] == [("pending", 0)] * 3
    assert container.services.notifications.dispatch().sent == 3
