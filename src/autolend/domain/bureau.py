"""Credit-bureau vocabulary: query purposes, repayment status codes, and what a report says.

A personal credit report (个人信用报告) lists the subject's credit accounts, each with a
24-month repayment history: one status character a month, oldest first, in the style of the
PBOC credit reference centre:

====  ==============================================
code  meaning
====  ==============================================
N     paid as agreed (正常)
1..7  months overdue: 1 = 1-30 days ... 7 = 180+ days
C     closed normally (结清)
G     closed abnormally
D     paid by the guarantor (担保人代还)
Z     paid off by collateral (以资抵债)
B     written off (呆账)
M     bill date, no payment yet
\\*    no payment due this month
#     status unknown
/     no record: the account was not open yet
====  ==============================================

:func:`summarize` turns a report (the bureau's JSON, amounts in whole yuan) into the few
facts the platform decides on; it names no person, so it may be shown and logged. A
report that is not of that shape (an account that is not an object, an amount or count
that is not a whole number >= 0, ``thin_file`` not true or false) is
:class:`~autolend.domain.errors.InvalidInput`, never another exception, so that the
decision refers the case rather than failing:

>>> history = "N" * 20 + "1237"
>>> months_overdue_worst(history)
7
>>> count_months_overdue(history, at_least=3)
2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from autolend.domain.errors import InvalidInput

HISTORY_MONTHS = 24

STATUS_CODES: dict[str, str] = {
    "N": "paid as agreed",
    "1": "1-30 days overdue",
    "2": "31-60 days overdue",
    "3": "61-90 days overdue",
    "4": "91-120 days overdue",
    "5": "121-150 days overdue",
    "6": "151-180 days overdue",
    "7": "more than 180 days overdue",
    "C": "closed normally",
    "G": "closed abnormally",
    "D": "paid by the guarantor",
    "Z": "paid off by collateral",
    "B": "written off",
    "M": "bill date, no payment yet",
    "*": "no payment due",
    "#": "status unknown",
    "/": "no record (account not open)",
}

ACCOUNT_TYPES = ("auto_loan", "mortgage", "credit_card", "consumer_loan")
ACCOUNT_STATES = ("open", "closed", "written_off")
# Codes that mark an account as lost to the lender: a red flag wherever they appear.
_SEVERE = {"7": "overdue_180_plus", "B": "written_off", "G": "closed_abnormally"}
_SEVERE |= {"D": "paid_by_guarantor", "Z": "paid_off_by_collateral"}
RED_FLAG_NAMES: dict[str, tuple[str, str]] = {  # code: (English, Chinese) as a reason says it
    "overdue_180_plus": ("more than 180 days overdue", "逾期180天以上"),
    "written_off": ("bad debt (written off)", "呆账"),
    "closed_abnormally": ("closed abnormally", "异常结束"),
    "paid_by_guarantor": ("paid by the guarantor", "担保人代还"),
    "paid_off_by_collateral": ("paid off by the collateral", "以资抵债"),
}


def red_flags_named(flags: Sequence[str]) -> tuple[str, str]:
    """A report's red flags in words, in English and in Chinese, for a decision's
    reason (a borrower reads it on the adverse-action notice, never the codes); a code
    this table lacks is kept as it is.

    >>> red_flags_named(["overdue_180_plus", "written_off"])
    ('more than 180 days overdue, bad debt (written off)', '逾期180天以上、呆账')
    """
    named = [RED_FLAG_NAMES.get(flag, (flag, flag)) for flag in flags]
    return ", ".join(en for en, _ in named), "、".join(zh for _, zh in named)


class QueryPurpose(StrEnum):
    """Why the report is queried (查询原因); a bureau query must always state one."""

    LOAN_APPLICATION = "loan_application"  # 贷款审批
    POST_LOAN_MANAGEMENT = "post_loan_management"  # 贷后管理
    GUARANTOR_REVIEW = "guarantor_review"  # 担保资格审查


def parse_purpose(text: str, *, field: str = "purpose") -> QueryPurpose:
    """The purpose named by ``text``; an unknown one is an error listing the known ones.

    >>> parse_purpose("loan_application")
    <QueryPurpose.LOAN_APPLICATION: 'loan_application'>
    """
    try:
        return QueryPurpose(text)
    except ValueError:
        known = ", ".join(p.value for p in QueryPurpose)
        raise InvalidInput(f"unknown purpose {text!r}; known: {known}", field=field) from None


def months_overdue(code: str) -> int:
    """Months overdue that one status character says (0 for every non-digit code)."""
    return int(code) if code.isdigit() else 0


def months_overdue_worst(history: str) -> int:
    """The worst delinquency in a history, in months (``7`` means 180+ days)."""
    return max((months_overdue(c) for c in history), default=0)


def count_months_overdue(history: str, *, at_least: int = 1) -> int:
    """How many months of the history were at least ``at_least`` months overdue."""
    return sum(1 for c in history if months_overdue(c) >= at_least)


@dataclass(frozen=True)
class ReportSummary:
    """What the platform decides on. Amounts in fen (minor units of CNY)."""

    accounts: int
    open_accounts: int
    total_outstanding_minor: int
    monthly_obligations_minor: int
    worst_months_overdue: int
    months_overdue_any: int
    months_overdue_90_plus: int
    inquiries_6m: int
    inquiries_12m: int
    thin_file: bool
    red_flags: tuple[str, ...]
    card_limit_minor: int = 0
    """Credit limits of the open credit cards that state one (a report of before
    ``credit_limit`` was read counts none)."""
    card_balance_minor: int = 0
    """What those cards owe: over ``card_limit_minor``, the revolving utilisation."""


def _whole(value: Any, name: str) -> int:
    """A count or an amount in whole yuan: an integer (or its digits as text) >= 0.
    A fraction, a negative (it would lower the applicant's debts), NaN, infinity or a
    boolean is malformed.

    >>> _whole(12000, "balance"), _whole("300", "balance"), _whole(500.0, "balance")
    (12000, 300, 500)
    """
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():  # 12000.0, as some encoders write it
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"a report's {name} must be a whole number >= 0, not {value!r}",
                           field=name)  # fmt: skip
    return value


def _mapping(value: Any, name: str, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{what} must be an object", field=name)
    return value


def _accounts(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    accounts = report["accounts"]
    if not isinstance(accounts, list):
        raise InvalidInput("a report's accounts must be a list", field="accounts")
    checked = [_mapping(a, "accounts", "each of a report's accounts") for a in accounts]
    for account in checked:
        _check_account(account)
    return checked


def _account_flags(account: Mapping[str, Any]) -> list[str]:
    flags = [flag for code, flag in _SEVERE.items() if code in account["history"]]
    if account["status"] == "written_off" and "written_off" not in flags:
        flags.append("written_off")
    return flags


def _check_account(account: Mapping[str, Any]) -> None:
    history = account.get("history")
    if not isinstance(history, str) or len(history) != HISTORY_MONTHS:
        raise InvalidInput("a report account needs a 24-month history", field="history")
    if any(c not in STATUS_CODES for c in history):
        raise InvalidInput("a report account history has an unknown status code", field="history")
    if account.get("status") not in ACCOUNT_STATES:
        raise InvalidInput("a report account has an unknown status", field="status")
    for name in ("balance", "monthly_payment"):
        _whole(account[name], name)


def _card_totals(open_accounts: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """(limits, balances) in whole units of the open credit cards with a credit limit:
    a card without one cannot say how much of it is used."""
    cards = [a for a in open_accounts if a.get("type") == "credit_card"]
    cards = [a for a in cards if a.get("credit_limit") is not None]
    limit = sum(_whole(a["credit_limit"], "credit_limit") for a in cards)
    return limit, sum(_whole(a["balance"], "balance") for a in cards)


def summarize(report: Mapping[str, Any]) -> ReportSummary:
    """Condense a bureau report: totals, worst delinquency, inquiries, thin file, red flags."""
    try:
        accounts: Sequence[Mapping[str, Any]] = _accounts(_mapping(report, "report", "a report"))
        inquiries = _mapping(report["inquiries"], "inquiries", "a report's inquiries")
        if not isinstance(report["thin_file"], bool):
            raise InvalidInput("a report's thin_file must be true or false", field="thin_file")
        open_ones = [a for a in accounts if a["status"] == "open"]
        flags = sorted({f for a in accounts for f in _account_flags(a)})
        balance = sum(_whole(a["balance"], "balance") for a in open_ones)
        monthly = sum(_whole(a["monthly_payment"], "monthly_payment") for a in open_ones)
        card_limit, card_balance = _card_totals(open_ones)
        return ReportSummary(
            accounts=len(accounts),
            open_accounts=len(open_ones),
            total_outstanding_minor=balance * 100,
            monthly_obligations_minor=monthly * 100,
            worst_months_overdue=max(
                (months_overdue_worst(a["history"]) for a in accounts), default=0
            ),
            months_overdue_any=sum(count_months_overdue(a["history"]) for a in accounts),
            months_overdue_90_plus=sum(
                count_months_overdue(a["history"], at_least=4) for a in accounts
            ),
            inquiries_6m=_whole(inquiries["last_6_months"], "inquiries"),
            inquiries_12m=_whole(inquiries["last_12_months"], "inquiries"),
            thin_file=report["thin_file"],
            red_flags=tuple(flags),
            card_limit_minor=card_limit * 100,
            card_balance_minor=card_balance * 100,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput(f"the bureau report is malformed: {error!r}", field="report") from None
