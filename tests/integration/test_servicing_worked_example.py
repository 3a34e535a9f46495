"""A worked servicing example on both databases, every figure computed by hand.

The loan: 12,000.00 CNY at 12 % a year, 12 monthly equal installments, start 2026-01-05,
first due 2026-02-05. Monthly rate 1 %: installment = 12,000 x 0.01 / (1 - 1.01^-12)
= 1,066.1855 -> 1,066.19.

    n  due         interest                     principal             balance
    1  2026-02-05  12,000.00 x 1 % = 120.00     1,066.19 - 120.00 = 946.19    11,053.81
    2  2026-03-05  11,053.81 x 1 % = 110.5381 -> 110.54   955.65       10,098.16
    3  2026-04-05  10,098.16 x 1 % = 100.9816 -> 100.98   965.21        9,132.95
    4  2026-05-05   9,132.95 x 1 % =  91.3295 ->  91.33   974.86        8,158.09

Penalty (CN pack): contract rate x (1 + 50 %) = 18 % a year, ACT/360, each day rounded
half-up to the fen, from the day after the due date through the value date; overdue
principal bears penalty, overdue interest bears compound at the same rate.

1. 2026-02-05, 1,066.19 on time: interest 120.00, principal 946.19, no penalty.
2. 2026-03-15, installment 2 ten days late (03-06 .. 03-15):
   penalty  955.65 x 0.18 / 360 = 0.477825 -> 0.48 a day x 10 = 4.80;
   compound 110.54 x 0.18 / 360 = 0.05527  -> 0.06 a day x 10 = 0.60.
   Paid 1,066.19 + 4.80 + 0.60 = 1,071.59: penalty 5.40, interest 110.54, principal 955.65.
3. 2026-04-15, a partial 500.00 with installment 3 ten days late (04-06 .. 04-15):
   penalty  965.21 x 0.0005 = 0.482605 -> 0.48 x 10 = 4.80;
   compound 100.98 x 0.0005 = 0.05049  -> 0.05 x 10 = 0.50.
   Waterfall penalty -> compound -> overdue interest -> overdue principal:
   4.80 + 0.50 = 5.30; interest 100.98; principal 500.00 - 5.30 - 100.98 = 393.72;
   installment 3 keeps 965.21 - 393.72 = 571.49 of principal overdue, no interest.
4. 2026-05-05, 1,643.48 clears what is due: penalty on 571.49 for 04-16 .. 05-05
   (20 days): 571.49 x 0.0005 = 0.285745 -> 0.29 x 20 = 5.80; no compound (no overdue
   interest). 5.80 + 571.49 (installment 3) + 91.33 + 974.86 (installment 4, due that day)
   = 1,643.48. Principal outstanding 8,158.09.
5. 2026-05-05 (a due date), prepayment 3,000.00, lower_installment: principal
   8,158.09 - 3,000.00 = 5,158.09 over the 8 remaining months:
   5,158.09 x 0.01 / (1 - 1.01^-8) = 674.1123 -> 674.11; installment 5: interest 51.58
   (51.5809), principal 622.53; installment 6: interest 4,535.56 x 1 % = 45.3556 -> 45.36,
   principal 628.75.
6. 2026-05-20, payoff: principal 5,158.09 + interest accrued 05-05 .. 05-20, 15 of the
   period's 31 days: 51.58 x 15 / 31 = 24.958 -> 24.96; total 5,183.05. The loan closes.

Totals: paid 1,066.19 + 1,071.59 + 500.00 + 1,643.48 + 3,000.00 + 5,183.05 = 12,464.31
= principal 12,000.00 + interest 447.81 (120.00 + 110.54 + 100.98 + 91.33 + 24.96)
+ penalty 16.50 (5.40 + 5.30 + 5.80). Every loan sub-ledger ends at zero, the loan's cash
nets to 12,464.31 - 12,000.00 = 464.31 and the trial balance holds.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from autolend.bootstrap import Container
from autolend.domain.access import Actor, Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn

pytestmark = pytest.mark.integration

SERVICING = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
START = date(2026, 1, 5)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def pay(container: Container, loan_id: int, amount: str, day: date) -> dict[str, Any]:
    data = MoneyIn(cny(amount), day, "bank_transfer", f"ref-{day}")
    return container.services.servicing.post_repayment(SERVICING, loan_id, data).body


def money_lines(allocation: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(ln["n"], ln["component"], ln["amount"]) for ln in allocation["lines"]]


def parts(allocation: dict[str, Any]) -> tuple[str, str, str, str, str]:
    keys = ("penalty", "interest", "fees", "principal", "advance")
    return tuple(allocation[k] for k in keys)


def test_a_late_installment_a_partial_payment_a_prepayment_and_a_payoff_add_up(
    container: Container,
) -> None:
    loans, servicing = container.services.loans, container.services.servicing
    terms = LoanTerms(principal=cny("12000"), annual_rate=Decimal("0.12"), periods=12, start=START)
    loan_id = loans.book(SERVICING, BookingRequest(terms=terms, approved=cny("12000")))
    loans.disburse(SERVICING, loan_id, DisbursementInput(cny("12000"), START))
    schedule = loans.get(SERVICING, loan_id)["schedule"]
    assert [(r["interest"], r["principal"]) for r in schedule[:4]] == [
        ("120.00", "946.19"), ("110.54", "955.65"), ("100.98", "965.21"), ("91.33", "974.86"),
    ]  # fmt: skip

    # 1. on time
    first = pay(container, loan_id, "1066.19", date(2026, 2, 5))["allocation"]
    assert parts(first) == ("0.00", "120.00", "0.00", "946.19", "0.00")

    # 2. ten days late: penalty 4.80 + compound 0.60
    quote = loans.payoff_quote(SERVICING, loan_id, date(2026, 3, 15))
    assert quote["penalty"] == "5.40"
    second = pay(container, loan_id, "1071.59", date(2026, 3, 15))["allocation"]
    assert parts(second) == ("5.40", "110.54", "0.00", "955.65", "0.00")
    assert money_lines(second) == [(2, "interest", "110.54"), (2, "principal", "955.65")]

    # 3. a partial 500.00: penalty 4.80 + compound 0.50, interest, then principal
    third = pay(container, loan_id, "500.00", date(2026, 4, 15))["allocation"]
    assert parts(third) == ("5.30", "100.98", "0.00", "393.72", "0.00")
    shown = loans.get(SERVICING, loan_id)
    assert shown["schedule"][2]["outstanding"] == "571.49"
    assert shown["days_past_due"] == 10
    assert shown["overdue"] == {"installments": 1, "amount": "571.49"}

    # 4. clear what is due on 05-05: penalty 5.80 on the 571.49 left, installment 4
    fourth = pay(container, loan_id, "1643.48", date(2026, 5, 5))["allocation"]
    assert parts(fourth) == ("5.80", "91.33", "0.00", "1546.35", "0.00")
    assert money_lines(fourth) == [
        (3, "principal", "571.49"), (4, "interest", "91.33"), (4, "principal", "974.86"),
    ]  # fmt: skip
    assert loans.get(SERVICING, loan_id)["balances"]["principal"] == "8158.09"

    # 5. prepayment on the due date, lower installment
    prepaid = MoneyIn(cny("3000.00"), date(2026, 5, 5), mode="lower_installment")
    assert servicing.prepay(SERVICING, loan_id, prepaid).body["status"] == "posted"
    shown = loans.get(SERVICING, loan_id)
    assert shown["balances"]["principal"] == "5158.09"
    assert len(shown["schedule"]) == 12
    assert [(r["interest"], r["principal"], r["outstanding"]) for r in shown["schedule"][4:6]] == [
        ("51.58", "622.53", "674.11"), ("45.36", "628.75", "674.11"),
    ]  # fmt: skip

    # 6. payoff on 05-20: 5,158.09 + 24.96
    quote = loans.payoff_quote(SERVICING, loan_id, date(2026, 5, 20))
    assert (quote["principal"], quote["interest"], quote["penalty"], quote["total"]) == (
        "5158.09", "24.96", "0.00", "5183.05",
    )  # fmt: skip
    payoff = MoneyIn(cny("5183.05"), date(2026, 5, 20), "bank_transfer", "payoff", "payoff")
    servicing.prepay(SERVICING, loan_id, payoff)

    # the final ledger
    shown = loans.get(SERVICING, loan_id)
    assert shown["status"] == "paid_off"
    assert shown["closed_on"] == "2026-05-20"
    assert shown["balances"] == dict.fromkeys(
        ("principal", "interest", "penalty", "fees", "suspense", "subsidy"), "0.00"
    )
    cash = Decimal(0)
    for entry in loans.ledger(SERVICING, loan_id):
        for posting in entry["postings"]:
            if posting["name"] == "cash_settlement":
                sign = 1 if posting["side"] == "debit" else -1
                cash += sign * Decimal(posting["amount"])
    assert cash == Decimal("464.31")  # 12,464.31 received - 12,000.00 disbursed
    report = container.services.verify.run()
    assert [c.name for c in report.checks if c.invariant != 7 and not c.ok] == []
