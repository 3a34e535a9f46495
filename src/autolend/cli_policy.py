"""The credit policy on the command line: ``autolend policy show|simulate``.

``show`` prints the policy in force (AUTOLEND_POLICY_FILE, or the built-in default) as
JSON, to copy and edit. ``simulate --policy F --from D --to D`` replays the applications
submitted in that period (business days, Beijing time, both included) under the policy
in F and compares it with the policy in force: approval / refer / decline rates, the
expected bad rate of the approved (mean PD), approved volume, and how many applications
move between outcomes (``--json`` for the same as JSON). Nothing is written but the
audit record of the run, and the bureau is not asked again. Commands run as the system
(administrator). A bad policy file, a bad date or ``--from`` after ``--to`` prints one
line naming the field and exits 1, as does a period with nothing to replay (no
application submitted in it, or none with the facts of its decision kept).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from autolend.domain.decision_policy import Policy
    from autolend.services.policy_simulation import Simulation

policy_app = typer.Typer(help="Credit policy: show, simulate.", no_args_is_help=True)
console = Console()

__all__ = ["policy_app", "register"]

_LABELS = {
    "applications": "applications replayed", "approved": "approved", "referred": "referred",
    "declined": "declined", "approval_rate": "approval rate", "refer_rate": "refer rate",
    "decline_rate": "decline rate",
    "expected_bad_rate": "expected bad rate (mean PD of approved)",
    "approved_volume": "approved volume ({currency})",
}  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")


def _day(text: str, field: str) -> date:
    from autolend.domain.errors import InvalidInput  # noqa: PLC0415

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"--{field} must be a date YYYY-MM-DD, not {text!r}", field=field
        ) from None


def _period(start: str, end: str) -> tuple[date, date]:
    """Both days, checked before anything is opened (a reversed period needs no database)."""
    from autolend.domain.errors import InvalidInput  # noqa: PLC0415

    first, last = _day(start, "from"), _day(end, "to")
    if first > last:
        raise InvalidInput("--from must be on or before --to", field="from")
    return first, last


def _nothing_replayed(result: Simulation) -> str:
    period = f"from {result.start} to {result.end}"
    if not result.skipped:
        return f"no application was submitted {period}: nothing to replay"
    return (
        f"none of the {len(result.skipped)} application(s) submitted {period} can be "
        "replayed: they were decided before facts snapshots were kept"
    )


def _read_policy(file: Path) -> Policy:
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module
    from autolend.domain.decision_policy import parse_policy  # noqa: PLC0415
    from autolend.domain.errors import InvalidInput  # noqa: PLC0415

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise fail(f"cannot read the policy file {file}: {error}") from None
    if not isinstance(data, dict):
        raise fail(f"the policy file {file} must hold a JSON object")
    try:
        return parse_policy(data)
    except InvalidInput as error:  # the field once: most messages begin with it
        named = error.message.startswith(str(error.field))
        said = error.message if named else f"{error.field}: {error.message}"
        raise fail(f"the policy file {file}: {said}") from None


@policy_app.command("show")
def policy_show() -> None:
    """Print the credit policy in force as JSON (a starting point for a new one)."""
    from autolend.cli import guarded, policy_in_force  # noqa: PLC0415 - cli imports this module
    from autolend.domain.decision_policy import policy_to_dict  # noqa: PLC0415

    # AUTOLEND_POLICY_FILE read as the platform reads it; no database or secret is needed.
    policy = guarded(policy_in_force)
    print(json.dumps(policy_to_dict(policy), ensure_ascii=False, indent=2))


@policy_app.command("simulate")
def policy_simulate(
    file: Annotated[Path, typer.Option("--policy", help="the proposed policy as a JSON file")],
    start: Annotated[str, typer.Option("--from", help="first submission day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last submission day, YYYY-MM-DD")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Replay past applications under the proposed policy, against the policy in force."""
    from autolend.cli import _container, fail, guarded  # noqa: PLC0415 - cli imports this
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415
    from autolend.services.policy_simulation import simulation_to_dict  # noqa: PLC0415

    first, last = guarded(lambda: _period(start, end))
    proposed = _read_policy(file)

    def run() -> Simulation:
        from autolend.cli_progress import fit_progress  # noqa: PLC0415

        service = _container().services.policies
        with fit_progress("replaying applications") as progress:  # on stderr
            return service.simulate(SYSTEM_ACTOR, proposed, first, last, progress)

    result = guarded(run)
    if not result.replayed:
        raise fail(_nothing_replayed(result))
    if as_json:
        print(json.dumps(simulation_to_dict(result), ensure_ascii=False, indent=2))
        return
    _print(result)


def _print(result: Simulation) -> None:
    from autolend.domain.policy_simulation import FIGURES, figure_text  # noqa: PLC0415

    c = result.comparison
    table = Table(
        title=f"Policy simulation {result.start} .. {result.end}: "
        f"{_label(result.current)} (in force) vs {_label(result.proposed)}"
    )
    for column in ("figure", "current", "proposed", "difference"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    differences = c.differences()
    currency = c.current.approved_volume.currency.code  # the replayed applications' (USD: US)
    for name, kind in FIGURES:
        table.add_row(
            _LABELS[name].format(currency=currency), figure_text(getattr(c.current, name), kind),
            figure_text(getattr(c.proposed, name), kind),
            figure_text(differences.get(name), kind, signed=True),
        )  # fmt: skip
    console.print(table)
    _print_swaps(result)


def _print_swaps(result: Simulation) -> None:
    from autolend.domain.policy_simulation import OUTCOMES  # noqa: PLC0415

    c = result.comparison
    swaps = Table(title=f"Outcome moves (rows: current, columns: proposed); moved {c.moved_total}")
    swaps.add_column("current \\ proposed")
    for outcome in OUTCOMES:
        swaps.add_column(outcome.value, justify="right")
    for before in OUTCOMES:
        swaps.add_row(before.value, *(str(c.moved(before, after)) for after in OUTCOMES))
    console.print(swaps)
    if c.stored_mismatches:
        console.print(
            f"[yellow]{c.stored_mismatches} application(s) decided differently when stored "
            "(the policy in force changed since, or the model was scored differently)[/]"
        )
    if result.skipped:
        console.print(
            f"[yellow]{len(result.skipped)} application(s) skipped: decided before facts "
            "snapshots were kept[/]"
        )


def _label(policy: Policy) -> str:
    return f"{policy.name}@{policy.version}"
