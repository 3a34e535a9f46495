"""Repayment channels follow the loan's pack, on both databases. The loan page offered a
US loan WeChat Pay and Alipay and no ACH or card, and the API took any channel on any
loan. Now a CN loan offers what it always did, a US loan ACH, card, check, wire and cash,
and the API (and the page) refuse another pack's channel with 422 naming ``channel``."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_eod_runner import SERVICING
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration

CN_CHANNELS = ["bank_transfer", "cash", "direct_debit", "wechat_pay", "alipay"]
US_CHANNELS = ["ach", "card", "check", "wire", "cash"]


def paid_out(container: Container, currency: str, pack: str) -> int:
    """12,000.00 at 7.3 % over 12 months from 2026-01-05, under ``pack``, paid out."""
    terms = LoanTerms(principal=Money.parse("12000", currency), annual_rate=Decimal("0.073"),
                      periods=12, start=date(2026, 1, 5))  # fmt: skip
    request = BookingRequest(terms=terms, approved=terms.principal, pack_code=pack)
    loan_id = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(
        SERVICING, loan_id, DisbursementInput(terms.principal, terms.start)
    )
    return loan_id


def offered(page: str) -> list[str]:
    match = re.search(r'<select id="repay-channel" name="channel">(.*?)</select>', page, re.S)
    assert match, page[:2000]
    return re.findall(r'<option value="([^"]+)">', match.group(1))


def repay(client: TestClient, headers: dict[str, str], loan_id: int, currency: str,
          key: str, **channel: str) -> dict[str, object]:  # fmt: skip
    body = {"amount": "100.00", "currency": currency, "value_date": "2026-02-05"} | channel
    answer = client.post(f"/api/v1/loans/{loan_id}/repayments", json=body,
                         headers=headers | {"Idempotency-Key": key})  # fmt: skip
    return {"status": answer.status_code, "field": answer.json().get("error", {}).get("field")}


def test_the_loan_page_offers_the_channels_of_the_loans_pack(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    us_loan, cn_loan = paid_out(container, "USD", "US"), paid_out(container, "CNY", "CN")
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    us_page = client.get(f"/loans/{us_loan}").text
    assert offered(us_page) == US_CHANNELS
    assert "ACH transfer" in us_page and "WeChat Pay" not in us_page
    assert offered(client.get(f"/loans/{cn_loan}").text) == CN_CHANNELS


def test_the_api_refuses_another_packs_channel_naming_channel(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    us_loan, cn_loan = paid_out(container, "USD", "US"), paid_out(container, "CNY", "CN")
    svc = as_role(client, staff, Role.SERVICING)
    refused = {"status": 422, "field": "channel"}
    assert repay(client, svc, us_loan, "USD", "u1", channel="wechat_pay") == refused
    assert repay(client, svc, us_loan, "USD", "u2", channel="alipay") == refused
    assert repay(client, svc, cn_loan, "CNY", "c1", channel="ach") == refused
    assert repay(client, svc, us_loan, "USD", "u3", channel="ach")["status"] == 201
    assert repay(client, svc, us_loan, "USD", "u4")["status"] == 201  # bank_transfer, the default
    assert repay(client, svc, cn_loan, "CNY", "c2", channel="alipay")["status"] == 201
    events = client.get(f"/api/v1/loans/{us_loan}/transactions", headers=svc).json()["items"]
    assert sorted(e["channel"] for e in events if e["kind"] == "repayment") == [
        "ach", "bank_transfer"]  # fmt: skip


def test_the_page_refuses_another_packs_channel_and_posts_nothing(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    us_loan = paid_out(container, "USD", "US")
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "zh_CN")
    page = client.get(f"/loans/{us_loan}").text
    key = re.search(r'data-form="repayment".*?name="idempotency_key" value="([^"]+)"', page, re.S)
    assert key, page[:2000]
    form = {"csrf_token": csrf(page), "idempotency_key": key.group(1), "amount": "100.00",
            "value_date": "2026-02-05", "channel": "wechat_pay"}  # fmt: skip
    answer = client.post(f"/loans/{us_loan}/repayments", data=form)
    assert answer.status_code == 422
    assert "US贷款不接受还款渠道wechat_pay" in answer.text  # in the page's language
    svc = as_role(client, staff, Role.SERVICING)
    items = client.get(f"/api/v1/loans/{us_loan}/transactions", headers=svc).json()["items"]
    assert not [e for e in items if e["kind"] == "repayment"]
