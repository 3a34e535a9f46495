"""``autolend db index-vins``: the one-off step after migration 0022 (the VIN's blind
index, :mod:`autolend.services.vehicle_financing`)."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(db_app: typer.Typer) -> None:
    db_app.command("index-vins")(db_index_vins)


def db_index_vins() -> None:
    """Index the VIN of applications filed before migration 0022, so that the decision
    and the acceptance find a car that already secures a loan among them too. Safe to run
    again: applications indexed already are skipped."""
    from autolend.cli import _container, console, guarded  # noqa: PLC0415 - cli imports this
    from autolend.services.vehicle_financing import index_vins  # noqa: PLC0415

    container = guarded(lambda: _container(migrate=True))
    done = guarded(lambda: index_vins(container.uow, container.cipher))
    container.close()
    console.print(f"indexed the VIN of {done:,} application(s)")
