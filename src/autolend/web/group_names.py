"""Fairness groups as a reader names them: the monitoring report stores the lender's own
column and values (``gender``: ``F`` / ``M``, as the synthetic population writes them),
and the page shows the words in its language, the stored code kept beside for auditors.

A value of a model's categorical feature (``salaried``, ``nev``: :mod:`category_names`) is
named whatever the column that groups by it. A column or value not named here is shown as
the lender's data has it: the report runs on any lender's data, and a guess would be worse
than the code.

>>> group_value_label("gender", "F", lambda text: text)
'Female'
>>> group_value_label("employment_type", "civil_servant", lambda text: text)
'Civil servant'
>>> group_value_label("region", "north", lambda text: text)
'north'
"""

from __future__ import annotations

from collections.abc import Callable

from autolend.web.category_names import category_label

Translate = Callable[[str], str]


def _(message: str) -> str:
    """Marks a msgid for extraction; the page translates it when it renders."""
    return message


_COLUMNS = {"gender": _("gender"), "sex": _("gender")}
_VALUES = {
    "gender": {"F": _("Female"), "M": _("Male"), "female": _("Female"), "male": _("Male")},
}
_VALUES["sex"] = _VALUES["gender"]


def group_column_label(column: str, gettext: Translate) -> str:
    """The attribute's name in the page's language (``gender`` -> 性别), else as stored."""
    name = _COLUMNS.get(column.lower())
    return gettext(name) if name else column


def group_value_label(column: str, value: str, gettext: Translate) -> str:
    """One group's name in the page's language (``F`` of ``gender`` -> 女, ``gig`` -> 灵活就业),
    else as stored."""
    name = _VALUES.get(column.lower(), {}).get(value)
    return gettext(name) if name else category_label(value, gettext)
