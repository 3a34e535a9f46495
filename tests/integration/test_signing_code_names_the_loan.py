"""The signing code's message says what the code commits the borrower to: the amount
financed with its currency, the term and the monthly installment, in the loan's language
(CN: Chinese, then English, by e-mail and Chinese only by SMS; US: English only). It no
longer says "never share it", which the showroom flow (the dealer's staff type the code)
made untrue: the borrower enters it or shows it only to the staff with them, and autolend
never asks for it by phone."""

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
from autolend.services.loans import BookingRequest
from autolend.services.notifications import render
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_us_contract import customer, queued_texts, us_loan

pytestmark = pytest.mark.integration


def test_a_us_borrowers_code_names_the_amount_the_term_and_the_installment(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = us_loan(container, customer(client, staff, "John Smith"))
    for text in queued_texts(container, loan_id):  # the SMS and the e-mail
        assert "(a loan of $27,000.00 over 60 months, $533.36 a month)" in text, text
        assert "Enter it yourself or show it only to the staff with you as you sign" in text
        assert "never asks for it by phone" in text and "Never share" not in text


def test_a_cn_borrowers_code_names_them_in_chinese_and_in_english(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    terms = LoanTerms(principal=Money.parse("141500", "CNY"), annual_rate=Decimal("0.0699"),
                      periods=36, start=date(2026, 2, 3), first_due=date(2026, 3, 3))  # fmt: skip
    booking = BookingRequest(terms=terms, approved=terms.principal, dealer_id=1,
                             customer_id=customer(client, staff, "张伟"))  # fmt: skip
    sms, mail = queued_texts(container, container.services.loans.book(SERVICING, booking))
    assert "贷款金额 141,500.00元，期限 36 个月，月供 4,368.46元" in sms, sms
    assert "请本人输入或仅出示给签约现场的经办人员" in sms and "Your code" not in sms
    chinese, english = re.split(r"(?=Your code)", mail)
    assert "贷款金额 141,500.00元，期限 36 个月，月供 4,368.46元" in chinese, mail
    assert "请本人输入，或仅在签约现场出示给为您办理的工作人员" in chinese
    assert "请勿告知他人" not in chinese + sms
    assert "(a loan of CNY 141,500.00 over 36 months, CNY 4,368.46 a month)" in english


def test_a_code_queued_before_the_loan_was_named_still_reads_whole() -> None:
    """A message queued by the code before this one (a payload of the contract and the
    minutes alone) is sent as it was, without a stray placeholder."""
    subject, body = render("sign_code", {"contract_id": 3, "minutes": 5}, "028450")
    assert body.startswith("【autolend】您的合同（编号 3）签署验证码为 028450，5 分钟内有效。")
    assert "Your code to sign contract 3 is 028450, valid for 5 minutes." in body
    assert "{" not in body and subject.startswith("autolend 合同签署验证码")
