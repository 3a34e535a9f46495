"""A change under a payoff: what a paid-off loan answers when a backdated payment or a
reversal would change what its payoff had to be.

The replay re-checks every payoff against what the loan owed on its day; a payment
dated before it, or a repayment reversed under it, changes that amount, and the replay
refused with the payoff's own words ("the payoff on 2026-11-22 is exactly 43193.40", on
``amount``), which reads as a fault in a request that has no amount. The loan keeps its
payoff; the answer is a 409 naming it and the way on: reverse the payoff first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from autolend.domain.errors import Conflict, InvalidInput
from autolend.services.loan_ports import LoanRecord
from autolend.services.ports import UnitOfWork

__all__ = ["payoff_stands"]


@contextmanager
def payoff_stands(uow: UnitOfWork, loan: LoanRecord, change: str) -> Iterator[None]:
    """Run a restatement of ``loan``; if it is paid off and the change (``change``, e.g.
    "a repayment dated 2026-11-01") would alter its payoff, a :class:`Conflict` such as
    "loan 6 was paid off on 2026-11-22 (payoff 57): a repayment dated 2026-11-01 would
    change what that payoff had to be; reverse the payoff first"."""
    try:
        yield
    except InvalidInput as error:
        if loan.status != "paid_off" or not str(error).startswith("the payoff on "):
            raise
        payoffs = [e for e in uow.loans.events(loan.id)
                   if e.kind == "payoff" and e.status == "posted"]  # fmt: skip
        if not payoffs:
            raise
        payoff = payoffs[-1]
        raise Conflict(
            f"loan {loan.id} was paid off on {payoff.value_date} (payoff {payoff.id}): "
            f"{change} would change what that payoff had to be; reverse the payoff first"
        ) from error
