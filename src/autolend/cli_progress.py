"""Progress bars for long runs on the command line.

Every bar is drawn on standard error and only on a terminal: standard output keeps the
run's result alone (the summary table, ``--json``), so ``autolend eod --date D > log``
writes no half-drawn ``eod 2026-11-27 ━━━ 3/3`` line into the log, and a cron job's
mail holds the summary only. An error erases the bar: its one ``error:`` line is then
all a run prints.

:func:`fit_progress` (model fits, policy simulations) leaves nothing behind when done;
:func:`progress_bar` (end of day, snapshots, synthetic books) stays on the terminal
unless ``transient``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TimeElapsedColumn,
)

__all__ = ["fit_progress", "progress_bar"]


@contextmanager
def progress_bar(
    *columns: str | ProgressColumn, transient: bool = False, console: Console | None = None
) -> Iterator[Progress]:
    """A Rich progress display on standard error (or ``console``, for tests), drawn only
    when that is a terminal; an exception out of the block erases it and leaves nothing
    (not even a blank line) in front of the error line.

    Example: ``with progress_bar("{task.description}") as bar: ...`` draws
    "snapshot 2026-10-31 ━━━ 9/9" on a terminal and nothing when standard error is a
    file; when the block raises "the snapshot date is in the future", nothing is left."""
    target = console or Console(stderr=True)  # per bar: standard error as it is now
    with Progress(*columns, console=target, transient=transient,
                  disable=not target.is_interactive) as bar:  # fmt: skip
        try:
            yield bar
        except BaseException:
            bar.live.transient = True  # erased on a terminal
            bar.live.stop()
            bar.disable = True  # and Progress.stop adds no blank line after it
            raise


@contextmanager
def fit_progress(description: str) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback drawing one bar: "cross-validation 7/25"."""
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with progress_bar(*columns, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
