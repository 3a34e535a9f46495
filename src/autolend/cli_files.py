"""Files of the command line: output files written whole or not at all, input tables
checked under the option that named them.

A command that writes a file (``--out``) writes it beside the target under a hidden
name and renames it into place only once it is complete, so a failed or interrupted run
leaves the previous file (or none), never a truncated one. A path that cannot be
written is one line naming the option, not a traceback:

    $ autolend model card default --out /tmp
    error: --out /tmp is a directory, not a file
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["check_output", "check_table", "training_frame", "write_whole"]


def check_output(path: Path, option: str) -> None:
    """Fail (naming ``option``) unless ``path`` can be an output file: not a directory,
    its folder there or creatable. Called before long work, so that a mistyped ``--out``
    costs nothing.

    Example: ``check_output(Path("/tmp"), "--out")`` -> ``error: --out /tmp is a
    directory, not a file`` and exit 1.
    """
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module

    if path.is_dir():
        raise fail(f"{option} {path} is a directory, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise fail(f"{option} {path} cannot be written: {_reason(error)}") from None


def write_whole(path: Path, option: str, write: Callable[[Path], object]) -> None:
    """Call ``write`` with a hidden file beside ``path`` (same suffix, so writers that
    choose the format by it still do), then rename it to ``path``; on any failure the
    hidden file is removed and ``path`` is left as it was. An OS error (no such folder,
    disk full, permission) is one line naming ``option``.

    Example: ``write_whole(Path("card.html"), "--out", lambda p: p.write_text(html))``
    writes ``.card.html.partial-<pid>.html`` then renames it ``card.html``.
    """
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module

    check_output(path, option)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}{path.suffix}")
    try:
        write(partial)
        os.replace(partial, path)
    except OSError as error:
        raise fail(f"{option} {path} cannot be written: {_reason(error)}") from None
    finally:
        partial.unlink(missing_ok=True)  # gone already after the rename


def _reason(error: OSError) -> str:
    """The OS's words for ``error`` ("No such file or directory"): pyarrow's strerror is a
    sentence naming the hidden file, which the operator never asked for."""
    return os.strerror(error.errno) if error.errno else str(error)


def check_table(path: Path, option: str) -> None:
    """Fail naming ``option`` when ``path`` is not a .csv or .parquet file with something
    in it, or is a .parquet file whose footer cannot be read (the rows are not read).
    For a second table that a service would blame on ``--data`` when it reads it.

    Example: ``check_table(Path("empty.csv"), "--baseline")`` -> ``error: --baseline
    empty.csv: the file is empty`` and exit 1.
    """
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module

    kind = path.suffix.lower()
    if kind not in {".csv", ".parquet"}:
        raise fail(f"{option} {path}: unsupported file type; use .csv or .parquet")
    if not path.is_file():
        raise fail(f"{option} {path}: file not found")
    if path.stat().st_size == 0:
        raise fail(f"{option} {path}: the file is empty")
    if kind == ".parquet" and not _parquet(path):
        raise fail(f"{option} {path}: not a readable Parquet file")


def _parquet(path: Path) -> bool:
    """Whether ``path`` has a Parquet footer that reads."""
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415 - only when used
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        pq.read_schema(path)
    except (OSError, pa.ArrowException):
        return False
    return True


def training_frame(data: Path, excluded: list[str]) -> object:
    """The table in ``data`` without the ``excluded`` columns (``--exclude`` and
    ``--protected``), each of which must be there."""
    from autolend.domain.errors import InvalidInput  # noqa: PLC0415
    from autolend.risk.dataset import load_table  # noqa: PLC0415 - pandas loads only when used

    frame = load_table(data)
    unknown = [c for c in excluded if c not in frame.columns]
    if unknown:
        raise InvalidInput(f"no column {unknown[0]!r} to leave out", field="--exclude")
    return frame.drop(columns=excluded)
