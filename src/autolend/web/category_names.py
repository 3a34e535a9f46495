"""The values of a model's categorical features as a reader names them: a scorecard bin,
a PSI bin or a fairness group holds the data's own values (``salaried``, ``nev``,
``True``), and the risk pages show the words in their language.

A bin of several categories (``"used, new"``, as the binning joins a group) is named
value by value, joined with the page's list comma; a value not named here, or a bin with
one such value, is shown as the data has it: the pages run on any lender's data, and a
guess would be worse than the value.

>>> category_label("gig", lambda text: text)
'Gig work'
>>> category_label("used, new", lambda text: text, "、")
'Used、New'
>>> category_label("(-inf, 0.50)", lambda text: text)
'(-inf, 0.50)'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Translate = Callable[[str], str]
GROUP_SEPARATOR = ", "  # how risk/binning.py joins the categories of one bin


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


CATEGORY_NAMES: Mapping[str, str] = {
    # employment (risk/synth.py EMPLOYMENT_TYPES, the application form's)
    "salaried": _("Salaried"),
    "self_employed": _("Self-employed"),
    "farmer": _("Farmer"),
    "gig": _("Gig work"),
    "civil_servant": _("Civil servant"),
    "retired": _("Retired"),
    # the vehicle: its energy and its condition
    "nev": _("NEV"),
    "ice": _("ICE"),
    "new": _("New"),
    "used": _("Used"),
    # a yes-or-no feature (first_time_buyer)
    "True": _("Yes"),
    "False": _("No"),
}


def category_label(value: str, gettext: Translate, separator: str = GROUP_SEPARATOR) -> str:
    """A bin's or a group's value in the page's language (``self_employed`` -> 个体经营),
    several joined by ``separator``; else the value as it is."""
    names = [CATEGORY_NAMES.get(part) for part in value.split(GROUP_SEPARATOR)]
    if not value or any(name is None for name in names):
        return value
    return separator.join(gettext(name) for name in names if name)
