"""Writing the synthetic applicants (:mod:`autolend.risk.synth`) to a file, CSV or Parquet.

Rule: the extension of the path chooses the format (``.csv`` or ``.parquet``, any case);
any other is :class:`InvalidInput` naming ``out``, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput

__all__ = ["write_applicants"]


def write_applicants(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as CSV or Parquet, chosen by the extension of ``path``; return the path.

    >>> write_applicants(pd.DataFrame({"age": [30]}), "applicants.xlsx")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: write .csv or .parquet, not 'applicants.xlsx'
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in {".csv", ".parquet"}:
        raise InvalidInput(f"write .csv or .parquet, not {str(path)!r}", field="out")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(out, index=False)
    else:
        frame.to_parquet(out, index=False)
    return out
