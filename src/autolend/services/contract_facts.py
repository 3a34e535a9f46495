"""Gathering a contract's facts from a booked loan: borrower (in full), dealer, schedule,
rates (nominal and the borrower's APR with every fee), penalty and prepayment rules, and
the borrower's consents with their text versions.

The APR is the IRR of the cash the borrower receives (principal less fees paid up front)
against each installment as stored (principal + interest + monthly fees), annualised
nominal (x 12) and effective. Example: 12,000.00 at 12 % over 12 months with 30.00 GPS a
month: the installments carry 1,096.19, the APR is about 17.8 % nominal.

The total of payments is what the borrower pays after the down payment, as the offer's
total repayable: every installment as stored plus the fees paid in cash at the start. A
fee financed into the principal is paid through the installments and is not counted
again: 141,500.00 (GPS 1,500.00 financed) repaid by installments of 161,964.15 with a
1,400.00 origination fee in cash is 163,364.15.

Under the US pack the contract states Regulation Z's figures instead
(:func:`truth_in_lending`): the APR is Appendix J's (odd days over a 30-day month), the
amount financed is the principal less the fees paid or withheld at signing (1026.18(b)),
the total of payments is the installments alone (1026.18(h)), the finance charge their
difference and the total sale price the cash price plus the finance charge (1026.18(j)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from autolend.domain.apr import AnnualisedRate
from autolend.domain.borrower_apr import ClosedEndDisclosures, disclosed_apr
from autolend.domain.contract import ConsentLine, ContractFacts, FeeLine, InstallmentLine, Vehicle
from autolend.domain.date_text import in_utc
from autolend.domain.errors import InvalidInput, NotFound
from autolend.domain.money import Money, currency
from autolend.domain.payoff import PrepaymentFeeRule
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import build_schedule
from autolend.services.customers import sealing_context
from autolend.services.loan_ports import InstallmentRow, LoanRecord
from autolend.services.ports import PersonalDataCipher, UnitOfWork
from autolend.services.terms_codec import load_fee_rule, load_servicing, load_terms

POWERTRAINS = ("NEV", "ICE")


@dataclass(frozen=True)
class UpfrontFee:
    """A fee of the start: paid in cash at signing, or ``financed`` (in the principal)."""

    name: str
    amount: Money
    financed: bool = False


@dataclass(frozen=True)
class ContractRequest:
    """What the contract needs beyond the loan: the vehicle and any fees paid up front."""

    loan_id: int
    vehicle: Vehicle
    locale: str | None = None  # None: the loan's pack's language (CN zh_CN, US en)
    upfront_fees: tuple[UpfrontFee, ...] = ()
    down_payment: Money | None = None  # a purchase's: gives Reg Z its total sale price


def validate_vehicle(vehicle: Vehicle) -> Vehicle:
    """Reject what a contract cannot state: a VIN not 17 characters, an unknown powertrain."""
    vin = vehicle.vin.strip().upper()
    if len(vin) != 17 or not vin.isalnum() or set(vin) & set("IOQ"):
        raise InvalidInput("the VIN must be 17 letters or digits, without I, O or Q",
                           field="vehicle.vin")  # fmt: skip
    if vehicle.powertrain not in POWERTRAINS:
        raise InvalidInput("powertrain must be NEV or ICE", field="vehicle.powertrain")
    if not vehicle.make.strip() or not vehicle.model.strip():
        raise InvalidInput("make and model are required", field="vehicle.make")
    return Vehicle(vin, vehicle.make.strip(), vehicle.model.strip(), vehicle.powertrain)


def _text(minor: int, code: str) -> str:
    return Money(minor, currency(code)).to_api()


def _borrower(uow: UnitOfWork, cipher: PersonalDataCipher, loan: LoanRecord) -> tuple[str, str]:
    """The borrower's name and resident ID in full: the contract must identify its party
    (the document is stored sealed, :mod:`autolend.services.contract_documents`)."""
    row = None if loan.customer_id is None else uow.customers.by_id(loan.customer_id)
    if row is None:
        raise InvalidInput("the loan has no borrower to sign the contract", field="loan_id")
    opened = cipher.open(row.sealed, context=sealing_context(row.id_number_index))
    return opened["name"], opened["id_number"]


def borrower_phone(uow: UnitOfWork, cipher: PersonalDataCipher, loan: LoanRecord) -> str:
    row = None if loan.customer_id is None else uow.customers.by_id(loan.customer_id)
    if row is None:
        raise NotFound("the loan has no borrower")
    return cipher.open(row.sealed, context=sealing_context(row.id_number_index))["phone"]


def _apr(
    loan: LoanRecord, rows: Sequence[InstallmentRow], upfront: int, cash_price: Money | None
) -> tuple[AnnualisedRate, ClosedEndDisclosures | None]:
    """The APR by the loan's pack (:func:`disclosed_apr`): the principal less every fee of
    the start against each installment as stored, on its due date; with the Reg Z
    figures under the US pack."""
    terms, pack = load_terms(loan.terms_json)
    cur = currency(loan.currency)
    dues = [(r.due_date, r.principal_due + r.interest_due + r.fee_due) for r in rows]
    payments = [(when, Money(minor, cur)) for when, minor in dues]
    received = Money(loan.principal_minor - upfront, cur)
    return disclosed_apr(pack, received, payments, build_schedule(terms), cash_price=cash_price)


def _down_payment(loan: LoanRecord, request: ContractRequest) -> Money | None:
    """The request's down payment, else the one recorded at disbursement, else None."""
    if request.down_payment is not None or loan.down_payment_minor is None:
        return request.down_payment
    return Money(loan.down_payment_minor, currency(loan.currency))


def _cash_price(loan: LoanRecord, request: ContractRequest) -> Money | None:
    """The car's cash price: down payment + principal - fees financed into it; None when no
    down payment is known (:func:`_down_payment`)."""
    cur = currency(loan.currency)
    down = _down_payment(loan, request)
    if down is None:
        return None
    financed = sum(fee.amount.minor for fee in request.upfront_fees if fee.financed)
    return down + Money(loan.principal_minor - financed, cur)


def truth_in_lending(
    loan: LoanRecord, rows: Sequence[InstallmentRow], request: ContractRequest
) -> ClosedEndDisclosures | None:
    """The 1026.18 figures a US contract states; None under any other pack.

    E.g. a 25,000.00 car, nothing down, a 595.00 fee paid at signing, 59 installments of
    483.32 and a last one of 483.35 (6 %): amount financed 25,000.00 - 595.00 =
    24,405.00; total of payments 59 x 483.32 + 483.35 = 28,999.23; finance charge
    28,999.23 - 24,405.00 = 4,594.23; total sale price 25,000.00 + 4,594.23 = 29,594.23.
    """
    upfront = sum(fee.amount.minor for fee in request.upfront_fees)
    return _apr(loan, rows, upfront, _cash_price(loan, request))[1]


def _fees(loan: LoanRecord, request: ContractRequest) -> tuple[FeeLine, ...]:
    upfront = [
        FeeLine(fee.name, fee.amount.to_api(), "financed" if fee.financed else "upfront")
        for fee in request.upfront_fees
    ]
    monthly = [
        FeeLine(kind.upper() if kind == "gps" else kind, _text(minor, loan.currency), "monthly")
        for kind, minor in load_servicing(loan.terms_json).monthly_fees
    ]
    return tuple(upfront + monthly)


def _installments(rows: Sequence[InstallmentRow], code: str) -> tuple[InstallmentLine, ...]:
    return tuple(
        InstallmentLine(r.n, r.due_date, _text(r.principal_due + r.interest_due + r.fee_due, code),
                        _text(r.principal_due, code), _text(r.interest_due, code),
                        _text(r.fee_due, code))
        for r in rows
    )  # fmt: skip


def _consents(uow: UnitOfWork, customer_id: int | None, zone: str) -> tuple[ConsentLine, ...]:
    """The borrower's standing consents, each granted at its time on the lender's clock
    (``zone``): stored 2026-12-02 04:44 UTC is 12:44 in Asia/Shanghai."""
    if customer_id is None:
        return ()
    rows, local = uow.consents.list_for(customer_id), ZoneInfo(zone)
    return tuple(
        ConsentLine(r.kind, r.text_version, in_utc(r.granted_at).astimezone(local))
        for r in rows if r.revoked_at is None
    )  # fmt: skip


def gather_facts(uow: UnitOfWork, cipher: PersonalDataCipher, loan: LoanRecord,
                 request: ContractRequest, *, contract_no: str, issued_on: date,
                 zone: str) -> ContractFacts:  # fmt: skip
    """Every fact the contract states, read in the caller's transaction, its times on the
    lender's clock (``zone``, the one ``issued_on`` is a day of); a fee in another
    currency than the loan's is refused naming ``upfront_fees.currency``."""
    if any(fee.amount.currency.code != loan.currency for fee in request.upfront_fees):
        raise InvalidInput(f"upfront_fees must be in the loan's currency, {loan.currency}",
                           field="upfront_fees.currency")  # fmt: skip
    terms, pack = load_terms(loan.terms_json)
    rows = uow.loans.installments(loan.id)
    if not rows:
        raise InvalidInput("the loan has no schedule to put in a contract", field="loan_id")
    upfront = sum(fee.amount.minor for fee in request.upfront_fees)
    in_cash = sum(fee.amount.minor for fee in request.upfront_fees if not fee.financed)
    apr, regz = _apr(loan, rows, upfront, _cash_price(loan, request))
    rule, rate = load_fee_rule(loan.terms_json)
    name, id_number = _borrower(uow, cipher, loan)
    dealer = uow.dealers.name_of(loan.dealer_id) if loan.dealer_id is not None else None
    total = sum(r.principal_due + r.interest_due + r.fee_due for r in rows) + in_cash
    if regz is not None:  # 1026.18(h): the scheduled payments only, no fee paid at signing
        total = regz.total_of_payments.minor
    return ContractFacts(
        contract_no=contract_no, loan_id=loan.id, issued_on=issued_on, zone=zone,
        borrower=name, borrower_id=id_number, dealer=dealer or "—", vehicle=request.vehicle,
        currency=loan.currency, principal=_text(loan.principal_minor, loan.currency),
        periods=len(rows), start=terms.start, nominal_rate=terms.annual_rate,
        apr_nominal=apr.nominal, apr_effective=apr.effective,
        total_payments=_text(total, loan.currency),
        penalty_uplift=_uplift(loan, pack, terms.start),
        prepayment_rate=None if rule is PrepaymentFeeRule.NONE else rate,
        trade_in_waived=rule is PrepaymentFeeRule.WAIVED_TRADE_IN,
        fees=_fees(loan, request), installments=_installments(rows, loan.currency),
        consents=_consents(uow, loan.customer_id, zone),
        customer_rate=terms.subsidy.customer_rate if terms.subsidy else None,
        subsidiser=terms.subsidy.subsidiser if terms.subsidy else None,
        late_fee=_late_fee(loan), pack=pack,
        **_regz_facts(regz, _down_payment(loan, request)),
    )  # fmt: skip


def _regz_facts(regz: ClosedEndDisclosures | None, down: Money | None) -> dict[str, str | None]:
    """The 1026.18 figures a US contract prints beside its APR and total of payments:
    amount financed, finance charge, and the total sale price with the down payment in
    it when the cash price is known; nothing under another pack."""
    if regz is None:
        return {}
    price = regz.total_sale_price
    return {
        "amount_financed": regz.amount_financed.to_api(),
        "finance_charge": regz.finance_charge.to_api(),
        "total_sale_price": None if price is None else price.to_api(),
        "down_payment": None if price is None or down is None else down.to_api(),
    }


def _uplift(loan: LoanRecord, pack: str, start: date) -> Decimal:
    """The contract's penalty uplift: the product's, else the pack's default."""
    uplift = load_servicing(loan.terms_json).penalty_uplift
    return uplift if uplift is not None else pack_for(pack).penalty_uplift(start).default


def _late_fee(loan: LoanRecord) -> tuple[str, int] | None:
    """The contract's late fee as the contract states it (amount, days after due)."""
    rule = load_servicing(loan.terms_json).late_fee
    return None if rule is None else (_text(rule.amount, loan.currency), rule.after_days)


def contract_number(loan_id: int, at: datetime, zone: str) -> str:
    """``AL-<loan>-<yyyymmddHHMMSS on the lender's clock>``, so that the number tells the
    day the contract says it was issued: loan 310 at 2026-12-02 04:45:26 UTC in
    Asia/Shanghai is ``AL-310-20261202124526`` (it read ``...044526``, UTC)."""
    return f"AL-{loan_id}-{in_utc(at).astimezone(ZoneInfo(zone)):%Y%m%d%H%M%S}"
