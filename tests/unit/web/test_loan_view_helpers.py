"""The loan pages' helpers: the day a partial prepayment can take, the schedule's totals and
a loan form's refusal put in the page's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from autolend.web.loan_views import prepayment_day, schedule_totals
from autolend.web.problem_text import LocalizedDetail, localized_detail

TODAY = date(2026, 11, 28)


def loan(*statuses: str, penalty: str = "0.00", status: str = "active") -> dict[str, Any]:
    """A loan due on the 5th from 2026-09-05, its installments in ``statuses``."""
    days = ["2026-09-05", "2026-10-05", "2026-11-05", "2026-12-05", "2027-01-05"]
    rows = [{"n": n, "due_date": day, "status": s}
            for n, (day, s) in enumerate(zip(days, statuses, strict=False), start=1)]  # fmt: skip
    return {"status": status, "balances": {"penalty": penalty}, "schedule": rows}


def test_a_partial_prepayment_can_take_the_latest_due_date_when_all_due_so_far_are_paid() -> None:
    assert prepayment_day(loan("paid", "paid", "paid", "future"), TODAY) == "2026-11-05"


def test_no_day_is_offered_while_an_installment_due_is_unpaid_or_penalty_is_owed() -> None:
    assert prepayment_day(loan("paid", "overdue", "overdue", "future"), TODAY) is None
    assert prepayment_day(loan("paid", "paid", "partly_paid", "future"), TODAY) is None
    assert prepayment_day(loan("paid", "paid", "paid", "future", penalty="0.01"), TODAY) is None


def test_no_day_is_offered_before_the_first_due_date_or_on_a_loan_not_in_repayment() -> None:
    assert prepayment_day(loan("future", "future"), date(2026, 9, 4)) is None
    assert prepayment_day(loan("paid", "paid", "paid", status="paid_off"), TODAY) is None


def test_the_schedule_totals_are_exact_sums_of_each_column() -> None:
    rows = [{"principal": "0.10", "interest": "0.20", "fee": "0.00", "paid": "0.30",
             "outstanding": "0.00"}] * 3  # fmt: skip
    assert schedule_totals(rows) == {"principal": "0.30", "interest": "0.60", "fee": "0.00",
                                     "paid": "0.90", "outstanding": "0.00"}  # fmt: skip


def test_a_loan_forms_refusal_gets_its_chinese_text_with_its_values_put_back() -> None:
    catalogue = {"the payoff on %(day)s is exactly %(amount)s: quote it again":
                 "%(day)s 的结清金额应为 %(amount)s，请重新试算"}  # fmt: skip
    problem = {"kind": "InvalidInput", "field": "amount",
               "detail": "the payoff on 2026-11-28 is exactly 100.05"}  # fmt: skip
    shown = localized_detail(problem, "zh_CN", lambda m: catalogue.get(m, m))
    assert shown == LocalizedDetail("2026-11-28 的结清金额应为 100.05，请重新试算", "zh_CN")
    english = localized_detail(problem, "en", lambda m: m)  # English: the message ids
    assert english == LocalizedDetail(
        "the payoff on 2026-11-28 is exactly 100.05: quote it again", "en"
    )  # the catalogue's English message, as the Chinese page reads its translation


def test_a_refusal_without_a_translation_is_left_as_it_came() -> None:
    problem = {"detail": "choose a repayment to reverse", "detail_zh": None}
    shown = localized_detail(problem, "zh_CN", lambda m: m)
    assert shown == LocalizedDetail("choose a repayment to reverse", "en")
