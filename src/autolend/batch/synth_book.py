"""A synthetic in-memory book for benchmarks and kernel tests: vectorised and seeded.

The generating process (per loan, one draw each from a seeded ``numpy`` Generator):
a product (rate, penalty uplift, monthly fee, pack; :data:`PRODUCTS`), a term of
12-60 months and an age uniform over it (so every vintage of five years appears), a
due day 1-28, a principal of 30,000-400,000 (CNY; USD under a US-pack product), a
delinquency state (85 % current,
then 1-30, 31-60, 61-90, 91-180, 181+ days past due: 7 / 3 / 2 / 1.5 / 1.5 %), early
payers with an advance covering the next installment (3 %) or only part of it (0.3 %,
left to the reference path), NEV share 35 %, used cars 25 %, model grades 0-9 with
a PD that drifted since origination, restructured, manually classed, defaulted and
bureau-alerted loans.  Installment amounts follow the annuity in float64 (a synthetic
book, not a booked schedule); every amount is an int64 number of minor units of its
loan's currency (fen for a CN-pack loan, cents for a US one: ``pack`` says which).

The model grade is Binomial(9, 0.3) (:func:`draw_grades`: grade 0 4.0 %, 1 15.6 %,
2 26.7 %, 3 26.7 %, 4 17.2 %, 5 7.4 %, 6 2.1 %, 7 0.4 %, 8 and 9 under 0.1 %) and the PD at
origination is that grade's 12-month PD on the built-in scale (:func:`grade_pd`: grade 5
-> 0.055, 550 bp), so the ECL grades it back to the drawn grade. The synthetic database
books draw their loans' ``pd_orig`` the same way (:func:`draw_pds`), recorded with
:data:`SYNTHETIC_MODEL_VERSION`.

>>> book = synthetic_book(1_000, day=20_500, seed=7)
>>> len(book), bool((book["accrued_through"] == 20_499).all())
(1000, True)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import numpy as np
import numpy.typing as npt

from autolend.batch.book import NO_DAY, Book, Column, empty_loans
from autolend.batch.ecl import ANNUAL_PD_BY_GRADE
from autolend.batch.int_rounding import RATE_SCALE
from autolend.batch.risk_kernels import delinquency_bucket

__all__ = [
    "PRODUCTS", "SYNTHETIC_MODEL_VERSION", "draw_grades", "draw_pds", "grade_pd", "synthetic_book",
]  # fmt: skip

SYNTHETIC_MODEL_VERSION: Final = "synthetic"
"""The ``model_version`` a synthetic book's loans record with their drawn PD."""

PRODUCTS = np.array(
    [  # annual rate x 10^10, uplift bp, monthly fee, pack (0 CN, 1 US)
        (499_000_000, 5_000, 0, 0), (399_000_000, 5_000, 0, 0), (888_000_000, 3_000, 8_000, 0),
        (1_399_000_000, 5_000, 5_000, 0), (699_000_000, 0, 0, 1),
    ],
    dtype=np.int64,
)  # fmt: skip
_TERMS = np.array([12, 24, 36, 48, 60])
_DPD_SHARES = (0.85, 0.07, 0.03, 0.02, 0.015, 0.015)
_DPD_SPANS = ((0, 0), (1, 30), (31, 60), (61, 90), (91, 180), (181, 720))
_CAP = {0: (6, 25 * 360), 1: (9, 25 * 365)}  # 24 % / 360 (CN), 36 % / 365 (US)
_EPOCH_MONTH = np.datetime64("1970-01", "M")


def _day_of(month: Column, dom: Column) -> Column:
    days = (_EPOCH_MONTH + month).astype("datetime64[D]") + (dom - 1)
    out: Column = days.astype(np.int64)
    return out


def _schedule_rows(
    rng: np.random.Generator, loans: dict[str, Column], n: int, day: int
) -> tuple[npt.NDArray[np.int64], dict[str, Column], Column]:
    """Terms, ages, due days and the remaining installments (CSR)."""
    term = rng.choice(_TERMS, n)
    age = (rng.random(n) * term).astype(np.int64)  # installments already due
    dom = rng.integers(1, 29, n)
    today = np.datetime64(int(day), "D")
    month_now = today.astype("datetime64[M]").astype(np.int64)
    day_now = int((today - today.astype("datetime64[M]").astype("datetime64[D]")).astype(int)) + 1
    cur_month = month_now + (dom < day_now)
    remaining = term - age
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(remaining, out=offsets[1:])
    j = np.arange(offsets[-1]) - np.repeat(offsets[:-1], remaining)
    owner = np.repeat(np.arange(n), remaining)
    rate = loans["annual_rate"] / (12.0 * RATE_SCALE)
    principal = loans["principal"].astype(np.float64)
    growth = (1.0 + rate) ** term
    level = np.where(rate > 0, principal * rate * growth / np.maximum(growth - 1, 1e-12),
                     principal / term)  # fmt: skip
    k = (age[owner] + j).astype(np.float64)  # installments paid before this row
    g = (1.0 + rate[owner]) ** k
    balance = principal[owner] * g - np.where(
        rate[owner] > 0, level[owner] * (g - 1) / np.maximum(rate[owner], 1e-12), level[owner] * k
    )
    interest = np.rint(np.maximum(balance, 0) * rate[owner]).astype(np.int64)
    last = j == remaining[owner] - 1
    row_principal = np.where(last, np.rint(balance), np.rint(level[owner]) - interest)
    rows = {
        "due_day": _day_of(cur_month[owner] + j, dom[owner]).astype(np.int32),
        "principal": np.maximum(row_principal, 0).astype(np.int64), "interest": interest,
        "fee": loans["monthly_fee"][owner].copy(),
    }  # fmt: skip
    loans["start_day"][:] = _day_of(cur_month - age - 1, dom)
    loans["first_due_day"][:] = _day_of(cur_month - age, dom)
    loans["period_start"][:] = _day_of(cur_month - 1, dom)
    loans["period_end"][:] = rows["due_day"][offsets[:-1]]
    loans["cur_interest"][:] = interest[offsets[:-1]]
    loans["principal_not_due"][:] = np.add.reduceat(rows["principal"], offsets[:-1])
    return offsets, rows, np.stack([age, cur_month, dom])


def _products(rng: np.random.Generator, loans: dict[str, Column], n: int) -> None:
    product = rng.choice(len(PRODUCTS), n, p=(0.35, 0.25, 0.2, 0.1, 0.1))
    rate, uplift, fee, pack = (PRODUCTS[product, c] for c in range(4))
    loans["product"][:], loans["pack"][:] = product, pack
    loans["annual_rate"][:], loans["uplift_bp"][:], loans["monthly_fee"][:] = rate, uplift, fee
    loans["penalty_rate"][:] = rate * (10_000 + uplift) // 10_000
    loans["penalty_basis"][:] = np.where(pack == 1, 365, 360)
    loans["compounds"][:] = True
    loans["principal"][:] = rng.integers(300, 4_000, n) * 10_000
    cap = np.array([_CAP[0], _CAP[1]])[pack]
    loans["cap_num"][:] = loans["principal"] * cap[:, 0]
    loans["cap_den"][:] = cap[:, 1]


def _delinquency(
    rng: np.random.Generator, loans: dict[str, Column], plan: Column, day: int, remaining: Column
) -> None:
    """Overdue installments, penalty so far, cost charged, advances."""
    n = len(loans["loan_id"])
    age, cur_month, dom = plan
    span = np.array(_DPD_SPANS)[rng.choice(len(_DPD_SHARES), n, p=_DPD_SHARES)]
    target = rng.integers(span[:, 0], span[:, 1] + 1)
    missed = np.minimum((target + 29) // 30, age)
    earliest = _day_of(cur_month - missed, dom)
    late = missed > 0
    loans["earliest_unpaid_day"][:] = np.where(late, earliest, NO_DAY)
    row_p = np.maximum(loans["principal_not_due"] // np.maximum(remaining, 1), 0)
    loans["overdue_principal"][:] = missed * row_p
    loans["overdue_interest"][:] = missed * loans["cur_interest"]
    loans["overdue_fee"][:] = missed * loans["monthly_fee"]
    dpd = np.where(late, day - 1 - earliest, 0)
    daily = loans["overdue_principal"] * loans["penalty_rate"] // (360 * RATE_SCALE)
    loans["penalty"][:] = dpd * daily // 2
    elapsed = day - 1 - loans["start_day"].astype(np.int64)
    cap = loans["cap_num"] * elapsed // loans["cap_den"]
    spent = loans["principal"] * loans["annual_rate"] // RATE_SCALE * elapsed // 500
    at_cap = rng.random(n) < 0.02
    loans["cost_charged"][:] = np.where(at_cap, cap - rng.integers(0, 500, n),
                                        np.minimum(spent + loans["penalty"], cap))  # fmt: skip
    instalment = row_p + loans["cur_interest"] + loans["monthly_fee"]
    draw = rng.random(n)
    share = np.where(draw < 0.03, rng.uniform(1.0, 3.0, n), rng.uniform(0.3, 0.9, n))
    early = ~late & (draw < 0.033)
    loans["advance"][:] = np.where(early, (instalment * share).astype(np.int64), 0)
    loans["prev_bucket"][:] = delinquency_bucket(np.maximum(dpd, 0))
    loans["prev_stage"][:] = np.where(dpd > 90, 3, np.where(dpd > 30, 2, 1))
    loans["current_days"][:] = np.where(late, 0, rng.integers(0, 400, n))
    loans["paid_in_period"][:] = np.where(late & (rng.random(n) < 0.3), row_p // 3, 0)


def draw_grades(rng: np.random.Generator, n: int) -> Column:
    """``n`` model grades 0-9, Binomial(9, 0.3) (shares in the module docstring); one
    draw from ``rng``, so the same generator state gives the same grades.

    >>> draw_grades(np.random.default_rng(7), 6).tolist()
    [3, 4, 4, 2, 2, 4]
    """
    grades: Column = rng.binomial(9, 0.3, n)
    return grades


def grade_pd(grade: int) -> Decimal:
    """The PD at origination of a loan of model ``grade``: the grade's 12-month PD on the
    built-in scale, exactly as written, which the ECL grades back to ``grade``.

    >>> grade_pd(5), grade_pd(0)
    (Decimal('0.055'), Decimal('0.004'))
    """
    return Decimal(repr(ANNUAL_PD_BY_GRADE[grade]))


def draw_pds(rng: np.random.Generator, n: int) -> list[Decimal]:
    """``n`` PDs at origination drawn as the bench book draws them (:func:`draw_grades`,
    then :func:`grade_pd`), for the synthetic database books' ``pd_orig``.

    >>> draw_pds(np.random.default_rng(7), 3)
    [Decimal('0.02'), Decimal('0.033'), Decimal('0.033')]
    """
    return [grade_pd(int(grade)) for grade in draw_grades(rng, n)]


def _risk(rng: np.random.Generator, loans: dict[str, Column], plan: Column) -> None:
    n = len(loans["loan_id"])
    grade = draw_grades(rng, n)
    pd_orig = np.rint(np.asarray(ANNUAL_PD_BY_GRADE)[grade] * 10_000)
    drift = rng.lognormal(0.0, 0.35, n) * np.where(loans["earliest_unpaid_day"] >= 0, 2.5, 1.0)
    nev, used = rng.random(n) < 0.35, rng.random(n) < 0.25
    loans["grade"][:], loans["pd_orig_bp"][:] = grade, pd_orig
    loans["pd_now_bp"][:] = np.minimum(np.rint(pd_orig * drift), 10_000)
    loans["vehicle_type"][:] = 2 * nev + used
    loans["vehicle_price"][:] = (loans["principal"] / rng.uniform(0.55, 0.85, n)).astype(np.int64)
    loans["vehicle_age_months"][:] = plan[0] + np.where(used, rng.integers(12, 73, n), 0)
    draw = rng.random(n)
    loans["restructured"][:] = np.where(draw < 0.01, 1, np.where(draw < 0.012, 2, 0))
    loans["manual_class"][:] = np.where(rng.random(n) < 0.003, rng.integers(0, 5, n), -1)
    loans["defaulted"][:] = rng.random(n) < 0.002
    loans["bureau_alert"][:] = rng.random(n) < 0.01


def synthetic_book(n: int, *, day: int, seed: int, first_id: int = 0) -> Book:
    """``n`` active loans as of the start of day number ``day`` (accrued through the day
    before); the same ``seed`` gives the same book."""
    rng = np.random.default_rng(seed)
    loans = empty_loans(n)
    loans["loan_id"][:] = np.arange(first_id, first_id + n)
    _products(rng, loans, n)
    offsets, rows, plan = _schedule_rows(rng, loans, n, day)
    loans["contract_day"][:] = loans["start_day"]
    loans["accrued_through"][:] = day - 1
    elapsed = day - 1 - loans["period_start"].astype(np.int64)
    length = loans["period_end"] - loans["period_start"].astype(np.int64)
    twice = 2 * loans["cur_interest"]
    loans["accrued_interest"][:] = (twice * elapsed + length) // (2 * length)
    _delinquency(rng, loans, plan, day, np.diff(offsets))
    _risk(rng, loans, plan)
    return Book(loans, offsets, rows)
