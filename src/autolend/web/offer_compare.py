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
>>> offer_comparison(offers)["lowest"], offer_comparison(offers)["finals"]
(2, {1: '62778.49', 2: None})
>>> offer_comparison(offers)["more_down"]
{1: False, 2: True}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["final_payment", "larger_down_payments", "offer_comparison", "payment_runs"]

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


def payment_runs(offer: Mapping[str, Any]) -> list[tuple[int, str, str]] | None:
    """A US offer's payment schedule as Regulation Z states it (12 CFR 1026.18(g)): runs
    of equal payments, ``(count, payment, first due date)``, read off its preview (the
    first rows and the last; the rows between equal the second unless
    ``installments_vary``). None without Truth-in-Lending figures, or when the runs do
    not add up to the offer's total of payments (then the preview cannot tell).

    >>> rows = [{"n": 1, "due_date": "2027-01-01", "payment": "529.59"},
    ...         {"n": 2, "due_date": "2027-02-01", "payment": "529.59"},
    ...         {"n": 60, "due_date": "2031-12-01", "payment": "529.80"}]
    >>> payment_runs({"term_months": 60, "schedule_preview": rows,
    ...               "regz": {"total_of_payments": "31775.61"}})
    [(59, '529.59', '2027-01-01'), (1, '529.80', '2031-12-01')]
    """
    rows = offer.get("schedule_preview") or []
    regz, count = offer.get("regz"), offer.get("term_months", 0)
    if not rows or regz is None or offer.get("installments_vary") or rows[-1]["n"] != count:
        return None
    shape = [(rows[0], 1)]  # the first row, the rows between (as the second), the last
    if count > 2:
        shape.append((rows[1], count - 2))
    if count > 1:
        shape.append((rows[-1], 1))
    runs: list[tuple[int, str, str]] = []
    for row, times in shape:
        if runs and Decimal(runs[-1][1]) == Decimal(row["payment"]):
            runs[-1] = (runs[-1][0] + times, runs[-1][1], runs[-1][2])
        else:
            runs.append((times, str(row["payment"]), str(row["due_date"])))
    total = sum((n * Decimal(amount) for n, amount, _ in runs), Decimal(0))
    return runs if total == Decimal(regz["total_of_payments"]) else None


def _least(offers: Sequence[Mapping[str, Any]]) -> int | None:
    """The one option that costs least in total; None when two or more share the least
    (four 0 % promotions at 0.00 each: none is "lowest") or there are under two offers."""
    costs = [Decimal(o["total_cost"]) for o in offers]
    if len(costs) < 2 or costs.count(min(costs)) > 1:
        return None
    return int(offers[costs.index(min(costs))]["option"])


def offer_comparison(offers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``lowest``: the option with the lowest total cost, if one alone has it
    (:func:`_least`); ``finals``: each option's balloon (:func:`final_payment`);
    ``more_down``: each option's larger down payment (:func:`larger_down_payments`);
    ``runs``: each option's payment schedule under Reg Z (:func:`payment_runs`)."""
    return {"lowest": _least(offers), "finals": {o["option"]: final_payment(o) for o in offers},
            "more_down": larger_down_payments(offers),
            "runs": {o["option"]: payment_runs(o) for o in offers}}  # fmt: skip
