"""The training data the model benchmarks read: German credit by default, with its two
protected columns kept as features so that the figures compare with the published ones on
all 20 columns (``model train`` never keeps them; see docs/models.md).

    parser = argparse.ArgumentParser()
    add_data_arguments(parser)
    data = training_data_of(parser.parse_args())
"""

from __future__ import annotations

import argparse
from pathlib import Path

from autolend.risk.dataset import TrainingData, load_table, training_data

GERMAN_PROTECTED = ("personal_status_and_sex", "foreign_worker")


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """``--data``, ``--target``, ``--bad`` and ``--use-protected`` (repeatable)."""
    parser.add_argument("--data", type=Path, default=Path("var/cache/germancredit.csv"))
    parser.add_argument("--target", default="creditability")
    parser.add_argument("--bad", default="bad")
    parser.add_argument(
        "--use-protected", action="append", dest="studied", default=None,
        help="a protected attribute to keep as a feature; default German credit's "
        "personal_status_and_sex and foreign_worker",
    )  # fmt: skip


def training_data_of(args: argparse.Namespace) -> TrainingData:
    """The table ``args`` name, read as training data with its studied columns."""
    studied = tuple(args.studied if args.studied is not None else GERMAN_PROTECTED)
    return training_data(load_table(args.data), args.target, args.bad, studied=studied)
