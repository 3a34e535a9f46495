"""Policy simulation: past applications decided again under a proposed credit policy.

:meth:`PolicySimulationService.simulate` takes the applications submitted from ``start``
to ``end`` (business days, Beijing time, both included) and rebuilds the facts each
automated decision read, from what was stored -- nothing is asked of the bureau again:

* the application as filed (:func:`details_of`);
* the facts snapshot of the ``submit`` event (day, product version, fraud signals then,
  the bureau query used and why there was none, the model's reasons; see
  :mod:`autolend.services.decisioning`);
* the bureau summary from that query's sealed report;
* the model's PD, score, grade and version from the stored decision (a manual review
  keeps them).

It then calls :func:`~autolend.domain.decision.decide` under the policy in force and under
the proposed one and compares them (:func:`autolend.domain.policy_simulation.compare`).
The outcome "stored" is the automated one (the ``submit`` event's status, where
``pending_second`` is the model's approval waiting for a second person), not a
reviewer's. Applications decided before snapshots were kept cannot be replayed
faithfully: they are counted as ``skipped``, never guessed.

All reading is one read-only snapshot; the only write is the audit record of the run
(who, which policy, which period, how many moved). Example: 8 applications, the current
policy approves 5; a proposal with ``approve_max_pd`` 0.02 refers the 3 whose PD is above
2 %: ``moved(approve, refer) == 3``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.bureau import ReportSummary, summarize
from autolend.domain.decision import DecisionFacts, ModelScore, Outcome, decide
from autolend.domain.decision_codec import decision_from_dict
from autolend.domain.decision_policy import Policy, policy_to_dict
from autolend.domain.errors import InvalidInput, PermissionDenied
from autolend.domain.money import Money
from autolend.domain.policy_simulation import (
    OUTCOMES,
    Comparison,
    FactsSnapshot,
    PolicyFigures,
    Replayed,
    compare,
    snapshot_from_dict,
)
from autolend.domain.products import Product
from autolend.services.application_ports import ApplicationRow, EventRow
from autolend.services.application_records import details_of
from autolend.services.audit import record_change
from autolend.services.bureau import report_context
from autolend.services.bureau_ports import REPORT_FIELD, BureauQueryRow
from autolend.services.ports import (
    Clock,
    PersonalDataCipher,
    SealedFields,
    UnitOfWork,
    UnitOfWorkFactory,
)
from autolend.services.products import product_of_row

__all__ = ["PolicySimulationService", "Simulation", "simulation_to_dict"]

_CHUNK = 500
_STORED = {
    "approved": Outcome.APPROVE,
    "referred": Outcome.REFER,
    "declined": Outcome.DECLINE,
    "pending_second": Outcome.APPROVE,
}  # the model approved, above the second-person limit


@dataclass(frozen=True)
class _Case:
    """One application ready to be decided again."""

    application_id: int
    facts: DecisionFacts
    stored: Outcome
    amount: Money


@dataclass(frozen=True)
class Simulation:
    """The result: both policies, the period, the comparison, and the applications that
    could not be replayed (``skipped``: no facts snapshot)."""

    current: Policy
    proposed: Policy
    start: date
    end: date
    comparison: Comparison
    replayed: tuple[Replayed, ...]
    skipped: tuple[int, ...]


_FIRST_DAY, _LAST_DAY = date(1, 1, 2), date(9999, 12, 30)


def period_bounds(start: date, end: date, clock: Clock) -> tuple[datetime, datetime]:
    """The UTC instants at which the business day ``start`` and the day after ``end``
    begin, in the lender's time zone (Beijing: 2026-11-01 begins 2026-10-31 16:00 UTC)."""
    if start > end:
        raise InvalidInput("--from must be on or before --to", field="from")
    # The calendar's ends: 0001-01-01 00:00 in Beijing is before year 1 in UTC, and the
    # day after 9999-12-31 does not exist.
    if start < _FIRST_DAY:
        raise InvalidInput(f"--from must be on or after {_FIRST_DAY}", field="from")
    if end > _LAST_DAY:
        raise InvalidInput(f"--to must be on or before {_LAST_DAY}", field="to")
    return clock.start_of(start), clock.start_of(end + timedelta(days=1))


class PolicySimulationService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        cipher: PersonalDataCipher,
        clock: Clock,
        current: Policy,
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock
        self.current = current

    def simulate(
        self, actor: Actor, proposed: Policy, start: date, end: date,
        progress: Callable[[int, int], None] | None = None,
    ) -> Simulation:  # fmt: skip
        """Replay the period under the current and the proposed policy; see the module.
        ``progress(done, total)`` is told after each chunk of applications."""
        if not actor.can(Permission.POLICY_SIMULATE):
            raise PermissionDenied("your role may not simulate credit policies")
        first, after = period_bounds(start, end, self._clock)
        replayed: list[Replayed] = []
        skipped: list[int] = []
        with self._uow(snapshot=True) as uow:
            rows = uow.applications.submitted_between(first, after)
            gatherer = _Gatherer(uow, self._cipher, self._clock)
            for at in range(0, len(rows), _CHUNK):
                cases, left_out = gatherer.cases(rows[at : at + _CHUNK])
                replayed += [self._replay(case, proposed) for case in cases]
                skipped += left_out
                if progress is not None:
                    progress(min(at + _CHUNK, len(rows)), len(rows))
        currency = rows[0].currency if rows else "CNY"
        done = tuple(replayed)
        result = Simulation(
            self.current, proposed, start, end, compare(done, currency), done, tuple(skipped)
        )
        self._audit(actor, result)
        return result

    def _replay(self, case: _Case, proposed: Policy) -> Replayed:
        current = decide(case.facts, self.current)
        new = decide(case.facts, proposed)
        return Replayed(
            case.application_id, case.amount, current.pd, case.stored, current.outcome,
            new.outcome,
        )  # fmt: skip

    def _audit(self, actor: Actor, result: Simulation) -> None:
        with self._uow(write=True) as uow:
            record_change(
                uow, self._clock, actor, action="policy.simulate", object_type="policy",
                object_id=f"{result.proposed.name}@{result.proposed.version}",
                summary={
                    "current": f"{result.current.name}@{result.current.version}",
                    "from": result.start.isoformat(), "to": result.end.isoformat(),
                    "applications": len(result.replayed), "skipped": len(result.skipped),
                    "moved": result.comparison.moved_total,
                },
            )  # fmt: skip
            uow.commit()


class _Gatherer:
    """Rebuilds decision facts inside one read-only snapshot (products cached), reading
    the events and bureau reports of :data:`_CHUNK` applications at a time (three
    statements a chunk, not three an application)."""

    def __init__(self, uow: UnitOfWork, cipher: PersonalDataCipher, clock: Clock) -> None:
        self._uow = uow
        self._cipher = cipher
        self._clock = clock
        self._products: dict[tuple[str, int], Product] = {}
        self._reports: dict[int, tuple[BureauQueryRow, SealedFields]] = {}

    def cases(self, rows: list[ApplicationRow]) -> tuple[list[_Case], tuple[int, ...]]:
        cases, skipped = [], []
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            events = self._uow.applications.events_of([row.id for row in chunk])
            found = [(row, _submitted(row, events[row.id])) for row in chunk]
            wanted = [s[1].bureau_query_id for _, s in found if s and s[1].bureau_query_id]
            self._reports = self._uow.bureau.reports_of(wanted)
            for row, submitted in found:
                if submitted is None:
                    skipped.append(row.id)
                else:
                    cases.append(self._case(row, *submitted))
        return cases, tuple(skipped)

    def _case(self, row: ApplicationRow, event: EventRow, snapshot: FactsSnapshot) -> _Case:
        assert row.decision is not None  # :func:`_submitted` found one
        decision = decision_from_dict(json.loads(row.decision))
        score = None
        if decision.pd is not None and decision.score is not None:
            score = ModelScore(
                decision.pd, decision.score, decision.grade or "", decision.model_version or "",
                decision.reason_method or "", snapshot.model_reasons,
            )  # fmt: skip
        product = self._product(snapshot.product_code, snapshot.product_version)
        data = details_of(self._cipher, self._clock, row)
        facts = DecisionFacts(
            data, product, self._bureau(snapshot.bureau_query_id), snapshot.bureau_error,
            score, snapshot.fraud, snapshot.as_of, product.pack, snapshot.no_model_for,
        )  # fmt: skip
        amount = Money.of_minor(row.amount_minor, row.currency)
        return _Case(row.id, facts, _STORED[event.status_to], amount)

    def _product(self, code: str, version: int) -> Product:
        key = (code, version)
        if key not in self._products:
            rows = [r for r in self._uow.products.versions(code) if r.version == version]
            if not rows:
                raise InvalidInput(f"product {code} version {version} is not stored", field="facts")
            self._products[key] = product_of_row(rows[0])
        return self._products[key]

    def _bureau(self, query_id: int | None) -> ReportSummary | None:
        if query_id is None:
            return None
        if query_id not in self._reports:
            raise InvalidInput(f"bureau query {query_id} has no stored report", field="facts")
        row, sealed = self._reports[query_id]
        plain = self._cipher.open(sealed, context=report_context(row.reference))
        return summarize(json.loads(plain[REPORT_FIELD]))


def _submitted(
    row: ApplicationRow, events: list[EventRow]
) -> tuple[EventRow, FactsSnapshot] | None:
    """The automated decision's event and its facts snapshot; None when the application
    cannot be replayed faithfully (decided before snapshots were kept)."""
    submitted = [e for e in events if e.action == "submit"]
    if not submitted or not submitted[-1].detail or row.decision is None:
        return None
    event = submitted[-1]
    facts_json = json.loads(event.detail or "{}").get("facts")
    if facts_json is None or event.status_to not in _STORED:
        return None
    return event, snapshot_from_dict(facts_json)


# --- JSON ------------------------------------------------------------------------------


def _text(value: Decimal | int | Money | None) -> str | int | None:
    if value is None or isinstance(value, int):
        return value
    return value.to_api() if isinstance(value, Money) else str(value)


def _figures(figures: PolicyFigures) -> dict[str, str | int | None]:
    names = ("applications", "approved", "referred", "declined", "approval_rate",
             "refer_rate", "decline_rate", "expected_bad_rate", "approved_volume")  # fmt: skip
    return {name: _text(getattr(figures, name)) for name in names}


def simulation_to_dict(result: Simulation) -> dict[str, Any]:
    """The result as JSON: rates, PDs and amounts as decimal strings."""
    c = result.comparison
    return {
        "from": result.start.isoformat(), "to": result.end.isoformat(),
        "current_policy": policy_to_dict(result.current),
        "proposed_policy": policy_to_dict(result.proposed),
        "current": _figures(c.current), "proposed": _figures(c.proposed),
        "difference": {k: _text(v) for k, v in c.differences().items()},
        "swaps": {a.value: {b.value: c.moved(a, b) for b in OUTCOMES} for a in OUTCOMES},
        "moved": c.moved_total, "stored_mismatches": c.stored_mismatches,
        "skipped": list(result.skipped),
    }  # fmt: skip
