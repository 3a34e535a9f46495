"""A partial prepayment on a 0 % promotion earns part of the deferred subsidy at once
(IFRS 9 B5.4.6 catch-up), on both databases.

The loan of :mod:`tests.integration.test_subsidy_amortisation`: 120,000.00 at 0 % over 12
months from 2025-06-05, 10,000.00 a month, a 3,900.00 maker subsidy spread as 600.00,
550.00, ..., 50.00. Worked by hand:

* Installments 1-3 are repaid on their due dates; 1,650.00 is earned by 2025-09-05 and
  2,250.00 is still deferred. On 2025-09-05 the borrower prepays 45,000.00 with a lower
  installment: the balance falls from 90,000.00 to 45,000.00 and the nine installments
  left become 5,000.00, so every later opening balance is exactly half what it was, and
  so is the list-rate interest the loan will earn.
* Half of the 2,250.00 (1,125.00) is therefore earned at once on 2025-09-05, the
  catch-up; the other 1,125.00 is spread over the nine new installments by opening
  balance x days: 9 x 30, 8 x 31, 7 x 30, 6 x 31, 5 x 31, 4 x 28, 3 x 31, 2 x 30, 1 x 31
  (the periods from 09-05 to 2026-06-05; sum 1,365), so installment 4 earns
  1,125.00 x 270 / 1,365 = 222.527... -> 222.52, installment 5 1,125.00 x 248 / 1,365 =
  204.395... -> 204.39, and the last takes the remainder, 25.60.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.services.servicing import MoneyIn
from tests.integration.test_loan_services import (
    SERVICING,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
)
from tests.integration.test_subsidy_amortisation import (
    DUE,
    START,
    earned,
    gl_balance,
    promotion,
    run_days,
)

pytestmark = pytest.mark.integration


def prepaid(container: Container) -> tuple[int, int]:
    """The promotion with installments 1-3 repaid and 45,000.00 prepaid on the third due
    date (lower installment); the loan and the prepayment's event id."""
    loan_id = promotion(container)
    servicing = container.services.servicing
    for k, due in enumerate(DUE[:3]):
        repaid = MoneyIn(cny("10000"), due, "bank_transfer", f"i{k + 1}")
        servicing.post_repayment(SERVICING, loan_id, repaid)
    money = MoneyIn(cny("45000"), DUE[2], "bank_transfer", "pp", "lower_installment")
    event_id = servicing.prepay(SERVICING, loan_id, money).body["id"]
    return loan_id, event_id


def test_a_partial_prepayment_earns_its_share_of_the_subsidy_at_once_and_spreads_the_rest(
    container: Container,
) -> None:
    loan_id, event_id = prepaid(container)
    schedule = container.services.loans.get(SERVICING, loan_id)["schedule"]
    assert {row["principal"] for row in schedule[3:]} == {"5000.00"}

    assert run_days(container, START, DUE[2]) == 4  # installments 1-3 and the catch-up
    assert earned(container, loan_id)[-2:] == [
        ("sa:2025-09-05", "2025-09-05", "500.00"),
        (f"sa:cu:{event_id}", "2025-09-05", "1125.00"),
    ]
    assert gl_balance(container, loan_id, "2400") == 112_500

    assert run_days(container, DUE[2] + timedelta(days=1), DUE[-1]) == 9
    later = earned(container, loan_id)[4:]
    assert [day for _, day, _ in later] == [d.isoformat() for d in DUE[3:]]
    assert [amount for _, _, amount in later][:2] == ["222.52", "204.39"]
    assert later[-1][2] == "25.60"
    assert gl_balance(container, loan_id, "2400") == 0
    assert gl_balance(container, loan_id, "4130") == 390_000
    assert run_days(container, START, DUE[-1] + timedelta(days=3)) == 0  # each line once


def test_a_bounced_prepayment_takes_the_catch_up_back_and_the_booked_shares_return(
    container: Container,
) -> None:
    loan_id, event_id = prepaid(container)
    run_days(container, START, DUE[2])
    container.services.servicing.reverse_repayment(SERVICING, loan_id, event_id, "bounced")
    # The next run reverses the catch-up at its own date and earns installment 4's
    # booked 450.00, as if the prepayment had never been received.
    assert run_days(container, DUE[2] + timedelta(days=1), DUE[3]) == 2
    assert gl_balance(container, loan_id, "2400") == 390_000 - 165_000 - 45_000
    facts = [fact for fact, _, _ in earned(container, loan_id)]
    assert facts[-2:] == [f"sa:cu:{event_id}", "sa:2025-10-05"]  # the reversal, then 10-05
    assert earned(container, loan_id)[-1][2] == "450.00"
    assert run_days(container, DUE[3], DUE[-1]) == 8
    assert gl_balance(container, loan_id, "2400") == 0
    assert gl_balance(container, loan_id, "4130") == 390_000


def test_a_prepayment_bounced_after_a_revised_share_was_earned_is_trued_up_at_once(
    container: Container,
) -> None:
    """Installment 4 earned its revised 222.52 (booked: 450.00) before the prepayment
    bounced. The next run (11-05) reverses the catch-up, earns installment 5's booked
    400.00 and the 227.48 installment 4 is short, dated that day: 2,500.00 earned, as
    the booked plan says (before, the 227.48 stayed deferred until the loan closed)."""
    loan_id, event_id = prepaid(container)
    assert run_days(container, START, DUE[3]) == 5
    assert earned(container, loan_id)[-1] == ("sa:2025-10-05", "2025-10-05", "222.52")
    container.services.servicing.reverse_repayment(SERVICING, loan_id, event_id, "bounced")
    assert run_days(container, DUE[3] + timedelta(days=1), DUE[4]) == 3
    assert earned(container, loan_id)[-3:] == [
        (f"sa:cu:{event_id}", "2025-09-05", "1125.00"),  # the reversal
        ("sa:2025-11-05", "2025-11-05", "400.00"),
        ("sa:tu:2025-11-05", "2025-11-05", "227.48"),
    ]
    assert gl_balance(container, loan_id, "4130") == 250_000  # 600 + 550 + ... + 400
    assert run_days(container, START, DUE[4]) == 0  # a rerun posts nothing
    assert run_days(container, DUE[4] + timedelta(days=1), DUE[-1]) == 7
    assert gl_balance(container, loan_id, "2400") == 0
    assert gl_balance(container, loan_id, "4130") == 390_000


def test_a_prepayment_backdated_before_a_booked_share_takes_the_excess_back(
    container: Container,
) -> None:
    """Installment 4 earned its booked 450.00; then a prepayment dated 09-05 arrives, so
    the plan says 1,125.00 at once and 222.52 for installment 4. The next run earns the
    catch-up and installment 5's revised 204.39, and takes back the 227.48 earned too
    much (Dr 4130 / Cr 2400), so 3,201.91 is earned by 11-05 as the revised plan says."""
    loan_id = promotion(container)
    servicing = container.services.servicing
    for k, due in enumerate(DUE[:3]):
        servicing.post_repayment(SERVICING, loan_id, MoneyIn(cny("10000"), due, None, f"i{k}"))
    assert run_days(container, START, DUE[3]) == 4
    money = MoneyIn(cny("45000"), DUE[2], "bank_transfer", "pp", "lower_installment")
    event_id = servicing.prepay(SERVICING, loan_id, money).body["id"]
    assert run_days(container, DUE[3] + timedelta(days=1), DUE[4]) == 3
    assert earned(container, loan_id)[-3:] == [
        (f"sa:cu:{event_id}", "2025-09-05", "1125.00"),
        ("sa:2025-11-05", "2025-11-05", "204.39"),
        ("sa:tu:2025-11-05", "2025-11-05", "227.48"),
    ]
    assert gl_balance(container, loan_id, "4130") == 320_191
    assert run_days(container, DUE[4] + timedelta(days=1), DUE[-1]) == 7
    assert gl_balance(container, loan_id, "2400") == 0
    assert gl_balance(container, loan_id, "4130") == 390_000


def test_a_prepayment_after_the_day_was_run_is_caught_up_dated_its_value_date(
    container: Container,
) -> None:
    loan_id = promotion(container)
    servicing = container.services.servicing
    for k, due in enumerate(DUE[:3]):
        servicing.post_repayment(SERVICING, loan_id, MoneyIn(cny("10000"), due, None, f"i{k}"))
    assert run_days(container, START, DUE[2]) == 3  # no prepayment yet: the booked shares
    money = MoneyIn(cny("45000"), DUE[2], "bank_transfer", "pp", "lower_installment")
    event_id = servicing.prepay(SERVICING, loan_id, money).body["id"]
    # Posted later the same day (the run for 09-05 had finished): the next due date's
    # run earns the catch-up, dated 09-05, and installment 4's new share.
    assert run_days(container, DUE[2] + timedelta(days=1), DUE[3]) == 2
    assert earned(container, loan_id)[-2:] == [
        (f"sa:cu:{event_id}", "2025-09-05", "1125.00"),
        ("sa:2025-10-05", "2025-10-05", "222.52"),
    ]
    assert run_days(container, DUE[3], DUE[-1]) == 8
    assert gl_balance(container, loan_id, "2400") == 0


def test_the_catch_up_is_not_earned_before_its_date(container: Container) -> None:
    loan_id, _ = prepaid(container)
    assert run_days(container, START, DUE[2] - timedelta(days=1)) == 2
    assert gl_balance(container, loan_id, "2400") == 390_000 - 60_000 - 55_000
    assert date.fromisoformat(earned(container, loan_id)[-1][1]) < DUE[2]


def catch_up_records(container: Container, loan_id: int) -> dict[str, tuple[int, int]]:
    """The loan's catch-up accrual records: component -> (amount, entry id)."""
    a = t.accruals.c
    query = select(a.component, a.amount_minor, a.entry_id).where(
        a.loan_id == loan_id, a.component.like("subsidy_cu:%")
    )
    with container.engine.connect() as conn:
        return {row.component: (row.amount_minor, row.entry_id) for row in conn.execute(query)}


def test_two_prepayments_on_one_day_each_have_their_catch_up_record(
    container: Container,
) -> None:
    """20,000.00 then 25,000.00 on 2025-09-05 take the balance to 45,000.00 as the single
    45,000.00 above does: each prepayment's catch-up has its own entry and its own accrual
    record, and together they earn the 1,125.00 of the single prepayment give or take one
    fen (each re-spread rounds its rows down; two re-spreads, two roundings). The second
    one bounced takes back its entry and its record only."""
    loan_id = promotion(container)
    servicing = container.services.servicing
    for k, due in enumerate(DUE[:3]):
        servicing.post_repayment(SERVICING, loan_id, MoneyIn(cny("10000"), due, None, f"i{k}"))
    events = [
        servicing.prepay(SERVICING, loan_id, MoneyIn(cny(amount), DUE[2], "bank_transfer",
                                                     f"pp{amount}", "lower_installment"))
        .body["id"]
        for amount in ("20000", "25000")
    ]  # fmt: skip
    run_days(container, START, DUE[2])
    records = catch_up_records(container, loan_id)
    assert set(records) == {f"subsidy_cu:{event}" for event in events}
    caught_up = sum(amount for amount, _ in records.values())
    assert abs(caught_up - 112_500) <= 1 and min(records.values())[0] > 0
    assert len({entry for _, entry in records.values()}) == 2
    assert gl_balance(container, loan_id, "2400") == 390_000 - 165_000 - caught_up

    servicing.reverse_repayment(SERVICING, loan_id, events[1], "bounced")
    run_days(container, DUE[2] + timedelta(days=1), DUE[3])
    kept = catch_up_records(container, loan_id)
    assert kept == {f"subsidy_cu:{events[0]}": records[f"subsidy_cu:{events[0]}"]}
