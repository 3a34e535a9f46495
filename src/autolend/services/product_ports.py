"""Ports of the product catalogue (implemented in ``autolend.adapters.db``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class ProductRow:
    """One stored version: the versioning columns and the rest of the product as JSON."""

    code: str
    version: int
    effective_from: date
    effective_to: date | None
    body_json: str
    created_at: datetime
    created_by: int


class ProductRepository(Protocol):
    def add(self, row: ProductRow) -> None:
        """Store a new version (``(code, version)`` is unique)."""
        ...

    def close(self, code: str, version: int, effective_to: date) -> None:
        """End a version on ``effective_to`` (publishing the next one does this)."""
        ...

    def versions(self, code: str, *, for_update: bool = False) -> list[ProductRow]:
        """Every version of ``code``, oldest first (locked for a publish)."""
        ...

    def in_force(self, day: date, code: str | None = None) -> list[ProductRow]:
        """The versions in force on ``day``, by code (only ``code``'s when it is given)."""
        ...

    def codes(self) -> list[str]:
        """Every product code, sorted."""
        ...
