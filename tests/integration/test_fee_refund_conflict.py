"""A backdated fee that would leave a refund of the advance uncovered, on both databases.

The loan: 12,000.00 at 12 % over 12 months from 2026-01-05, due on the 5th (installment
1,066.19). On 2026-02-05 the borrower pays 1,500.00: installment 1 is paid and 433.81
goes to the advance; on 2026-02-10 staff refund 400.00 of it, leaving 33.81. A fee of
100.00 on installment 1 dated 2026-02-06 is paid from the advance that day, so the
advance would hold 333.81 on 2026-02-10: the refund of 400.00 would pay back money that
is not there. The fee was refused with the replay's own "the refund exceeds the advance
333.81 on 2026-02-10" on ``amount`` (the fee's amount, which was not wrong). It is still
refused (409, nothing posted), now naming the refund to reverse first and the way on,
as a reversal does; once the refund is reversed, the fee is charged. The ledger
invariants hold after every test (the autouse fixture).
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.errors import Conflict
from autolend.services.fees import FeeCharge
from tests.integration.test_loan_services import (
    SERVICING,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
)
from tests.integration.test_loans_api import as_role, loan_id, postings  # noqa: F401
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.integration.test_refund_then_bounced_repayment import paid_and_refunded, reverse

pytestmark = pytest.mark.integration
BACKDATED = date(2026, 2, 6)  # after the repayment that paid installment 1, before the refund


def backdated_fee(container: Container, loan: int) -> None:
    fee = FeeCharge("other", cny("100.00"), n=1, value_date=BACKDATED)
    container.services.fees.charge_fee(SERVICING, loan, fee)


def test_a_backdated_fee_that_uncovers_a_refund_names_the_refund_to_reverse_first(
    container: Container,
) -> None:
    loan = book(container, rule="none")
    _paid, refund = paid_and_refunded(container, loan)
    before = postings(container)
    with pytest.raises(Conflict) as refused:
        backdated_fee(container, loan)
    assert refused.value.message == (
        f"refund {refund} (400.00 on 2026-02-10) exceeds the advance with this fee "
        "(333.81 held that day): reverse the refund first, then charge the fee"
    )
    assert refused.value.message_zh == (
        f"计入这笔费用后，退款 {refund}（2026-02-10，400.00）超过当日预收款余额 333.81："
        "请先冲正该退款，再收取该费用"
    )
    assert refused.value.field is None  # the fee's amount is not what is wrong
    assert postings(container) == before
    kinds = [t["kind"] for t in container.services.loans.transactions(SERVICING, loan)]
    assert "fee" not in kinds


def test_once_the_refund_is_reversed_the_backdated_fee_is_charged(container: Container) -> None:
    loan = book(container, rule="none")
    _paid, refund = paid_and_refunded(container, loan)
    reverse(container, loan, refund)
    backdated_fee(container, loan)
    shown = container.services.loans.get(SERVICING, loan)
    assert shown["schedule"][0]["fee"] == "100.00"
    assert shown["balances"]["suspense"] == "333.81"  # 433.81 less the fee it paid


def test_the_api_answers_409_naming_the_refund_in_both_languages(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    _paid, refund = paid_and_refunded(container, loan_id)
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "fee-1"}
    body = {"kind": "other", "amount": "100.00", "currency": "CNY", "n": 1,
            "value_date": BACKDATED.isoformat()}  # fmt: skip
    answer = client.post(f"/api/v1/loans/{loan_id}/fees", json=body, headers=headers)
    assert answer.status_code == 409, answer.text
    error = answer.json()["error"]
    assert error["message"].startswith(f"refund {refund} (400.00 on 2026-02-10) exceeds")
    assert error["message"].endswith("reverse the refund first, then charge the fee")
    assert error["message_zh"].startswith(f"计入这笔费用后，退款 {refund}（2026-02-10，400.00）")
    assert error.get("field") is None
