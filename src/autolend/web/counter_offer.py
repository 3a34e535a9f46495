"""What the application page shows of an underwriter's counter-offer: the structure
stored with the decision (:mod:`autolend.services.review`), the offer that is it and the
underwriter's reason, beside what was applied for; and the amount the review form's
counter-offer takes as people type it (:func:`typed_amount`: ``80,000`` is 80000).

The JSON API keeps its strict amounts (``80000.00``): only the page's form is lenient.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["counter_offer", "typed_amount"]

# Digits grouped in threes by commas or spaces (one kind in an amount), a decimal point.
_GROUPED = re.compile(r"-?\d{1,3}(?:(?P<sep>[, ])\d{3})(?:(?P=sep)\d{3})*(?:\.\d+)?")


def typed_amount(text: str | None) -> str | None:
    """An amount typed into the review form as the service reads it: full-width digits,
    commas and spaces as their half-width selves (a Chinese input method types
    ``８０，０００``), the space around it gone, and digits grouped in threes by commas or by
    spaces written plain. Anything else goes as typed, for the service to name (misplaced
    separators: ``8,0000``); nothing typed is None (the down payment stays).

    >>> typed_amount("80,000"), typed_amount(" 80 000.50 "), typed_amount("８０，０００")
    ('80000', '80000.50', '80000')
    >>> typed_amount("8,0000"), typed_amount("80000.00"), typed_amount("  ")
    ('8,0000', '80000.00', None)
    """
    if text is None:
        return None
    plain = " ".join(unicodedata.normalize("NFKC", text).split())
    if not plain:
        return None
    grouped = _GROUPED.fullmatch(plain)
    return plain.replace(grouped["sep"], "") if grouped else plain


def counter_offer(view: dict[str, Any]) -> dict[str, Any] | None:
    """The structure an underwriter counter-offered (stored with the decision), with the
    offer that is it (``option``, None if none is) and the underwriter's reason; None
    when no person counter-offered.

    >>> view = {"decision": {"counter_offer": {"down_payment": "80000.00",
    ...     "term_months": 36, "amount": "130000.00"}}, "offers": [{"option": 1,
    ...     "term_months": 36, "down_payment": "80000.00"}], "events": [{"action":
    ...     "review", "reason": "more down"}]}
    >>> counter_offer(view)["option"], counter_offer(view)["reason"]
    (1, 'more down')
    """
    counter: dict[str, Any] | None = (view["decision"] or {}).get("counter_offer")
    if counter is None:
        return None
    same = [o["option"] for o in view["offers"]
            if (o["term_months"], o["down_payment"]) == (counter["term_months"],
                                                         counter["down_payment"])]  # fmt: skip
    reviews = [e["reason"] for e in view["events"] if e["action"] == "review"]
    return counter | {"option": same[0] if same else None,
                      "reason": reviews[-1] if reviews else None}  # fmt: skip
