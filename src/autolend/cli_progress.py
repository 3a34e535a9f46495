"""Progress bars for long runs on the command line, which an error erases: its one
``error:`` line is then all a run prints (a half-drawn ``snapshot 2999-01-01 ━━━ 0/?``, or
the blank line Rich ends a bar with off a terminal, came before it).

:func:`fit_progress` (model fits, policy simulations) draws on standard error so that
``--json`` output on standard output stays clean, and only on a terminal: it leaves
nothing behind, so off one there is nothing to draw. :func:`progress_bar` is any other
bar (end of day, snapshots), on the console given.
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

_err = Console(stderr=True)


@contextmanager
def progress_bar(
    *columns: str | ProgressColumn, console: Console, transient: bool = False
) -> Iterator[Progress]:
    """A Rich progress display on ``console``; an exception out of the block erases it
    and leaves nothing (not even a blank line) in front of the error line. A ``transient``
    bar, which leaves nothing when done either, is not drawn off a terminal.

    Example: ``with progress_bar("{task.description}", console=out) as bar: ...`` draws
    "snapshot 2026-10-31 ━━━ 9/9"; when the block raises "the snapshot date is in the
    future", ``out`` receives nothing."""
    off_terminal = not console.is_interactive
    with Progress(*columns, console=console, transient=transient,
                  disable=transient and off_terminal) as bar:  # fmt: skip
        try:
            yield bar
        except BaseException:
            bar.live.transient = True  # erased on a terminal, not printed off one
            bar.live.stop()
            bar.disable = True  # and Progress.stop adds no blank line after it
            raise


@contextmanager
def fit_progress(description: str) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback drawing one bar: "cross-validation 7/25"."""
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with progress_bar(*columns, console=_err, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
