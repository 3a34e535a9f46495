"""The Regulation Z figures a US contract states (:func:`truth_in_lending`), from a loan
record and its rows; none under CN. The contract gathered from a real database and
issued over HTTP, US and CN, is ``tests/integration/test_us_contract.py``.

Golden numbers: the odd-first-period APR is worked by the independent Appendix J
computation of ``tests/unit/domain/test_regz_disclosures.py``; the 25,000.00 deal's
figures are worked by hand there and in :func:`truth_in_lending`'s docstring.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

from autolend.domain.contract import Vehicle
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.services.contract_facts import ContractRequest, UpfrontFee, truth_in_lending
from autolend.services.loan_ports import InstallmentRow, LoanRecord
from autolend.services.terms_codec import dump_terms
from tests.unit.domain.test_regz_disclosures import appendix_j_apr

VEHICLE = Vehicle("LSVAU2180N2183294", "Ford", "F-150", "ICE")


def usd(text: str) -> Money:
    return Money.parse(text, "USD")


def _loan(terms: LoanTerms, pack: str) -> tuple[LoanRecord, list[InstallmentRow]]:
    schedule = build_schedule(terms)
    rows = [
        InstallmentRow(r.n, r.due_date, r.principal, r.interest, 0, 0, 0, 0) for r in schedule.rows
    ]
    loan = LoanRecord(
        id=7, customer_id=1, dealer_id=None, owner_user_id=None, product_code="US_NEW",
        status="booked", currency=terms.principal.currency.code,
        approved_minor=terms.principal.minor, principal_minor=terms.principal.minor,
        disbursed_minor=0, terms_json=dump_terms(terms, pack), start_date=terms.start,
        accrued_through=None, closed_on=None, version=1, state_json=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    return loan, rows


ODD = LoanTerms(
    principal=usd("5000"), annual_rate=Decimal("0.20"), periods=12, start=date(2026, 2, 3),
    first_due=date(2026, 3, 2),
)  # fmt: skip
FEE_AT_SIGNING = (UpfrontFee("origination", usd("300")),)


def test_a_us_contract_states_the_appendix_j_apr_of_an_odd_first_period() -> None:
    loan, rows = _loan(ODD, "US")
    figures = truth_in_lending(loan, rows, ContractRequest(7, VEHICLE, "en", FEE_AT_SIGNING))
    flows = [(r.due_date, Fraction(r.principal_due + r.interest_due, 100)) for r in rows]
    golden = appendix_j_apr(Fraction(4700), flows, date(2026, 2, 3))
    assert golden == Decimal("32.57")
    assert figures is not None and figures.apr == golden


def test_a_us_contracts_total_of_payments_leaves_out_the_fee_paid_at_signing() -> None:
    """12 installments of 463.17 summing to 5,554.51; the 300.00 paid at signing is a
    prepaid finance charge, not a scheduled payment (1026.18(h))."""
    loan, rows = _loan(ODD, "US")
    figures = truth_in_lending(loan, rows, ContractRequest(7, VEHICLE, "en", FEE_AT_SIGNING))
    assert figures is not None and figures.total_of_payments == usd("5554.51")


def test_a_cn_loan_has_no_truth_in_lending_figures() -> None:
    terms = LoanTerms(
        principal=Money.parse("5000", "CNY"), annual_rate=Decimal("0.20"), periods=12,
        start=date(2026, 2, 3), first_due=date(2026, 3, 2),
    )  # fmt: skip
    loan, rows = _loan(terms, "CN")
    fee = (UpfrontFee("origination", Money.parse("300", "CNY")),)
    assert truth_in_lending(loan, rows, ContractRequest(7, VEHICLE, "zh_CN", fee)) is None


def test_truth_in_lending_gives_the_1026_18_figures_of_the_25000_deal() -> None:
    terms = LoanTerms(
        principal=usd("25000"), annual_rate=Decimal("0.06"), periods=60, start=date(2026, 1, 15)
    )
    loan, rows = _loan(terms, "US")
    request = ContractRequest(
        7, VEHICLE, "en", (UpfrontFee("documentation", usd("595")),), down_payment=usd("0")
    )
    figures = truth_in_lending(loan, rows, request)
    assert figures is not None
    assert figures.amount_financed == usd("24405")
    assert figures.total_of_payments == usd("28999.23")
    assert figures.finance_charge == usd("4594.23")
    assert figures.total_sale_price == usd("29594.23")
    assert figures.apr == Decimal("7.01")


def test_without_a_known_down_payment_a_us_contract_has_no_total_sale_price() -> None:
    loan, rows = _loan(ODD, "US")
    figures = truth_in_lending(loan, rows, ContractRequest(7, VEHICLE, "en", FEE_AT_SIGNING))
    assert figures is not None and figures.total_sale_price is None
    assert (figures.amount_financed, figures.finance_charge) == (usd("4700"), usd("854.51"))
