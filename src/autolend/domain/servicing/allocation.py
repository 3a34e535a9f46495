"""Where a repayment goes: the allocation waterfall (还款冲抵顺序).

A :class:`Waterfall` is an ordered list of steps ``(component, bucket)``.  The bucket is
``overdue`` (installments whose due date is before ``as_of``) or ``current`` (the
installment due *on* ``as_of``).  Within a step the oldest installment is paid first.
Penalty (with compound interest) is kept per loan and is always overdue, so it has one
step, ``(penalty, overdue)``, which pays penalty interest first, then compound interest.
Every waterfall holds all seven steps once, so a payment covers everything due before
anything is left; what is left after every due item goes to the advance (suspense)
balance: installments not yet due are never paid ahead, and :func:`apply_advance` (run
by the accrual on each due date) moves the suspense onto them as they fall due.

Presets: :data:`DEFAULT_WATERFALL` is penalty -> overdue interest -> overdue fee ->
overdue principal -> current interest -> current fee -> current principal.  Fees come
right after interest, before principal: contractual fees (service, late fees) rank with
interest.  Absent agreement, Civil Code Art. 561 orders costs of enforcing the claim,
then interest, then principal; a waterfall with the fee steps first expresses that.
:data:`PRINCIPAL_FIRST` (先本后息, for non-performing loans) pays principal, then
interest, then fees, and penalty last.  A :class:`WaterfallPolicy` picks one by days past
due (:func:`waterfall_for`).

Worked example: installment 1 of a 12,000.00 loan (interest 120.00, principal 946.19)
is overdue on 2026-02-15 with 5.00 of penalty; 200.00 pays the 5.00 penalty, the 120.00
interest and 75.00 of principal.

>>> from decimal import Decimal
>>> from dataclasses import replace
>>> from autolend.domain.schedule import LoanTerms, build_schedule
>>> terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
...                   periods=12, start=date(2026, 1, 5))
>>> state = replace(LoanState.from_schedule("L1", build_schedule(terms)), penalty=500)
>>> paid = allocate(state, Money.parse("200", "CNY"), date(2026, 2, 15))
>>> paid.to_penalty, [(line.n, line.component.value, line.amount) for line in paid.lines]
(500, [(1, 'interest', 12000), (1, 'principal', 7500)])
>>> apply_allocation(state, paid).installments[0].principal_paid
7500
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from autolend.domain.errors import Conflict, CurrencyMismatch, InvalidInput
from autolend.domain.money import Money
from autolend.domain.servicing.state import (
    INSTALLMENT_COMPONENTS,
    Component,
    InstallmentState,
    LoanState,
    LoanStatus,
)

__all__ = [
    "DEFAULT_WATERFALL", "NON_PERFORMING_POLICY", "PRINCIPAL_FIRST", "STANDARD_POLICY",
    "WATERFALL_POLICIES", "Allocation", "AllocationLine", "Bucket", "Waterfall",
    "WaterfallPolicy", "WaterfallStep", "advance_allocation", "allocate", "apply_advance",
    "apply_allocation", "waterfall_for", "waterfall_policy",
]  # fmt: skip


class Bucket(StrEnum):
    """``overdue``: due before ``as_of``; ``current``: due on ``as_of``."""

    OVERDUE = "overdue"
    CURRENT = "current"


class WaterfallStep(NamedTuple):
    """One step: pay ``component`` of the installments in ``bucket``, oldest first."""

    component: Component
    bucket: Bucket


_PENALTY = WaterfallStep(Component.PENALTY, Bucket.OVERDUE)
_ALL_STEPS = frozenset(
    {_PENALTY}
    | {
        WaterfallStep(c, b)
        for c in INSTALLMENT_COMPONENTS
        for b in (Bucket.OVERDUE, Bucket.CURRENT)
    }
)


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


@dataclass(frozen=True, slots=True)
class Waterfall:
    """A named order of all seven steps; strings are accepted for the step parts.

    >>> Waterfall("short", ((Component.PENALTY, Bucket.OVERDUE),))
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: steps must hold each of the 7 steps once ...
    """

    name: str
    steps: tuple[WaterfallStep, ...]

    def __post_init__(self) -> None:
        try:
            steps = tuple(WaterfallStep(Component(c), Bucket(b)) for c, b in self.steps)
        except (TypeError, ValueError):
            raise _fail("steps", f"must be (component, bucket) pairs, got {self.steps!r}") from None
        if len(steps) != len(_ALL_STEPS) or set(steps) != _ALL_STEPS:
            valid = ", ".join(sorted(f"{c}/{b}" for c, b in _ALL_STEPS))
            raise _fail("steps", f"must hold each of the 7 steps once ({valid})")
        object.__setattr__(self, "steps", steps)


def _steps(*pairs: tuple[Component, Bucket]) -> tuple[WaterfallStep, ...]:
    return tuple(WaterfallStep(c, b) for c, b in pairs)


_I, _P, _F = Component.INTEREST, Component.PRINCIPAL, Component.FEE
_O, _C = Bucket.OVERDUE, Bucket.CURRENT

DEFAULT_WATERFALL = Waterfall(
    "default", _steps(_PENALTY, (_I, _O), (_F, _O), (_P, _O), (_I, _C), (_F, _C), (_P, _C))
)
"""Penalty and compound, overdue interest, fee, principal, then the same for today."""

PRINCIPAL_FIRST = Waterfall(
    "principal_first", _steps((_P, _O), (_P, _C), (_I, _O), (_I, _C), (_F, _O), (_F, _C), _PENALTY)
)
"""Principal (overdue, then today's), interest, fees, and penalty last (先本后息)."""


@dataclass(frozen=True, slots=True)
class WaterfallPolicy:
    """``default``, or from a days-past-due threshold (inclusive) on, another waterfall.

    >>> waterfall_for(NON_PERFORMING_POLICY, 90).name, waterfall_for(NON_PERFORMING_POLICY, 91).name
    ('default', 'principal_first')
    """

    default: Waterfall = DEFAULT_WATERFALL
    from_dpd: tuple[tuple[int, Waterfall], ...] = ()

    def __post_init__(self) -> None:
        previous = 0
        for threshold, waterfall in self.from_dpd:
            if isinstance(threshold, bool) or not isinstance(threshold, int):
                raise _fail("from_dpd", f"thresholds must be ints, got {threshold!r}")
            if threshold <= previous or not isinstance(waterfall, Waterfall):
                raise _fail("from_dpd", "must be increasing thresholds >= 1 with waterfalls")
            previous = threshold


STANDARD_POLICY = WaterfallPolicy()
"""The default waterfall whatever the days past due."""

NON_PERFORMING_POLICY = WaterfallPolicy(DEFAULT_WATERFALL, ((91, PRINCIPAL_FIRST),))
"""The default waterfall, principal first from 91 days past due (non-performing)."""

WATERFALL_POLICIES: dict[str, WaterfallPolicy] = {
    "standard": STANDARD_POLICY,
    "principal_first": WaterfallPolicy(PRINCIPAL_FIRST),
    "non_performing": NON_PERFORMING_POLICY,
}
"""The waterfall policies a product (and so a loan's contract) may name."""


def waterfall_policy(name: object) -> WaterfallPolicy:
    """The policy a product names: ``standard`` (penalty -> overdue interest -> fee ->
    principal -> current ..., whatever the DPD), ``principal_first`` (先本后息 at any
    DPD) or ``non_performing`` (standard, principal first from 91 DPD).

    >>> waterfall_for(waterfall_policy("principal_first"), 0).name
    'principal_first'
    >>> waterfall_policy("interest_last")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: waterfall must be one of standard, principal_first, ...
    """
    policy = WATERFALL_POLICIES.get(name) if isinstance(name, str) else None
    if policy is None:
        allowed = ", ".join(WATERFALL_POLICIES)
        raise _fail("waterfall", f"must be one of {allowed}, got {name!r}")
    return policy


def waterfall_for(policy: WaterfallPolicy, dpd: int) -> Waterfall:
    """The waterfall of the highest threshold at or below ``dpd``, else the default."""
    chosen = policy.default
    for threshold, waterfall in policy.from_dpd:
        if dpd >= threshold:
            chosen = waterfall
    return chosen


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """``amount`` (minor units) to ``component`` of installment ``n``."""

    n: int
    component: Component
    bucket: Bucket
    amount: int


@dataclass(frozen=True, slots=True)
class Allocation:
    """How ``amount`` splits on ``as_of``: installment ``lines``, ``to_penalty``,
    ``to_compound`` and the rest ``to_advance``; the parts always sum to ``amount``.
    ``from_advance``: the money came out of the loan's own suspense balance."""

    loan_id: str
    as_of: date
    amount: Money
    waterfall: str
    lines: tuple[AllocationLine, ...]
    to_penalty: int
    to_compound: int
    to_advance: int
    from_advance: bool = False

    def __post_init__(self) -> None:
        parts = (self.to_penalty, self.to_compound, self.to_advance)
        if min((*parts, *(line.amount for line in self.lines)), default=0) < 0:
            raise _fail("allocation", "parts must not be negative")
        if self.total != self.amount.minor:
            raise _fail("allocation", f"parts sum to {self.total}, not {self.amount.minor}")

    @property
    def total(self) -> int:
        """The sum of all parts (equal to ``amount``)."""
        return (
            sum(line.amount for line in self.lines)
            + self.to_penalty
            + self.to_compound
            + (self.to_advance)
        )

    def to_component(self, component: Component) -> int:
        """The total paid to ``component`` (penalty includes compound)."""
        if component is Component.PENALTY:
            return self.to_penalty + self.to_compound
        return sum(line.amount for line in self.lines if line.component is component)

    def to_installment(self, n: int) -> int:
        """The total paid to installment ``n``."""
        return sum(line.amount for line in self.lines if line.n == n)


def _rows(state: LoanState, bucket: Bucket, as_of: date) -> tuple[InstallmentState, ...]:
    return state.overdue_on(as_of) if bucket is Bucket.OVERDUE else state.current_on(as_of)


def _fill(rows: Iterable[InstallmentState], step: WaterfallStep, left: int) -> list[AllocationLine]:
    lines: list[AllocationLine] = []
    for row in rows:
        take = min(left, row.outstanding(step.component))
        if take:
            lines.append(AllocationLine(row.n, step.component, step.bucket, take))
            left -= take
    return lines


def allocate(
    state: LoanState, amount: Money, as_of: date, waterfall: Waterfall = DEFAULT_WATERFALL
) -> Allocation:
    """Split ``amount`` (>= 0) received on ``as_of`` by ``waterfall``; pure and exact.

    Accrue through ``as_of`` first (the penalty of that day included), as
    :func:`~autolend.domain.servicing.accrual.replay` does.  See the module's example.
    """
    if not isinstance(amount, Money) or amount.is_negative():
        raise _fail("amount", f"must be Money >= 0, got {amount!r}")
    if amount.currency != state.currency:
        message = f"expected an amount in {state.currency.code}, got {amount.currency.code}"
        raise CurrencyMismatch(message, field="currency")
    left, lines, to_penalty, to_compound = amount.minor, [], 0, 0
    for step in waterfall.steps:
        if step == _PENALTY:
            to_penalty = min(left, state.penalty)
            to_compound = min(left - to_penalty, state.compound)
            left -= to_penalty + to_compound
        else:
            filled = _fill(_rows(state, step.bucket, as_of), step, left)
            left -= sum(line.amount for line in filled)
            lines.extend(filled)
    return Allocation(state.loan_id, as_of, amount, waterfall.name, tuple(lines),
                      to_penalty, to_compound, left)  # fmt: skip


def apply_allocation(state: LoanState, allocation: Allocation) -> LoanState:
    """The state after ``allocation``; refused (Conflict) if it no longer fits (applied
    twice, or computed on another state).  An active loan with nothing left to pay
    becomes ``paid_off``; money beyond what is due stays in ``advance``."""
    if allocation.loan_id != state.loan_id or allocation.amount.currency != state.currency:
        raise Conflict("the allocation belongs to another loan", field="allocation")
    advance = state.advance
    if allocation.from_advance:
        if allocation.amount.minor > advance:
            raise Conflict("the allocation takes more than the advance", field="allocation")
        advance -= allocation.amount.minor
    if allocation.to_penalty > state.penalty or allocation.to_compound > state.compound:
        raise Conflict("the allocation pays more penalty than is owed", field="allocation")
    rows = list(state.installments)
    for line in allocation.lines:
        rows[line.n - 1] = rows[line.n - 1].with_payment(line.component, line.amount)
    paid = replace(
        state,
        installments=tuple(rows),
        advance=advance + allocation.to_advance,
        penalty=state.penalty - allocation.to_penalty,
        compound=state.compound - allocation.to_compound,
        penalty_paid=state.penalty_paid + allocation.to_penalty,
        compound_paid=state.compound_paid + allocation.to_compound,
    )
    if paid.status is LoanStatus.ACTIVE and paid.is_settled:
        paid = replace(paid, status=LoanStatus.PAID_OFF)
    return paid


def advance_allocation(
    state: LoanState, as_of: date, waterfall: Waterfall = DEFAULT_WATERFALL
) -> Allocation:
    """The allocation of the whole advance balance on ``as_of`` (what is not needed
    returns to ``advance``)."""
    allocation = allocate(state, state.money(state.advance), as_of, waterfall)
    return replace(allocation, from_advance=True)


def apply_advance(
    state: LoanState, as_of: date, waterfall: Waterfall = DEFAULT_WATERFALL
) -> LoanState:
    """Move the advance (suspense) onto whatever is due on ``as_of``.

    >>> from decimal import Decimal
    >>> from autolend.domain.schedule import LoanTerms, build_schedule
    >>> terms = LoanTerms(principal=Money.parse("1200", "CNY"), annual_rate=Decimal("0.12"),
    ...                   periods=3, start=date(2026, 1, 5))
    >>> state = LoanState.from_schedule("L1", build_schedule(terms))
    >>> ahead = apply_allocation(state, allocate(state, Money.parse("500", "CNY"),
    ...                                          date(2026, 1, 20)))
    >>> ahead.advance, apply_advance(ahead, date(2026, 2, 5)).advance  # 408.03 due on 2026-02-05
    (50000, 9197)
    """
    if state.advance == 0:
        return state
    return apply_allocation(state, advance_allocation(state, as_of, waterfall))
