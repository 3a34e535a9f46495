"""Expected credit loss (IFRS 9 / CAS 22, and CECL) per loan over columns.

For month ``j = 0, 1, ...`` of the loan's remaining installments (stage 1: the first
12 only; stages 2 and 3: all of them; a loan under CECL, ``lifetime`` (a pack whose
``provisioning`` is ``cecl``: US): all of them whatever its stage, as CECL has no
12-month ECL):

* ``EAD_j`` = arrears (overdue principal, interest and fee) + the principal not yet
  due before installment ``j`` is paid (+ the accrued interest for ``j = 0``);
* ``PD_j`` = the marginal default probability of month ``j`` from the grade's
  cumulative PD curve, on the loans not prepaid before month ``j``:
  ``min(1, overlay x (cum[j + 1] - cum[j])) x (1 - smm)^j``, ``smm`` the monthly
  prepayment rate (single monthly mortality; 0 by default, the lender calibrates it
  from its own payoff history). E.g. marginal PD 0.5 % and smm 1 % give month 2
  0.5 % x 0.99^2 = 0.490 %, so the survival curve accounts for both default and
  prepayment;
* ``recovery_j`` = ``max(0, price x retention x exp(-decay x (age + j) / 12) x
  (1 - haircut) - repossession cost)``, retention and decay by vehicle type (ICE or
  NEV, new or used), the repossession cost the loan's own (its currency's, in its minor
  units: :attr:`EclInputs.repossession_cost`) or else the config's one for every loan:
  the car depreciates, the repossession cost does not, so a car
  worth 40,000.00 then 20,000.00 after the haircut, less a cost of 12,000.00,
  recovers 28,000.00 then 8,000.00 (and 0, never less, once it is worth under the
  cost). Loss given default is ``LGD_j = max(0, EAD_j - recovery_j) / EAD_j``;
* ``DF_j = (1 + r / 12)^-(j + 1)``, ``r`` the loan's annual rate (its effective
  monthly rate, as the installments were built);

``ECL = sum_j PD_j x LGD_j x EAD_j x DF_j``.  Stage 3 (credit-impaired) takes PD 1 now:
``ECL = max(0, EAD_0 - recovery_0)``.

Worked example: one installment left, EAD 50,000.00, recovery 40,000.00, marginal PD
2 %, rate 12 %: 0.02 x 10,000.00 / 1.01 = 198.02.

>>> cfg = EclConfig(cumulative_pd=np.array([[0.0, 0.02]]), retention=(1.0,) * 4,
...                 decay=(0.0,) * 4, haircut=0.0, repossession_cost=0)
>>> inputs = EclInputs(stage=np.array([1]), grade=np.array([0]), arrears=np.array([0]),
...     balance=np.array([5_000_000]), remaining=np.array([1]), row_start=np.array([0]),
...     row_principal=np.array([5_000_000]),
...     accrued=np.array([0]),
...     annual_rate=np.array([1_200_000_000]), price=np.array([4_000_000]),
...     vehicle_type=np.array([0]), age_months=np.array([0]))
>>> expected_credit_loss(inputs, cfg)
array([19802])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from autolend.batch.book import Column
from autolend.batch.int_rounding import RATE_SCALE, FloatArray, IntArray
from autolend.domain.errors import InvalidInput

__all__ = ["EclConfig", "EclInputs", "constant_hazard_curve", "expected_credit_loss"]

ANNUAL_PD_BY_GRADE = (0.004, 0.007, 0.012, 0.02, 0.033, 0.055, 0.09, 0.15, 0.25, 0.4)
"""12-month PD of grades 0 (best) to 9, for the default curve."""


def constant_hazard_curve(annual_pd: Sequence[float], months: int = 121) -> FloatArray:
    """Cumulative PD ``1 - (1 - PD12)^(m / 12)`` for ``m = 0 .. months - 1`` per grade
    (a constant monthly hazard): 12-month PD 2 % gives 0.168 % in month 1."""
    pd = np.asarray(annual_pd, dtype=np.float64)[:, None]
    m = np.arange(months, dtype=np.float64)[None, :]
    curve: FloatArray = 1.0 - (1.0 - pd) ** (m / 12.0)
    return curve


@dataclass(frozen=True, slots=True)
class EclConfig:
    """PD term structure by grade (``cumulative_pd[grade, month]``, month 0 = now), the
    macro ``overlay`` multiplier, the depreciation curve by vehicle type (0 ICE new,
    1 ICE used, 2 NEV new, 3 NEV used: value = price x retention x exp(-decay x
    years of age)), the ``haircut``, the ``repossession_cost`` in minor units (taken off
    each month's depreciated value in full) and the ``monthly_prepayment`` rate (SMM, 0
    to 1: the share of the loans still running that pay off early each month,
    calibrated by the lender from its own payoff history; 0, the default, counts no
    prepayment); ``repossession_cost_by_currency`` overrides the repossession cost for
    the loans in a currency (code, minor units of that currency)."""

    cumulative_pd: FloatArray = field(
        default_factory=lambda: constant_hazard_curve(ANNUAL_PD_BY_GRADE)
    )
    overlay: float = 1.0
    retention: tuple[float, float, float, float] = (0.85, 0.9, 0.8, 0.85)
    decay: tuple[float, float, float, float] = (0.15, 0.12, 0.22, 0.2)
    haircut: float = 0.2
    repossession_cost: int = 300_000
    horizon_12m: int = 12
    monthly_prepayment: float = 0.0
    repossession_cost_by_currency: tuple[tuple[str, int], ...] = ()

    def repossession_cost_for(self, currency: str) -> int:
        """The repossession cost of a loan in ``currency`` (its minor units): the one
        given for that currency, else ``repossession_cost``. With ``(("USD", 150_000),)``
        a USD loan's is 1,500.00, a CNY loan's the default 3,000.00 (300,000 fen)."""
        return dict(self.repossession_cost_by_currency).get(currency, self.repossession_cost)

    def __post_init__(self) -> None:
        # A rate outside [0, 1] would give a negative or growing survival weight.
        if not 0.0 <= self.monthly_prepayment <= 1.0:
            raise InvalidInput(
                f"the monthly prepayment rate {self.monthly_prepayment} is not within 0 to 1",
                field="monthly_prepayment",
            )


@dataclass(frozen=True, slots=True)
class EclInputs:
    """Per loan: ``stage``, ``grade``, ``arrears``, ``balance`` (principal not yet due)
    and ``accrued`` interest (minor units); its ``remaining`` installments are at
    ``row_start + j`` of the flat (CSR) ``row_principal``;
    ``annual_rate`` over 10^10, the car's ``price``, ``vehicle_type`` and
    ``age_months``; ``lifetime`` (bool, None: none) marks the loans under CECL, summed
    over the life in stage 1 too; ``repossession_cost`` (minor units, None: the
    config's ``repossession_cost`` for every loan) is each loan's own."""

    stage: Column
    grade: Column
    arrears: Column
    balance: Column
    remaining: Column
    row_start: Column
    row_principal: Column
    accrued: Column
    annual_rate: Column
    price: Column
    vehicle_type: Column
    age_months: Column
    lifetime: Column | None = None
    repossession_cost: Column | None = None


def collateral_after_haircut(
    price: Column, vehicle_type: Column, age_months: Column | FloatArray, cfg: EclConfig
) -> FloatArray:
    """``price x retention x exp(-decay x age / 12) x (1 - haircut)`` (before the
    repossession cost)."""
    retention = np.asarray(cfg.retention)[vehicle_type]
    decay = np.asarray(cfg.decay)[vehicle_type]
    value: FloatArray = price * retention * np.exp(-decay * age_months / 12.0) * (1 - cfg.haircut)
    return value


def _horizon(inputs: EclInputs, cfg: EclConfig, months: int) -> IntArray:
    """Months summed per loan: stage 1 at most 12 (the life under CECL), stage 2 the
    life, stage 3 one."""
    life = np.clip(inputs.remaining, 1, months)
    twelve = inputs.stage == 1
    if inputs.lifetime is not None:
        twelve = twelve & ~inputs.lifetime.astype(np.bool_)
    horizon = np.where(twelve, np.minimum(life, cfg.horizon_12m), life)
    out: IntArray = np.where(inputs.stage >= 3, 1, horizon).astype(np.int64)
    return out


def _principal_at(principal: Column, index: IntArray, has_rows: Column) -> Column:
    """``principal[index]`` where the loan has rows (0 elsewhere, index kept in range)."""
    if principal.size == 0:
        return np.zeros(len(index), dtype=np.int64)
    out: Column = np.where(has_rows, principal[np.minimum(index, principal.size - 1)], 0)
    return out


def _marginal_pd(cfg: EclConfig) -> FloatArray:
    """``PD_j`` by grade and month ``j``: the overlaid marginal default probability of the
    cumulative curve, capped at 1, times ``(1 - smm)^j``, the share of the loans not
    prepaid before month ``j``.  E.g. cumulative 0, 0.1, 0.2 and smm 10 %: 0.1, 0.09."""
    marginal = np.minimum(cfg.overlay * np.diff(cfg.cumulative_pd, axis=1), 1.0)
    not_prepaid = (1.0 - cfg.monthly_prepayment) ** np.arange(marginal.shape[1])
    out: FloatArray = marginal * not_prepaid
    return out


def _repossession_cost(inputs: EclInputs, cfg: EclConfig) -> IntArray:
    """Each loan's repossession cost: its own, else the config's for every loan."""
    if inputs.repossession_cost is not None:
        return np.asarray(inputs.repossession_cost, dtype=np.int64)
    return np.full(len(inputs.stage), cfg.repossession_cost, dtype=np.int64)


def expected_credit_loss(inputs: EclInputs, cfg: EclConfig = EclConfig()) -> IntArray:
    """ECL per loan in minor units, rounded to the nearest (see the module docstring).

    Loans are visited longest horizon first, so month ``j`` works on a prefix (a view)
    of the loans that still run."""
    marginal = _marginal_pd(cfg)
    order = np.argsort(-_horizon(inputs, cfg, marginal.shape[1]), kind="stable")
    running = -np.sort(-_horizon(inputs, cfg, marginal.shape[1]))
    live = np.where(inputs.stage[order] >= 3, 0.0, 1.0)
    grade = inputs.grade[order]
    balance = inputs.balance[order] + inputs.arrears[order].astype(np.float64)
    monthly = 1.0 / (1.0 + inputs.annual_rate[order] / (12.0 * RATE_SCALE))
    vehicle = inputs.vehicle_type[order]
    age = inputs.age_months[order].astype(np.float64)
    # The car depreciates month by month; the repossession cost is taken off each
    # month's value in full, never depreciated with it.
    value = collateral_after_haircut(inputs.price[order], vehicle, age, cfg)
    step = np.exp(-np.asarray(cfg.decay)[vehicle] / 12.0)
    cost = _repossession_cost(inputs, cfg)[order]
    row = inputs.row_start[order]
    has_rows = inputs.remaining[order] > 0
    total = np.zeros(len(order))
    discount = np.ones(len(order))
    for j in range(int(running[0]) if len(order) else 0):
        k = int(np.searchsorted(-running, -j, side="left"))
        ead = balance[:k] + inputs.accrued[order] if j == 0 else balance[:k]
        recovery = np.maximum(value[:k] - cost[:k], 0.0)
        loss = np.maximum(ead - recovery, 0.0)
        if j == 0:
            total += (1.0 - live) * loss
        discount[:k] *= monthly[:k]
        total[:k] += marginal[:, j][grade[:k]] * live[:k] * loss * discount[:k]
        balance[:k] -= _principal_at(inputs.row_principal, row[:k] + j, has_rows[:k])
        value[:k] *= step[:k]
    out = np.empty(len(order), dtype=np.int64)
    out[order] = np.rint(total)
    return out
