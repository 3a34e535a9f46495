"""Loan servicing rules: state, repayment allocation, daily accrual, delinquency.

Pure domain (standard library only, no I/O, no clock: every rule takes ``as_of`` or
``through``), exact integer minor units, immutable values.  Modules:

* :mod:`.state`: :class:`LoanState` and :class:`InstallmentState` (due and paid per
  component), statuses, DPD and other queries.
* :mod:`.allocation`: the waterfall and :func:`allocate` / :func:`apply_allocation`,
  the advance (suspense) balance.
* :mod:`.accrual`: the day-by-day accrual (contractual interest by cumulative
  rounding, penalty and compound interest under the cost ceiling) and :func:`replay`
  of repayments and reversals in value-date order.
* :mod:`.late_fee`: the contract's late fee, charged by the accrual on an installment
  unpaid some days after its due date, under the cost ceiling.
* :mod:`.delinquency`: DPD buckets.
* :mod:`.settlement`: :func:`settled_in_full`, what a payoff leaves of the installments.

Design choices: penalty and compound interest are kept per *loan*, not per installment
(they accrue on the total overdue amounts with one rounding a day, as the vectorised
batch does, and the waterfall pays them as one step); only installments already due
are paid, anything more waits in the advance balance until the next due date; a
repayment with value date ``v`` is allocated after the accrual of day ``v``.

>>> from datetime import date
>>> from decimal import Decimal
>>> from autolend.domain.money import Money
>>> from autolend.domain.penalty import policy_from_pack
>>> from autolend.domain.regulation import CN_PACK
>>> from autolend.domain.schedule import LoanTerms, build_schedule
>>> terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
...                   periods=12, start=date(2026, 1, 5))
>>> initial = LoanState.from_schedule("L1", build_schedule(terms))
>>> paid = Repayment("r1", date(2026, 2, 5), Money.parse("1066.19", "CNY"))
>>> result = replay(initial, [paid], date(2026, 2, 5), policy_from_pack(CN_PACK, terms.start),
...                 CN_PACK)
>>> result.state.installment_status(date(2026, 2, 5))[1], result.state.penalty
(<InstallmentStatus.PAID: 'paid'>, 0)
"""

from __future__ import annotations

from autolend.domain.servicing.accrual import (
    AccrualResult,
    DailyAccrual,
    Event,
    Repayment,
    ReplayResult,
    Reversal,
    accrue,
    cumulative_interest,
    replay,
)
from autolend.domain.servicing.allocation import (
    DEFAULT_WATERFALL,
    NON_PERFORMING_POLICY,
    PRINCIPAL_FIRST,
    STANDARD_POLICY,
    WATERFALL_POLICIES,
    Allocation,
    AllocationLine,
    Bucket,
    Waterfall,
    WaterfallPolicy,
    WaterfallStep,
    advance_allocation,
    allocate,
    apply_advance,
    apply_allocation,
    waterfall_for,
    waterfall_policy,
)
from autolend.domain.servicing.delinquency import (
    CN_FIVE_TIER,
    DEFAULT_BUCKETS,
    DelinquencyBucket,
    bucket_of,
    days_past_due,
)
from autolend.domain.servicing.fees import charge_fee, waivable_fee, waive_fee
from autolend.domain.servicing.late_fee import LateFeeRule, late_fee_on
from autolend.domain.servicing.settlement import settled_in_full
from autolend.domain.servicing.state import (
    INSTALLMENT_COMPONENTS,
    Component,
    InstallmentState,
    InstallmentStatus,
    LoanState,
    LoanStatus,
)

__all__ = [
    "CN_FIVE_TIER", "DEFAULT_BUCKETS", "DEFAULT_WATERFALL", "INSTALLMENT_COMPONENTS",
    "NON_PERFORMING_POLICY", "PRINCIPAL_FIRST", "STANDARD_POLICY", "WATERFALL_POLICIES",
    "AccrualResult",
    "Allocation", "AllocationLine", "Bucket", "Component", "DailyAccrual",
    "DelinquencyBucket", "Event", "InstallmentState", "InstallmentStatus", "LateFeeRule",
    "LoanState",
    "LoanStatus", "Repayment", "ReplayResult", "Reversal", "Waterfall", "WaterfallPolicy",
    "WaterfallStep", "accrue", "advance_allocation", "allocate", "apply_advance",
    "apply_allocation", "bucket_of", "charge_fee", "cumulative_interest", "days_past_due",
    "late_fee_on",
    "replay", "settled_in_full", "waivable_fee", "waive_fee", "waterfall_for",
    "waterfall_policy",
]  # fmt: skip
