"""A repayment above everything its loan owes: the loan page asks before posting one.

Servicing accepts it, and so does the API: the money was received, and the excess is held
as the advance (paid ahead, in suspense). A figure typed on the page, though, is as often
a typo (99999999.00 on a loan of 150,000.00), so the page asks first where the amount is
above everything the loan owes on that day, and posts it only once confirmed for that very
amount. What it owes is the payoff quote
(:meth:`~autolend.services.loans.LoanService.payoff_quote`) less its prepayment fee: a
repayment charges no such fee (only a payoff or a prepayment does), so the fee's worth
would go to the advance too, and the page would say the excess was that much smaller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from autolend.domain.access import Actor
from autolend.domain.errors import Conflict, InvalidInput
from autolend.domain.money import Money, RoundingMode, parse_money, round_to_minor
from autolend.services.loans import LoanService

__all__ = ["Overpayment", "confirms", "over_payoff", "repayment_over_payoff"]


@dataclass(frozen=True)
class Overpayment:
    """A repayment of ``amount`` where the loan owes ``payoff`` on ``on`` (its payoff
    quote less any prepayment fee)."""

    amount: Money
    payoff: Money
    on: date

    @property
    def excess(self) -> Money:
        """What the advance will hold of it: the amount less the payoff."""
        return self.amount - self.payoff


def over_payoff(amount: Money, quote: Mapping[str, Any]) -> Overpayment | None:
    """``amount`` against a payoff quote: an :class:`Overpayment` where it is above what
    the loan owes (the quote's total less its prepayment fee), None where it is at or
    below it. What is owed below zero (an advance held above it) counts as zero.

    Payoff 153,000.00 of which a 2 % fee of 3,000.00 on 150,000.00: 150,000.00 is owed,
    so 150,000.01 is asked about and the page says 0.01 would be held as paid ahead.

    >>> quote = {"total": "153000.00", "prepayment_fee": "3000.00",
    ...          "currency": "CNY", "valid_until": "2026-11-28"}
    >>> typo = over_payoff(Money.parse("99999999.00", "CNY"), quote)
    >>> typo.excess.to_api(), typo.payoff.to_api(), typo.on.isoformat()
    ('99849999.00', '150000.00', '2026-11-28')
    >>> over_payoff(Money.parse("150000.00", "CNY"), quote) is None
    True
    """
    total = Decimal(quote["total"]) - Decimal(quote.get("prepayment_fee", "0"))
    owed = round_to_minor(total, amount.currency, RoundingMode.HALF_UP)
    payoff = Money(max(owed, 0), amount.currency)
    if amount <= payoff:
        return None
    return Overpayment(amount, payoff, date.fromisoformat(quote["valid_until"]))


def repayment_over_payoff(
    loans: LoanService, actor: Actor, loan_id: int, amount: Money, on: date
) -> Overpayment | None:
    """:func:`over_payoff` against the loan's payoff quote on ``on``. None where the loan
    has no quote to give (it is not active: paid off or written off; ``on`` is outside the
    days quoted), so the repayment is posted, or refused, as it always was."""
    try:
        quote = loans.payoff_quote(actor, loan_id, on)
    except (Conflict, InvalidInput):
        return None
    return over_payoff(amount, quote)


def confirms(text: str, amount: Money) -> bool:
    """Does the page's confirmation ``text`` (the amount it asked about) confirm
    ``amount``? Only that very amount does: one changed since is asked about again.

    >>> ten = Money.parse("10.00", "CNY")
    >>> confirms("10", ten), confirms("10.01", ten), confirms("", ten)
    (True, False, False)
    """
    try:
        return parse_money(text, amount.currency.code, field="confirm_over") == amount
    except InvalidInput:
        return False
