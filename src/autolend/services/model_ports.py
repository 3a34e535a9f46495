"""Ports of the credit-model registry (implemented in ``autolend.adapters.db``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class NewModelVersion:
    """A trained model to register; the repository assigns the next version number."""

    name: str
    artifact: bytes
    artifact_sha256: str
    metadata_json: str
    created_at: datetime
    created_by: int


@dataclass(frozen=True)
class ModelVersionRow:
    """A registered version, without its artifact (read that with ``artifact``)."""

    name: str
    version: int
    artifact_sha256: str
    metadata_json: str
    created_at: datetime
    created_by: int


@dataclass(frozen=True)
class NewModelReport:
    """A monitoring report of one model version (``status``: stable, watch or act)."""

    name: str
    version: int
    status: str
    report_json: str
    created_at: datetime
    created_by: int


@dataclass(frozen=True)
class ModelReportRow:
    id: int
    name: str
    version: int
    status: str
    report_json: str
    created_at: datetime
    created_by: int


class ModelRepository(Protocol):
    def add(self, new: NewModelVersion) -> int:
        """Store the version as ``max(version) + 1`` for its name; return the number."""
        ...

    def get(self, name: str, version: int | None = None) -> ModelVersionRow | None:
        """The given version, or the latest one when ``version`` is None."""
        ...

    def artifact(self, name: str, version: int) -> bytes | None: ...

    def artifact_hash(self, name: str, version: int | None = None) -> tuple[int, str] | None:
        """The version number and artifact SHA-256 of the given version (the latest when
        ``version`` is None), without the metadata: what loading a cached model needs."""
        ...

    def list_versions(self, name: str | None = None) -> list[ModelVersionRow]:
        """Every version (of one name), newest first."""
        ...

    def add_report(self, new: NewModelReport) -> int:
        """Store a monitoring report; return its id."""
        ...

    def latest_reports(self, name: str | None = None) -> list[ModelReportRow]:
        """The newest report of each model name (or of one name), by name."""
        ...
