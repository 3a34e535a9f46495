"""What the application page says after a signing code was asked, on both databases: the
code went out ("sent to the borrower's mobile ending in 8000; valid until 17:35 (5
minutes)", the lender's time and the code's real lifetime) or it waits in the outbox
because the SMS gateway did not answer ("queued, sent as soon as the gateway answers").
The page used to say "sent" either way, and never how long the code lasts. A borrower
signing their own application reads "your mobile"."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.signing import OTP_TTL
from tests.integration.test_application_pages import (
    OWN_ID,
    _approved,
    file_through_the_form,
    post,
    web_sign_in,
)
from tests.integration.test_contracts import sent_code, sms  # noqa: F401 - fixture
from tests.support.messaging import SmsSandbox
from tests.support.origination import referring_container  # noqa: F401 - the container

pytestmark = pytest.mark.integration
MINUTES = int(OTP_TTL.total_seconds() // 60)


def _until(container: Container, clock: FixedClock) -> str:
    """``HH:MM`` in the lender's time zone when a code asked now expires."""
    zone = ZoneInfo(container.settings.timezone)
    return (clock.now() + OTP_TTL).astimezone(zone).strftime("%H:%M")


def _notice(page: str) -> tuple[str, str]:
    found = re.search(r'role="status" data-notice="(\w+)"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None, page[:2000]
    return found.group(1), re.sub(r"<[^>]+>", "", found.group(2))


def _ask(client: TestClient, app_id: int) -> tuple[str, str]:
    """Press "send signing code"; the notice of the page it leads to."""
    asked = post(client, f"/applications/{app_id}/sign")
    assert asked.status_code == 303, asked.text[:2000]
    return _notice(client.get(asked.headers["location"]).text)


def test_the_page_says_a_code_waits_for_the_gateway_and_when_a_sent_one_expires(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str],
    sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    app_id = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303
    sms.failing = True
    client.cookies.set("autolend_lang", "zh_CN")
    kind, text = _ask(client, app_id)
    assert kind == "code_queued" and sms.received == []
    assert "短信网关恢复应答后将立即发送" in text and "已发送" not in text
    assert f"有效期至 {_until(container, clock)}（{MINUTES} 分钟）" in text
    sms.failing = False
    clock.advance(OTP_TTL / 5)
    kind, text = _ask(client, app_id)
    assert kind == "code_sent" and len(sms.received) == 1
    assert text == (
        f"签署验证码已发送到借款人尾号 8000 的手机，有效期至 {_until(container, clock)}"
        f"（{MINUTES} 分钟）。"
    )
    client.cookies.set("autolend_lang", "en")
    _, text = _notice(client.get(f"/applications/{app_id}?done=code_sent").text)
    assert text == (
        f"A signing code was sent to the borrower's mobile ending in 8000; it is valid until "
        f"{_until(container, clock)} ({MINUTES} minutes)."
    )
    signed = post(client, f"/applications/{app_id}/sign", {"code": sent_code(sms)})
    assert signed.status_code == 303


def test_a_borrower_signing_their_own_application_reads_that_the_code_went_to_their_mobile(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str],
    sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    web_sign_in(client, staff, Role.BORROWER)
    mine = {"applicants[0].id_number": OWN_ID, "applicants[0].name": "王芳",
            "applicants[0].mobile": "13900131234", "vehicle.dealer_id": "1"}  # fmt: skip
    app_id = file_through_the_form(client, **mine)
    assert post(client, f"/applications/{app_id}/submit").status_code == 303
    web_sign_in(client, staff, Role.UNDERWRITER)
    review = {"action": "approve", "reason": "looks fine"}
    assert post(client, f"/applications/{app_id}/review", review).status_code == 303
    web_sign_in(client, staff, Role.BORROWER)
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303
    client.cookies.set("autolend_lang", "en")
    kind, text = _ask(client, app_id)
    assert kind == "code_sent" and sms.received[-1]["to"] == "13900131234"
    assert text == (
        f"A signing code was sent to your mobile ending in 1234; it is valid until "
        f"{_until(container, clock)} ({MINUTES} minutes)."
    )
    assert post(client, f"/applications/{app_id}/sign", {"code": sent_code(sms)}).status_code == 303
