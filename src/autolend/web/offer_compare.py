"""What the application page's side-by-side view of its offers needs beyond the offers
themselves: the option that costs least in total, each option's final payment where it
is a balloon (the installment alone would hide it: 36 x 2,778.52 then 62,778.49), and
the options that ask a larger down payment than the others (``more_down``): one costs
less in total partly because less is borrowed, which the view must not hide.

Display only: the figures are the offers' own (:func:`autolend.domain.offers.offer_to_dict`),
compared, never recomputed.

>>> offers = [
...     {"option": 1, "total_cost": "21426.69", "monthly_payment": "2778.52",
...      "down_payment": "60000.00",
...      "schedule_preview": [{"payment": "2778.52"}, {"payment": "62778.49"}]},
...     {"option": 2, "total_cost": "15270.29", "monthly_payment": "3911.26",
...      "down_payment": "80000.00",
...      "schedule_preview": [{"payment": "3911.26"}, {"payment": "3911.31"}]},
... ]
>>> offer_comparison(offers)
{'lowest': 2, 'finals': {1: '62778.49', 2: None}, 'more_down': {1: False, 2: True}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["final_payment", "larger_down_payments", "offer_comparison"]

# A last payment above this many monthly payments is a balloon (a rounding remainder of a
# level schedule is a few cents either way).
BALLOON_FACTOR = Decimal(2)


def final_payment(offer: Mapping[str, Any]) -> str | None:
    """The offer's last payment when it is a balloon, else None.

    >>> final_payment({"monthly_payment": "100.00", "schedule_preview": [{"payment": "99.98"}]})
    >>> final_payment({"monthly_payment": "100.00", "schedule_preview": [{"payment": "900.00"}]})
    '900.00'
    """
    rows = offer.get("schedule_preview") or []
    if not rows:
        return None
    last = str(rows[-1]["payment"])
    return last if Decimal(last) > BALLOON_FACTOR * Decimal(offer["monthly_payment"]) else None


def larger_down_payments(offers: Sequence[Mapping[str, Any]]) -> dict[int, bool]:
    """Each option: whether its down payment is above the smallest of the offers.

    >>> larger_down_payments([{"option": 1, "down_payment": "60000.00"},
    ...                       {"option": 2, "down_payment": "60000.00"}])
    {1: False, 2: False}
    """
    if not offers:
        return {}
    least = min(Decimal(o["down_payment"]) for o in offers)
    return {o["option"]: Decimal(o["down_payment"]) > least for o in offers}


def offer_comparison(offers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``lowest``: the option with the lowest total cost (None for fewer than two offers);
    ``finals``: each option's balloon (:func:`final_payment`); ``more_down``: each
    option's larger down payment (:func:`larger_down_payments`)."""
    lowest = None
    if len(offers) > 1:
        lowest = min(offers, key=lambda o: Decimal(o["total_cost"]))["option"]
    return {"lowest": lowest, "finals": {o["option"]: final_payment(o) for o in offers},
            "more_down": larger_down_payments(offers)}  # fmt: skip
