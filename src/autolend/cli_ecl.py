"""``autolend ecl parameters [--json]``: the ECL parameters in force and their digest.

The parameters are the file named by ``AUTOLEND_ECL_PARAMETERS`` (TOML or JSON,
:mod:`autolend.batch.ecl_parameters`), else the built-in set; read without a database
or secrets. The digest is the one the month-end and snapshot audit records state, so a
figure can be traced to the set that made it. A bad file is one line on stderr naming
the field, exit 1.

Example: ``autolend ecl parameters --json`` prints ``{"source": null, "sha256":
"3634a738...", "parameters": {"annual_pd": [0.004, ...], ...}}``; its ``parameters``
saved as ``ecl.json`` is a parameters file of the same digest.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from autolend.batch.ecl_parameters import EclParameters
from autolend.config import Settings

__all__ = ["ecl_app", "parameters_json", "parameters_table"]

ecl_app = typer.Typer(
    help="Expected credit loss: the lender's ECL parameters.", no_args_is_help=True
)
console = Console()


def parameters_json(parameters: EclParameters, source: str | None) -> dict[str, object]:
    """``source`` (the file, None: built in), ``sha256`` and the effective ``parameters``."""
    return {"source": source, "sha256": parameters.sha256(), "parameters": parameters.effective()}


def parameters_table(parameters: EclParameters, source: str | None) -> Table:
    """One row per parameter (a table's keys dotted: ``retention.ice_new``)."""
    table = Table(title=f"ECL parameters ({source or 'built in'})")
    table.add_column("parameter")
    table.add_column("value", justify="right")
    for name, value in parameters.effective().items():
        if isinstance(value, dict):
            for key, inner in value.items():
                table.add_row(f"{name}.{key}", str(inner))
        elif isinstance(value, list):
            table.add_row(name, ", ".join(str(x) for x in value))
        else:
            table.add_row(name, str(value))
    return table


@ecl_app.command("parameters")
def parameters(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """The ECL parameters in force (AUTOLEND_ECL_PARAMETERS, else built in) and their
    SHA-256, the digest the audit records state."""
    from autolend.cli import ecl_parameters_in_force, guarded  # noqa: PLC0415 - cli imports this

    found = guarded(ecl_parameters_in_force)
    path = Settings().ecl_parameters
    source = None if path is None else str(path)
    if as_json:
        typer.echo(json.dumps(parameters_json(found, source), indent=2))
        return
    console.print(parameters_table(found, source))
    console.print(f"sha256 {found.sha256()}", highlight=False)
