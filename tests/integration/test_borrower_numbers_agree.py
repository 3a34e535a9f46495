"""Every demo product taken from application to a funded loan through the real services
(SQLite and PostgreSQL): filed by a dealer, referred (no bureau, no model) and approved by
an underwriter, offer 1 accepted, the contract signed with the code sent by SMS, the
dealer paid. Every number the borrower is shown agrees to the fen at each step, as the
project's rule asks ("every number a borrower sees is reproducible from the contract"):

* the offer's totals come from the schedule that is booked (installment, monthly payment
  with fees, total interest, total fees, total cost, total repayable, each preview row);
* the contract states the same principal, rate, APR, total of payments, fees, every row,
  penalty rate and late fee; under a subsidy (贴息) the contract rate is the rate before
  it, the borrower's rate and the subsidiser are stated beside it, and the penalty runs
  on the contract rate (REGULATION.md: "contract rate x (1 + 30 %..50 %)");
* the booked loan carries the same rows, rates, uplift and late fee, and the payout is the
  principal less the fees of the start (and a subsidy deducted at source);
* the APR recomputed here (numpy-financial's IRR of the borrower's own cash flows: the
  principal less every fee of the start received, each installment with its monthly fees
  paid; PBOC [2021] No. 3: nominal = IRR x 12, effective = (1 + IRR) ** 12 - 1) is the
  offer's and the contract's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy_financial as npf  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.calendar import add_months
from autolend.domain.fees import Fee, FeeKind
from autolend.domain.identity import resident_id_check_character
from autolend.domain.money import Money
from autolend.domain.product_catalogue import DEMO_PRODUCTS, ORIGINATION
from autolend.domain.products import LateFee, Product
from tests.integration.test_contracts import sms  # noqa: F401 - fixture
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role
from tests.support.messaging import SmsSandbox
from tests.support.origination import (
    application_body,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration

CENT = Decimal("0.01")
PRODUCTS = {product.code: product for product in DEMO_PRODUCTS}
BORROWER = application_body()["applicants"][0]
VEHICLE = application_body()["vehicle"]


def _resident_id(first15: str) -> str:
    first17 = f"{first15}21"
    return first17 + resident_id_check_character(first17)


# One application per product that passes its rules: the default body is a salaried
# borrower of 37 buying a new NEV of 200,000.00 with 60,000.00 down over 36 months.
CASES: dict[str, dict[str, Any]] = {
    "STD_NEW": {},
    "NEV_GREEN": {},
    "YOUNG_FIRST": {"down_payment": "20000.00", "applicants": [
        dict(BORROWER, id_number=_resident_id("110105200003150"), first_time_buyer=True)]},
    "USED_CAR": {"down_payment": "50000.00",
                 "vehicle": dict(VEHICLE, condition="used", price="150000.00")},
    "SEASONAL": {"term_months": 24, "applicants": [dict(BORROWER, employment="farmer")]},
    "SENIOR_INSURED": {"applicants": [
        dict(BORROWER, id_number=_resident_id("110105196503150"), employment="retired")]},
    "OEM_ZERO": {"term_months": 24},
    "BALLOON": {"down_payment": "50000.00"},
}  # fmt: skip
FEE_NAMES_ZH = {"origination": "手续费", "gps": "GPS 服务费", "credit_insurance": "信用保险费"}
WHEN_ZH = {"upfront": "签约时支付，经销商代收，放款时从放款金额中扣除",
           "financed": "计入贷款本金，随每期还款偿还", "monthly": "每期随还款收取"}  # fmt: skip
SUBSIDISERS_ZH = {"oem": "汽车厂商", "dealer": "经销商", "state": "政府贴息项目"}
ROW = re.compile(r"第(\d+)期 (\S+)：应还 (\S+)（本金 (\S+)，利息 (\S+)，费用 (\S+)）")


@dataclass(frozen=True)
class Walk:
    """What the borrower was shown at each step of one application."""

    offer: dict[str, Any]
    contract: list[str]
    loan: dict[str, Any]
    paid: dict[str, Any]


def _ok(answer: Any, status: int = 200) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    return dict(answer.json())


def approved(client: TestClient, staff: dict[Role, str], code: str, vin: str | None = None) -> str:
    """An application for product ``code`` filed by the dealer (for the car ``vin``, by
    default the bodies' one), referred (no bureau, no model) and approved by an
    underwriter; its API path."""
    dealer = as_role(client, staff, Role.DEALER)
    body = application_body(product_code=code, **CASES[code])
    body["vehicle"]["vin"] = vin or body["vehicle"]["vin"]
    filed = _ok(client.post("/api/v1/applications", json=body, headers=dealer), 201)
    app = f"/api/v1/applications/{filed['id']}"
    assert _ok(client.post(f"{app}/submit", headers=dealer))["status"] == "referred"
    approve = {"action": "approve", "reason": "income and car checked"}
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    assert _ok(client.post(f"{app}/review", json=approve, headers=underwriter))["status"] == (
        "approved"
    )
    return app


def walk(client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
         code: str) -> Walk:  # fmt: skip
    """File, submit, review, accept option 1, sign, disburse; what each step showed."""
    app = approved(client, staff, code)
    dealer = as_role(client, staff, Role.DEALER)
    offer = _ok(client.get(f"{app}/offers", headers=dealer))["items"][0]
    loan_id = _ok(client.post(f"{app}/accept", json={"option": 1}, headers=dealer))["loan_id"]
    contract_id = _ok(client.post(f"{app}/sign", json={}, headers=dealer))["contract_id"]
    sent = re.search(r"验证码为 (\d{6})", sms.received[-1]["text"])
    assert sent is not None, sms.received
    _ok(client.post(f"{app}/sign", json={"code": sent[1]}, headers=dealer))
    servicing = as_role(client, staff, Role.SERVICING)
    paid = _ok(client.post(f"{app}/disburse", headers=servicing | {"Idempotency-Key": app}), 201)
    loan = _ok(client.get(f"/api/v1/loans/{loan_id}", headers=servicing))
    text = container.services.contracts.text(SERVICING, contract_id)
    return Walk(offer, text.splitlines(), loan, paid)


def money(text: str) -> Decimal:
    return Decimal(text)


def pct(fraction: Decimal) -> str:
    return f"{(fraction * 100).quantize(CENT, rounding=ROUND_HALF_UP)}"


def row_total(row: dict[str, Any]) -> Decimal:
    return money(row["principal"]) + money(row["interest"]) + money(row["fee"])


def fees_of(offer: dict[str, Any], timing: str, *, financed: bool | None = None) -> Decimal:
    return sum((money(f["amount"]) for f in offer["fees"] if f["timing"] == timing
                and (financed is None or f["financed"] is financed)), Decimal(0))  # fmt: skip


def check_offer_is_its_schedule(offer: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """The offer's totals and preview are the booked rows (the loan's schedule)."""
    monthly, n = fees_of(offer, "monthly"), len(rows)
    upfront = fees_of(offer, "upfront")
    assert n == offer["term_months"]
    assert money(offer["monthly_payment"]) == money(offer["installment"]) + monthly
    assert money(offer["total_interest"]) == sum(money(r["interest"]) for r in rows)
    assert money(offer["total_fees"]) == upfront + monthly * n
    assert money(offer["total_cost"]) == money(offer["total_interest"]) + money(offer["total_fees"])
    cash = fees_of(offer, "upfront", financed=False)
    assert money(offer["total_repayable"]) == sum(row_total(r) for r in rows) + cash
    balance = money(offer["amount_financed"])
    by_n: dict[int, tuple[str, Decimal, str, str, str, str]] = {}
    for r in rows:
        assert money(r["fee"]) == monthly
        balance -= money(r["principal"])
        by_n[r["n"]] = (r["due_date"], row_total(r), r["principal"], r["interest"], r["fee"],
                        f"{balance:.2f}")  # fmt: skip
    for p in offer["schedule_preview"]:
        shown = (p["due_date"], money(p["payment"]), p["principal"], p["interest"], p["fee"],
                 p["balance"])  # fmt: skip
        assert shown == by_n[p["n"]], p
    assert by_n[n][-1] == "0.00"


def check_contract_states_the_offer(shown: Walk, product: Product) -> None:
    """Principal, rate, APR, total, fee lines and penalty as the offer showed them."""
    offer, lines = shown.offer, shown.contract
    principal = f"贷款本金：{offer['amount_financed']} CNY；期数：{offer['term_months']} 期（按月）"
    assert any(line.startswith(principal) for line in lines), lines[:12]
    assert f"合同年利率（名义）：{pct(Decimal(offer['annual_rate']))}%" in lines
    subsidy = [line for line in lines if line.startswith("贴息：")]
    if "customer_rate" in offer:  # the borrower's rate, and who pays the lender the rest
        who = SUBSIDISERS_ZH[offer["subsidiser"]]
        paid = pct(Decimal(offer["customer_rate"]))
        assert subsidy == [
            f"贴息：借款人按年利率 {paid}% 承担利息，与合同利率的差额由{who}向贷款人支付。"
        ]
    else:
        assert subsidy == []
    apr = f"年化利率（APR，含全部费用）：名义 {offer['apr_nominal_percent']}%，"
    assert f"{apr}实际 {offer['apr_effective_percent']}%" in lines
    assert f"还款总额：{offer['total_repayable']} CNY" in lines
    ends = ("收取）", "扣除）")
    fee_lines = [line for line in lines if line.endswith(ends) or "计入贷款本金" in line]
    expected = []
    for fee in offer["fees"]:
        when = "financed" if fee["financed"] else fee["timing"]
        expected.append(f"{FEE_NAMES_ZH[fee['kind']]}：{fee['amount']} CNY（{WHEN_ZH[when]}）")
    assert fee_lines == expected
    if not offer["fees"]:
        assert "本合同不收取其他费用。" in lines
    late = offer["late"]
    uplift = pct(product.penalty_uplift)
    assert any(f"上浮 {uplift}% 计收罚息（罚息年利率 {late['penalty_rate_percent']}%）" in line
               for line in lines), lines  # fmt: skip
    has_late_fee = [line for line in lines if "逾期违约金" in line]
    if late["late_fee"] is None:
        assert has_late_fee == []
    else:
        days, fee = late["late_fee_days"], late["late_fee"]
        assert (
            f"满 {days} 日仍未足额偿还的，就该期一次性收取逾期违约金 {fee} CNY" in has_late_fee[0]
        )


def check_contract_rows_are_the_loans(shown: Walk) -> None:
    stated = [ROW.fullmatch(line) for line in shown.contract if line.startswith("第")]
    rows = [m.groups() for m in stated if m is not None]
    booked = [(str(r["n"]), r["due_date"], f"{row_total(r):.2f}", r["principal"],
               r["interest"], r["fee"]) for r in shown.loan["schedule"]]  # fmt: skip
    assert rows == booked


def check_loan_carries_the_terms(shown: Walk, product: Product) -> None:
    """Rate, uplift, late fee and monthly fees as the offer (and the product) state them."""
    offer, loan = shown.offer, shown.loan
    assert loan["principal"] == loan["disbursed"] == offer["amount_financed"]
    assert loan["balances"]["principal"] == offer["amount_financed"]
    assert loan["down_payment"] == offer["down_payment"]
    assert Decimal(loan["annual_rate"]) == Decimal(offer["annual_rate"])
    customer_rate = offer.get("customer_rate")
    assert loan["customer_rate"] == (None if customer_rate is None else str(Decimal(customer_rate)))
    assert Decimal(loan["penalty_uplift"]) == product.penalty_uplift
    penalty = Decimal(loan["annual_rate"]) * (1 + Decimal(loan["penalty_uplift"]))
    assert Decimal(offer["late"]["penalty_rate"]) == penalty
    late = product.late_fee
    expected = None if late is None else {"amount": late.amount.to_api(),
                                          "after_days": late.after_days}  # fmt: skip
    assert loan["late_fee"] == expected
    assert offer["late"]["late_fee"] == (None if late is None else late.amount.to_api())
    monthly = sum((money(v) for v in loan["monthly_fees"].values()), Decimal(0))
    assert monthly == fees_of(offer, "monthly")
    assert add_months(date.fromisoformat(loan["start_date"]), 1) == date.fromisoformat(
        offer["first_due"]
    )  # a regular first month: the IRR below needs no odd-days fraction


def subsidy_owed(offer: dict[str, Any], rows: list[dict[str, Any]]) -> Decimal:
    """The subsidiser's share: interest at the offer's rate before the subsidy on each
    row's opening balance (a month is 1/12 of a year), less what the borrower pays."""
    if "customer_rate" not in offer:
        return Decimal(0)
    balance, owed, rate = money(offer["amount_financed"]), Decimal(0), Decimal(offer["annual_rate"])
    for r in rows:
        owed += (balance * rate / 12).quantize(CENT, rounding=ROUND_HALF_UP) - money(r["interest"])
        balance -= money(r["principal"])
    return owed


def check_payout(shown: Walk, product: Product) -> None:
    """The dealer gets the principal less every fee of the start and a deducted subsidy."""
    offer, paid = shown.offer, shown.paid
    start_fees = fees_of(offer, "upfront")
    subsidy = subsidy_owed(offer, shown.loan["schedule"])
    cap = product.subsidy.cap if product.subsidy else None
    subsidy = min(subsidy, cap.to_decimal()) if cap is not None else subsidy
    settlement = product.subsidy.settlement if product.subsidy else None
    assert (paid["amount"], paid["down_payment"]) == (offer["amount_financed"],
                                                      offer["down_payment"])  # fmt: skip
    assert money(paid["fees_deducted"]) == start_fees
    assert money(paid["subsidy"]) == subsidy and paid["subsidy_settlement"] == settlement
    deducted = subsidy if settlement == "deducted" else Decimal(0)
    assert money(paid["to_dealer"]) == money(offer["amount_financed"]) - start_fees - deducted
    receivable = subsidy if settlement == "receivable" else Decimal(0)
    assert money(shown.loan["balances"]["subsidy"]) == receivable


def check_apr_recomputed(shown: Walk) -> None:
    """The IRR of what the borrower receives against what they pay, annualised."""
    offer = shown.offer
    received = money(offer["amount_financed"]) - fees_of(offer, "upfront")
    flows = [float(received)] + [-float(row_total(r)) for r in shown.loan["schedule"]]
    # A float IRR: the 0 % promotion's comes out as -2.2e-16, so it is cut to 15 places.
    irr = Decimal(repr(float(npf.irr(flows)))).quantize(Decimal("1e-15")) + 0
    nominal, effective = irr * 12, (1 + irr) ** 12 - 1
    assert abs(nominal - Decimal(offer["apr_nominal"])) < Decimal("1e-9")
    assert abs(effective - Decimal(offer["apr_effective"])) < Decimal("1e-9")
    assert (pct(nominal), pct(effective)) == (offer["apr_nominal_percent"],
                                              offer["apr_effective_percent"])  # fmt: skip


@pytest.mark.parametrize("code", list(CASES))
def test_every_number_a_borrower_sees_agrees_from_the_offer_to_the_contract_and_the_loan(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
    code: str,
) -> None:  # fmt: skip
    product = PRODUCTS[code]
    shown = walk(client, container, staff, sms, code)
    rows = shown.loan["schedule"]
    check_offer_is_its_schedule(shown.offer, rows)
    check_loan_carries_the_terms(shown, product)
    check_contract_states_the_offer(shown, product)
    check_contract_rows_are_the_loans(shown)
    check_payout(shown, product)
    check_apr_recomputed(shown)


def test_a_loan_is_booked_and_paid_out_under_the_product_version_its_offer_was_priced_on(
    client: TestClient, container: Container, staff: dict[Role, str], clock: FixedClock
) -> None:
    """The used-car loan is offered under its version 1 (GPS 1,500.00 financed, late fee
    50.00 after 15 days); a version 2 (GPS 2,000.00, late fee 80.00 after 10 days) takes
    effect before the borrower accepts. The loan booked and the dealer's payout are the
    offer's, not version 2's: the borrower accepted numbers, and the contract states them."""
    app = approved(client, staff, "USED_CAR")
    dealer = as_role(client, staff, Role.DEALER)
    offer = _ok(client.get(f"{app}/offers", headers=dealer))["items"][0]
    assert offer["product_version"] == 1
    gps = Fee(kind=FeeKind.GPS, amount=Money.parse("2000", "CNY"), financed=True)
    tomorrow = container.services.clock.today() + timedelta(days=1)
    newer = replace(PRODUCTS["USED_CAR"], effective_from=tomorrow,
                    fees=(ORIGINATION, gps),
                    late_fee=LateFee(amount=Money.parse("80", "CNY"), after_days=10))  # fmt: skip
    assert container.services.products.publish(SYSTEM_ACTOR, newer).version == 2
    clock.advance(timedelta(days=1))  # version 2 is in force when the borrower accepts
    dealer = as_role(client, staff, Role.DEALER)
    loan_id = _ok(client.post(f"{app}/accept", json={"option": 1}, headers=dealer))["loan_id"]
    loan = _ok(
        client.get(f"/api/v1/loans/{loan_id}", headers=as_role(client, staff, Role.SERVICING))
    )
    assert loan["principal"] == offer["amount_financed"]
    assert loan["late_fee"] == {"amount": "50.00", "after_days": 15}
