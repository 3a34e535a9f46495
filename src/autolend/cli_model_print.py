"""``autolend model monitor``'s text output (kept apart from :mod:`autolend.cli_model` for
room): status and notes, PSI, performance by month, then fairness by group.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console

from autolend.cli_format import FAIRNESS_RATE_NAMES

__all__ = ["print_fairness", "print_monitoring"]


def print_monitoring(console: Console, report: dict[str, object]) -> None:
    """The report of ``model monitor`` as text: status, notes, PSI, months, fairness."""
    from autolend.cli_model import table_of  # noqa: PLC0415 - cli_model imports this module

    body: dict[str, Any] = dict(report)
    score = body["score_psi"]
    console.print(
        f"{body['model']['name']} v{body['model']['version']}: status "
        f"[bold]{body.get('verdict', body['status'])}[/], "
        f"score PSI {score['psi']:.4f} over {body['window']['rows']:,} applications"
    )
    for note in body.get("notes", []):  # not markup: a value may hold "[...]"
        console.print(f"note: {note}", markup=False, highlight=False)
    psi = [(r["feature"], f"{r['psi']:.4f}", r["status"]) for r in body["feature_psi"]]
    if psi:
        console.print(table_of("PSI", ("feature", "PSI", "status"), psi))
    months = [
        (r["month"], str(r["count"]), f"{r['bad_rate']:.2%}", _number(r["auc"]), _number(r["ks"]))
        for r in body["performance"]
    ]
    if months:
        console.print(table_of("by month", ("month", "count", "bad rate", "AUC", "KS"), months))
    if body["fairness"]:
        print_fairness(console, body["fairness"])


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _rate(value: float | None) -> str:
    """A rate as the rest of the command line prints one, two decimals: 0.4530 -> 45.30%."""
    return "—" if value is None else f"{value:.2%}"


def _four_fifths(group: dict[str, Any]) -> str:
    """``flagged`` / ``passes``; ``—`` when there is no ratio (the reference group approved
    no one, so nothing can be compared: not a pass)."""
    if group["flagged"]:
        return "flagged"
    return "—" if group["approval_ratio"] is None else "passes"


def print_fairness(console: Console, fairness: dict[str, Any]) -> None:
    """Approval and error rates by group, then the group furthest from the reference per rate
    (FPR: goods declined / goods; FNR: bads approved / bads; see risk/fairness.py)."""
    from autolend.cli_model import table_of  # noqa: PLC0415 - cli_model imports this module

    flagged = ", ".join(fairness["flagged_groups"]) or "none"
    group_col, reference = fairness["group_col"], fairness["reference_group"]
    console.print(f"fairness by {group_col} (reference {reference}): flagged {flagged}")
    columns = ("group", "count", "approval", "ratio", "4/5 rule", "bad rate approved",
               "FPR (goods declined)", "FNR (bads approved)")  # fmt: skip
    groups = [
        (g["group"], f"{g['count']:,}", _rate(g["approval_rate"]),
         "—" if g["approval_ratio"] is None else f"{g['approval_ratio']:.2f}",
         _four_fifths(g), _rate(g["bad_rate_approved"]),
         _rate(g["false_positive_rate"]), _rate(g["false_negative_rate"]))
        for g in fairness["groups"]
    ]  # fmt: skip
    console.print(table_of(f"by {group_col}", columns, groups))
    for g in fairness["largest_gaps"]:
        rate, gap = FAIRNESS_RATE_NAMES.get(g["rate"], g["rate"]), f"{g['gap'] * 100:+.2f} pp"
        console.print(f"largest {rate} gap: {g['group']} {_rate(g['value'])} against "
                      f"{reference} {_rate(g['reference_value'])} ({gap})")  # fmt: skip
