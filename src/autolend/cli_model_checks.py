"""Checks and warnings of ``autolend model ...`` (kept apart from :mod:`autolend.cli_model`).

Rules:

- A column left out (``--exclude`` / ``--protected``) is never the target, and a fault in
  one is named by its own option: ``--protected nope`` is "(--protected)", not "(--exclude)".
- A model whose out-of-fold AUC is at or below :data:`autolend.risk.metrics.CHANCE_AUC`
  gets a warning line (:func:`autolend.risk.metrics.chance_warnings`): on stderr in text
  mode (:func:`warn`), in the ``warnings`` list of ``--json``.
- The arguments and the data file's path are checked before the modelling libraries load
  (LightGBM, optbinning, scikit-learn: seconds): ``model train --name 'Bad!'``, a
  mistyped ``--data`` or a ``--pdo 0`` is refused at once (:func:`check_train_request`);
  ``model cv`` reads and checks its file, target and class counts first (:func:`cv_data`).
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
    "check_left_out", "check_train_request", "cv_data", "fit_note", "left_out_checked",
    "option_currency", "quiet_fitting", "warn", "window_target",
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


def option_currency(code: str, name: str) -> str:
    """``code`` if it is a known ISO 4217 currency that a model named ``name`` may have
    (``default-usd`` is USD's decision model); else InvalidInput naming --currency."""
    from autolend.services.models import check_model_currency  # noqa: PLC0415

    try:
        return check_model_currency(name, code)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="--currency") from None


def check_train_request(
    data: Path,
    target: str,
    name: str,
    *,
    scale: tuple[float, float, float],
    left: tuple[Sequence[str], Sequence[str]],
    code: str,
) -> str:
    """``model train``'s checks that need no modelling library, in this order: the points
    scale, the columns left out, the currency (returned), the name, the data file's path.
    E.g. ``--name Default`` -> "name must be 1-64 lower-case letters, ..." (--name)."""
    from autolend.risk.scaling import check_scaling  # noqa: PLC0415
    from autolend.risk.table_path import check_table_path  # noqa: PLC0415
    from autolend.services.models import check_model_name  # noqa: PLC0415 - the service's rule

    check_scaling(*scale)
    check_left_out(target, *left)
    currency = option_currency(code, name)
    check_model_name(name)
    check_table_path(data)
    return currency


def cv_data(
    data: Path,
    target: str,
    bad: str | None,
    left: tuple[Sequence[str], Sequence[str]],
    study: tuple[tuple[str, ...], int],
) -> Any:
    """``model cv``'s training data from ``data`` without the ``left`` out columns, checked
    before the modelling libraries load: the path, the columns, the target, the studied
    columns (``study[0]``) and the bads and goods that ``study[1]`` folds need."""
    from autolend.cli_files import training_frame  # noqa: PLC0415
    from autolend.risk.dataset import require_classes, training_data  # noqa: PLC0415
    from autolend.risk.table_path import check_table_path  # noqa: PLC0415

    check_table_path(data)
    frame = left_out_checked(lambda: training_frame(data, [*left[0], *left[1]]), *left)
    prepared = training_data(frame, target, bad, studied=study[0])
    require_classes(prepared.y, study[1], f"cross-validate with {study[1]} folds")
    return prepared


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
