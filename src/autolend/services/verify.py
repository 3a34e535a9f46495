"""``autolend verify``: the invariants of RELIABILITY.md, one report row per check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from autolend.domain.audit import verify_chain
from autolend.domain.errors import InvalidInput
from autolend.services.audit import chain_queued
from autolend.services.contract_checks import registry_violations
from autolend.services.loan_ports import Violation
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWorkFactory


@dataclass(frozen=True)
class CheckResult:
    """One invariant: its number, its name, what was found wrong (empty when it holds)."""

    invariant: int
    name: str
    violations: tuple[str, ...]
    info: str = ""

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class VerifyReport:
    checks: tuple[CheckResult, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def _details(found: list[Violation]) -> tuple[str, ...]:
    return tuple(v.detail for v in found)


class VerifyService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, cipher: PersonalDataCipher
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._cipher = cipher  # the contracts' PDFs are sealed (invariant 8 hashes them)

    def run(self, business_date: date | None = None) -> VerifyReport:
        """Check invariants 1-8 in one read transaction (one consistent snapshot), after
        chaining the audit events that committed but wait for the sequencer.
        ``business_date`` (invariant 7: every active loan accrued through it) may not
        be after the business day: no loan can be accrued through a day to come."""
        if business_date is not None and business_date > self._clock.today():
            raise InvalidInput("the business date is in the future", field="date")
        chain_queued(self._uow)
        with self._uow(snapshot=True) as uow:
            checks = uow.checks
            chain = verify_chain(uow.audit.iter_records(), uow.audit.head())
            audit = (
                () if chain.ok else (f"first bad record: {chain.first_bad_seq}: {chain.problem}",)
            )
            results = (
                CheckResult(1, "balanced entries", _details(checks.entry_shape())),
                CheckResult(2, "trial balance", _details(checks.trial_balance())),
                CheckResult(3, "sub-ledger = GL", _details(checks.subledger_vs_gl())),
                CheckResult(4, "no duplicates", _details(checks.duplicates())),
                CheckResult(5, "bounds", _details(checks.bounds())),
                CheckResult(6, "audit chain", audit, f"{chain.records_checked} records"),
                CheckResult(7, "accrued through", _details(checks.accrued_through(business_date))),
                CheckResult(8, "contract registry", *registry_violations(uow, self._cipher)),
            )
        return VerifyReport(results)
