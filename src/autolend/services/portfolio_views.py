"""The portfolio overview read from the risk snapshots (:mod:`autolend.services.portfolio`).

Balances are principal outstanding in minor units; coverage is ECL over that balance
(:func:`autolend.domain.portfolio.coverage`). Roll rates run between consecutive
month-ends (the last snapshot of each month), the newest pair last.

Example: two loans of 10,000.00 each, one current and one in bucket 1-30 with an ECL of
500.00, give the buckets 10,000.00 / 10,000.00 and, if both are stage 1, a stage-1
coverage of 500.00 / 20,000.00 = 2.50 % (0.0250).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from autolend.domain.portfolio import RollMatrix, coverage, month_ends, roll_matrix, warning_names
from autolend.domain.servicing import CN_FIVE_TIER, DEFAULT_BUCKETS
from autolend.services.portfolio_ports import PortfolioRepository, RiskGroup, RiskRow

__all__ = [
    "BUCKET_NAMES",
    "CLASS_NAMES",
    "STAGES",
    "Line",
    "PortfolioOverview",
    "RollPeriod",
    "StageLine",
    "WarningLine",
    "overview_from",
    "overview_of",
]

BUCKET_NAMES = tuple(b.name for b in DEFAULT_BUCKETS)
"""current, 1-30, 31-60, 61-90, 91-180, 181+."""
CLASS_NAMES = tuple(b.name for b in CN_FIVE_TIER)
"""normal, special_mention, substandard, doubtful, loss (正常 关注 次级 可疑 损失)."""
STAGES = (1, 2, 3)
WARNING_LIMIT = 100


@dataclass(frozen=True)
class Line:
    """Loans and balance of one bucket or one five-tier class."""

    key: str
    loans: int
    balance_minor: int


@dataclass(frozen=True)
class StageLine:
    stage: int
    loans: int
    balance_minor: int
    ecl_minor: int
    coverage: Decimal


@dataclass(frozen=True)
class RollPeriod:
    """Roll rates from the month-end ``start`` to the month-end ``end``."""

    start: date
    end: date
    matrix: RollMatrix


@dataclass(frozen=True)
class WarningLine:
    row: RiskRow
    flags: list[str]


@dataclass(frozen=True)
class PortfolioOverview:
    as_of: date | None
    loans: int
    balance_minor: int
    ecl_minor: int
    coverage: Decimal
    buckets: list[Line]
    classes: list[Line]
    stages: list[StageLine]
    rolls: list[RollPeriod]
    warnings: list[WarningLine]


def _lines(groups: Sequence[RiskGroup], names: Sequence[str], attr: str) -> list[Line]:
    loans = [0] * len(names)
    balance = [0] * len(names)
    for g in groups:
        i = getattr(g, attr)
        if 0 <= i < len(names):
            loans[i] += g.loans
            balance[i] += g.balance_minor
    return [Line(n, c, b) for n, c, b in zip(names, loans, balance, strict=True)]


def _stages(groups: Sequence[RiskGroup]) -> list[StageLine]:
    lines = []
    for stage in STAGES:
        mine = [g for g in groups if g.stage == stage]
        balance = sum(g.balance_minor for g in mine)
        ecl = sum(g.ecl_minor for g in mine)
        lines.append(StageLine(stage, sum(g.loans for g in mine), balance, ecl,
                               coverage(ecl, balance)))  # fmt: skip
    return lines


def overview_from(
    as_of: date | None,
    groups: Sequence[RiskGroup],
    rolls: list[RollPeriod],
    warnings: list[WarningLine],
) -> PortfolioOverview:
    """The overview of one snapshot's groups (pure arithmetic; see the module docstring)."""
    balance = sum(g.balance_minor for g in groups)
    ecl = sum(g.ecl_minor for g in groups)
    return PortfolioOverview(
        as_of, sum(g.loans for g in groups), balance, ecl, coverage(ecl, balance),
        _lines(groups, BUCKET_NAMES, "bucket"), _lines(groups, CLASS_NAMES, "risk_class"),
        _stages(groups), rolls, warnings,
    )  # fmt: skip


def overview_of(
    repo: PortfolioRepository,
    as_of: date | None,
    dates: Sequence[date],
    flags: Sequence[tuple[str, int]],
) -> PortfolioOverview:
    """The overview of the snapshot of ``as_of`` (``dates``: the snapshot dates up to
    it), read through ``repo``."""
    if as_of is None:
        return overview_from(None, [], [], [])
    ends = month_ends(dates)
    rolls = [
        RollPeriod(a, b, roll_matrix(((m.start, m.end, m.balance_minor)
                                      for m in repo.moves(a, b)), len(BUCKET_NAMES)))
        for a, b in pairwise(ends)
    ]  # fmt: skip
    warned = [
        WarningLine(row, warning_names(row.warnings, flags))
        for row in repo.warned(as_of, WARNING_LIMIT)
    ]
    return overview_from(as_of, repo.groups(as_of), rolls, warned)
