"""Model monitoring as a service: score a window of applications, store the report.

:meth:`ModelMonitoringService.run` loads the window (a CSV / Parquet file or a frame), scores
it with the registered model and computes the report of :mod:`autolend.risk.monitoring_report`
(score PSI against the model card's baseline, feature PSI against a baseline frame when one is
given, AUC / KS / bad rate by month where outcomes are known, fairness by a protected group).
The computation runs outside any transaction; storing the report (table ``model_reports``)
and its audit record is one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import InvalidInput, PermissionDenied
from autolend.services.audit import record_change
from autolend.services.model_ports import ModelReportRow, NewModelReport
from autolend.services.models import ModelService
from autolend.services.ports import Clock, UnitOfWorkFactory

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped]

__all__ = ["ModelMonitoringService", "ModelReport", "MonitorRequest"]


@dataclass(frozen=True)
class MonitorRequest:
    """What to monitor: the window, the baseline ("training" = the card's score deciles only,
    or a file / frame of the development sample) and the meaning of the columns."""

    name: str
    window: Path | pd.DataFrame
    baseline: Literal["training"] | Path | pd.DataFrame = "training"
    month_col: str | None = "application_month"
    target_col: str | None = "bad"
    group_col: str | None = None
    version: int | None = None
    approve_grades: tuple[str, ...] = ("A", "B", "C")


@dataclass(frozen=True)
class ModelReport:
    id: int
    name: str
    version: int
    status: str
    created_at: datetime
    report: dict[str, Any] = field(repr=False)


class ModelMonitoringService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, models: ModelService) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._models = models

    @staticmethod
    def _check(actor: Actor, permission: Permission) -> None:
        if not actor.can(permission):
            raise PermissionDenied(f"your role may not {permission.value}")

    def run(self, actor: Actor, request: MonitorRequest) -> ModelReport:
        """Score the window, compute the report, store and audit it."""
        from autolend.risk.monitoring_report import (  # noqa: PLC0415 - pandas on use only
            MonitoringInput,
            monitoring_report,
        )

        self._check(actor, Permission.MODEL_TRAIN)
        described = self._models.describe(actor, request.name, request.version)
        model = self._models.model(described.name, described.version)
        _check_grades(request.approve_grades, tuple(model.grades.grades))
        given = MonitoringInput(
            window=_frame(request.window),
            baseline=None if _is_training(request.baseline) else _frame(request.baseline),
            month_col=request.month_col,
            target_col=request.target_col,
            bad_label=described.metadata["data"].get("bad"),
            group_col=request.group_col,
            approve_grades=request.approve_grades,
        )
        report = monitoring_report(model, described.metadata["card"], given)
        report["model"] = {"name": described.name, "version": described.version}
        report["baseline"]["source"] = _describe_source(request.baseline)
        report["window"]["source"] = _describe_source(request.window)
        return self._store(actor, described.name, described.version, report)

    def _store(self, actor: Actor, name: str, version: int, report: dict[str, Any]) -> ModelReport:
        status = str(report["status"])
        with self._uow(write=True) as uow:
            now = self._clock.now()
            report["created_at"] = now.isoformat()
            new = NewModelReport(name, version, status, json.dumps(report), now, actor.user_id)
            report_id = uow.models.add_report(new)
            record_change(
                uow,
                self._clock,
                actor,
                action="model.monitor",
                object_type="model",
                object_id=f"{name}@{version}",
                summary={
                    "report_id": report_id,
                    "status": status,
                    "score_psi": f"{float(report['score_psi']['psi']):.4f}",
                    "rows": report["window"]["rows"],
                },
            )
            uow.commit()
        return ModelReport(report_id, name, version, status, now, report)

    def latest(self, actor: Actor, name: str | None = None) -> list[ModelReport]:
        """The newest report of every model (or of one), by model name."""
        self._check(actor, Permission.MODEL_READ)
        with self._uow() as uow:
            rows = uow.models.latest_reports(name)
        return [_report(r) for r in rows]


def _report(row: ModelReportRow) -> ModelReport:
    return ModelReport(
        row.id, row.name, row.version, row.status, row.created_at, json.loads(row.report_json)
    )


def _is_training(baseline: object) -> bool:
    return isinstance(baseline, str) and baseline == "training"


def _frame(source: object) -> pd.DataFrame:
    import pandas as pd  # noqa: PLC0415 - pandas on use only

    from autolend.risk.dataset import load_table  # noqa: PLC0415

    if isinstance(source, Path):
        return load_table(source)
    if isinstance(source, pd.DataFrame):
        return source
    raise InvalidInput("give a file or a frame (or 'training' for the baseline)", field="data")


def _describe_source(source: object) -> str:
    if isinstance(source, Path):
        return source.name
    return "training" if _is_training(source) else "frame"


def _check_grades(approve: tuple[str, ...], grades: tuple[str, ...]) -> None:
    """The grades a fairness report counts as approved must be the model's, at least one:
    ``("A", "B", "C")`` of ``A`` .. ``E``; ``("A", "Z")`` is refused, naming ``Z``."""
    unknown = [g for g in approve if g not in grades]
    if not approve or unknown:
        shown = ", ".join(unknown) or "none"
        raise InvalidInput(
            f"approve grades must be some of {', '.join(grades)} (got {shown})",
            field="approve_grades",
        )
