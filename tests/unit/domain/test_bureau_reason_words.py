"""A decline for the credit report's red flags names them in words in both languages:
the English reason (on the decision, the review page and the adverse-action notice the
borrower receives) listed the report's codes, "(overdue_180_plus, written_off)"."""

from __future__ import annotations

import re

from autolend.domain.bureau import RED_FLAG_NAMES
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.decision_rules import bureau_hits
from tests.unit.domain.test_decision import report


def red_flag_reason(*flags: str) -> tuple[str, str]:
    summary = report(red_flags=flags)
    hits = bureau_hits(summary, decline_worst=DEFAULT_POLICY.decline_worst_months_overdue,
                       refer_late_months=0, refer_inquiries=0, thin_file="refer")  # fmt: skip
    [hit] = [h for h in hits if h.rule == "bureau_red_flag"]
    return hit.message_en, hit.message_zh


def test_each_red_flag_reads_as_words_never_as_its_code_in_either_language() -> None:
    en, zh = red_flag_reason(*RED_FLAG_NAMES)
    assert not re.search(r"[a-z]+_[a-z]", en), en  # no snake_case code left
    assert not re.search(r"[a-z]", zh), zh
    for english, chinese in RED_FLAG_NAMES.values():
        assert english in en and chinese in zh


def test_the_two_flags_of_a_lost_loan_read_as_a_borrower_would_say_them() -> None:
    assert red_flag_reason("overdue_180_plus", "written_off") == (
        "The credit report shows a loan lost or repaid by others "
        "(more than 180 days overdue, bad debt (written off))",
        "征信报告显示有呆账、代偿或以资抵债记录（逾期180天以上、呆账）",
    )


def test_late_payments_read_as_english_for_one_month_as_for_several() -> None:
    """It read "The credit report shows 1 late payment months in the last 24 months"."""
    for late in (1, 3):
        hits = bureau_hits(report(months_overdue_any=late), decline_worst=0,
                           refer_late_months=1, refer_inquiries=0, thin_file="refer")  # fmt: skip
        [hit] = [h for h in hits if h.rule == "bureau_late_payments"]
        assert hit.message_en == (
            f"The credit report shows late payments in {late} of the last 24 months"
        )
        assert hit.message_zh == f"征信报告显示近24个月有{late}个月逾期"
