"""Checks and warnings of ``autolend model ...`` (kept apart from :mod:`autolend.cli_model`).

Rules:

- A column left out (``--exclude`` / ``--protected``) is never the target, and a fault in
  one is named by its own option: ``--protected nope`` is "(--protected)", not "(--exclude)".
- A model whose out-of-fold AUC is at or below :data:`autolend.risk.metrics.CHANCE_AUC`
  gets a warning line (:func:`autolend.risk.metrics.chance_warnings`): on stderr in text
  mode (:func:`warn`), in the ``warnings`` list of ``--json``.
- Fitting's library warnings are caught; the one that means something (a class with fewer
  rows than the folds) becomes a note, the rest are silenced:

>>> fit_note("The least populated class in y has only 3 members, which is less than n_splits=5.")
'only 3 rows of the smaller class for 5 folds: some folds hold none of it'
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console

from autolend.domain.errors import InvalidInput

__all__ = [
    "check_left_out", "fit_note", "left_out_checked", "quiet_fitting", "warn", "window_target"
]  # fmt: skip

T = TypeVar("T")

errors = Console(stderr=True)

_FEW_MEMBERS = re.compile(r"only (\d+) members, which is less than n_splits=(\d+)")


def check_left_out(target: str, exclude: Sequence[str], protected: Sequence[str]) -> None:
    """The target is never left out: ``--exclude y`` with ``--target y`` is refused, naming
    the option that asked (``--exclude`` or ``--protected``), before any data is read."""
    for option, columns in (("--exclude", exclude), ("--protected", protected)):
        if target in columns:
            raise InvalidInput(
                f"the target {target!r} cannot be left out: it is the outcome", field=option
            )


def left_out_checked(
    action: Callable[[], T], exclude: Sequence[str], protected: Sequence[str]
) -> T:
    """``action()``, its error naming the option of its column: "no column 'nope' to leave
    out" for ``--protected nope`` is (--protected), not (--exclude); others pass as they are."""
    try:
        return action()
    except InvalidInput as error:
        for column in protected:
            named = error.message == f"no column {column!r} to leave out"
            if named and column not in exclude:
                raise InvalidInput(error.message, field="--protected") from None
        raise


def fit_note(message: str) -> str | None:
    """The note a library warning stands for, or None for one to silence (see the rules)."""
    found = _FEW_MEMBERS.search(message)
    if found is None:
        return None
    rows, folds = found.groups()
    return f"only {rows} rows of the smaller class for {folds} folds: some folds hold none of it"


@contextmanager
def quiet_fitting() -> Iterator[list[str]]:
    """Catch the warnings raised inside; the list yielded receives their notes, each once."""
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield notes
        finally:
            found = (fit_note(str(w.message)) for w in caught)
            notes.extend(dict.fromkeys(n for n in found if n is not None))


def warn(lines: Sequence[str]) -> None:
    """Each line on stderr as ``warning: ...`` (not markup: a column may hold "[...]")."""
    for line in lines:
        errors.print(f"warning: {line}", markup=False, highlight=False, soft_wrap=True)


def window_target(models: Any, name: str, version: int | None, window: Path) -> str | None:
    """The target to monitor when ``--target`` is not given: the one the model was trained
    with (its metadata's ``data.target``) if the window has that column, else None (PSI
    only: a window of applications whose outcomes are not known yet)."""
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415
    from autolend.risk.dataset import load_table  # noqa: PLC0415 - pandas on use only

    described = models.describe(SYSTEM_ACTOR, name, version)
    target = described.metadata.get("data", {}).get("target")
    try:
        columns = load_table(window).columns
    except InvalidInput as error:
        raise InvalidInput(error.message, field="data") from None
    return target if target in columns else None
