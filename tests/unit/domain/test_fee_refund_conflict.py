"""How a 409 names the refunds a change would leave above the advance
(:func:`autolend.domain.servicing.refund_cover.refunds_first`): a reversal, a fee and a
fee waiver say it the same way, each naming itself, in English and Chinese."""

from __future__ import annotations

from datetime import date

from autolend.domain.errors import Conflict
from autolend.domain.money import Money
from autolend.domain.servicing.refund_cover import ChangeWords, RefundUncovered, refunds_first

FEE = ChangeWords("with this fee", "计入这笔费用后", "charge the fee", "收取该费用")
WAIVER = ChangeWords("with this waiver", "减免这笔费用后", "waive the fee", "减免该费用")
REVERSAL = ChangeWords("without repayment 5", "没有还款 5", "the repayment", "冲正该还款")


def uncovered(refund_id: int, amount: str, held: str, day: date) -> RefundUncovered:
    return RefundUncovered(refund_id, Money.parse(amount, "CNY"), Money.parse(held, "CNY"), day)


def test_one_refund_is_named_with_what_the_advance_held_and_the_way_on() -> None:
    answer = refunds_first([uncovered(7, "400.00", "333.81", date(2026, 2, 10))], WAIVER)
    assert answer.message == (
        "refund 7 (400.00 on 2026-02-10) exceeds the advance with this waiver "
        "(333.81 held that day): reverse the refund first, then waive the fee"
    )
    assert answer.message_zh == (
        "减免这笔费用后，退款 7（2026-02-10，400.00）超过当日预收款余额 333.81："
        "请先冲正该退款，再减免该费用"
    )
    assert isinstance(answer, Conflict) and answer.field is None  # 409, no field blamed


def test_several_refunds_are_named_at_once() -> None:
    refunds = [uncovered(7, "200.00", "0.00", date(2026, 2, 10)),
               uncovered(8, "233.81", "0.00", date(2026, 2, 12))]  # fmt: skip
    answer = refunds_first(refunds, FEE)
    assert answer.message == (
        "refunds 7 (200.00 on 2026-02-10), 8 (233.81 on 2026-02-12) exceed the advance "
        "with this fee: reverse those refunds first, then charge the fee"
    )
    assert answer.message_zh == (
        "计入这笔费用后，退款 7（2026-02-10，200.00）、8（2026-02-12，233.81）"
        "超过当日预收款余额：请先冲正这些退款，再收取该费用"
    )


def test_a_reversal_keeps_its_wording() -> None:
    answer = refunds_first([uncovered(2, "400.00", "0.00", date(2026, 2, 10))], REVERSAL)
    assert answer.message == (
        "refund 2 (400.00 on 2026-02-10) exceeds the advance without repayment 5 "
        "(0.00 held that day): reverse the refund first, then the repayment"
    )
    assert answer.message_zh == (
        "没有还款 5，退款 2（2026-02-10，400.00）超过当日预收款余额 0.00："
        "请先冲正该退款，再冲正该还款"
    )
