"""Personalised loan offers (贷款方案): up to four structures of one approved application.

Each :class:`Offer` is one term x down payment at the decision's rate, priced by
:func:`~autolend.domain.quote.build_quote` (so every number is reproducible from the
contract): installment, APR nominal and effective (fees included, PBOC 2021 No. 3),
totals, every fee and a schedule preview (first three rows and the last). An offer
cannot exist without its APR. Each also states what paying late costs under its contract
(:class:`LatePayment`: the penalty rate, the product's late fee), as the contract will.
Under a pack whose APR is Reg Z's (US) it also carries the 12 CFR 1026.18 figures its
contract will state (:class:`TruthInLending`); a CN offer has none and its JSON no key.
:func:`build_offers` tries, in order, the requested
structure, the decision's counter-offers, the neighbouring terms of the product and a
down payment larger by 10 % of the price; it keeps those that pass every product rule
(:func:`~autolend.domain.product_rules.check_request`) and the cost ceiling, at most 4.
A declined decision has no offers; ``as_given`` (a person's counter-offer) tries its
structure alone. The debt and the DSR limit are the decision's (declared or reported).
Under a subsidy plan capped per borrower the subsidy is at most the ``room`` it leaves
them, the borrower's rate raised to fit (:mod:`autolend.domain.offers_subsidy`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from autolend.domain.application import ApplicationInput
from autolend.domain.decision import Decision, Outcome
from autolend.domain.decision_rules import RuleHit, with_dsr_limit
from autolend.domain.errors import InvalidInput
from autolend.domain.fees import FeeTiming, split_fees
from autolend.domain.money import Money, RoundingMode
from autolend.domain.offers_subsidy import OfferBasis, priced_structure, structure_hits
from autolend.domain.penalty import charges_penalty_interest
from autolend.domain.products import Product
from autolend.domain.quote import Quote
from autolend.domain.quote_input import percent_text
from autolend.domain.regulation import pack_for
from autolend.domain.regz import ClosedEndDisclosures
from autolend.domain.schedule.result import ScheduleRow

__all__ = [
    "MAX_OFFERS", "LatePayment", "Offer", "OfferFee", "PreviewRow", "TruthInLending",
    "build_offers", "financed_fees", "late_payment", "offer_disclosures", "offer_from_dict",
    "offer_from_quote", "offer_to_dict", "structure_breaks",
]  # fmt: skip

MAX_OFFERS = 4
LARGER_DOWN_SHARE = Decimal("0.10")
_MONEY_FIELDS = ("down_payment", "amount_financed", "installment", "monthly_payment",
                 "total_interest", "total_fees", "total_cost", "total_repayable")  # fmt: skip


@dataclass(frozen=True)
class OfferFee:
    """One fee in money: ``timing`` upfront or monthly (per payment), ``financed`` or not."""

    kind: str
    label: str
    timing: str
    financed: bool
    amount: Money


@dataclass(frozen=True)
class PreviewRow:
    """One installment as the borrower pays it: ``payment`` is principal + interest +
    ``fee`` (the monthly fees: insurance, GPS), like the offer's monthly payment."""

    n: int
    due_date: date
    payment: Money
    principal: Money
    interest: Money
    balance: Money
    fee: Money | None = None  # None: an offer stored before the fees were shown


@dataclass(frozen=True)
class LatePayment:
    """What paying late costs under an offer's contract: penalty interest at
    ``penalty_rate`` a year on overdue principal (overdue interest compounds at it) from
    the day after the due date, and ``late_fee`` once on an installment still unpaid
    ``late_fee_days`` after its due date (``None``: no late fee). ``penalty_interest``
    False: no penalty interest under the pack (US: uplift 0, no compounding), so
    ``penalty_rate`` is only the contract rate running on overdue principal."""

    penalty_rate: Decimal
    late_fee: Money | None = None
    late_fee_days: int = 0
    penalty_interest: bool = True


def late_payment(product: Product, rate: Decimal) -> LatePayment:
    """The late-payment terms of a loan at the contract rate ``rate`` under ``product``:
    e.g. 8.50 % with the pack's +50 % uplift -> a penalty rate of 12.75 %; the used-car
    loan adds 50.00 after 15 days. Under a subsidy the contract rate is the rate before
    it (the penalty is the contract rate's, PBOC 2003): a 0 % promotion on a 4.50 %
    contract charges 6.75 % on overdue principal, not nothing. A US product (uplift 0,
    overdue interest not compounded) charges no penalty interest: 6.90 % runs on at 6.90 %
    with ``penalty_interest`` False."""
    late = product.late_fee
    penalty = charges_penalty_interest(pack_for(product.pack), product.penalty_uplift)
    return LatePayment(rate * (1 + product.penalty_uplift), late.amount if late else None,
                       late.after_days if late else 0, penalty)  # fmt: skip


@dataclass(frozen=True)
class TruthInLending:
    """An offer's Truth-in-Lending figures (12 CFR 1026.18), as its contract states them:
    ``amount_financed`` (the principal less the fees of the start), ``total_of_payments``
    (the scheduled payments, monthly fees in them), ``finance_charge`` (their
    difference), ``total_sale_price`` (cash price + finance charge) and ``apr`` (Appendix
    J, percent to 2 places). E.g. 24 payments of 230.00 for 5,000.00 financed: 5,520.00
    of payments, a 520.00 finance charge, APR 9.69."""

    amount_financed: Money
    finance_charge: Money
    total_of_payments: Money
    total_sale_price: Money
    apr: Decimal


def offer_disclosures(figures: ClosedEndDisclosures | None) -> TruthInLending | None:
    """The offer's figures of a quote's Reg Z ones; None without (a CN quote)."""
    if figures is None:
        return None
    assert figures.total_sale_price is not None  # an offer is a purchase: it has a cash price
    return TruthInLending(
        figures.amount_financed, figures.finance_charge, figures.total_of_payments,
        figures.total_sale_price, figures.apr,
    )  # fmt: skip


@dataclass(frozen=True)
class Offer:
    """One option; ``total_cost`` is the total cost of credit (interest + fees).

    ``annual_rate`` is the risk-based rate; under an interest subsidy (贴息) the borrower
    pays ``customer_rate`` and ``subsidiser`` pays the lender the rest (3.99 % with a
    2.99 % customer rate: installments, the APR, the loan and its contract at 2.99 %).
    """

    option: int
    term_months: int
    down_payment: Money
    amount_financed: Money
    annual_rate: Decimal
    installment: Money
    monthly_payment: Money
    apr_nominal: Decimal | None
    apr_effective: Decimal | None
    total_interest: Money
    total_fees: Money
    total_cost: Money
    total_repayable: Money
    fees: tuple[OfferFee, ...]
    schedule_preview: tuple[PreviewRow, ...]
    first_due: date
    customer_rate: Decimal | None = None
    subsidiser: str | None = None
    late: LatePayment | None = None  # None: an offer stored before it was stated
    product_version: int | None = None  # the version priced; None: stored before it was kept
    regz: TruthInLending | None = None  # US pack only; None under CN
    # The installments between the first and the last differ (a seasonal or equal-principal
    # schedule): ``installment`` is then the first regular one, not every month's.
    installments_vary: bool = False

    def __post_init__(self) -> None:
        if self.apr_nominal is None or self.apr_effective is None:
            raise InvalidInput("an offer cannot be produced without its APR", field="apr")
        if not 1 <= self.option <= MAX_OFFERS:
            raise InvalidInput(f"option must be from 1 to {MAX_OFFERS}", field="option")


def _row(row: ScheduleRow, fee: Money) -> PreviewRow:
    return PreviewRow(row.n, row.due_date, row.money("payment") + fee, row.money("principal"),
                      row.money("interest"), row.money("closing_balance"), fee)  # fmt: skip


def preview_rows(rows: Sequence[ScheduleRow]) -> tuple[ScheduleRow, ...]:
    """The rows an offer previews: the first three, the largest payment when it is
    elsewhere (a seasonal schedule's harvest month, weighted 2.5), and the last (a
    balloon). E.g. 24 rows whose month 10 pays most -> rows 1, 2, 3, 10 and 24."""
    if len(rows) <= MAX_OFFERS:
        return tuple(rows)
    largest = max(rows, key=lambda r: (r.payment, -r.n))
    middle = (largest,) if 3 < largest.n < rows[-1].n else ()
    return (*rows[:3], *middle, rows[-1])


def offer_from_quote(option: int, quote: Quote) -> Offer:
    """The offer that ``quote`` prices, numbered ``option``."""
    request, rows = quote.request, quote.schedule.rows
    base = request.vehicle_financed
    fees = tuple(OfferFee(f.kind.value, f.label, f.timing.value, f.financed,
                          f.amount_on(base, request.rounding)) for f in request.fees)  # fmt: skip
    monthly = sum((f.amount for f in fees if f.timing == FeeTiming.MONTHLY.value),
                  Money.zero(quote.installment.currency))  # fmt: skip
    return Offer(
        option=option, term_months=request.term_months, down_payment=quote.down_payment,
        amount_financed=quote.amount_financed, annual_rate=request.annual_rate,
        installment=quote.installment, monthly_payment=quote.monthly_payment,
        apr_nominal=quote.apr.nominal, apr_effective=quote.apr.effective,
        total_interest=quote.total_interest, total_fees=quote.total_fees,
        total_cost=quote.total_cost_of_credit, total_repayable=quote.total_repayable,
        fees=fees, schedule_preview=tuple(_row(r, monthly) for r in preview_rows(rows)),
        first_due=rows[0].due_date,
        customer_rate=request.subsidy.customer_rate if request.subsidy else None,
        subsidiser=request.subsidy.subsidiser if request.subsidy else None,
        regz=offer_disclosures(quote.regz),
        installments_vary=any(r.money("payment") != quote.installment for r in rows[1:-1]),
    )  # fmt: skip


def financed_fees(product: Product, application: ApplicationInput) -> Money:
    """The fees ``product`` adds to the loan of the structure asked for, priced on its
    vehicle amount financed as the offer's quote prices them: an offer of that structure
    finances ``application.financed`` + these (STD_NEW: 140,000.00 + its 1,500.00 GPS fee
    = 141,500.00; the 1 % origination fee is paid in cash)."""
    return split_fees(product.fees, application.financed).financed


def _structures(product: Product, application: ApplicationInput, decision: Decision, *,
                as_given: bool = False) -> list[tuple[int, Money]]:  # fmt: skip
    """Candidate (term, down payment) pairs, best first, without repeats."""
    price, term = application.vehicle.price, application.term_months
    down = price - application.financed
    found = [(term, down)]
    if as_given:
        return found
    for counter in decision.counter_offers:
        if counter.amount is not None:
            found.append((term, price - counter.amount))
        found.append((counter.term_months or term, counter.down_payment or down))
    shorter = sorted((t for t in product.terms if t < term), reverse=True)
    longer = sorted(t for t in product.terms if t > term)
    found += [(t, down) for t in shorter[:1] + longer[:1]]
    found.append((term, down + price.multiply(LARGER_DOWN_SHARE, RoundingMode.HALF_UP)))
    found += [(t, down) for t in shorter[1:] + longer[1:]]
    return list(dict.fromkeys(found))


def _checked(product: Product, application: ApplicationInput, obligations: Money | None,
             max_dsr: Decimal | None) -> tuple[Product, Money]:  # fmt: skip
    """The rules an offer keeps (DSR: the tighter limit) and the debt it counts."""
    rules = product if max_dsr is None else with_dsr_limit(product, max_dsr)
    return rules, application.household_obligations if obligations is None else obligations


def build_offers(
    product: Product, application: ApplicationInput, decision: Decision, *, start: date,
    obligations: Money | None = None, max_dsr: Decimal | None = None, as_given: bool = False,
    room: int | None = None,
) -> tuple[Offer, ...]:  # fmt: skip
    """Up to 4 offers at the decision's rate (none for a decline); see the module
    docstring. ``obligations`` (existing monthly debt; default: the declared) and
    ``max_dsr`` (the policy's limit) are the decision's; ``as_given``: one structure;
    ``room``: what the subsidy plan's per-borrower cap leaves (:mod:`.offers_subsidy`)."""
    rate = decision.annual_rate
    if decision.outcome is Outcome.DECLINE or rate is None:
        return ()
    rules, owed = _checked(product, application, obligations, max_dsr)
    basis, offers = OfferBasis(product, rules, application, owed, rate, start, room), list[Offer]()
    for term, down in _structures(product, application, decision, as_given=as_given):
        quote = priced_structure(basis, term, down)
        if quote is not None:
            offer = offer_from_quote(len(offers) + 1, quote)
            late = late_payment(product, rate)
            offers.append(replace(offer, late=late, product_version=product.version))
        if len(offers) == MAX_OFFERS:
            break
    return tuple(offers)


def structure_breaks(
    product: Product, application: ApplicationInput, rate: Decimal, *, start: date,
    obligations: Money | None = None, max_dsr: Decimal | None = None, room: int | None = None,
) -> tuple[RuleHit, ...]:  # fmt: skip
    """The rules the application's own structure breaks at ``rate`` as :func:`build_offers`
    checks them (e.g. ``dsr_above_cap``); none: only the cost ceiling stopped its offer."""
    app = application
    rules, owed = _checked(product, app, obligations, max_dsr)
    basis = OfferBasis(product, rules, app, owed, rate, start, room)
    return structure_hits(basis, app.term_months, app.down_payment)


_pct = percent_text


def offer_to_dict(offer: Offer) -> dict[str, Any]:
    """The offer as JSON: money as "123.45", rates as decimal strings plus percent texts."""
    assert offer.apr_nominal is not None and offer.apr_effective is not None  # checked
    data: dict[str, Any] = {"option": offer.option, "term_months": offer.term_months}
    data |= {name: getattr(offer, name).to_api() for name in _MONEY_FIELDS}
    data |= {
        "currency": offer.installment.currency.code,
        "annual_rate": str(offer.annual_rate), "annual_rate_percent": _pct(offer.annual_rate),
        "apr_nominal": str(offer.apr_nominal), "apr_effective": str(offer.apr_effective),
        "apr_nominal_percent": _pct(offer.apr_nominal),
        "apr_effective_percent": _pct(offer.apr_effective),
        "fees": [{"kind": f.kind, "label": f.label, "timing": f.timing, "financed": f.financed,
                  "amount": f.amount.to_api()} for f in offer.fees],
        "schedule_preview": [{"n": r.n, "due_date": r.due_date.isoformat(),
                              "payment": r.payment.to_api(), "principal": r.principal.to_api(),
                              "interest": r.interest.to_api(), "balance": r.balance.to_api()}
                             | ({} if r.fee is None else {"fee": r.fee.to_api()})
                             for r in offer.schedule_preview],
        "first_due": offer.first_due.isoformat(),
    }  # fmt: skip
    if offer.customer_rate is not None:
        data |= {"customer_rate": str(offer.customer_rate),
                 "customer_rate_percent": _pct(offer.customer_rate),
                 "subsidiser": offer.subsidiser}  # fmt: skip
    if offer.product_version is not None:
        data["product_version"] = offer.product_version
    if offer.regz is not None:  # US only: a CN offer's JSON is as it always was
        data["regz"] = _regz_dict(offer.regz)
    if offer.late is not None:
        data["late"] = _late_dict(offer.late)
    if offer.installments_vary:
        data["installments_vary"] = True
    return data


def _late_dict(late: LatePayment) -> dict[str, Any]:
    """A CN offer's late terms as they always were; without penalty interest (US) no
    ``penalty_rate`` (null) but ``overdue_interest_rate``, the contract rate running on."""
    rate, percent = str(late.penalty_rate), _pct(late.penalty_rate)
    named: dict[str, str | None] = {"penalty_rate": rate, "penalty_rate_percent": percent}
    if not late.penalty_interest:
        named = {"penalty_rate": None, "penalty_rate_percent": None}
        named |= {"overdue_interest_rate": rate, "overdue_interest_rate_percent": percent}
    fee = late.late_fee.to_api() if late.late_fee is not None else None
    return named | {"late_fee": fee, "late_fee_days": late.late_fee_days}


def offer_from_dict(data: dict[str, Any]) -> Offer:
    """The offer stored by :func:`offer_to_dict`."""
    cur = data["currency"]

    def money(text: str) -> Money:
        return Money.parse(text, cur)

    rows = tuple(PreviewRow(r["n"], date.fromisoformat(r["due_date"]), money(r["payment"]),
                            money(r["principal"]), money(r["interest"]), money(r["balance"]),
                            money(r["fee"]) if "fee" in r else None)
                 for r in data["schedule_preview"])  # fmt: skip
    fees = tuple(OfferFee(f["kind"], f["label"], f["timing"], f["financed"], money(f["amount"]))
                 for f in data["fees"])  # fmt: skip
    return Offer(
        option=data["option"], term_months=data["term_months"],
        **{name: money(data[name]) for name in _MONEY_FIELDS},
        annual_rate=Decimal(data["annual_rate"]), apr_nominal=Decimal(data["apr_nominal"]),
        apr_effective=Decimal(data["apr_effective"]), fees=fees, schedule_preview=rows,
        first_due=date.fromisoformat(data["first_due"]),
        customer_rate=Decimal(data["customer_rate"]) if "customer_rate" in data else None,
        subsidiser=data.get("subsidiser"), late=_late_from(data.get("late"), cur),
        product_version=data.get("product_version"), regz=_regz_from(data.get("regz"), cur),
        installments_vary=bool(data.get("installments_vary", False)),
    )  # fmt: skip


_REGZ_MONEY = ("amount_financed", "finance_charge", "total_of_payments", "total_sale_price")


def _regz_dict(regz: TruthInLending) -> dict[str, str]:
    """As the quote API writes them: amounts as decimal strings, ``apr`` in percent."""
    return {name: getattr(regz, name).to_api() for name in _REGZ_MONEY} | {"apr": str(regz.apr)}


def _regz_from(data: dict[str, Any] | None, cur: str) -> TruthInLending | None:
    if data is None:
        return None
    amounts = {name: Money.parse(data[name], cur) for name in _REGZ_MONEY}
    return TruthInLending(**amounts, apr=Decimal(data["apr"]))


def _late_from(data: dict[str, Any] | None, cur: str) -> LatePayment | None:
    if data is None:
        return None
    fee, penalty = data["late_fee"], data["penalty_rate"]
    rate = penalty if penalty is not None else data["overdue_interest_rate"]
    return LatePayment(Decimal(rate), Money.parse(fee, cur) if fee is not None else None,
                       int(data["late_fee_days"]), penalty is not None)  # fmt: skip
