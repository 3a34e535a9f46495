"""When a partial prepayment stands: on a due date, once that installment and every one
before it are paid and no penalty or compound interest is owed.

A partial prepayment on due date ``n`` re-amortises what is left after installment ``n``
(:mod:`autolend.domain.servicing.reamortisation`) and all of its money goes to principal.
The rule keeps it from overtaking arrears: while installments 1..``n``, penalty interest
(罚息) or compound interest (复利) are unpaid, money belongs to them first (the waterfall;
a principal-first order can pay the installments and leave them owed).

The rule is judged on the books as they stand, not on the due date alone: an installment
paid late (by a repayment dated after its due date) is settled all the same. So the
replay applies the prepayment on its due date and keeps it *waiting* until, after a money
event on or after that day (or at the end of the replay), installments 1..``n`` are paid
and no penalty or compound interest is owed (:func:`still_waiting`). One still waiting
when the books are restated is refused (:func:`refuse_waiting`): a prepayment whose
installment is unpaid, or a reversal that unpays an installment a prepayment relied on.
A replay cut short (a portfolio snapshot of an earlier day) may end with one waiting; it
is not refused there.

Example: installment 1 falls due on 2026-02-05 and is paid with its penalty on
2026-02-15. A prepayment dated 2026-02-05 waits from the 5th and stands after the
repayment of the 15th; without that repayment it is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from autolend.domain.errors import Conflict
from autolend.domain.servicing.state import LoanState

__all__ = [
    "PREPAYMENT_DAY_RULE", "Waiting", "prepayment_installment", "refuse_waiting",
    "settled_through", "still_waiting",
]  # fmt: skip

PREPAYMENT_DAY_RULE = (
    "a partial prepayment takes effect on a due date once that installment and "
    "everything before it are paid"
)

Waiting = tuple[int, int]
"""A partial prepayment not yet standing: (its event id, the installment ``n`` it is on)."""


def _refused() -> Conflict:
    return Conflict(PREPAYMENT_DAY_RULE, field="value_date")


def prepayment_installment(state: LoanState, day: date) -> int:
    """The number of the installment due on ``day``; Conflict when ``day`` is no due date.

    >>> from decimal import Decimal
    >>> from autolend.domain.money import Money
    >>> from autolend.domain.schedule import LoanTerms, build_schedule
    >>> terms = LoanTerms(principal=Money.parse("1200", "CNY"), annual_rate=Decimal("0.12"),
    ...                   periods=3, start=date(2026, 1, 5))
    >>> state = LoanState.from_schedule("L1", build_schedule(terms))
    >>> prepayment_installment(state, date(2026, 3, 5))
    2
    """
    n = next((row.n for row in state.installments if row.due_date == day), None)
    if n is None:
        raise _refused()
    return n


def settled_through(state: LoanState, n: int) -> bool:
    """Whether installments 1..``n`` are paid (principal, interest and fees) and no
    penalty or compound interest is owed: a prepayment on due date ``n`` then stands.

    >>> from decimal import Decimal
    >>> from autolend.domain.money import Money
    >>> from autolend.domain.schedule import LoanTerms, build_schedule
    >>> from autolend.domain.servicing.state import Component
    >>> terms = LoanTerms(principal=Money.parse("1200", "CNY"), annual_rate=Decimal("0.12"),
    ...                   periods=3, start=date(2026, 1, 5))
    >>> state = LoanState.from_schedule("L1", build_schedule(terms))
    >>> first = state.installments[0]
    >>> paid = first.with_payment(Component.PRINCIPAL, first.principal_due).with_payment(
    ...     Component.INTEREST, first.interest_due)
    >>> one_paid = state.with_installment(paid)
    >>> settled_through(one_paid, 1), settled_through(one_paid, 2)
    (True, False)
    >>> from dataclasses import replace
    >>> settled_through(replace(one_paid, compound=3), 1)  # 0.03 of compound interest owed
    False
    """
    owed = state.penalty or state.compound
    return not owed and all(row.is_paid for row in state.installments[:n])


def still_waiting(state: LoanState, waiting: Sequence[Waiting]) -> tuple[Waiting, ...]:
    """The prepayments of ``waiting`` that ``state`` does not yet settle (see
    :func:`settled_through`); the others stand from now on."""
    return tuple(w for w in waiting if not settled_through(state, w[1]))


def refuse_waiting(waiting: Sequence[Waiting]) -> None:
    """Conflict (on ``value_date``) when a prepayment is still waiting as the books are
    restated: its installment, or one before it, or penalty or compound interest was never
    paid."""
    if waiting:
        raise _refused()
