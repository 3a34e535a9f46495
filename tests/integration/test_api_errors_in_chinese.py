"""An API refusal carries the platform's Chinese wording beside the English, on both
databases. The web pages showed it; the API dropped it, so a dealer's own system had only
English to show its staff. ``error.message_zh`` (and each ``error.errors[i].message_zh``)
is there where the platform words the refusal in Chinese, and absent where it does not."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_loans_api import PAYMENT, as_role, loan_id  # noqa: F401 - fixture
from tests.integration.test_us_origination import sms  # noqa: F401 - the SMS sandbox fixture
from tests.support.origination import (
    application_body,
    referring_container,  # noqa: F401 - the container: the demo products, no bureau
)

pytestmark = pytest.mark.integration

BUREAU_ONLY = [{"kind": "bureau_query", "text_version": "v1"}]
FILING_CONSENTS_ZH = "提交申请须取得申请人对个人信息处理的授权及对敏感个人信息处理的单独授权"


def test_a_refusal_worded_in_chinese_by_the_platform_carries_that_wording(
    client: TestClient, staff: dict[Role, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    refused = client.post("/api/v1/applications", headers=dealer,
                          json=application_body(consents=BUREAU_ONLY))  # fmt: skip
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "consents"
    assert error["message_zh"].startswith(FILING_CONSENTS_ZH), error


def test_a_refusal_the_platform_words_only_in_english_has_no_chinese_field(
    client: TestClient, staff: dict[Role, str]
) -> None:
    servicing = as_role(client, staff, Role.SERVICING)
    missing = client.get("/api/v1/loans/999999", headers=servicing)
    assert missing.status_code == 404
    assert "message_zh" not in missing.json()["error"]


def test_a_repayment_refused_on_its_amount_and_day_says_so_in_chinese(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    """The loan page said 金额须大于 0; the API gave English only for the same refusal."""
    servicing = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "zh-1"}
    body = PAYMENT | {"amount": "0.00", "value_date": "2999-01-01"}
    refused = client.post(f"/api/v1/loans/{loan_id}/repayments", json=body, headers=servicing)
    assert refused.status_code == 422, refused.text
    said = {e["field"]: e.get("message_zh") for e in refused.json()["error"]["errors"]}
    assert said == {"amount": "金额须大于 0", "value_date": "起息日不能晚于今天"}
