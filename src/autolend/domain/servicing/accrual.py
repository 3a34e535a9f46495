"""Daily accrual of one loan: the reference the end-of-day batch must match to the fen.

Day ``x`` (every date after ``accrued_through``, up to ``through``) of an *active* loan,
in this order; integer minor units throughout:

1. **Contractual interest.**  Installment ``i`` earns its scheduled interest ``I`` over
   its period ``(period_start, due_date]`` of ``D`` calendar days.  Through day ``d`` of
   the period the cumulative interest is ``round_half_up(I x d / D)``, and day ``d``
   earns the difference from day ``d - 1``; so the days sum exactly to ``I`` on the due
   date.  ``accrued_interest`` (recognised, not yet due) is that cumulative, and drops
   to 0 on the due date, when the interest falls due with its installment.  Example:
   50.00 over 30 days: day 1 1.67 (166.67 fen), day 2 1.66 (cumulative 3.33), day 3
   1.67 (cumulative 5.00) ... day 30 cumulative 50.00.
2. **Penalty** (:func:`~autolend.domain.penalty.daily_penalty`): on the installments
   overdue on ``x`` (due before ``x``, i.e. unpaid at the end of day ``x - 1``), the
   unpaid principal x penalty rate / 360 and (compound) the unpaid interest x penalty
   rate / 360, each rounded half-up, with the penalty rate = ``terms.annual_rate`` x
   (1 + uplift).  Penalty bears no penalty.
3. **Ceiling.**  ``cap = ceiling_amount_from_pack(pack, terms.principal,
   contract_date, (x - terms.start).days)`` (CN: principal x 24 % x days / 360, rounded
   down).  The cost charged so far (upfront cost, interest recognised, fees, penalty,
   compound) after step 1 leaves ``room = cap - cost``; the day's penalty and compound
   are cut to ``room`` (penalty part first), none if ``room <= 0``.
   ``ceiling_reached`` for the day is ``cost after the day >= cap``.  On a due date the
   installment's monthly fee (``LoanState.monthly_fee``, e.g. GPS + insurance) is
   billed first: it becomes receivable and counts as cost from that day.
4. **Late fee** (:mod:`~autolend.domain.servicing.late_fee`, when the contract has
   one): on the installment due ``after_days`` before ``x`` and still unpaid, cut to
   what the ceiling leaves after the penalty; under a pack that forbids pyramiding
   (US), only if the money received falls short of the installments scheduled through it.
5. **Advance.**  If the suspense balance is positive and anything is payable on ``x``,
   it is applied by the waterfall the policy picks for the day's DPD (so a repayment
   made ahead pays each installment on its due date and no penalty starts).

Nothing accrues on a loan that is not active; a loan paid off on day ``x`` stops there.
Accruing through a date already accrued does nothing, and accruing ``n`` days at once
is the same as ``n`` runs of one day.

A repayment with value date ``v`` is allocated *after* the accrual of day ``v``: paid on
the due date, no penalty; paid 10 days late, 10 days of penalty.  :func:`replay` rebuilds
the state from the events in value-date order, so a backdated repayment or a reversal
gives the state as if the events had arrived in order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.penalty import PenaltyPolicy, accrue_penalty, ceiling_amount_from_pack
from autolend.domain.regulation import RegulationPack
from autolend.domain.servicing.allocation import (
    STANDARD_POLICY,
    Allocation,
    WaterfallPolicy,
    advance_allocation,
    allocate,
    apply_allocation,
    waterfall_for,
)
from autolend.domain.servicing.fees import charge_fee
from autolend.domain.servicing.late_fee import LateFeeRule, late_fee_on
from autolend.domain.servicing.state import Component, LoanState, LoanStatus

__all__ = [
    "AccrualResult", "DailyAccrual", "Event", "Repayment", "ReplayResult", "Reversal",
    "accrue", "cumulative_interest", "replay",
]  # fmt: skip

_Date = date
_ONE_DAY = timedelta(days=1)


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


def cumulative_interest(interest: int, day: int, period_days: int) -> int:
    """Interest recognised through day ``day`` of a ``period_days``-day period:
    ``round_half_up(interest x day / period_days)``, exact integer arithmetic.

    >>> [cumulative_interest(5000, d, 30) for d in (1, 2, 3, 29, 30)]
    [167, 333, 500, 4833, 5000]
    """
    if interest < 0 or not 0 <= day <= period_days:
        raise _fail("day", f"{day} must lie within 0..{period_days} with interest >= 0")
    return (2 * interest * day + period_days) // (2 * period_days)


@dataclass(frozen=True, slots=True)
class DailyAccrual:
    """What day ``date`` accrued (minor units): contractual ``interest``, ``penalty``
    and ``compound``; whether the cost stood at the ceiling after it; the allocation
    of the advance if the suspense balance was applied that day; the monthly ``fee``
    billed that day (on a due date); the ``late_fee`` charged that day on installment
    ``late_fee_n`` (0: none)."""

    date: _Date
    interest: int
    penalty: int
    compound: int
    ceiling_reached: bool = False
    advance_applied: Allocation | None = None
    fee: int = 0
    late_fee: int = 0
    late_fee_n: int = 0


@dataclass(frozen=True, slots=True)
class AccrualResult:
    """The state after the run, each day accrued, and whether the ceiling stopped or
    cut the penalty on any of those days."""

    state: LoanState
    days: tuple[DailyAccrual, ...]
    ceiling_reached: bool


def _interest_on(state: LoanState, dues: Sequence[date], day: date) -> tuple[int, int]:
    """The day's contractual interest and the accrued-not-due interest after it."""
    index = bisect_left(dues, day)
    if index == len(dues) or state.installments[index].period_start >= day:
        return 0, 0
    row = state.installments[index]
    days, elapsed = (row.due_date - row.period_start).days, (day - row.period_start).days
    through = cumulative_interest(row.interest_due, elapsed, days)
    earned = through - cumulative_interest(row.interest_due, elapsed - 1, days)
    return earned, (0 if day == row.due_date else through)


def _fee_billed(state: LoanState, dues: Sequence[date], day: date) -> int:
    """The monthly fee of the installment due on ``day`` (0 on other days)."""
    index = bisect_left(dues, day)
    if not state.monthly_fee or index == len(dues) or dues[index] != day:
        return 0
    return min(state.monthly_fee, state.installments[index].outstanding(Component.FEE))


def _cap_on(state: LoanState, day: date, pack: RegulationPack) -> Money:
    """The cost ceiling's amount through ``day``."""
    days = (day - state.terms.start).days
    return ceiling_amount_from_pack(pack, state.terms.principal, state.contract_date, days)


def _penalty_on(
    state: LoanState, day: date, cost: int, policy: PenaltyPolicy, cap: Money
) -> tuple[int, int, bool]:
    """The day's penalty and compound under the ceiling, and whether it is reached."""
    terms = state.terms
    principal = state.money(state.overdue_amount(Component.PRINCIPAL, day))
    interest = state.money(state.overdue_amount(Component.INTEREST, day))
    if principal.is_zero() and interest.is_zero():
        return 0, 0, cost >= cap.minor
    result = accrue_penalty(principal, interest, terms.annual_rate, policy, 1,
                            cost_so_far=state.money(cost), ceiling_amount=cap)  # fmt: skip
    return result.penalty.minor, result.compound.minor, result.ceiling_reached


def _apply_advance(
    state: LoanState, day: date, waterfalls: WaterfallPolicy
) -> tuple[LoanState, Allocation | None]:
    if state.advance == 0 or state.amount_due(day) == 0:
        return state, None
    waterfall = waterfall_for(waterfalls, state.days_past_due(day))
    allocation = advance_allocation(state, day, waterfall)
    return apply_allocation(state, allocation), allocation


def _accrue_day(
    state: LoanState,
    dues: Sequence[date],
    day: date,
    *,
    policy: PenaltyPolicy,
    pack: RegulationPack,
    waterfalls: WaterfallPolicy,
    late_fee: LateFeeRule | None,
) -> tuple[LoanState, DailyAccrual]:
    interest, accrued = _interest_on(state, dues, day)
    fee = _fee_billed(state, dues, day)
    cost = state.cost_charged + interest + fee
    cap = _cap_on(state, day, pack)
    penalty, compound, reached = _penalty_on(state, day, cost, policy, cap)
    room = cap.minor - cost - penalty - compound
    pyramiding = pack.late_fee_pyramiding_allowed
    late_n, late = late_fee_on(state, dues, day, late_fee, room, pyramiding=pyramiding)
    state = replace(
        state,
        accrued_interest=accrued,
        penalty=state.penalty + penalty,
        compound=state.compound + compound,
        cost_charged=cost + penalty + compound,
        ceiling_reached=reached,
        accrued_through=day,
    )
    if late:
        state = charge_fee(state, late_n, state.money(late))
        reached = reached or late < (late_fee.amount if late_fee else 0)
    state, applied = _apply_advance(state, day, waterfalls)
    return state, DailyAccrual(
        day, interest, penalty, compound, reached, applied, fee, late, late_n
    )


def _check_date(value: object, field: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _fail(field, f"must be a date, got {value!r}")
    return value


def accrue(
    state: LoanState,
    through: date,
    policy: PenaltyPolicy,
    pack: RegulationPack,
    *,
    waterfalls: WaterfallPolicy = STANDARD_POLICY,
    late_fee: LateFeeRule | None = None,
) -> AccrualResult:
    """Accrue ``state`` day by day from the day after ``accrued_through`` to ``through``
    inclusive (see the module docstring for the rule of a day); ``late_fee`` is the
    contract's late-fee rule, if it has one.

    >>> from decimal import Decimal
    >>> from autolend.domain.penalty import policy_from_pack
    >>> from autolend.domain.regulation import CN_PACK
    >>> from autolend.domain.schedule import LoanTerms, build_schedule
    >>> terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
    ...                   periods=12, start=date(2026, 1, 5))
    >>> state = LoanState.from_schedule("L1", build_schedule(terms))
    >>> policy = policy_from_pack(CN_PACK, terms.start)
    >>> run = accrue(state, date(2026, 1, 7), policy, CN_PACK)
    >>> [day.interest for day in run.days], run.state.accrued_interest  # 120.00 / 31 days
    ([387, 387], 774)
    >>> accrue(run.state, date(2026, 1, 7), policy, CN_PACK).days  # already accrued
    ()
    """
    through = _check_date(through, "through")
    if not isinstance(policy, PenaltyPolicy):
        raise _fail("policy", f"must be a PenaltyPolicy, got {policy!r}")
    day = (state.accrued_through or state.terms.start) + _ONE_DAY
    dues = tuple(row.due_date for row in state.installments)
    days: list[DailyAccrual] = []
    while day <= through and state.status is LoanStatus.ACTIVE:
        state, accrued = _accrue_day(
            state, dues, day, policy=policy, pack=pack, waterfalls=waterfalls, late_fee=late_fee
        )
        days.append(accrued)
        day += _ONE_DAY
    return AccrualResult(state, tuple(days), any(d.ceiling_reached for d in days))


@dataclass(frozen=True, slots=True)
class Repayment:
    """Money received for the loan with value date ``value_date``; ``seq`` orders the
    repayments of one value date (e.g. the bank's statement sequence)."""

    id: str
    value_date: date
    amount: Money
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Reversal:
    """The reversal of repayment ``reverses`` (e.g. a bounced direct debit): the loan is
    restated as if that repayment had never been received."""

    id: str
    reverses: str
    seq: int = 0


Event = Repayment | Reversal


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """The state through ``through``, each repayment's allocation by id (in value-date
    order), and every day accrued on the way."""

    state: LoanState
    allocations: tuple[tuple[str, Allocation], ...]
    days: tuple[DailyAccrual, ...]


def _in_value_order(events: Sequence[Event]) -> list[Repayment]:
    """The repayments not reversed, by (value date, seq, id); ids must be unique and
    every reversal must name a repayment among the events."""
    ids = [event.id for event in events]
    if len(set(ids)) != len(ids):
        raise _fail("events", "event ids must be unique")
    repayments = {e.id: e for e in events if isinstance(e, Repayment)}
    reversed_ids = {e.reverses for e in events if isinstance(e, Reversal)}
    unknown = reversed_ids - repayments.keys()
    if unknown:
        raise _fail("events", f"reversal of unknown repayment(s) {sorted(unknown)}")
    kept = [r for r in repayments.values() if r.id not in reversed_ids]
    return sorted(kept, key=lambda r: (r.value_date, r.seq, r.id))


def replay(
    initial: LoanState,
    events: Sequence[Event],
    through: date,
    policy: PenaltyPolicy,
    pack: RegulationPack,
    *,
    waterfalls: WaterfallPolicy = STANDARD_POLICY,
    late_fee: LateFeeRule | None = None,
) -> ReplayResult:
    """Rebuild the loan from ``initial`` through ``through`` with ``events`` in value-date
    order: accrue through each value date, allocate the repayment by the waterfall the
    policy picks for the DPD at that moment, apply it, continue; then accrue through
    ``through``.  The arrival order of ``events`` does not matter.

    Value dates must lie from ``initial``'s accrued-through date (or its start) to
    ``through``; replay from a state accrued no later than the earliest value date.
    """
    through = _check_date(through, "through")
    floor = initial.accrued_through or initial.terms.start
    state = initial
    allocations: list[tuple[str, Allocation]] = []
    days: list[DailyAccrual] = []
    for repayment in _in_value_order(events):
        value_date = _check_date(repayment.value_date, "value_date")
        if not floor <= value_date <= through:
            raise _fail("value_date", f"{value_date} must lie from {floor} to {through}")
        run = accrue(state, value_date, policy, pack, waterfalls=waterfalls, late_fee=late_fee)
        state = run.state
        days.extend(run.days)
        waterfall = waterfall_for(waterfalls, state.days_past_due(value_date))
        allocation = allocate(state, repayment.amount, value_date, waterfall)
        state = apply_allocation(state, allocation)
        allocations.append((repayment.id, allocation))
    run = accrue(state, through, policy, pack, waterfalls=waterfalls, late_fee=late_fee)
    return ReplayResult(run.state, tuple(allocations), tuple(days) + run.days)
