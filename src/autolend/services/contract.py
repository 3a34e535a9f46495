"""A loan's servicing terms beyond its schedule: the product's allocation waterfall and
the monthly fees (GPS, insurance) due with every installment.

Both are fixed at booking and stored in the loan's terms JSON
(:mod:`autolend.services.terms_codec`), so the replay reproduces them from the contract;
a row stored before they existed reads as ``standard`` with no monthly fees.

* ``waterfall``: ``standard`` (penalty -> overdue interest -> overdue fee -> overdue
  principal -> current interest -> current fee -> current principal), ``principal_first``
  (先本后息) or ``non_performing`` (standard, principal first from 91 days past due); see
  :func:`autolend.domain.servicing.waterfall_policy`.
* ``monthly_fees``: per kind, the amount added to each installment's fee due. E.g. GPS
  30.00 and insurance 50.00 on a 12-installment loan: every installment carries 80.00 of
  fee, billed (Dr 1130 fees / Cr 4120 fee income) on its due date, 960.00 in all; a
  payoff before the last due date drops the fees not yet billed.
* ``collateral``: the car the loan is secured on (price and kind, :class:`Collateral`),
  recorded at booking when known (origination always knows it); end of day values it on
  a depreciation curve for the loss given default. Absent on older rows: no collateral.
* ``subsidy_schedule``: a promotion's deferred subsidy (Cr 2400 at disbursement) as the
  amount earned on each installment's due date, minor units, one per installment
  (:func:`autolend.domain.subsidy_schedule.subsidy_schedule`); stored at disbursement,
  empty without a subsidy or on a loan paid out before it existed.
* ``penalty_uplift``: the product's penalty uplift (the penalty rate is the contract rate
  x (1 + uplift), within the pack's range, CN 30 %..50 %); absent on older rows: the
  pack's default on the start date (CN 50 %).
* ``late_fee``: the product's late fee (:class:`~autolend.domain.servicing.LateFeeRule`),
  charged by the daily accrual on an installment still unpaid ``after_days`` after its
  due date, under the cost ceiling; absent: none (penalty interest only).
* ``pd_orig`` and ``model_version``: the probability of default the credit decision
  gave at origination (exact, 0 < PD < 1, stored as a decimal string: ``"0.082346"``)
  and the model that gave it; a manual approval keeps the model's PD. The ECL grades
  the loan by it (:mod:`autolend.batch.pd_grades`). Absent on older rows, on a loan
  referred without a score, and on a loan booked or migrated over the API without one:
  the ECL's conservative default grade.

>>> fees = parse_monthly_fees({"gps": "30.00", "insurance": "50"}, "CNY")
>>> ServicingTerms("principal_first", fees).monthly_minor
8000
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, parse_money
from autolend.domain.servicing import (
    InstallmentState,
    LateFeeRule,
    LoanState,
    WaterfallPolicy,
    cumulative_interest,
    waterfall_policy,
)

MONTHLY_FEE_KINDS = ("gps", "insurance")
"""Fee kinds a contract may carry per installment (also charged one by one in
:mod:`autolend.services.fees`)."""


VEHICLE_TYPES = ("ice_new", "ice_used", "nev_new", "nev_used")
"""The car kinds of the ECL depreciation curves, in their order
(:class:`autolend.batch.ecl.EclConfig`)."""


@dataclass(frozen=True)
class Collateral:
    """The car the loan is secured on (车辆抵押), as the loss given default values it:
    ``price_minor`` its price when the loan began (the appraised price for a used car),
    and ``vehicle_type`` one of :data:`VEHICLE_TYPES`. E.g. a new BYD Qin PLUS bought for
    150,000.00: ``Collateral(15_000_000, "nev_new")``, type index 2."""

    price_minor: int
    vehicle_type: str

    def __post_init__(self) -> None:
        if self.price_minor <= 0:
            raise ValueError(f"a collateral price must be positive, got {self.price_minor}")
        if self.vehicle_type not in VEHICLE_TYPES:
            raise ValueError(f"vehicle_type is one of {VEHICLE_TYPES}, not {self.vehicle_type!r}")

    @property
    def type_index(self) -> int:
        return VEHICLE_TYPES.index(self.vehicle_type)

    @classmethod
    def of(cls, price_minor: int, *, nev: bool, used: bool) -> Collateral:
        return cls(price_minor, f"{'nev' if nev else 'ice'}_{'used' if used else 'new'}")


@dataclass(frozen=True)
class ServicingTerms:
    """The waterfall policy's name and the monthly fees as ``(kind, minor)`` by kind."""

    waterfall: str = "standard"
    monthly_fees: tuple[tuple[str, int], ...] = ()
    opening: Opening | None = None  # a migrated loan's state at the cut-over
    subsidy_schedule: tuple[int, ...] = ()  # deferred subsidy earned per installment
    collateral: Collateral | None = None  # the car, for the loss given default
    late_fee: LateFeeRule | None = None  # charged on an installment left unpaid
    penalty_uplift: Decimal | None = None  # None: the pack's default on the start date
    pd_orig: Decimal | None = None  # the decision's PD at origination, 0 < PD < 1
    model_version: str | None = None  # the credit model that gave ``pd_orig``

    def __post_init__(self) -> None:
        waterfall_policy(self.waterfall)
        if self.pd_orig is not None:
            check_pd(self.pd_orig)

    @property
    def policy(self) -> WaterfallPolicy:
        return waterfall_policy(self.waterfall)

    @property
    def monthly_minor(self) -> int:
        """The fee every installment carries (all kinds together), minor units."""
        return sum(minor for _, minor in self.monthly_fees)


def check_pd(pd: Decimal, field: str = "pd_orig") -> Decimal:
    """``pd`` if it is a probability of default strictly between 0 and 1 (a PD of 0 or 1
    is no estimate the ECL can grade), else :class:`InvalidInput` naming ``field``:
    0.08 passes, 0 and 1.5 are refused."""
    if not pd.is_finite() or not 0 < pd < 1:
        raise InvalidInput(f"{field} must be a probability strictly between 0 and 1", field=field)
    return pd


def parse_pd(raw: str | None, field: str = "pd_orig") -> Decimal | None:
    """A PD as typed, a decimal fraction (``"0.08"`` is 8 %), checked by :func:`check_pd`;
    ``None``: none given. ``"8%"`` and ``"abc"`` are refused naming ``field``."""
    if raw is None:
        return None
    try:
        pd = Decimal(raw.strip())
    except ArithmeticError:
        raise InvalidInput(f"{field} must be a decimal fraction, e.g. 0.08", field=field) from None
    return check_pd(pd, field)


def _fee_items(raw: object) -> list[tuple[object, object]]:
    """``{"gps": "30.00"}`` or ``[{"kind": "gps", "amount": "30.00"}]`` as pairs."""
    if isinstance(raw, Mapping):
        return list(raw.items())
    if isinstance(raw, Sequence) and not isinstance(raw, str):
        pairs = []
        for item in raw:
            if not isinstance(item, Mapping) or set(item) != {"kind", "amount"}:
                raise InvalidInput(
                    'monthly_fees items must be {"kind": ..., "amount": ...}',
                    field="monthly_fees",
                )
            pairs.append((item["kind"], item["amount"]))
        return pairs
    raise InvalidInput("monthly_fees must be an object or a list", field="monthly_fees")


def _amount(amount: object, currency: str, field: str) -> Money:
    """An amount as typed (a decimal string, or Money) in ``currency``, refused naming
    ``field``."""
    if isinstance(amount, Money):
        if amount.currency.code != currency:
            raise InvalidInput(f"{field} must be in {currency}", field=field)
        return amount
    if isinstance(amount, str):
        return parse_money(amount, currency, field=field)
    raise InvalidInput(f"{field} must be a decimal string", field=field)


def parse_late_fee(raw: object, currency: str) -> LateFeeRule | None:
    """A late fee as typed, ``{"amount": "50.00", "after_days": 15}`` (``after_days``
    defaults to 15), to a :class:`LateFeeRule` in ``currency``; ``None`` for none."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not set(raw) <= {"amount", "after_days"}:
        message = 'late_fee must be {"amount": "50.00", "after_days": 15}'
        raise InvalidInput(message, field="late_fee")
    minor = _amount(raw.get("amount"), currency, "late_fee.amount").minor
    try:
        return LateFeeRule(minor, raw.get("after_days", 15))
    except InvalidInput as error:
        raise InvalidInput(f"late_fee.{error}", field=f"late_fee.{error.field}") from error


def parse_monthly_fees(raw: object, currency: str) -> tuple[tuple[str, int], ...]:
    """Monthly fees as typed (decimal strings, or Money) to ``(kind, minor)`` pairs;
    kinds from :data:`MONTHLY_FEE_KINDS`, each once, amounts > 0 in ``currency``."""
    if raw is None:
        return ()
    found: dict[str, int] = {}
    for kind, amount in _fee_items(raw):
        if kind not in MONTHLY_FEE_KINDS or kind in found:
            allowed = ", ".join(MONTHLY_FEE_KINDS)
            raise InvalidInput(
                f"monthly_fees kinds must be distinct, one of {allowed}; got {kind!r}",
                field="monthly_fees",
            )
        field = f"monthly_fees.{kind}"
        money = _amount(amount, currency, field)
        if money.minor <= 0:
            raise InvalidInput(f"{field} must be positive", field=field)
        found[str(kind)] = money.minor
    return tuple(sorted(found.items()))


@dataclass(frozen=True)
class Opening:
    """A migrated loan's servicing state at the end of ``cut_over``: per installment the
    amounts already paid ``(n, principal, interest, fee)``, the penalty unpaid and the
    advance (suspense) held, minor units. The replay starts here, not at booking."""

    cut_over: date
    paid: tuple[tuple[int, int, int, int], ...] = ()
    penalty: int = 0
    advance: int = 0


def _paid_rows(booked: LoanState, opening: Opening) -> tuple[InstallmentState, ...]:
    """The installments with what was paid on each; refused past a due amount or on an
    installment not yet due at the cut-over."""
    cut, rows = opening.cut_over, list(booked.installments)
    for n, principal, interest, fee in opening.paid:
        if not 1 <= n <= len(rows) or rows[n - 1].due_date > cut:
            raise InvalidInput(
                f"installment {n} is not due by the cut-over {cut}; money paid ahead "
                "is the advance",
                field="paid",
            )
        row = rows[n - 1]
        limits = (row.principal_due, row.interest_due, row.fee_due)
        paid = (principal, interest, fee)
        if any(not 0 <= p <= limit for p, limit in zip(paid, limits, strict=True)):
            raise InvalidInput(f"installment {n}: paid exceeds its amounts due", field="paid")
        rows[n - 1] = replace(row, principal_paid=principal, interest_paid=interest, fee_paid=fee)
    return tuple(rows)


def opening_state(booked: LoanState, opening: Opening) -> LoanState:
    """The booked state as the other system left it at the end of ``cut_over``.

    Installments due on or before the cut-over carry what was paid on them (an unpaid
    rest is overdue); later ones nothing (money paid ahead is the ``advance``). Interest
    of the running period is accrued through the cut-over by the contract's own daily
    rule, monthly fees are billed through it, and all of that plus the penalty counts as
    cost charged. E.g. 12,000.00 at 12 % from 2026-01-05, cut over on 2026-03-20:
    installment 3 earns its interest over 2026-03-05..04-05 (31 days), 15 accrued, so
    ``accrued_interest`` = round(interest x 15 / 31).
    """
    cut, rows = opening.cut_over, _paid_rows(booked, opening)
    due = [r for r in rows if r.due_date <= cut]
    running = next((r for r in rows if r.period_start < cut < r.due_date), None)
    accrued = 0
    if running is not None:
        days = (running.due_date - running.period_start).days
        accrued = cumulative_interest(running.interest_due, (cut - running.period_start).days, days)
    cost = sum(r.interest_due for r in due) + accrued + booked.monthly_fee * len(due)
    state = replace(
        booked, installments=rows, accrued_interest=accrued, penalty=opening.penalty,
        advance=opening.advance, cost_charged=cost + opening.penalty, accrued_through=cut,
    )  # fmt: skip
    if state.is_settled:
        raise InvalidInput("the loan is fully paid: there is nothing to migrate", field="paid")
    return state
