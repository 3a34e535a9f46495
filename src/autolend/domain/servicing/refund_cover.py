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

Where another change under the refund would uncover it (a repayment reversed, a fee
backdated before it, a fee waived), :func:`refunds_first` names every refund in the way
and the way on, in both languages, with :class:`ChangeWords` for the change:

>>> fee = ChangeWords("with this fee", "计入这笔费用后", "charge the fee", "收取该费用")
>>> answer = refunds_first([refused], fee)
>>> head, way = answer.message.split(": ")
>>> head
'refund 2 (400.00 on 2026-02-10) exceeds the advance with this fee (0.00 held that day)'
>>> way
'reverse the refund first, then charge the fee'
>>> for part in answer.message_zh.split("："):
...     print(part)
计入这笔费用后，退款 2（2026-02-10，400.00）超过当日预收款余额 0.00
请先冲正该退款，再收取该费用
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from autolend.domain.errors import Conflict
from autolend.domain.money import Money

__all__ = ["ChangeWords", "RefundUncovered", "refunds_first"]


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


@dataclass(frozen=True)
class ChangeWords:
    """How :func:`refunds_first` names a change that would uncover refunds: ``cause``
    follows "exceeds the advance" ("without repayment 5", "with this fee") and ``then``
    follows "reverse the refund first, then" ("the repayment", "charge the fee"); the
    Chinese ``cause_zh`` opens the sentence ("没有还款 5") and ``then_zh`` follows "再"
    ("冲正该还款")."""

    cause: str
    cause_zh: str
    then: str
    then_zh: str


def refunds_first(refunds: Sequence[RefundUncovered], change: ChangeWords) -> Conflict:
    """409 naming each refund ``change`` would leave above the advance (id, amount and
    day; for one refund, what the advance held that day) and the way on: reverse the
    refunds first, then make the change. No field is blamed: the refunds are in the way,
    not a value typed."""
    listed = ", ".join(f"{r.refund_id} ({r.amount.to_api()} on {r.on})" for r in refunds)
    listed_zh = "、".join(f"{r.refund_id}（{r.on}，{r.amount.to_api()}）" for r in refunds)
    if len(refunds) == 1:
        held = refunds[0].advance.to_api()
        message = (
            f"refund {listed} exceeds the advance {change.cause} ({held} held that day): "
            f"reverse the refund first, then {change.then}"
        )
        message_zh = (
            f"{change.cause_zh}，退款 {listed_zh}超过当日预收款余额 {held}："
            f"请先冲正该退款，再{change.then_zh}"
        )
    else:
        message = (
            f"refunds {listed} exceed the advance {change.cause}: "
            f"reverse those refunds first, then {change.then}"
        )
        message_zh = (
            f"{change.cause_zh}，退款 {listed_zh}超过当日预收款余额："
            f"请先冲正这些退款，再{change.then_zh}"
        )
    return Conflict(message, message_zh=message_zh)
