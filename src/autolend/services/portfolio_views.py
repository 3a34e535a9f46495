"""The portfolio overview read from the risk snapshots (:mod:`autolend.services.portfolio`).

Balances are principal outstanding in minor units; coverage is ECL over that balance
(:func:`autolend.domain.portfolio.coverage`). Roll rates run between consecutive
month-ends (the last snapshot of each month), the newest pair last.

Example: two loans of 10,000.00 each, one current and one in bucket 1-30 with an ECL of
500.00, give the buckets 10,000.00 / 10,000.00 and, if both are stage 1, a stage-1
coverage of 500.00 / 20,000.00 = 2.50 % (0.0250).

Amounts are never summed across currencies. ``totals`` holds each currency's loans,
balance and ECL, the book's main currency (the most loans) first; the headline figures,
buckets, classes, stages and roll rates are the main currency's, the other currencies'
loans left out of them (``left_out``). A book in one currency has one total, the figures
of all its loans. Example: 3 CNY loans of 10,000.00 and 1 USD loan of 20,000.00 give
totals CNY 30,000.00 (3 loans) and USD 20,000.00 (1 loan), a balance of 30,000.00 CNY.

A loan under a pack without the five-tier class (its ``five_tier_classes`` False: US,
whose allowance is CECL) has none of 正常 .. 损失: it is counted in ``unclassified``, so
the classes and it add up to the loans. Example: 2 USD loans give five empty classes and
2 loans not classified.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from autolend.domain.portfolio import (
    RollMatrix,
    closed_month_ends,
    coverage,
    roll_matrix,
    warning_names,
)
from autolend.domain.servicing import CN_FIVE_TIER, DEFAULT_BUCKETS
from autolend.services.portfolio_ports import PortfolioRepository, RiskGroup, RiskRow

__all__ = [
    "BUCKET_NAMES",
    "CLASS_NAMES",
    "NOT_CLASSIFIED",
    "STAGES",
    "CurrencyTotal",
    "Line",
    "PortfolioOverview",
    "RollPeriod",
    "StageLine",
    "WarningLine",
    "currency_totals",
    "overview_from",
    "overview_of",
]

BUCKET_NAMES = tuple(b.name for b in DEFAULT_BUCKETS)
"""current, 1-30, 31-60, 61-90, 91-180, 181+."""
CLASS_NAMES = tuple(b.name for b in CN_FIVE_TIER)
"""normal, special_mention, substandard, doubtful, loss (正常 关注 次级 可疑 损失)."""
NOT_CLASSIFIED = "not_classified"
"""The key of the loans with no five-tier class (their pack has none)."""
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
class CurrencyTotal:
    """One currency's loans, principal outstanding and ECL (its minor units)."""

    currency: str
    loans: int
    balance_minor: int
    ecl_minor: int
    coverage: Decimal


@dataclass(frozen=True)
class PortfolioOverview:
    """One snapshot; the figures, lines and rolls are ``currency``'s (the main one),
    ``totals`` every currency's (see the module docstring)."""

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
    currency: str = "CNY"
    totals: list[CurrencyTotal] = field(default_factory=list)
    unclassified: Line = Line(NOT_CLASSIFIED, 0, 0)  # no five-tier class (module docstring)

    @property
    def left_out(self) -> list[CurrencyTotal]:
        """The other currencies' totals, left out of the figures, lines and rolls."""
        return self.totals[1:]


def _lines(groups: Sequence[RiskGroup], names: Sequence[str], attr: str) -> list[Line]:
    loans = [0] * len(names)
    balance = [0] * len(names)
    for g in groups:
        i = getattr(g, attr)
        if 0 <= i < len(names):
            loans[i] += g.loans
            balance[i] += g.balance_minor
    return [Line(n, c, b) for n, c, b in zip(names, loans, balance, strict=True)]


def _unclassified(groups: Sequence[RiskGroup]) -> Line:
    """The loans with no five-tier class: a class outside 正常 .. 损失 (NOT_CLASSIFIED -1)."""
    outside = [g for g in groups if not 0 <= g.risk_class < len(CLASS_NAMES)]
    return Line(NOT_CLASSIFIED, sum(g.loans for g in outside),
                sum(g.balance_minor for g in outside))  # fmt: skip


def _stages(groups: Sequence[RiskGroup]) -> list[StageLine]:
    lines = []
    for stage in STAGES:
        mine = [g for g in groups if g.stage == stage]
        balance = sum(g.balance_minor for g in mine)
        ecl = sum(g.ecl_minor for g in mine)
        lines.append(StageLine(stage, sum(g.loans for g in mine), balance, ecl,
                               coverage(ecl, balance)))  # fmt: skip
    return lines


def currency_totals(groups: Sequence[RiskGroup]) -> list[CurrencyTotal]:
    """Each currency's totals, the most loans first (then by code): the first is the
    book's main currency. E.g. 3 CNY loans and 1 USD loan: [CNY (3), USD (1)]."""
    totals = []
    for currency in sorted({g.currency for g in groups}):
        mine = [g for g in groups if g.currency == currency]
        balance, ecl = sum(g.balance_minor for g in mine), sum(g.ecl_minor for g in mine)
        loans = sum(g.loans for g in mine)
        totals.append(CurrencyTotal(currency, loans, balance, ecl, coverage(ecl, balance)))
    return sorted(totals, key=lambda total: -total.loans)  # stable: ties by code


def _main_currency(groups: Sequence[RiskGroup]) -> str:
    totals = currency_totals(groups)
    return totals[0].currency if totals else "CNY"


def overview_from(
    as_of: date | None,
    groups: Sequence[RiskGroup],
    rolls: list[RollPeriod],
    warnings: list[WarningLine],
) -> PortfolioOverview:
    """The overview of one snapshot's groups (pure arithmetic; see the module docstring):
    ``rolls`` must be the main currency's."""
    totals = currency_totals(groups)
    main = totals[0] if totals else CurrencyTotal("CNY", 0, 0, 0, coverage(0, 0))
    mine = [g for g in groups if g.currency == main.currency]
    return PortfolioOverview(
        as_of, main.loans, main.balance_minor, main.ecl_minor, main.coverage,
        _lines(mine, BUCKET_NAMES, "bucket"), _lines(mine, CLASS_NAMES, "risk_class"),
        _stages(mine), rolls, warnings, main.currency, totals, _unclassified(mine),
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
    groups = repo.groups(as_of)
    main = _main_currency(groups)
    rolls = [
        RollPeriod(a, b, roll_matrix(((m.start, m.end, m.balance_minor)
                                      for m in repo.moves(a, b) if m.currency == main),
                                     len(BUCKET_NAMES)))
        for a, b in pairwise(closed_month_ends(dates))
    ]  # fmt: skip
    warned = [
        WarningLine(row, warning_names(row.warnings, flags))
        for row in repo.warned(as_of, WARNING_LIMIT)
    ]
    return overview_from(as_of, groups, rolls, warned)
