"""What the application page shows of an underwriter's counter-offer: the structure
stored with the decision (:mod:`autolend.services.review`), the offer that is it and the
underwriter's reason, beside what was applied for."""

from __future__ import annotations

from typing import Any

__all__ = ["counter_offer"]


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
