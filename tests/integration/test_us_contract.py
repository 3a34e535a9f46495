"""A US loan's contract is a US document, on both databases: booked through the services
and issued through ``POST /api/v1/contracts``, its text layer opens with the federal
Truth-in-Lending box (12 CFR 1026.18) whose five figures are the quote's and
:func:`truth_in_lending`'s, then the payment schedule, the late charge, the security
interest in the car (with its VIN) and prepayment; it is in English unless another
language is asked for, and carries nothing of Chinese law (resident ID, penalty
interest, the cost ceiling, the separate consent to sensitive data). A CN loan's
contract is still the Chinese one, in zh_CN by default, with its PBOC APR.

The deal: a 30,000.00 car, 3,000.00 down, 27,000.00 at 6.9 % over 60 months from
2026-01-05, a 595.00 documentation fee paid at signing, a 25.00 late charge after 10
days.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.contract import Vehicle
from autolend.domain.errors import InvalidInput
from autolend.domain.fees import Fee, FeeKind
from autolend.domain.money import Money
from autolend.domain.quote import Quote, QuoteRequest, build_quote
from autolend.domain.regz import ClosedEndDisclosures
from autolend.domain.schedule import LoanTerms
from autolend.services.contract_facts import ContractRequest, UpfrontFee, truth_in_lending
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.notifications import render
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration

ID_NUMBER = "11010519491231002X"
VIN = "1FTEW1EP5MKD12345"
VEHICLE = {"vin": VIN, "make": "Ford", "model": "F-150", "powertrain": "ICE"}
DOC_FEE = [{"name": "documentation", "amount": "595.00"}]
START = date(2026, 1, 5)


def usd(text: str) -> Money:
    return Money.parse(text, "USD")


def us_quote() -> Quote:
    fee = Fee(kind=FeeKind.OTHER, name="documentation", amount=usd("595"))
    return build_quote(QuoteRequest(
        vehicle_price=usd("30000"), down_payment=usd("3000"), annual_rate=Decimal("0.069"),
        term_months=60, start=START, fees=(fee,), pack="US",
    ))  # fmt: skip


def customer(client: TestClient, staff: dict[Role, str], name: str) -> int:
    """A borrower with the three consents an application records."""
    borrower = as_role(client, staff, Role.BORROWER)
    person = {"name": name, "id_number": ID_NUMBER, "phone": "13800138000"}
    made = client.post("/api/v1/customers", json=person, headers=borrower)
    assert made.status_code == 201, made.text
    for kind in ("bureau_query", "data_processing", "sensitive_data"):
        url = f"/api/v1/customers/{made.json()['id']}/consents"
        granted = client.post(url, json={"kind": kind, "text_version": "v1"}, headers=borrower)
        assert granted.status_code == 201, granted.text
    return int(made.json()["id"])


def us_loan(container: Container, customer_id: int, *, paid_out: bool = True) -> int:
    """The quote's loan under the US pack; paid out with its down payment recorded."""
    terms = us_quote().request.loan_terms()
    request = BookingRequest(terms=terms, approved=terms.principal, customer_id=customer_id,
                             dealer_id=1, pack_code="US",
                             late_fee={"amount": "25.00", "after_days": 10})  # fmt: skip
    loan_id = container.services.loans.book(SERVICING, request)
    if paid_out:
        payout = DisbursementInput(terms.principal, START, down_payment=usd("3000"))
        container.services.loans.disburse(SERVICING, loan_id, payout)
    return loan_id


def issued(client: TestClient, container: Container, staff: dict[Role, str], loan_id: int,
           **extra: Any) -> tuple[dict[str, Any], list[str]]:  # fmt: skip
    """Issue the loan's contract over HTTP; its view and its text layer's lines."""
    body = {"loan_id": loan_id, "vehicle": VEHICLE} | extra
    made = client.post("/api/v1/contracts", json=body,
                       headers=as_role(client, staff, Role.SERVICING))  # fmt: skip
    assert made.status_code == 201, made.text
    text = container.services.contracts.text(SERVICING, made.json()["id"])
    return made.json(), text.splitlines()


def figures_of(container: Container, loan_id: int) -> ClosedEndDisclosures:
    """:func:`truth_in_lending` of the stored loan, its rows and the fee paid at signing."""
    with container.uow() as uow:
        loan = uow.loans.get(loan_id)
        rows = uow.loans.installments(loan_id)
    assert loan is not None
    request = ContractRequest(loan_id, Vehicle(VIN, "Ford", "F-150", "ICE"), "en",
                              (UpfrontFee("documentation", usd("595")),))  # fmt: skip
    figures = truth_in_lending(loan, rows, request)
    assert figures is not None
    return figures


def dollars(amount: Money | None) -> str:
    assert amount is not None
    return f"${amount.to_decimal():,.2f}"


def test_a_us_contract_opens_with_the_federal_box_of_the_quotes_figures_in_english(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = us_loan(container, customer(client, staff, "John Smith"))
    contract, lines = issued(client, container, staff, loan_id, upfront_fees=DOC_FEE)
    figures, quoted = figures_of(container, loan_id), us_quote().regz
    assert quoted is not None
    for field in ("amount_financed", "finance_charge", "total_of_payments", "total_sale_price",
                  "apr"):  # fmt: skip
        assert getattr(figures, field) == getattr(quoted, field), field
    assert contract["locale"] == "en"  # none asked: the US pack's language
    assert lines[:2] == ["Auto Loan Contract", "1. Truth-in-Lending Disclosures"]
    assert lines[3:8] == [
        f"ANNUAL PERCENTAGE RATE (the cost of your credit as a yearly rate): {figures.apr}%",
        "FINANCE CHARGE (the dollar amount the credit will cost you): "
        + dollars(figures.finance_charge),
        "Amount Financed (the amount of credit provided to you or on your behalf): "
        + dollars(figures.amount_financed),
        "Total of Payments (the amount you will have paid after you have made all payments "
        "as scheduled): " + dollars(figures.total_of_payments),
        "Total Sale Price (the total cost of your purchase on credit, including your down "
        "payment of $3,000.00): " + dollars(figures.total_sale_price),
    ]
    assert figures.amount_financed == usd("26405")  # 27,000.00 less the 595.00 at signing
    assert figures.total_sale_price == usd("30000") + figures.finance_charge


def test_a_us_contract_states_the_schedule_late_charge_security_and_prepayment(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = us_loan(container, customer(client, staff, "John Smith"))
    _, lines = issued(client, container, staff, loan_id, upfront_fees=DOC_FEE)
    installment = dollars(us_quote().installment)
    assert re.fullmatch(rf"59 payments of \{installment}, due monthly from 02/05/2026 to "
                        r"12/05/2030", lines[9]), lines[8:11]  # fmt: skip
    assert re.fullmatch(r"1 payment of \$[\d,]+\.\d\d, due 01/05/2031", lines[10]), lines[10]
    assert "If a payment is 10 days or more late, you will be charged $25.00." in lines
    assert ("You are giving a security interest in the motor vehicle being purchased: "
            f"Ford F-150, VIN {VIN}.") in lines  # fmt: skip
    assert "If you pay off early, you will not have to pay a penalty." in lines
    assert any(line.startswith("If you pay off early, you will not be entitled to a refund "
                               "of part of the finance charge") for line in lines)  # fmt: skip
    assert "Borrower: John Smith" in lines
    assert "Documentation fee: $595.00 (paid at signing)" in lines


def test_a_us_contract_carries_nothing_of_chinese_law(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = us_loan(container, customer(client, staff, "John Smith"))
    _, lines = issued(client, container, staff, loan_id, upfront_fees=DOC_FEE)
    text = "\n".join(lines).lower()
    for chinese_law in ("resident id", ID_NUMBER.lower(), "penalty interest", "penalty rate",
                        "compounds", "cost ceiling", "sensitive", "mortgage"):  # fmt: skip
        assert chinese_law not in text, chinese_law
    assert "use of your personal information (text version v1)" in text


def test_a_us_contract_asked_in_chinese_states_the_same_disclosures_in_chinese(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = us_loan(container, customer(client, staff, "John Smith"))
    contract, lines = issued(client, container, staff, loan_id, locale="zh_CN",
                             upfront_fees=DOC_FEE)  # fmt: skip
    figures = figures_of(container, loan_id)
    assert contract["locale"] == "zh_CN"
    assert f"年利率（ANNUAL PERCENTAGE RATE，以年利率表示的信贷成本）：{figures.apr}%" in lines
    total = dollars(figures.total_of_payments)
    assert f"付款总额（Total of Payments，按计划付清全部款项后您将支付的金额）：{total}" in lines
    assert f"您以所购机动车设定担保权益：Ford F-150，车辆识别代号（VIN）{VIN}。" in lines
    text = "\n".join(lines)
    for chinese_law in ("身份证", ID_NUMBER, "罚息", "复利", "综合融资成本", "敏感", "抵押"):
        assert chinese_law not in text, chinese_law


def test_a_us_contract_without_a_known_down_payment_leaves_out_the_total_sale_price(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = us_loan(container, customer(client, staff, "John Smith"), paid_out=False)
    _, lines = issued(client, container, staff, loan_id, upfront_fees=DOC_FEE)
    assert lines[6].startswith("Total of Payments") and lines[7] == "2. Payment schedule"
    assert not any("Total Sale Price" in line for line in lines)


def test_a_cn_contract_is_still_the_chinese_one_in_zh_cn_by_default(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """5,000.00 at 20 % over 12 months from 2026-02-03, first due 2026-03-02, 300.00 paid
    at signing: the PBOC rule (27/28 of a month: 32.23 %) and the total repayable with the
    fee paid in cash (5,554.51 + 300.00); Appendix J would say 32.57 %."""
    cny = "CNY"
    terms = LoanTerms(principal=Money.parse("5000", cny), annual_rate=Decimal("0.20"),
                      periods=12, start=date(2026, 2, 3), first_due=date(2026, 3, 2))  # fmt: skip
    booking = BookingRequest(terms=terms, approved=terms.principal, dealer_id=1,
                             customer_id=customer(client, staff, "张伟"))  # fmt: skip
    loan_id = container.services.loans.book(SERVICING, booking)
    fee = [{"name": "origination", "amount": "300.00"}]
    contract, lines = issued(client, container, staff, loan_id, upfront_fees=fee)
    assert contract["locale"] == "zh_CN"
    assert lines[:3] == ["汽车消费贷款合同", "一、合同各方", lines[2]]
    assert f"借款人：张伟（身份证号 {ID_NUMBER}）" in lines
    assert any(line.startswith("年化利率（APR，含全部费用）：名义 32.23%，") for line in lines)
    assert "还款总额：5854.51 CNY" in lines
    assert "六、逾期罚息" in lines and "八、车辆抵押" in lines
    assert "敏感个人信息处理单独同意（文本版本 v1），同意时间" in "\n".join(lines)


def test_a_down_payment_given_with_the_request_gives_the_total_sale_price_before_payout(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """As origination issues a contract at signing, before any payout recorded the down
    payment: the service keeps the request's down payment."""
    loan_id = us_loan(container, customer(client, staff, "John Smith"), paid_out=False)
    request = ContractRequest(loan_id, Vehicle(VIN, "Ford", "F-150", "ICE"),
                              upfront_fees=(UpfrontFee("documentation", usd("595")),),
                              down_payment=usd("3000"))  # fmt: skip
    contract = container.services.contracts.issue(SERVICING, request)
    assert contract["locale"] == "en"
    lines = container.services.contracts.text(SERVICING, contract["id"]).splitlines()
    finance_charge = figures_of(container, loan_id).finance_charge
    price = dollars(us_quote().request.vehicle_price + finance_charge)
    assert lines[7] == ("Total Sale Price (the total cost of your purchase on credit, including "
                        f"your down payment of $3,000.00): {price}")  # fmt: skip


def test_a_us_loans_fees_are_read_in_dollars_and_one_in_yuan_is_refused_naming_the_field(
    client: TestClient, container: Container, staff: dict[Role, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The route read every fee paid up front as CNY, whatever the loan's currency (only
    the minor units were summed, so the figures came out right): a fee on a USD loan is
    read in USD, and one that says it is in another currency is a 422 on
    ``upfront_fees.currency``, with no contract issued."""
    loan_id = us_loan(container, customer(client, staff, "John Smith"))
    service, seen = container.services.contracts, []
    issue = service.issue

    def spied(actor: Any, request: ContractRequest) -> dict[str, Any]:
        seen.append(request)
        return issue(actor, request)

    monkeypatch.setattr(service, "issue", spied)
    servicing = as_role(client, staff, Role.SERVICING)
    yuan = [{"name": "documentation", "amount": "595.00", "currency": "CNY"}]
    body = {"loan_id": loan_id, "vehicle": VEHICLE, "upfront_fees": yuan}
    refused = client.post("/api/v1/contracts", json=body, headers=servicing)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "upfront_fees.currency"
    assert seen == []  # refused before anything is drawn or stored
    dollars_named = [DOC_FEE[0] | {"currency": "USD"}]
    for fees in (DOC_FEE, dollars_named):
        issued(client, container, staff, loan_id, upfront_fees=fees)
    assert [fee.amount for request in seen for fee in request.upfront_fees] == [usd("595")] * 2


def test_the_service_refuses_a_fee_in_another_currency_than_the_loans(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = us_loan(container, customer(client, staff, "John Smith"))
    in_yuan = (UpfrontFee("documentation", Money.parse("595", "CNY")),)
    request = ContractRequest(loan_id, Vehicle(VIN, "Ford", "F-150", "ICE"),
                              upfront_fees=in_yuan)  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        container.services.contracts.issue(SERVICING, request)
    assert caught.value.field == "upfront_fees.currency"


def queued_texts(container: Container, loan_id: int) -> list[str]:
    """The bodies of the signing-code messages queued for the loan's contract, as sent:
    the SMS first, then the e-mail."""
    request = ContractRequest(loan_id, Vehicle(VIN, "Ford", "F-150", "ICE"))
    contract = container.services.contracts.issue(SERVICING, request)
    asked = container.services.contracts.request_signature(
        SERVICING, contract["id"], email="borrower@example.com"
    )
    rows = [container.services.notifications.message(m) for m in asked["messages"]]
    return [
        render(r.template, json.loads(r.payload), "028450", channel=r.channel)[1] for r in rows if r
    ]


def test_a_us_borrowers_signing_code_is_in_english_only_by_sms_and_email(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = us_loan(container, customer(client, staff, "John Smith"))
    texts = queued_texts(container, loan_id)
    assert len(texts) == 2
    for text in texts:
        assert text.startswith("autolend: your code to sign contract ")
        assert "028450" in text and not re.search(r"[\u4e00-\u9fff]", text), text


def test_a_cn_borrowers_signing_code_still_reads_chinese_first(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    terms = LoanTerms(principal=Money.parse("5000", "CNY"), annual_rate=Decimal("0.20"),
                      periods=12, start=date(2026, 2, 3), first_due=date(2026, 3, 2))  # fmt: skip
    booking = BookingRequest(terms=terms, approved=terms.principal, dealer_id=1,
                             customer_id=customer(client, staff, "张伟"))  # fmt: skip
    texts = queued_texts(container, container.services.loans.book(SERVICING, booking))
    assert texts and all("合同（编号 " in t and "签署验证码为 028450" in t for t in texts)
    sms, mail = texts  # the SMS Chinese only (two segments), the e-mail Chinese first
    assert sms.startswith("【autolend】合同（编号 ") and "Your code" not in sms
    assert mail.startswith("【autolend】您的合同（编号 ") and "Your code to sign contract" in mail
