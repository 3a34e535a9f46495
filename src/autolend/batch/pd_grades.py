"""A loan's probability of default (PD) at origination as the book's risk columns.

Origination records the credit decision's PD on the loan (``pd_orig`` in its terms
JSON, an exact decimal; :class:`~autolend.services.contract.ServicingTerms`), and every
path that builds a book from stored loans (:func:`~autolend.batch.bulk_book.loan_book`
and :func:`~autolend.batch.book_domain.book_from_states`) turns it into the same three
columns with :func:`risk_columns`:

* ``pd_orig_bp``: the PD in basis points, rounded **up** (8.2346 % -> 824 bp), so the
  column never shows a loan better than it was scored;
* ``pd_now_bp``: the same in the book. A loan past due on the day takes at least its
  bucket's PD and grade in the kernel for that day (:mod:`autolend.batch.past_due_pd`),
  which may make it stage 2 by the PD columns (a significant increase in credit risk);
  a current loan's PD now is its PD at origination;
* ``grade``: the ECL grade (``cumulative_pd[grade, month]``) whose 12-month PD on the
  lender's scale (``annual_pd``, :mod:`autolend.batch.ecl_parameters`) is the nearest
  **at or above** the PD: the best grade that does not understate it, compared exactly
  (the PD's decimal against the scale's as written). On the default scale (0.4 %, 0.7 %,
  1.2 %, 2 %, 3.3 %, 5.5 %, 9 %, 15 %, 25 %, 40 %) PD 4 % -> grade 5 (5.5 %), PD 8 % ->
  grade 6 (9 %), PD 3.3 % -> grade 4 (3.3 % itself), PD 3.31 % -> grade 5. A PD above
  the worst grade's (over 40 %) can only take the worst grade, 9.

A loan **without a recorded PD** (booked before PDs were recorded, referred without a
score and approved by a person, or booked or migrated over the API without one) takes
:data:`UNRECORDED_PD_GRADE`, grade 6 (9 % on the default scale), with both PD columns at
that grade's 12-month PD (900 bp): conservative, as bad as the worst loan the default
policy approves without a person (``approve_max_pd`` 6 % -> grade 6) and worse than the
middle of the scale; never grade 0, the best.

>>> risk_columns(Decimal("0.08"))
(6, 800, 800)
>>> risk_columns(None)
(6, 900, 900)
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from typing import Final

from autolend.batch.ecl import ANNUAL_PD_BY_GRADE

__all__ = ["UNRECORDED_PD_GRADE", "basis_points", "grade_of", "risk_columns"]

UNRECORDED_PD_GRADE: Final = 6
"""The grade of a loan without a recorded PD (module docstring)."""

_BP = Decimal(10_000)


def basis_points(pd: Decimal) -> int:
    """``pd`` in whole basis points, rounded up: 0.08 -> 800, 0.082346 -> 824."""
    return int((pd * _BP).to_integral_value(rounding=ROUND_CEILING))


def _scale(annual_pd: Sequence[float]) -> tuple[Decimal, ...]:
    """The scale's PDs as written (``repr`` of a float is its shortest decimal: 0.055)."""
    return tuple(Decimal(repr(float(pd))) for pd in annual_pd)


def grade_of(pd: Decimal, annual_pd: Sequence[float] = ANNUAL_PD_BY_GRADE) -> int:
    """The best grade whose 12-month PD is at or above ``pd`` (else the worst): on the
    default scale 0.04 -> 5 (0.055), 0.033 -> 4, 0.5 -> 9."""
    scale = _scale(annual_pd)
    return next((g for g, top in enumerate(scale) if pd <= top), len(scale) - 1)


@lru_cache(maxsize=8192)
def _columns(pd: Decimal | None, annual_pd: tuple[float, ...]) -> tuple[int, int, int]:
    if pd is None:
        grade = min(UNRECORDED_PD_GRADE, len(annual_pd) - 1)
        bp = basis_points(_scale(annual_pd)[grade])
    else:
        grade, bp = grade_of(pd, annual_pd), basis_points(pd)
    return grade, bp, bp


def risk_columns(
    pd: Decimal | None, annual_pd: Sequence[float] = ANNUAL_PD_BY_GRADE
) -> tuple[int, int, int]:
    """``(grade, pd_orig_bp, pd_now_bp)`` of a loan whose origination PD is ``pd``
    (``None``: not recorded) on the scale ``annual_pd`` (module docstring)."""
    return _columns(pd, tuple(annual_pd))
