"""Why the loan calculator cannot quote, said at the input at fault, in the page's language.

A refusal is the domain's :class:`~autolend.domain.errors.InvalidInput` (or the
calculator's own: a term its form does not offer, :func:`check_term`). The page names the
input by its label and says the reason, translated by :mod:`autolend.web.problem_text`'s
catalogue, and marks the input (``aria-invalid``, ``aria-describedby`` pointing at the
message, :data:`ERROR_ID`). Example: a down payment of 120 % of the price reads, in
English, "Please check “Down payment”: the down payment must be below the price.", with
``#calc-down`` marked.

>>> error = InvalidInput("down_payment_ratio must be below 100 percent, got '120'",
...                      field="down_payment_ratio")
>>> refused = quote_error(error, str, "en")
>>> refused.label, str(refused.reason), refused.input_id
('Down payment', 'the down payment must be below the price', 'calc-down')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from autolend.domain.errors import InvalidInput
from autolend.web.charts import Translate
from autolend.web.problem_text import localized_detail

__all__ = ["ERROR_ID", "QuoteError", "check_term", "error_label", "quote_error"]

ERROR_ID = "quote-error"


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where the page is built."""
    return message


FIELD_LABELS = {
    "vehicle_price": _("Vehicle price"),
    "down_payment": _("Down payment"),
    "down_payment_ratio": _("Down payment"),
    "term_months": _("Term"),
    "annual_rate": _("Annual interest rate"),
    "subsidy_customer_rate": _("Annual interest rate"),
    "balloon_percent": _("Product"),
    "monthly_income": _("Monthly income"),
    "max_income_share": _("Share of income"),
}
# The form's input of each field (``calculator.html``); the fees have none of their own.
FIELD_INPUTS = {
    "vehicle_price": "calc-price", "down_payment": "calc-down",
    "down_payment_ratio": "calc-down", "term_months": "calc-term", "annual_rate": "calc-rate",
    "subsidy_customer_rate": "calc-rate", "balloon_percent": "calc-product",
    "monthly_income": "calc-income", "max_income_share": "calc-share",
}  # fmt: skip
FEES_LABEL = _("Fees")
OTHER_LABEL = _("Loan details")


@dataclass(frozen=True)
class QuoteError:
    """A refused quote as the page shows it: the field, its label, the reason (marked
    ``lang="en"`` where it stayed English on a page in another language) and the id of
    the input to mark (None where the form has no input of its own for it)."""

    field: str | None
    label: str
    reason: Markup
    input_id: str | None


def error_label(field: str | None, gettext: Translate) -> str:
    """The form label of the input a domain error names (``fees.0.kind`` -> Fees)."""
    if field is not None and field.startswith("fees"):
        return gettext(FEES_LABEL)
    return gettext(FIELD_LABELS.get(field or "", OTHER_LABEL))


def quote_error(error: InvalidInput, gettext: Translate, locale: str) -> QuoteError:
    """The refusal of ``error`` in ``locale``: its label, its reason and its input."""
    problem = {"detail": error.message, "detail_zh": error.message_zh}
    shown = localized_detail(problem, locale, gettext)
    reason = Markup("{}").format(shown.text)
    if shown.lang == "en" and locale != "en":
        reason = Markup('<span lang="en">{}</span>').format(shown.text)
    field = error.field
    return QuoteError(field, error_label(field, gettext), reason, FIELD_INPUTS.get(field or ""))


def check_term(term: str, offered: Sequence[str]) -> None:
    """Refuse a term the form does not offer (its list cannot show it: a typed address).

    >>> check_term("36", ("12", "24", "36"))
    >>> check_term("7", ("12", "24"))
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: term_months '7' is not one of 12, 24
    """
    if term not in offered:
        problem = f"{term!r} is not one of {', '.join(offered)}"
        raise InvalidInput(f"term_months {problem}", field="term_months")
