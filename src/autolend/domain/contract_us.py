"""A US loan's contract: the Truth-in-Lending disclosures of 12 CFR 1026.18 first, and
none of the CN contract's Chinese-law content (resident ID, penalty interest and its
compounding, the comprehensive cost ceiling, the separate consent to sensitive data).

The order: the federal box (creditor (a), ANNUAL PERCENTAGE RATE (e), FINANCE CHARGE
(d), Amount Financed (b), Total of Payments (h), Total Sale Price (j) when the cash price
is known), the payment schedule (g) as runs of equal payments, the late charge (l), the
security interest (m), prepayment (k: the penalty and the refund of the finance charge);
then the parties and the car (the borrower by name only), the loan's rate and fees,
interest after a late payment only where the pack's uplift is not 0 or it compounds, or
the borrower's subsidised rate is below it,
consents and the electronic signature. Amounts are in dollars ("4594.23" -> "$4,594.23").
A zh_CN contract says the same in Chinese with the federal terms in English beside.
Dates are written in the pack's style in English (US: MM/DD/YYYY, a consent's time on
the lender's clock, its zone named, "12/01/2026 10:05 AM (Eastern Time)", to the minute)
and ISO in Chinese ("2026-12-01 10:05（美国东部时间）").

>>> doc = build_us_document(example_us_facts(), "en")
>>> doc.lines()[2:4]
['Creditor: autolend auto finance; contract no. AL-7 (loan 7), issued 01/15/2026', \
'ANNUAL PERCENTAGE RATE (the cost of your credit as a yearly rate): 7.01%']
>>> [line for line in doc.lines() if "payments of" in line or "late" in line]
['59 payments of $483.32, due monthly from 02/15/2026 to 12/15/2030', \
'If a payment is 10 days or more late, you will be charged $25.00.']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from autolend.domain.calendar import add_months
from autolend.domain.contract import (
    ContractDocument,
    ContractFacts,
    FeeLine,
    InstallmentLine,
    Section,
    example_facts,
    percent,
)
from autolend.domain.date_text import DateStyle, day_text, local_minute
from autolend.domain.errors import InvalidInput
from autolend.domain.regulation import pack_for

__all__ = ["build_us_document", "dollars", "example_us_facts"]

Labels = dict[str, object]

_EN: Labels = {
    "title": "Auto Loan Contract",
    "box": "Truth-in-Lending Disclosures",
    "creditor": "Creditor: autolend auto finance; contract no. {0} (loan {1}), issued {2}",
    "apr": "ANNUAL PERCENTAGE RATE (the cost of your credit as a yearly rate): {0}",
    "finance_charge": "FINANCE CHARGE (the dollar amount the credit will cost you): {0}",
    "amount_financed": "Amount Financed (the amount of credit provided to you or on your "
    "behalf): {0}",
    "total_of_payments": "Total of Payments (the amount you will have paid after you have "
    "made all payments as scheduled): {0}",
    "total_sale_price": "Total Sale Price (the total cost of your purchase on credit, "
    "including your down payment of {1}): {0}",
    "schedule": "Payment schedule",
    "run": "{0} payments of {1}, due monthly from {2} to {3}",
    "run_one": "1 payment of {1}, due {2}",
    "late": "Late charge",
    "late_line": "If a payment is {0} days or more late, you will be charged {1}.",
    "late_line_one": "If a payment is 1 day or more late, you will be charged {1}.",
    "no_late": "No late charge.",
    "security": "Security interest",
    "security_line": "You are giving a security interest in the motor vehicle being "
    "purchased: {1} {2}, VIN {0}.",
    "prepay": "Prepayment",
    "prepay_free": "If you pay off early, you will not have to pay a penalty.",
    "prepay_fee": "If you pay off early, you will have to pay a prepayment fee of {0} of "
    "the principal you pay early.",
    "trade_in": "The prepayment fee is waived when you pay off on a trade-in.",
    "refund": "If you pay off early, you will not be entitled to a refund of part of the "
    "finance charge: interest is charged only to the day you pay, and fees paid or "
    "financed at signing are not refunded.",
    "parties": "Parties and vehicle",
    "borrower": "Borrower: {0}",
    "dealer": "Dealer: {0}",
    "vehicle_line": "Vehicle: {1} {2} ({3}), VIN {0}",
    "nev": "electric or plug-in hybrid",
    "ice": "internal combustion",
    "terms": "Loan terms and fees",
    "principal": "Principal: {0}, repaid in {1} monthly payments; interest from {2}",
    "rate": "Contract interest rate: {0} a year",
    "subsidy": "Interest subsidy: you pay interest at {0} a year; the {1} pays the lender "
    "the difference to the contract rate.",
    "subsidisers": {"oem": "car maker", "dealer": "dealer", "state": "government program"},
    "fee_line": "{0}: {1} ({2})",
    "when": {
        "upfront": "paid at signing",
        "financed": "financed in the principal",
        "monthly": "with every payment",
        "on_event": "when it arises",
    },
    "fee_names": {
        "origination": "Origination fee",
        "documentation": "Documentation fee",
        "gps": "GPS service fee",
        "credit_insurance": "Credit insurance premium",
        "insurance": "Credit insurance premium",
        "monthly_service": "Monthly service fee",
        "other": "Other fee",
    },
    "no_fees": "No other fees.",
    "penalty": "Interest after a late payment",
    "penalty_line": "Overdue principal bears interest at {0} a year from the day after its "
    "due date.",
    "compounds": "Unpaid interest bears interest at the same rate.",
    "consents": "Consents",
    "consent_names": {
        "bureau_query": "Authorization to obtain your credit report",
        "data_processing": "Use of your personal information",
    },
    "consent_line": "{0} (text version {1}), given {2}",
    "no_consents": "No consents recorded.",
    "signing": "Electronic signature",
    "signing_line": "You sign with a one-time code texted to your phone; the SHA-256 "
    "digest of this document is registered in the contract registry chain.",
}

_ZH: Labels = {
    "title": "汽车贷款合同",
    "box": "诚实借贷披露（Truth-in-Lending Disclosures）",
    "creditor": "债权人：autolend 汽车金融；合同编号：{0}（贷款编号 {1}），签发日期 {2}",
    "apr": "年利率（ANNUAL PERCENTAGE RATE，以年利率表示的信贷成本）：{0}",
    "finance_charge": "融资费用（FINANCE CHARGE，该笔信贷将花费您的金额）：{0}",
    "amount_financed": "融资金额（Amount Financed，向您或代您提供的信贷金额）：{0}",
    "total_of_payments": "付款总额（Total of Payments，按计划付清全部款项后您将支付的金额）：{0}",
    "total_sale_price": "赊购总价（Total Sale Price，赊购的总成本，含首付款 {1}）：{0}",
    "schedule": "还款计划",
    "run": "{0} 期，每期 {1}，按月于 {2} 至 {3} 到期",
    "run_one": "1 期 {1}，于 {2} 到期",
    "late": "逾期费用",
    "late_line": "任一期还款逾期 {0} 日或以上的，将收取 {1}。",
    "no_late": "不收取逾期费用。",
    "security": "担保权益",
    "security_line": "您以所购机动车设定担保权益：{1} {2}，车辆识别代号（VIN）{0}。",
    "prepay": "提前还款",
    "prepay_free": "提前还清贷款无需支付违约金。",
    "prepay_fee": "提前还清贷款须按提前偿还本金的 {0} 支付提前还款费。",
    "trade_in": "以旧换新时提前还清免收提前还款费。",
    "refund": "提前还清贷款时，您无权要求退还部分融资费用：利息仅计至还款之日，"
    "签约时支付或计入本金的费用不予退还。",
    "parties": "合同各方与车辆",
    "borrower": "借款人：{0}",
    "dealer": "经销商：{0}",
    "vehicle_line": "车辆：{1} {2}（{3}），车辆识别代号（VIN）{0}",
    "nev": "纯电动或插电式混合动力",
    "ice": "燃油车",
    "terms": "贷款条件与费用",
    "principal": "贷款本金：{0}，分 {1} 期按月偿还，起息日 {2}",
    "rate": "合同年利率：{0}",
    "subsidy": "贴息：您按年利率 {0} 承担利息，与合同利率的差额由{1}向贷款人支付。",
    "subsidisers": {"oem": "汽车厂商", "dealer": "经销商", "state": "政府贴息项目"},
    "fee_line": "{0}：{1}（{2}）",
    "when": {
        "upfront": "签约时支付",
        "financed": "计入贷款本金",
        "monthly": "每期随还款支付",
        "on_event": "发生时收取",
    },
    "fee_names": {
        "origination": "手续费",
        "documentation": "文件费",
        "gps": "GPS 服务费",
        "credit_insurance": "信用保险费",
        "insurance": "信用保险费",
        "monthly_service": "月服务费",
        "other": "其他费用",
    },
    "no_fees": "不收取其他费用。",
    "penalty": "逾期后的利息",
    "penalty_line": "逾期本金自到期日次日起按年利率 {0} 计息。",
    "compounds": "未付利息按同一利率计息。",
    "consents": "授权与同意",
    "consent_names": {"bureau_query": "信用报告查询授权", "data_processing": "个人信息使用同意"},
    "consent_line": "{0}（文本版本 {1}），同意时间 {2}",
    "no_consents": "尚无记录的授权。",
    "signing": "电子签署",
    "signing_line": "您以发送至手机的一次性验证码签署本合同；"
    "合同文件的 SHA-256 摘要登记于合同登记链。",
}

_LABELS: dict[str, Labels] = {"en": _EN, "zh_CN": _ZH}
_ZH_NUMBERS = "一二三四五六七八九十"
_NOT_IN_US = frozenset({"sensitive_data"})  # PIPL's separate consent: no US counterpart


def dollars(text: str, code: str = "USD") -> str:
    """An amount as the contract prints it: ``"4594.23"`` -> ``"$4,594.23"``; in a
    currency other than USD as given with its code (``"12.00 CNY"``)."""
    return f"${Decimal(text):,.2f}" if code == "USD" else f"{text} {code}"


def _say(labels: Labels, key: str, *args: object) -> str:
    return str(labels[key]).format(*args)


def _named(labels: Labels, names: str, code: str) -> str:
    found = labels[names]
    assert isinstance(found, dict)
    return str(found.get(code.lower(), code))


def build_us_document(facts: ContractFacts, locale: str) -> ContractDocument:
    """Lay a US loan's facts out (see the module); a section without content is left
    out, and the sections are numbered as printed (1., 2. ... / 一、二、...)."""
    if locale not in _LABELS:
        raise InvalidInput(f"locale must be one of {', '.join(_LABELS)}", field="locale")
    labels = _LABELS[locale]
    style: DateStyle = pack_for(facts.pack).form_look.date_style if locale == "en" else "iso"
    sections = [
        _box(facts, labels, style),
        Section(str(labels["schedule"]), _schedule(facts, labels, style)),
        _late(facts, labels),
        Section(str(labels["security"]), (_security(facts, labels),)),
        _prepayment(facts, labels),
        _parties(facts, labels),
        _terms(facts, labels, style),
        *_penalty(facts, labels),
        _consents(facts, labels, style, locale),
        Section(str(labels["signing"]), (str(labels["signing_line"]),)),
    ]
    numbered = tuple(
        replace(s, heading=_numbered(locale, i, s.heading)) for i, s in enumerate(sections, 1)
    )
    return ContractDocument(locale, str(labels["title"]), numbered)


def _numbered(locale: str, n: int, heading: str) -> str:
    return f"{_ZH_NUMBERS[n - 1]}、{heading}" if locale == "zh_CN" else f"{n}. {heading}"


def _box(f: ContractFacts, labels: Labels, style: DateStyle) -> Section:
    """The federal box: a figure the facts do not know is left out (the total sale
    price of a loan whose down payment is not known)."""
    lines = [_say(labels, "creditor", f.contract_no, f.loan_id, day_text(f.issued_on, style)),
             _say(labels, "apr", percent(f.apr_nominal))]  # fmt: skip
    if f.finance_charge is not None:
        lines.append(_say(labels, "finance_charge", dollars(f.finance_charge, f.currency)))
    if f.amount_financed is not None:
        lines.append(_say(labels, "amount_financed", dollars(f.amount_financed, f.currency)))
    lines.append(_say(labels, "total_of_payments", dollars(f.total_payments, f.currency)))
    if f.total_sale_price is not None and f.down_payment is not None:
        price, down = dollars(f.total_sale_price, f.currency), dollars(f.down_payment, f.currency)
        lines.append(_say(labels, "total_sale_price", price, down))
    return Section(str(labels["box"]), tuple(lines))


def _schedule(f: ContractFacts, labels: Labels, style: DateStyle) -> tuple[str, ...]:
    """Runs of equal consecutive payments: 59 of 483.32 then 1 of 483.35 is two lines."""
    return tuple(
        _say(labels, "run" if count > 1 else "run_one", count, dollars(amount, f.currency),
             day_text(first, style), day_text(last, style))
        for count, amount, first, last in _runs(f.installments)
    )  # fmt: skip


def _runs(rows: Sequence[InstallmentLine]) -> list[tuple[int, str, date, date]]:
    """``(count, payment, first due, last due)`` of each run of equal payments."""
    runs: list[tuple[int, str, date, date]] = []
    for row in rows:
        if runs and runs[-1][1] == row.payment:
            count, amount, first, _ = runs[-1]
            runs[-1] = (count + 1, amount, first, row.due_date)
        else:
            runs.append((1, row.payment, row.due_date, row.due_date))
    return runs


def _late(f: ContractFacts, labels: Labels) -> Section:
    """The contract's late fee: charged on a payment still unpaid ``days`` days after its
    due date, so a payment made on that day is already "``days`` days late"."""
    if f.late_fee is None:
        return Section(str(labels["late"]), (str(labels["no_late"]),))
    amount, days = f.late_fee
    key = "late_line_one" if days == 1 and "late_line_one" in labels else "late_line"
    return Section(str(labels["late"]), (_say(labels, key, days, dollars(amount, f.currency)),))


def _security(f: ContractFacts, labels: Labels) -> str:
    v = f.vehicle
    return _say(labels, "security_line", v.vin, v.make, v.model)


def _prepayment(f: ContractFacts, labels: Labels) -> Section:
    if f.prepayment_rate is None or f.prepayment_rate == 0:
        lines = [str(labels["prepay_free"])]
    else:
        lines = [_say(labels, "prepay_fee", percent(f.prepayment_rate))]
        if f.trade_in_waived:
            lines.append(str(labels["trade_in"]))
    return Section(str(labels["prepay"]), (*lines, str(labels["refund"])))


def _parties(f: ContractFacts, labels: Labels) -> Section:
    v = f.vehicle
    kind = str(labels["nev"] if v.powertrain == "NEV" else labels["ice"])
    return Section(str(labels["parties"]), (
        _say(labels, "borrower", f.borrower), _say(labels, "dealer", f.dealer),
        _say(labels, "vehicle_line", v.vin, v.make, v.model, kind),
    ))  # fmt: skip


def _terms(f: ContractFacts, labels: Labels, style: DateStyle) -> Section:
    lines = [_say(labels, "principal", dollars(f.principal, f.currency), f.periods,
                  day_text(f.start, style)),
             _say(labels, "rate", percent(f.nominal_rate))]  # fmt: skip
    if f.customer_rate is not None:
        who = _named(labels, "subsidisers", f.subsidiser or "")
        lines.append(_say(labels, "subsidy", percent(f.customer_rate), who))
    when = labels["when"]
    assert isinstance(when, dict)
    fees = [_say(labels, "fee_line", _named(labels, "fee_names", fee.name),
                 dollars(fee.amount, f.currency), when.get(fee.when, fee.when))
            for fee in f.fees]  # fmt: skip
    return Section(str(labels["terms"]), (*lines, *(fees or [str(labels["no_fees"])])))


def _penalty(f: ContractFacts, labels: Labels) -> tuple[Section, ...]:
    """Interest after a late payment, only where overdue principal bears more than the
    borrower pays on time: the pack's uplift, compounding, or a subsidy (the US pack has
    neither of the first two, so only a subsidised loan says it). A 0 % promotion on a
    5.50 % contract: "Overdue principal bears interest at 5.50% a year ...", as its offer
    says, where the contract used to be silent beside its 0.00 % APR."""
    compounds = pack_for(f.pack).compounds_overdue_interest
    overdue = f.nominal_rate * (1 + f.penalty_uplift)
    subsidised = f.customer_rate is not None and f.customer_rate != overdue
    if f.penalty_uplift == 0 and not compounds and not subsidised:
        return ()
    lines = [_say(labels, "penalty_line", percent(overdue))]
    if compounds:
        lines.append(str(labels["compounds"]))
    return (Section(str(labels["penalty"]), tuple(lines)),)


def _consents(f: ContractFacts, labels: Labels, style: DateStyle, locale: str) -> Section:
    lines = tuple(
        _say(labels, "consent_line", _named(labels, "consent_names", c.kind), c.text_version,
             local_minute(c.granted_at, style, f.zone, locale))
        for c in f.consents if c.kind not in _NOT_IN_US
    )  # fmt: skip
    return Section(str(labels["consents"]), lines or (str(labels["no_consents"]),))


def example_us_facts() -> ContractFacts:
    """The 25,000.00 deal of :func:`autolend.services.contract_facts.truth_in_lending`:
    nothing down, a 595.00 fee at signing, 59 payments of 483.32 and one of 483.35."""
    start = date(2026, 1, 15)
    rows = tuple(
        InstallmentLine(n, add_months(start, n), "483.35" if n == 60 else "483.32", "0", "0", "0")
        for n in range(1, 61)
    )
    return replace(
        example_facts(), contract_no="AL-7", loan_id=7, issued_on=start,
        borrower="John Smith", borrower_id="", currency="USD", principal="25000.00",
        periods=60, start=start, nominal_rate=Decimal("0.06"), apr_nominal=Decimal("0.0701"),
        apr_effective=Decimal("0.0724"), total_payments="28999.23", penalty_uplift=Decimal(0),
        fees=(FeeLine("documentation", "595.00", "upfront"),), installments=rows, pack="US",
        amount_financed="24405.00", finance_charge="4594.23", total_sale_price="29594.23",
        down_payment="0.00", late_fee=("25.00", 10), zone="America/New_York",
    )  # fmt: skip
