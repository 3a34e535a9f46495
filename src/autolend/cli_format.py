"""How the command line writes amounts, and the field an error line names.

Amounts: one function for every table and summary line, so that ``portfolio show``,
``policy simulate`` and ``eod --book`` print the same figure the same way: thousands
separators and the currency's own decimals (``2,843,884.50``; yen: ``1,234``), the exact
amount (no float on the way). The currency's code is named by the caller: after the
figure (``balance 2,843,884.50 CNY``), in a column or in a title.

Instants: a stored ISO instant to the minute in UTC (:func:`utc_minute`), which fits a
table's column.

Errors: a line names its field once (:func:`field_suffix`): ``error: the snapshot date is
in the future (--date)``, but ``error: --date must be YYYY-MM-DD`` (not ``... (date)``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

import typer

from autolend.domain.money import Money

__all__ = ["amount", "field_suffix", "minor_amount", "utc_minute"]


def amount(money: Money, *, signed: bool = False) -> str:
    """The amount with thousands separators and its currency's decimals; ``signed``: with
    ``+`` or ``-`` (a difference).

    >>> amount(Money.of_minor(284_388_450, "CNY")), amount(Money.of_minor(-5, "CNY"))
    ('2,843,884.50', '-0.05')
    >>> amount(Money.of_minor(250_000, "USD"), signed=True), amount(Money.of_minor(1234, "JPY"))
    ('+2,500.00', '1,234')
    """
    value = money.to_decimal()
    return f"{value:+,}" if signed else f"{value:,}"


def minor_amount(minor: int, currency: str) -> str:
    """``minor`` units of ``currency`` as :func:`amount` writes them: ``(123456, "CNY")``
    -> ``1,234.56``."""
    return amount(Money.of_minor(minor, currency))


def field_suffix(message: str, field: str | None, options: Mapping[str, str]) -> str:
    """What an error line adds after ``message`` to name its ``field``: `` (--date)`` (the
    option ``options`` maps the field to, else the field itself), or nothing when there is
    no field or the message names it already: as it would be shown, as ``--field`` or as
    ``'field'``.

    >>> field_suffix("the snapshot date is in the future", "date", {"date": "--date"})
    ' (--date)'
    >>> field_suffix("--date must be YYYY-MM-DD", "date", {})
    ''
    >>> field_suffix("rate_min 0.5 must not exceed rate_max 0.0899", "rate_min", {})
    ''
    >>> field_suffix("no regulation pack for 'XX'", "jurisdiction", {"jurisdiction": "pack"})
    ''
    """
    if not field:
        return ""
    shown = options.get(field, field)
    for name in (shown, f"--{field}", f"'{field}'"):
        if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", message):
            return ""
    return f" ({shown})"


def utc_minute(instant: object) -> str:
    """A stored instant (a datetime, or its ISO 8601 text) to the minute in UTC, one
    without a zone read as UTC (SQLite hands those back); ``—`` where there is none.

    >>> utc_minute("2026-12-01T16:16:16.215765+08:00"), utc_minute(None)
    ('2026-12-01 08:16', '—')
    >>> utc_minute(datetime(2026, 12, 1, 8, 16, 59))
    '2026-12-01 08:16'
    """
    if isinstance(instant, str):
        instant = datetime.fromisoformat(instant)
    if not isinstance(instant, datetime):
        return "—"
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def calendar_day(text: str | datetime) -> datetime:
    """A day option's value, written YYYY-MM-DD (a ``typer.Option(parser=...)``): a day
    the calendar lacks is said to be one, where Click's format check said "'2026-02-30'
    does not match the formats '%Y-%m-%d'" of a value in that very format.

    >>> calendar_day("2026-02-28").date().isoformat()
    '2026-02-28'
    """
    if isinstance(text, datetime):
        return text
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        shaped = re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None
        problem = "is not a day of the calendar" if shaped else "is not a day such as 2026-11-28"
        raise typer.BadParameter(f"{text!r} {problem}") from None


# The fairness report's rates as ``model monitor`` names them (its table's headers), not
# by their keys in the report ("largest approval_rate gap" read as a variable name).
FAIRNESS_RATE_NAMES = {
    "approval_rate": "approval rate",
    "bad_rate_approved": "bad rate of the approved",
    "false_positive_rate": "FPR (goods declined)",
    "false_negative_rate": "FNR (bads approved)",
}
