"""The names of an application's statuses, for the pages and the charts alike (the
templates translate them with ``_``, the charts with the page's gettext).

>>> APPLICATION_STATUS_NAMES["pending_second"]
'Waiting for a second approval'
"""

from __future__ import annotations

from collections.abc import Mapping


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


APPLICATION_STATUS_NAMES: Mapping[str, str] = {
    "draft": _("Draft"),
    "approved": _("Approved"),
    "referred": _("Referred"),
    "declined": _("Declined"),
    "pending_second": _("Waiting for a second approval"),
    "counter_offered": _("Counter-offered"),
    "accepted": _("Offer accepted"),
    "signing": _("Signing"),
    "signed": _("Signed"),
    "disbursed": _("Disbursed"),
    "withdrawn": _("Withdrawn"),
}

# The credit model's members as staff read them (risk/model.py CANDIDATES) and the
# calibration methods (risk/calibration.py); a code not listed shows as it is.
MODEL_KIND_NAMES: Mapping[str, str] = {
    "champion": _("Scorecard (champion)"),
    "challenger": _("Boosted trees (challenger)"),
    "ensemble": _("Scorecard + forest (ensemble)"),
    "forest": _("Random forest"),
}
CALIBRATION_NAMES: Mapping[str, str] = {
    "platt": _("Platt scaling"),
    "isotonic": _("Isotonic regression"),
    "none": _("None: the model's PD was already calibrated"),
}

# How the risk package read a column of the training data (risk/columns.py ColumnNote codes,
# and risk/reasons.py for a column about someone other than the applicant); the card shows
# the note's own English text beside it. A code not listed shows as it is.
COLUMN_NOTE_NAMES: Mapping[str, str] = {
    "no_values": _("Left out: no values"),
    "single_value": _("Left out: the same value in every row"),
    "too_many_levels": _("Left out: too many rare values"),
    "not_about_the_applicant": _("Left out: not about the applicant"),
    "numbers_in_text": _("Numbers written as text, read as numbers"),
    "infinite_values": _("Infinite values read as missing"),
    "protected_attribute": _("Left out: a protected attribute"),
    "protected_attribute_studied": _("A protected attribute, studied"),
    "date_values": _("Left out: dates"),
    "durations_in_days": _("Durations read as days"),
    "sequential_id": _("Left out: an identifier"),
    "synthetic_truth": _("Left out: the synthetic true PD"),
    "unreadable_numbers": _("Left out: numbers that cannot be read"),
    "percentages": _("Percentages read as fractions"),
    "currency_symbols": _("Amounts with currency signs read as numbers"),
    "separates_the_classes": _("A possible leak: separates bad from good alone"),
    "bad_value_guessed": _("The bad value, guessed"),
    "rows_without_target": _("Rows without a target, left out"),
}
