"""What an end-of-day run reports (:mod:`autolend.batch.eod_runner`): the outcome of
each partition and of each step after the partitions, and the fault hooks the tests
inject."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

__all__ = ["EodResult", "Faults", "Hook", "PartitionOutcome", "StepOutcome"]

Hook = Callable[[date, int], None]


@dataclass(frozen=True)
class Faults:
    """Fault injection for tests: ``loan(day, loan_id)`` runs after the loan's postings,
    inside its savepoint; ``partition(day, partition_no)`` after the partition's
    postings, before its checkpoint. Either may raise."""

    loan: Hook | None = None
    partition: Hook | None = None


@dataclass(frozen=True)
class PartitionOutcome:
    day: date
    partition_no: int
    loans: int
    errors: int
    entries: int
    millis: int


@dataclass(frozen=True)
class StepOutcome:
    """A step of the day after its partitions (``subsidy``: the deferred subsidy earned;
    ``snapshot``: a month-end's portfolio snapshot audited)."""

    day: date
    step: str
    errors: int
    entries: int
    millis: int


@dataclass(frozen=True)
class EodResult:
    run_id: int
    days: list[date]
    partitions: list[PartitionOutcome] = field(default_factory=list)
    steps: list[StepOutcome] = field(default_factory=list)

    @property
    def loans(self) -> int:
        return sum(p.loans for p in self.partitions)

    @property
    def errors(self) -> int:
        return sum(p.errors for p in self.partitions) + sum(s.errors for s in self.steps)

    @property
    def entries(self) -> int:
        return sum(p.entries for p in self.partitions) + sum(s.entries for s in self.steps)
