"""A loan contract as a document: the disclosures the regulation pack asks for, in order.

The service gathers the facts (:class:`ContractFacts`: amounts already as text, rates as
fractions); :func:`build_document` lays them out as titled sections of plain lines in
zh-CN or en, which an adapter renders to PDF. The same lines are the document's text
layer, so tests and reviewers read exactly what was printed. Its times are the lender's:
a consent given at 04:44 UTC reads "同意时间 2026-12-02 12:44（北京时间）" (``zone``
Asia/Shanghai); the contract number names its loan as "贷款编号 310", not "loan:310".

>>> facts = example_facts()
>>> doc = build_document(facts, "zh_CN")
>>> doc.title
'汽车消费贷款合同'
>>> [line for line in doc.lines() if line.startswith("年化利率")]
['年化利率（APR，含全部费用）：名义 12.68%，实际 13.41%']
>>> build_document(facts, "en").title
'Auto Loan Contract'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from autolend.domain.date_text import local_minute
from autolend.domain.errors import InvalidInput
from autolend.domain.regulation import CN_PACK, known_pack

LOCALES = ("zh_CN", "en")


@dataclass(frozen=True)
class Vehicle:
    vin: str
    make: str
    model: str
    powertrain: str  # NEV | ICE


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount: str
    when: str  # upfront (in cash) | financed (in the principal) | monthly | on_event


@dataclass(frozen=True)
class ConsentLine:
    kind: str
    text_version: str
    granted_at: datetime  # on the wall clock of the contract's ``zone``


@dataclass(frozen=True)
class InstallmentLine:
    n: int
    due_date: date
    payment: str
    principal: str
    interest: str
    fee: str


@dataclass(frozen=True)
class ContractFacts:
    """Everything the contract states; personal data arrives already masked."""

    contract_no: str
    loan_id: int
    issued_on: date
    borrower: str
    borrower_id: str
    dealer: str
    vehicle: Vehicle
    currency: str
    principal: str
    periods: int
    start: date
    nominal_rate: Decimal
    apr_nominal: Decimal
    apr_effective: Decimal
    total_payments: str
    penalty_uplift: Decimal
    prepayment_rate: Decimal | None
    trade_in_waived: bool
    fees: tuple[FeeLine, ...]
    installments: tuple[InstallmentLine, ...]
    consents: tuple[ConsentLine, ...]
    customer_rate: Decimal | None = None  # under an interest subsidy (贴息)
    subsidiser: str | None = None
    late_fee: tuple[str, int] | None = None  # (amount, days after the due date)
    pack: str = "CN"  # the regulation pack: its contract_form chooses the document
    zone: str = "Asia/Shanghai"  # the lender's time zone (IANA), named beside each time
    amount_financed: str | None = None  # Regulation Z (US pack): 1026.18(b)
    finance_charge: str | None = None  # 1026.18(d)
    total_sale_price: str | None = None  # 1026.18(j), when the cash price is known
    down_payment: str | None = None  # named in the total sale price


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ContractDocument:
    locale: str
    title: str
    sections: tuple[Section, ...]

    def lines(self) -> list[str]:
        """Every printed line, headings included, in order (the text layer)."""
        out = [self.title]
        for section in self.sections:
            out.append(section.heading)
            out.extend(section.lines)
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def percent(fraction: Decimal) -> str:
    """A fraction as a percent with two places, half-up: ``Decimal('0.126825') -> '12.68%'``."""
    return f"{(fraction * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


_ZH: dict[str, object] = {
    "title": "汽车消费贷款合同",
    "parties": "一、合同各方",
    "no": "合同编号：{0}（贷款编号 {1}），签发日期 {2}",
    "borrower": "借款人：{0}（身份证号 {1}）",
    "lender": "贷款人：autolend 汽车金融；经销商：{0}",
    "vehicle": "二、车辆",
    "vehicle_line": "车辆识别代号（VIN）：{0}；品牌/型号：{1} {2}；动力类型：{3}",
    "nev": "新能源汽车",
    "ice": "燃油车",
    "loan": "三、贷款金额、期限与利率",
    "principal": "贷款本金：{0} {1}；期数：{2} 期（按月），起息日 {3}",
    "rate": "合同年利率（名义）：{0}",
    "subsidy": "贴息：借款人按年利率 {0} 承担利息，与合同利率的差额由{1}向贷款人支付。",
    "subsidisers": {"oem": "汽车厂商", "dealer": "经销商", "state": "政府贴息项目"},
    "apr": "年化利率（APR，含全部费用）：名义 {0}，实际 {1}",
    "total": "还款总额：{0} {1}",
    "fees": "四、费用",
    "fee_line": "{0}：{1} {2}（{3}）",
    "no_fees": "本合同不收取其他费用。",
    "when": {
        "upfront": "签约时支付，经销商代收，放款时从放款金额中扣除",
        "financed": "计入贷款本金，随每期还款偿还",
        "monthly": "每期随还款收取",
        "on_event": "发生时收取",
    },
    "fee_names": {
        "origination": "手续费",
        "gps": "GPS 服务费",
        "credit_insurance": "信用保险费",
        "insurance": "信用保险费",
        "monthly_service": "月服务费",
        "other": "其他费用",
    },
    "consent_names": {
        "bureau_query": "征信查询授权",
        "data_processing": "个人信息处理同意",
        "sensitive_data": "敏感个人信息处理单独同意",
    },
    "schedule": "五、还款计划",
    "row": "第{0}期 {1}：应还 {2}（本金 {3}，利息 {4}，费用 {5}）",
    "penalty": "六、逾期罚息",
    "penalty_line": "逾期本金自到期日次日起按合同利率上浮 {0} 计收罚息（罚息年利率 {1}）；"
    "未付利息按罚息利率计收复利。",
    "late_fee_line": "任一期应还本息到期后满 {2} 日仍未足额偿还的，就该期一次性收取逾期违约金 "
    "{0} {1}；罚息、复利、违约金与其他费用合计不超过综合融资成本上限。",
    "prepay": "七、提前还款",
    "prepay_free": "借款人可随时提前还款，利息按实际使用期间计算，不收取提前还款费。",
    "prepay_fee": "提前还款按提前偿还本金的 {0} 收取提前还款费；利息按实际使用期间计算。",
    "trade_in": "以旧换新（置换购车）时免收提前还款费。",
    "mortgage": "八、车辆抵押",
    "mortgage_line": "借款人以上述车辆设定抵押担保本合同项下全部债务，并于放款后办理抵押登记；"
    "债务清偿后贷款人配合解除抵押。",
    "consents": "九、授权与同意",
    "consent_line": "{0}（文本版本 {1}），同意时间 {2}",
    "no_consents": "尚无记录的授权。",
    "signing": "十、电子签署",
    "signing_line": "借款人以发送至其手机的一次性验证码签署本合同；"
    "合同文件的 SHA-256 摘要登记于合同登记链。",
}

_EN: dict[str, object] = {
    "title": "Auto Loan Contract",
    "parties": "1. Parties",
    "no": "Contract no. {0} (loan {1}), issued {2}",
    "borrower": "Borrower: {0} (resident ID {1})",
    "lender": "Lender: autolend auto finance; dealer: {0}",
    "vehicle": "2. Vehicle",
    "vehicle_line": "VIN: {0}; make/model: {1} {2}; powertrain: {3}",
    "nev": "new energy vehicle (NEV)",
    "ice": "internal combustion (ICE)",
    "loan": "3. Amount, term and rate",
    "principal": "Principal: {0} {1}; {2} monthly installments from {3}",
    "rate": "Contract annual rate (nominal): {0}",
    "subsidy": "Interest subsidy: the borrower pays interest at {0} a year; the {1} pays the "
    "lender the difference to the contract rate.",
    "subsidisers": {"oem": "car maker", "dealer": "dealer", "state": "government programme"},
    "apr": "APR (all fees included): nominal {0}, effective {1}",
    "total": "Total of payments: {0} {1}",
    "fees": "4. Fees",
    "fee_line": "{0}: {1} {2} ({3})",
    "no_fees": "No other fees are charged under this contract.",
    "when": {
        "upfront": "paid at signing, collected by the dealer and deducted from the payout",
        "financed": "added to the principal, repaid with the installments",
        "monthly": "with every installment",
        "on_event": "when it arises",
    },
    "fee_names": {
        "origination": "Origination fee",
        "gps": "GPS service fee",
        "credit_insurance": "Credit insurance premium",
        "insurance": "Credit insurance premium",
        "monthly_service": "Monthly service fee",
        "other": "Other fee",
    },
    "consent_names": {
        "bureau_query": "Credit bureau query",
        "data_processing": "Processing of personal data",
        "sensitive_data": "Processing of sensitive personal data (separate consent)",
    },
    "schedule": "5. Repayment schedule",
    "row": "#{0} {1}: pay {2} (principal {3}, interest {4}, fees {5})",
    "penalty": "6. Penalty interest",
    "penalty_line": "Overdue principal bears penalty interest from the day after its due date "
    "at the contract rate plus {0} (penalty rate {1} a year); unpaid interest compounds "
    "at the penalty rate.",
    "late_fee_line": "An installment whose principal and interest are not paid in full {2} days "
    "after its due date is charged a late fee of {0} {1}, once; penalty interest, late fees "
    "and all other costs together stay within the comprehensive cost ceiling.",
    "late_fee_line_one": "An installment whose principal and interest are not paid in full "
    "{2} day after its due date is charged a late fee of {0} {1}, once; penalty interest, "
    "late fees and all other costs together stay within the comprehensive cost ceiling.",
    "prepay": "7. Prepayment",
    "prepay_free": "The borrower may prepay at any time; interest is charged only for the "
    "period actually used; no prepayment fee.",
    "prepay_fee": "A prepayment fee of {0} of the principal prepaid applies; interest is "
    "charged only for the period actually used.",
    "trade_in": "The prepayment fee is waived on a trade-in.",
    "mortgage": "8. Vehicle mortgage",
    "mortgage_line": "The borrower mortgages the vehicle above as security for all debts under "
    "this contract, registered after disbursement and released once they are repaid.",
    "consents": "9. Consents",
    "consent_line": "{0} (text version {1}), given {2}",
    "no_consents": "No consents recorded.",
    "signing": "10. Electronic signature",
    "signing_line": "The borrower signs with a one-time code sent to their mobile phone; the "
    "SHA-256 digest of this document is registered in the contract registry chain.",
}

_LABELS: dict[str, dict[str, object]] = {"zh_CN": _ZH, "en": _EN}


def _label(labels: dict[str, object], key: str, *args: object) -> str:
    return str(labels[key]).format(*args)


def _named(labels: dict[str, object], names: str, code: str) -> str:
    """A fee or consent by its name in the contract's language (``gps`` -> "GPS 服务费");
    a name the lender gave its own fee stays as given."""
    found = labels[names]
    assert isinstance(found, dict)
    return str(found.get(code.lower(), code))


def build_document(facts: ContractFacts, locale: str) -> ContractDocument:
    """The contract's ten sections (module example); a us_tila pack's: :mod:`.contract_us`."""
    if (known_pack(facts.pack) or CN_PACK).contract_form == "us_tila":
        from autolend.domain.contract_us import build_us_document  # noqa: PLC0415 - it imports us

        return build_us_document(facts, locale)
    if locale not in _LABELS:
        raise InvalidInput(f"locale must be one of {', '.join(LOCALES)}", field="locale")
    labels = _LABELS[locale]
    sections = (
        _parties(facts, labels),
        _vehicle(facts, labels),
        _loan(facts, labels),
        _fees(facts, labels),
        Section(str(labels["schedule"]), tuple(_row(r, labels) for r in facts.installments)),
        _penalty(facts, labels),
        _prepayment(facts, labels),
        Section(str(labels["mortgage"]), (str(labels["mortgage_line"]),)),
        _consents(facts, labels, locale),
        Section(str(labels["signing"]), (str(labels["signing_line"]),)),
    )
    return ContractDocument(locale, str(labels["title"]), sections)


def _parties(f: ContractFacts, labels: dict[str, object]) -> Section:
    return Section(str(labels["parties"]), (
        _label(labels, "no", f.contract_no, f.loan_id, f.issued_on.isoformat()),
        _label(labels, "borrower", f.borrower, f.borrower_id), _label(labels, "lender", f.dealer),
    ))  # fmt: skip


def _vehicle(f: ContractFacts, labels: dict[str, object]) -> Section:
    v = f.vehicle
    kind = str(labels["nev"] if v.powertrain == "NEV" else labels["ice"])
    return Section(
        str(labels["vehicle"]), (_label(labels, "vehicle_line", v.vin, v.make, v.model, kind),)
    )


def _loan(f: ContractFacts, labels: dict[str, object]) -> Section:
    subsidy: tuple[str, ...] = ()
    if f.customer_rate is not None:
        names = labels["subsidisers"]
        assert isinstance(names, dict)
        who = names.get(f.subsidiser, f.subsidiser)
        subsidy = (_label(labels, "subsidy", percent(f.customer_rate), who),)
    return Section(
        str(labels["loan"]),
        (
            _label(labels, "principal", f.principal, f.currency, f.periods, f.start.isoformat()),
            _label(labels, "rate", percent(f.nominal_rate)),
            *subsidy,
            _label(labels, "apr", percent(f.apr_nominal), percent(f.apr_effective)),
            _label(labels, "total", f.total_payments, f.currency),
        ),
    )


def _fees(f: ContractFacts, labels: dict[str, object]) -> Section:
    when = labels["when"]
    assert isinstance(when, dict)
    lines = tuple(
        _label(labels, "fee_line", name, fee.amount, f.currency, when.get(fee.when, fee.when))
        for fee, name in ((fee, _named(labels, "fee_names", fee.name)) for fee in f.fees)
    )
    return Section(str(labels["fees"]), lines or (str(labels["no_fees"]),))


def _row(r: InstallmentLine, labels: dict[str, object]) -> str:
    return _label(labels, "row", r.n, r.due_date, r.payment, r.principal, r.interest, r.fee)


def _penalty(f: ContractFacts, labels: dict[str, object]) -> Section:
    penalty_rate = f.nominal_rate * (1 + f.penalty_uplift)
    line = _label(labels, "penalty_line", percent(f.penalty_uplift), percent(penalty_rate))
    if f.late_fee is None:
        return Section(str(labels["penalty"]), (line,))
    amount, days = f.late_fee
    late = _label(labels, _late_fee_key(labels, days), amount, f.currency, days)
    return Section(str(labels["penalty"]), (line, late))


def _late_fee_key(labels: dict[str, object], days: int) -> str:
    """The late-fee label for ``days``: the singular one (``late_fee_line_one``) for one
    day where the language has it, else ``late_fee_line``. English says "1 day" but
    "15 days"; Chinese has no plural, so its labels carry only ``late_fee_line``.

    >>> _late_fee_key(_EN, 1), _late_fee_key(_EN, 15), _late_fee_key(_ZH, 1)
    ('late_fee_line_one', 'late_fee_line', 'late_fee_line')
    """
    return "late_fee_line_one" if days == 1 and "late_fee_line_one" in labels else "late_fee_line"


def _prepayment(f: ContractFacts, labels: dict[str, object]) -> Section:
    if f.prepayment_rate is None or f.prepayment_rate == 0:
        return Section(str(labels["prepay"]), (str(labels["prepay_free"]),))
    lines = [_label(labels, "prepay_fee", percent(f.prepayment_rate))]
    if f.trade_in_waived:
        lines.append(str(labels["trade_in"]))
    return Section(str(labels["prepay"]), tuple(lines))


def _consents(f: ContractFacts, labels: dict[str, object], locale: str) -> Section:
    lines = tuple(
        _label(labels, "consent_line", name, c.text_version,
               local_minute(c.granted_at, "iso", f.zone, locale))
        for c, name in ((c, _named(labels, "consent_names", c.kind)) for c in f.consents)
    )  # fmt: skip
    return Section(str(labels["consents"]), lines or (str(labels["no_consents"]),))


def example_facts() -> ContractFacts:
    """A small contract for examples and tests: 12,000.00 CNY over 2 months."""
    return ContractFacts(
        contract_no="C-1", loan_id=1, issued_on=date(2026, 1, 5), borrower="张*",
        borrower_id="110105********002X", dealer="Dealer One",
        vehicle=Vehicle("LSVAU2180N2183294", "BYD", "Qin PLUS", "NEV"), currency="CNY",
        principal="12000.00", periods=2, start=date(2026, 1, 5), nominal_rate=Decimal("0.12"),
        apr_nominal=Decimal("0.1268"), apr_effective=Decimal("0.1341"),
        total_payments="12180.50", penalty_uplift=Decimal("0.5"), prepayment_rate=None,
        trade_in_waived=False, fees=(FeeLine("GPS", "30.00", "monthly"),),
        installments=(InstallmentLine(1, date(2026, 2, 5), "6090.25", "5970.25", "120.00", "0"),),
        consents=(),
    )  # fmt: skip
