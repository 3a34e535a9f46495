"""Between the domain and the columnar book: one :class:`LoanState` in, one out.

:func:`book_from_states` puts domain states (each with its penalty policy and
regulation pack) into a :class:`~autolend.batch.book.Book` as of the start of a day;
:func:`state_of` rebuilds a :class:`LoanState` from one loan of a book, so the
per-loan reference (:func:`autolend.domain.servicing.accrue`) can run any loan the
kernels route to it, and the per-loan benchmark can run the same book.

A state the kernels cannot represent exactly is flagged ``needs_reference``: a
penalty rate (contract rate x (1 + uplift)) that is not a whole multiple of 10^-10,
rounding other than half-up, or a future installment already partly paid.

The risk columns (``grade``, ``pd_orig_bp``, ``pd_now_bp``) come from each loan's
origination PD (:attr:`ServicedLoan.pd_orig`) on the lender's 12-month PD scale, as the
bulk read gives them (:func:`autolend.batch.pd_grades.risk_columns`: PD 8 % -> grade 6,
800 bp; none recorded -> grade 6, 900 bp on the default scale).

Example: 12,000.00 at 12 % with the CN pack (uplift 50 %, 24 % ceiling on a 360-day
year): ``penalty_rate`` 1_800_000_000 (18 % over 10^10), ``cap_num`` 1_200_000 x 6 and
``cap_den`` 25 x 360, so the cap after 32 days is 256.00 (``cost_cap_amount``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np

from autolend.batch.book import (
    INSTALLMENT_SCHEMA,
    NO_DAY,
    STATUS_CODES,
    Book,
    Column,
    day_number,
    empty_loans,
    from_day_number,
)
from autolend.batch.ecl import ANNUAL_PD_BY_GRADE
from autolend.batch.int_rounding import RATE_SCALE
from autolend.batch.pd_grades import risk_columns
from autolend.domain.daycount import DayCount
from autolend.domain.money import Money, RoundingMode
from autolend.domain.penalty import PenaltyPolicy, policy_from_pack
from autolend.domain.regulation import RegulationPack, pack_for
from autolend.domain.schedule import LoanTerms
from autolend.domain.servicing import Component, InstallmentState, LoanState, LoanStatus

__all__ = ["PACK_CODES", "ServicedLoan", "book_from_states", "state_of"]

PACK_CODES = ("CN", "US")
"""Regulation pack of each ``pack`` code."""

_P, _I, _F = Component.PRINCIPAL, Component.INTEREST, Component.FEE
_RISK_COLUMNS = ("grade", "pd_orig_bp", "pd_now_bp")


@dataclass(frozen=True, slots=True)
class ServicedLoan:
    """A domain state with the rules it accrues under, and the PD the loan was booked
    with (``None``: none recorded)."""

    state: LoanState
    policy: PenaltyPolicy
    pack: RegulationPack
    pd_orig: Decimal | None = None


def _scaled(rate: Decimal) -> int | None:
    scaled = rate * RATE_SCALE
    return int(scaled) if scaled == scaled.to_integral_value() else None


def _loan_row(loan: ServicedLoan, columns: dict[str, Column], i: int) -> list[InstallmentState]:
    """Fill loan ``i``'s columns; return its installments not yet overdue."""
    state, policy, pack = loan.state, loan.policy, loan.pack
    terms = state.terms
    first_day = (state.accrued_through or terms.start) + timedelta(days=1)
    past = [r for r in state.installments if r.due_date < first_day]
    ahead = [r for r in state.installments if r.due_date >= first_day]
    unpaid = [r for r in past if not r.is_paid]
    past_due = [r for r in unpaid if r.principal_or_interest_unpaid]  # a fee alone: no DPD
    penalty_rate = _scaled(terms.annual_rate * (1 + policy.uplift))
    uplift_bp = policy.uplift * 10_000
    ceiling = Fraction(pack.cost_ceiling(state.contract_date).ceiling)
    current = ahead[0] if ahead else state.installments[-1]
    values: dict[str, object] = {
        "loan_id": i, "status": STATUS_CODES.index(state.status.value),
        "pack": PACK_CODES.index(pack.code), "principal": terms.principal.minor,
        "annual_rate": _scaled(terms.annual_rate), "uplift_bp": int(uplift_bp),
        "penalty_rate": penalty_rate or 0,
        "penalty_basis": 360 if policy.day_count is DayCount.ACT_360 else 365,
        "compounds": policy.compound_overdue_interest,
        "cap_num": terms.principal.minor * ceiling.numerator,
        "cap_den": ceiling.denominator * pack.day_count_basis,
        "contract_day": day_number(state.contract_date), "start_day": day_number(terms.start),
        "first_due_day": day_number(state.installments[0].due_date),
        "accrued_through": day_number(first_day) - 1,
        "period_start": day_number(current.period_start if ahead else current.due_date),
        "period_end": day_number(current.due_date),
        "cur_interest": current.interest_due if ahead else 0,
        "principal_not_due": sum(r.outstanding(_P) for r in ahead),
        "overdue_principal": sum(r.outstanding(_P) for r in unpaid),
        "overdue_interest": sum(r.outstanding(_I) for r in unpaid),
        "overdue_fee": sum(r.outstanding(_F) for r in unpaid),
        "earliest_unpaid_day": day_number(past_due[0].due_date) if past_due else NO_DAY,
        "accrued_interest": state.accrued_interest, "penalty": state.penalty,
        "compound": state.compound, "cost_charged": state.cost_charged,
        "ceiling_reached": state.ceiling_reached, "advance": state.advance,
        "monthly_fee": state.monthly_fee,
        "needs_reference": penalty_rate is None or uplift_bp != int(uplift_bp)
        or policy.rounding is not RoundingMode.HALF_UP or any(r.total_paid for r in ahead),
    }  # fmt: skip
    for name, value in values.items():
        columns[name][i] = value
    return ahead


def book_from_states(
    loans: Sequence[ServicedLoan], annual_pd: Sequence[float] = ANNUAL_PD_BY_GRADE
) -> Book:
    """The book of ``loans`` at the start of the day after each one's accrued-through
    date (loan ``i`` gets ``loan_id`` ``i``), graded on the 12-month PD scale
    ``annual_pd`` (the lender's; module docstring)."""
    columns = empty_loans(len(loans))
    offsets = np.zeros(len(loans) + 1, dtype=np.int64)
    flat: list[InstallmentState] = []
    for i, loan in enumerate(loans):
        flat.extend(_loan_row(loan, columns, i))
        risk = risk_columns(loan.pd_orig, annual_pd)
        for name, value in zip(_RISK_COLUMNS, risk, strict=True):
            columns[name][i] = value
        offsets[i + 1] = len(flat)
    rows = {
        "due_day": [day_number(r.due_date) for r in flat],
        "principal": [r.outstanding(_P) for r in flat],
        "interest": [r.outstanding(_I) for r in flat],
        "fee": [r.outstanding(_F) for r in flat],
    }
    arrays = {k: np.array(v, dtype=INSTALLMENT_SCHEMA[k]) for k, v in rows.items()}
    return Book(columns, offsets, arrays)


_Row = tuple[date, date, int, int, int, int, int, int]


def _overdue_rows(book: Book, i: int) -> list[_Row]:
    """Two rows standing for the overdue installments: the earliest past due one holding
    every overdue amount, then an empty one up to the current period's start. With only
    fees overdue (no day past due) one row due on the period's start holds them."""
    start = from_day_number(int(book["period_start"][i]))
    earliest = int(book["earliest_unpaid_day"][i])
    amounts = (int(book["overdue_principal"][i]), int(book["overdue_interest"][i]),
               int(book["overdue_fee"][i]))  # fmt: skip
    if earliest == NO_DAY:
        fee = amounts[2]
        return [(start - timedelta(days=1), start, 0, 0, fee, 0, 0, 0)] if fee else []
    due = from_day_number(earliest)
    rows: list[_Row] = [(due - timedelta(days=1), due, *amounts, 0, 0, 0)]
    if start > due:
        rows.append((due, start, 0, 0, 0, 0, 0, 0))
    return rows


def state_of(book: Book, i: int, currency: str | None = None) -> ServicedLoan:
    """Loan ``i`` of ``book`` as a domain state that accrues exactly as the kernel
    does: the overdue installments are summarised by :func:`_overdue_rows`, and only
    installments not yet overdue follow (renumbered from 1)."""
    lo, hi = int(book.offsets[i]), int(book.offsets[i + 1])
    cur = int(book["cur"][i])
    rows = _overdue_rows(book, i)
    start = from_day_number(int(book["period_start"][i]))
    for j in range(lo + cur, hi):
        due = from_day_number(int(book.rows["due_day"][j]))
        p, r, f = (int(book.rows[c][j]) for c in ("principal", "interest", "fee"))
        paid = j == lo + cur and bool(book["cur_paid"][i])
        rows.append((start, due, p, r, f, *((p, r, f) if paid else (0, 0, 0))))
        start = due
    if not rows:  # nothing left: one settled row keeps the state valid
        rows.append((start - timedelta(days=1), start, 0, 0, 0, 0, 0, 0))
    installments = tuple(InstallmentState(n, *row) for n, row in enumerate(rows, start=1))
    pack = pack_for(PACK_CODES[int(book["pack"][i])])
    terms = LoanTerms(
        principal=Money.of_minor(int(book["principal"][i]), currency or pack.currency),
        annual_rate=Decimal(int(book["annual_rate"][i])) / RATE_SCALE,
        periods=max(len(installments), 1),
        start=from_day_number(int(book["start_day"][i])),
    )
    contract = from_day_number(int(book["contract_day"][i]))
    policy = policy_from_pack(pack, contract, Decimal(int(book["uplift_bp"][i])) / 10_000)
    state = LoanState(
        loan_id=f"L{int(book['loan_id'][i])}", currency=terms.principal.currency, terms=terms,
        installments=installments, contract_date=contract, advance=int(book["advance"][i]),
        accrued_interest=int(book["accrued_interest"][i]), penalty=int(book["penalty"][i]),
        compound=int(book["compound"][i]),
        status=LoanStatus(STATUS_CODES[int(book["status"][i])]),
        accrued_through=from_day_number(int(book["accrued_through"][i])),
        cost_charged=int(book["cost_charged"][i]),
        ceiling_reached=bool(book["ceiling_reached"][i]),
        monthly_fee=int(book["monthly_fee"][i]),
    )  # fmt: skip
    return ServicedLoan(state, policy, pack)
