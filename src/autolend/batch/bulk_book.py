"""A partition read from the database (:class:`~autolend.services.eod_ports.BulkLoans`)
as a one-day :class:`~autolend.batch.book.Book` for the accrual kernel.

The book holds, per loan, the columns :func:`~autolend.batch.book_domain.book_from_states`
would give the loan's stored servicing state (the ``state`` snapshot, the installments,
the booked terms and the penalty rules of its regulation pack), but only the current
installment as a row: one day never reaches past it, except when the advance pays it,
and those loans leave the bulk path (see :mod:`autolend.batch.bulk_day`). When the read
carries every installment from the day on (``BulkLoans.rows``, for the ECL of the
portfolio snapshot), the book holds them all, the current one first.

A loan is *eligible* for the bulk path when it is serviced through the day before,
active, with nothing blocking it (an event not yet applied, a partial prepayment, an
accrual recorded for that day or later), nothing paid ahead of its due dates, a penalty
rate the kernel holds exactly, no late fee possibly falling on the day (a contract late
fee after ``k`` days, and an installment due on or before the day minus ``k`` with
principal or interest unpaid -- ``earliest_unpaid``, the start of the days past due: the
kernel does not charge late fees, the reference does; a loan owing only fees, its late
fee say, stays on the bulk path: no late fee can fall on it), and stored terms and
snapshot this reader understands (a migrated loan qualifies once it stands after its
cut-over: its opening lives in the stored state and installment rows like any other
history); the others are flagged ``needs_reference`` so the kernel leaves them alone and
the runner takes them loan by loan.

The risk columns come from the PD the loan was booked with (``pd_orig`` in its terms
JSON) on the lender's 12-month PD scale, exactly as
:func:`~autolend.batch.book_domain.book_from_states` gives them
(:func:`autolend.batch.pd_grades.risk_columns`: PD 8 % -> grade 6, ``pd_orig_bp`` and
``pd_now_bp`` 800; none recorded -> grade 6, 900 bp on the default scale).

Example: a CN loan of 10,000.00 at 12 % booked on 2026-01-05 and serviced through
2026-02-09, read for 2026-02-10, gets ``penalty_rate`` 1_800_000_000 (18 % over 10^10),
``accrued_through`` 20_493 (2026-02-09) and its Mar 5 installment as the one row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from autolend.batch.book import INSTALLMENT_SCHEMA, NO_DAY, Book, Column, day_number, empty_loans
from autolend.batch.book_domain import PACK_CODES
from autolend.batch.ecl import ANNUAL_PD_BY_GRADE
from autolend.batch.int_rounding import RATE_SCALE
from autolend.batch.pd_grades import risk_columns
from autolend.domain.daycount import DayCount
from autolend.domain.money import RoundingMode
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import pack_for
from autolend.services.contract import VEHICLE_TYPES
from autolend.services.eod_ports import BulkLoans

__all__ = ["LoanBook", "Rules", "loan_book", "penalty_rules", "with_rows"]

_SNAPSHOT = (
    "advance", "accrued_interest", "penalty", "compound", "penalty_paid", "compound_paid",
    "cost_charged", "ceiling_reached",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rules:
    """A loan's penalty rules as book columns; ``exact`` is False when the kernel
    cannot hold them (a rate off the 10^-10 grid, rounding other than half-up)."""

    pack: int
    annual_rate: int
    uplift_bp: int
    penalty_rate: int
    penalty_basis: int
    compounds: bool
    ceiling: Fraction
    basis_days: int
    exact: bool


def _scaled(rate: Decimal) -> int | None:
    scaled = rate * RATE_SCALE
    return int(scaled) if scaled == scaled.to_integral_value() else None


@lru_cache(maxsize=4096)
def penalty_rules(
    pack_code: str, start: date, annual_rate: str, uplift: str | None = None
) -> Rules:
    """The rules the servicing replay applies (the contract's uplift, else the pack's
    default on the start date): ``penalty_rules("CN", date(2026, 1, 5), "0.12")
    .penalty_rate`` is 1_800_000_000 (12 % x 1.5 over 10^10); with ``uplift`` "0.3",
    1_560_000_000."""
    pack = pack_for(pack_code)
    policy = policy_from_pack(pack, start, None if uplift is None else Decimal(uplift))
    rate = Decimal(annual_rate)
    scaled, penalty = _scaled(rate), _scaled(rate * (1 + policy.uplift))
    uplift_bp = policy.uplift * 10_000
    exact = (
        scaled is not None and penalty is not None and uplift_bp == int(uplift_bp)
        and policy.rounding is RoundingMode.HALF_UP
    )  # fmt: skip
    return Rules(
        pack=PACK_CODES.index(pack.code), annual_rate=scaled or 0, uplift_bp=int(uplift_bp),
        penalty_rate=penalty or 0, penalty_basis=360 if policy.day_count is DayCount.ACT_360
        else 365, compounds=policy.compound_overdue_interest,
        ceiling=Fraction(pack.cost_ceiling(start).ceiling), basis_days=pack.day_count_basis,
        exact=exact,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class LoanBook:
    """The book, which loans are eligible, and what the snapshot keeps that the book
    does not (``penalty_paid``, ``compound_paid``)."""

    book: Book
    eligible: npt.NDArray[np.bool_]
    penalty_paid: list[int]
    compound_paid: list[int]


_Terms = tuple[str, date, str, str | None, int, int, int, Decimal | None, tuple[int, int]]


def _terms(text: str) -> _Terms:
    """Pack, start, annual rate, penalty uplift (None: the pack's default), principal,
    monthly fees, the late fee's days after the due date (0: no late fee), the PD at
    origination (None: none recorded), and the car's price (0: none recorded) with its
    type index (the depreciation curve: 0 ICE new ... 3 NEV used), from the
    ``loans.terms`` JSON: the recorded collateral, else a balloon contract's vehicle
    price (an ICE new car)."""
    stored = json.loads(text)
    terms = stored["terms"]
    fees = stored.get("monthly_fees") or {}
    price = terms.get("vehicle_price")
    car = (int(price["minor"]), 0) if price else (0, 0)
    if collateral := stored.get("collateral"):
        car = (int(collateral["price"]), VEHICLE_TYPES.index(collateral["vehicle_type"]))
    return (
        str(stored["pack"]), date.fromisoformat(terms["start"]), str(terms["annual_rate"]),
        stored.get("penalty_uplift"), int(terms["principal"]["minor"]),
        sum(int(v) for v in fees.values()),
        int((stored.get("late_fee") or {}).get("after_days", 0)),
        Decimal(stored["pd_orig"]) if "pd_orig" in stored else None, car,
    )  # fmt: skip


def _snapshot(loans: BulkLoans, i: int) -> dict[str, Any]:
    text = loans.state_json[i]
    if loans.accrued_through[i] is None or text is None:
        return dict.fromkeys(_SNAPSHOT, 0)  # booked, never accrued: the booked state
    stored = json.loads(text)
    return {name: stored[name] for name in _SNAPSHOT}


def _rows(loans: BulkLoans, ahead: bool) -> tuple[npt.NDArray[np.int64], dict[str, Column]]:
    """The installment rows: each loan's current one, or, with ``ahead`` (``loans.rows``
    read, for the ECL), every one due on or after the day (ordered by loan id as the
    loans are, so each loan's rows start where the first row of its id is)."""
    if ahead and loans.rows is not None:
        found = loans.rows
        ids = np.asarray(loans.loan_id, dtype=np.int64)
        offsets = np.append(np.searchsorted(found.loan_id, ids), found.loan_id.size)
        columns = {"due_day": found.due_day, "principal": found.principal,
                   "interest": found.interest, "fee": found.fee}  # fmt: skip
        return offsets, {k: v.astype(INSTALLMENT_SCHEMA[k]) for k, v in columns.items()}
    per_loan = [
        [] if due is None else [(due, loans.cur_principal[i], loans.cur_interest[i],
                                 loans.cur_fee[i])]
        for i, due in enumerate(loans.cur_due)
    ]  # fmt: skip
    offsets = np.zeros(len(per_loan) + 1, dtype=np.int64)
    np.cumsum(np.array([len(r) for r in per_loan], dtype=np.int64), out=offsets[1:])
    flat = [row for rows in per_loan for row in rows]
    lists = {
        "due_day": [day_number(r[0]) for r in flat], "principal": [r[1] for r in flat],
        "interest": [r[2] for r in flat], "fee": [r[3] for r in flat],
    }  # fmt: skip
    return offsets, {k: np.array(v, dtype=INSTALLMENT_SCHEMA[k]) for k, v in lists.items()}


def _loan_values(
    loans: BulkLoans, i: int, state: dict[str, Any], annual_pd: Sequence[float]
) -> tuple[dict[str, Any], bool]:
    """Loan ``i``'s book columns and whether its state fits the book exactly."""
    pack, start, rate, uplift, principal, monthly, late_after, pd, (price, car) = _terms(
        loans.terms_json[i]
    )
    grade, pd_orig_bp, pd_now_bp = risk_columns(pd, annual_pd)
    rules = penalty_rules(pack, start, rate, uplift)
    serviced = loans.accrued_through[i] or loans.start_date[i]
    cur, prev = loans.cur_due[i], loans.prev_due[i]
    period_end = cur or prev or start
    earliest = loans.earliest_unpaid[i]
    values = {
        "loan_id": loans.loan_id[i], "pack": rules.pack, "principal": principal,
        "annual_rate": rules.annual_rate, "uplift_bp": rules.uplift_bp,
        "penalty_rate": rules.penalty_rate, "penalty_basis": rules.penalty_basis,
        "compounds": rules.compounds, "cap_num": principal * rules.ceiling.numerator,
        "cap_den": rules.ceiling.denominator * rules.basis_days,
        "contract_day": day_number(start), "start_day": day_number(start),
        "first_due_day": day_number(loans.first_due[i] or start),
        "accrued_through": day_number(serviced),
        "period_start": day_number(prev or start) if cur else day_number(period_end),
        "period_end": day_number(period_end), "cur_interest": loans.cur_interest[i] if cur else 0,
        "principal_not_due": loans.not_due_principal[i],
        "overdue_principal": loans.overdue_principal[i],
        "overdue_interest": loans.overdue_interest[i], "overdue_fee": loans.overdue_fee[i],
        "earliest_unpaid_day": NO_DAY if earliest is None else day_number(earliest),
        "monthly_fee": monthly, "vehicle_price": price, "vehicle_type": car,
        "grade": grade, "pd_orig_bp": pd_orig_bp, "pd_now_bp": pd_now_bp,
        **{k: state[k] for k in _SNAPSHOT[:4]},
        "cost_charged": state["cost_charged"], "ceiling_reached": bool(state["ceiling_reached"]),
    }  # fmt: skip
    fits = (
        rules.exact and not loans.blocked[i] and loans.ahead_paid[i] == 0
        and loans.status[i] == "active" and loans.first_due[i] is not None
        and day_number(serviced) == day_number(loans.day) - 1
        and not (late_after and earliest is not None
                 and day_number(earliest) + late_after <= day_number(loans.day))
    )  # fmt: skip
    return values, fits


def _read(
    loans: BulkLoans, i: int, annual_pd: Sequence[float]
) -> tuple[dict[str, Any], bool, tuple[int, int]]:
    """Loan ``i``'s columns, whether it fits, and its penalty and compound paid; a
    loan whose stored terms or snapshot this reader does not understand is left to
    the per-loan path (which reads them its own way, or records its error) with
    ``loan_id`` and the divisors set."""
    try:
        state = _snapshot(loans, i)
        values, fit = _loan_values(loans, i, state, annual_pd)
        return values, fit, (int(state["penalty_paid"]), int(state["compound_paid"]))
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return {"loan_id": loans.loan_id[i], "cap_den": 1, "penalty_basis": 360}, False, (0, 0)


def loan_book(loans: BulkLoans, annual_pd: Sequence[float] = ANNUAL_PD_BY_GRADE) -> LoanBook:
    """The partition as a one-day book (see the module docstring), graded on the 12-month
    PD scale ``annual_pd`` (the lender's)."""
    columns = empty_loans(len(loans.loan_id))
    scale = tuple(annual_pd)
    read = [_read(loans, i, scale) for i in range(len(loans.loan_id))]
    widest = max((values for values, _, _ in read), key=len, default={})
    for name in widest:  # a loan left to the per-loan path has only a few: zeros
        values = [row[0].get(name, 0) for row in read]
        columns[name] = np.array(values, dtype=columns[name].dtype)
    eligible = np.array([fit for _, fit, _ in read], dtype=np.bool_)
    columns["needs_reference"] = ~eligible
    offsets, rows = _rows(loans, loans.rows is not None)
    penalty_paid = [paid[0] for _, _, paid in read]
    compound_paid = [paid[1] for _, _, paid in read]
    return LoanBook(Book(columns, offsets, rows), eligible, penalty_paid, compound_paid)


def with_rows(held: LoanBook, loans: BulkLoans, *, ahead: bool) -> LoanBook:
    """``held`` (built from ``loans``) with its installment rows swapped: every one due
    on or after the day (``ahead``: the ECL's exposure, needs ``loans.rows``) or each
    loan's current one (all the day's accrual reads). The loan columns -- the terms and
    states parsed from JSON, most of the cost -- are kept, so a month-end partition
    builds them once for its accruals and its risk figures."""
    offsets, rows = _rows(loans, ahead)
    return LoanBook(Book(held.book.loans, offsets, rows), held.eligible, held.penalty_paid,
                    held.compound_paid)  # fmt: skip
