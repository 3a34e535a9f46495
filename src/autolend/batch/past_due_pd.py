"""A behavioural PD for past-due loans, estimated from the book's own month-end history.

**The chain.** Each loan in a month-end snapshot is in one of the delinquency buckets
current (0), 1-30 (1), 31-60 (2), 61-90 (3), 91-180 (4) or 181+ (5). Between two
consecutive month-ends a loan moves from its bucket to another, or leaves the book: a
loan written off is a default, any other (paid off, closed) has left without one. The
chain's states are the four buckets under 91 DPD, **default** (91+ DPD or written off,
absorbing) and **left** (absorbing). Row ``i`` of the month's transition matrix is the
share of the loans in bucket ``i`` at a month-end found in each state at the next one,
counted over every pair of consecutive month-ends of the history; a loan already 91+ at
the start is a default already and counts in no row. The **12-month PD** of bucket ``b``
is the probability of being in default 12 month-ends on, ``(P^12)[b, default]``, computed
exactly (fractions) and rounded **up** to six decimals (never understating it).

**Enough observations.** A row observed on fewer than :data:`MIN_LOANS` (30) loans is not
estimated. A bucket gets a behavioural PD only when its own row and every row its chain
can reach (through transitions actually observed) has at least that many loans; else it
has none and its loans keep the PD they were booked with (and the lender's floor).

**Worked example** (a 3-state chain: current, late, default). 100 current loans at a
month-end: 90 are current at the next, 10 late; 100 late loans: 50 cured to current, 30
still late, 20 in default. From late, the two-month PD is ``P[late, default]`` + ``P[late,
late] x P[late, default]`` + ``P[late, current] x P[current, default]`` = 0.2 + 0.3 x 0.2
+ 0.5 x 0 = 0.26. Over 12 months every path is summed the same way
(:func:`behavioural_pds` with ``months=2`` gives 0.26 on the buckets' chain).

**What a loan is given** (:class:`PastDuePd`): for a loan in bucket 1-30, 31-60 or 61-90
on the day, its PD now is the highest of its PD at origination, its bucket's behavioural
PD and the lender's floor for the bucket (``past_due_pd`` in the ECL parameters,
:mod:`autolend.batch.ecl_parameters`); its ECL grade is the grade of that PD, nearest at
or above on the lender's 12-month scale (:func:`~autolend.batch.pd_grades.grade_of`). As
the grade and the basis points are monotone in the PD, that is the higher of the loan's
own grade (and ``pd_now_bp``) and the bucket's: :func:`past_due_columns`. A current loan
and one 91+ DPD (stage 3) keep theirs.

>>> moves = [(0, 0, 90), (0, 1, 10), (1, 0, 50), (1, 1, 30), (1, 4, 20)]
>>> behavioural_pds(moves, months=2, min_loans=100)[1]
Decimal('0.260000')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final

from autolend.batch.pd_grades import basis_points, grade_of

__all__ = [
    "BUCKET_KEYS",
    "HORIZON_MONTHS",
    "MIN_LOANS",
    "PAST_DUE_BUCKETS",
    "WRITTEN_OFF",
    "PastDueColumns",
    "PastDuePd",
    "behavioural_pds",
    "past_due_columns",
]

PAST_DUE_BUCKETS: Final = (1, 2, 3)
"""The buckets that get a behavioural PD: 1-30, 31-60, 61-90."""
BUCKET_KEYS: Final = ("dpd_1_30", "dpd_31_60", "dpd_61_90")
"""Their names in the ECL parameters and the audit records."""
MIN_LOANS: Final = 30
"""The fewest loans a bucket's row is estimated from (module docstring)."""
HORIZON_MONTHS: Final = 12
WRITTEN_OFF: Final = -2
"""The end state of a loan written off between the two month-ends (-1: left otherwise)."""

_BUCKETS = 6  # current .. 181+
_TRANSIENT = 4  # current .. 61-90
_DEFAULT, _LEFT = _TRANSIENT, _TRANSIENT + 1
_PLACES = Decimal("0.000001")


def _state(end: int) -> int:
    """The chain's state of an end bucket: 0..3 itself, 91+ or written off default."""
    if end == WRITTEN_OFF or end >= _TRANSIENT:
        return _DEFAULT
    return end if end >= 0 else _LEFT


def _counts(moves: Iterable[tuple[int, int, int]]) -> list[list[int]]:
    """Loans by (start bucket under 91, chain state at the next month-end)."""
    counts = [[0] * (_TRANSIENT + 2) for _ in range(_TRANSIENT)]
    for start, end, loans in moves:
        if 0 <= start < _TRANSIENT:
            counts[start][_state(end)] += loans
    return counts


def _reachable(counts: list[list[int]], bucket: int) -> set[int]:
    """The buckets under 91 the chain can reach from ``bucket`` (itself included)."""
    seen, todo = {bucket}, [bucket]
    while todo:
        row = counts[todo.pop()]
        for nxt in range(_TRANSIENT):
            if row[nxt] and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _default_within(counts: list[list[int]], bucket: int, months: int) -> Fraction:
    """``(P^months)[bucket, default]``, stepping the distribution month by month."""
    rows = [[Fraction(n, sum(row)) if sum(row) else Fraction(0) for n in row] for row in counts]
    dist = [Fraction(int(state == bucket)) for state in range(_TRANSIENT + 2)]
    for _ in range(months):
        step = [Fraction(0)] * (_TRANSIENT + 2)
        step[_DEFAULT], step[_LEFT] = dist[_DEFAULT], dist[_LEFT]  # absorbing
        for i in range(_TRANSIENT):
            for j, p in enumerate(rows[i]):
                step[j] += dist[i] * p
        dist = step
    return dist[_DEFAULT]


def behavioural_pds(
    moves: Iterable[tuple[int, int, int]],
    months: int = HORIZON_MONTHS,
    min_loans: int = MIN_LOANS,
) -> dict[int, Decimal | None]:
    """Each past-due bucket's PD over ``months`` from ``moves`` -- (start bucket, end
    bucket or -1 left or :data:`WRITTEN_OFF`, loans) summed over the history's pairs of
    month-ends -- or ``None`` where the rows it needs are thin (module docstring):
    current loans that stay current and 1-30 loans half cured, a quarter still 1-30, a
    quarter 91+ give 1-30 a two-month PD of 1/4 + 1/4 x 1/4 = 0.3125."""
    counts = _counts(moves)
    out: dict[int, Decimal | None] = {}
    for bucket in PAST_DUE_BUCKETS:
        if any(sum(counts[i]) < min_loans for i in _reachable(counts, bucket)):
            out[bucket] = None
            continue
        out[bucket] = _ceiling(_default_within(counts, bucket, months))
    return out


def _ceiling(pd: Fraction) -> Decimal:
    """``pd`` rounded up to six decimals, exactly: 4095/8192 -> 0.499878."""
    scaled = -((-pd.numerator * 10**6) // pd.denominator)  # integer ceiling: exact
    return (Decimal(scaled) / 10**6).quantize(_PLACES)


@dataclass(frozen=True, slots=True)
class PastDuePd:
    """The past-due buckets' behavioural PDs and the lender's floors, in
    :data:`PAST_DUE_BUCKETS` order (``None``: none); :meth:`in_force` is the higher."""

    behavioural: tuple[Decimal | None, ...] = (None, None, None)
    floor: tuple[Decimal | None, ...] = (None, None, None)

    def in_force(self) -> tuple[Decimal | None, ...]:
        """Per bucket the higher of the two given: (0.25, None) -> 0.25, (0.25, 0.4) -> 0.4."""
        both = zip(self.behavioural, self.floor, strict=True)
        return tuple(max((p for p in pair if p is not None), default=None) for pair in both)

    def audit(self) -> dict[str, str]:
        """The audit record's statement of them: ``behavioural_pd_dpd_1_30`` the
        estimate and ``past_due_pd_dpd_1_30`` the PD in force, as decimal strings or
        ``"none"``, for each bucket."""
        text = [_text(p) for p in (*self.behavioural, *self.in_force())]
        keys = [f"{kind}_pd_{key}" for kind in ("behavioural", "past_due") for key in BUCKET_KEYS]
        return dict(zip(keys, text, strict=True))


def _text(pd: Decimal | None) -> str:
    return "none" if pd is None else str(pd)


@dataclass(frozen=True, slots=True)
class PastDueColumns:
    """By delinquency bucket (current .. 181+), the least ``pd_now_bp`` and grade a loan
    in it takes (0 and 0: nothing more than its own)."""

    pd_bp: tuple[int, ...] = (0,) * _BUCKETS
    grade: tuple[int, ...] = (0,) * _BUCKETS


def past_due_columns(pds: PastDuePd, annual_pd: Sequence[float]) -> PastDueColumns:
    """The kernel's table of ``pds`` on the 12-month scale ``annual_pd``: a floor of 0.2
    on 1-30 and nothing else gives ``pd_bp`` (0, 2000, 0, 0, 0, 0) and, on the default
    scale, ``grade`` (0, 8, 0, 0, 0, 0) (20 % -> grade 8, 25 %)."""
    pd_bp, grade = [0] * _BUCKETS, [0] * _BUCKETS
    for bucket, pd in zip(PAST_DUE_BUCKETS, pds.in_force(), strict=True):
        if pd is not None:
            pd_bp[bucket], grade[bucket] = basis_points(pd), grade_of(pd, annual_pd)
    return PastDueColumns(tuple(pd_bp), tuple(grade))
