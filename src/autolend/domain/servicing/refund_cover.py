"""A refund of the advance is never more than the advance holds on its value date.

The servicing replay refuses a refund above the advance with :class:`RefundUncovered`,
a :class:`~autolend.domain.errors.Conflict` that keeps which refund it was, so a change
under the refund (a repayment reversed, its money having paid the advance the refund
paid back) can name the refund to reverse first, and the way on.

>>> from datetime import date
>>> from autolend.domain.money import Money
>>> refused = RefundUncovered(
...     2, Money.parse("400.00", "CNY"), Money.parse("0.00", "CNY"), date(2026, 2, 10))
>>> refused.message, refused.field, refused.refund_id
('the refund exceeds the advance 0.00 on 2026-02-10', 'amount', 2)
>>> refused.message_zh
'退款金额超过 2026-02-10 的预收款余额 0.00'
"""

from __future__ import annotations

from datetime import date

from autolend.domain.errors import Conflict
from autolend.domain.money import Money

__all__ = ["RefundUncovered"]


class RefundUncovered(Conflict):
    """Refund ``refund_id`` of ``amount`` on ``on`` is above the ``advance`` held then
    (after that day's accrual): HTTP 409 on ``amount``."""

    def __init__(self, refund_id: int, amount: Money, advance: Money, on: date) -> None:
        shown = advance.to_api()
        super().__init__(
            f"the refund exceeds the advance {shown} on {on}",
            field="amount",
            message_zh=f"退款金额超过 {on} 的预收款余额 {shown}",
        )
        self.refund_id = refund_id
        self.amount = amount
        self.advance = advance
        self.on = on
