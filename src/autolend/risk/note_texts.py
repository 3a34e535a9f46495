"""The English sentences of the column notes that :mod:`autolend.risk.columns` (a column's
shape: dates, identifiers, number formats) and :mod:`autolend.risk.dataset` (the target and
the whole table: a leak, a guessed bad value, rows without a target) add to its own, each
filled from the note's column and details.

>>> TARGET_TEXTS["rows_without_target"].format(column="bad", count=3)
'bad: 3 rows without a target value were left out'
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["SHAPE_TEXTS", "TARGET_TEXTS"]

SHAPE_TEXTS: Mapping[str, str] = {
    "date_values": (
        "{column}: left out, it holds dates; a model should not learn the calendar (every "
        "later month would be new to it): use it as --month-col to monitor the model by month"
    ),
    "durations_in_days": "{column}: durations read as numbers of days",
    "sequential_id": (
        "{column}: left out, its values are unique and increase row by row: an identifier "
        "(a row or application number), not something about the applicant"
    ),
    "synthetic_truth": (
        "{column}: left out, it is the synthetic data's true probability of default, which "
        "no lender knows"
    ),
    "unreadable_numbers": (
        "{column}: left out, its values look like numbers but {unread:,} of {present:,} "
        "cannot be read as numbers (e.g. {example}); write them as plain numbers (1234.5)"
    ),
    "percentages": "{column}: percentages read as fractions ({example} read as {value})",
    "currency_symbols": "{column}: amounts written with {symbols} read as numbers",
}
TARGET_TEXTS: Mapping[str, str] = {
    "separates_the_classes": (
        "{column}: alone separates bad from good almost perfectly (AUC {auc} on the training "
        "data); it may be known only after the outcome (days past due, a collection status): "
        "keep it only if it is known when the applicant applies, else leave it out (--exclude)"
    ),
    "bad_value_guessed": (
        "{column}: no bad value given; {value} read as bad and {other} as good (--bad to say "
        "otherwise)"
    ),
    "rows_without_target": "{column}: {count:,} rows without a target value were left out",
}
