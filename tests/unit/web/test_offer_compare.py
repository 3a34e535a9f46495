"""The side-by-side view of an application's offers: the cheapest in total is the one
marked, a balloon's final payment is named while a level schedule's last cents are not,
and an option asking a larger down payment than the others says so."""

from __future__ import annotations

from autolend.web.offer_compare import final_payment, offer_comparison


def _offer(option: int, total_cost: str, monthly: str, last: str,
           down: str = "60000.00") -> dict[str, object]:  # fmt: skip
    rows = [{"payment": monthly}, {"payment": last}]
    return {"option": option, "total_cost": total_cost, "monthly_payment": monthly,
            "down_payment": down, "schedule_preview": rows}  # fmt: skip


def test_the_option_with_the_lowest_total_cost_is_the_one_marked() -> None:
    offers = [_offer(1, "21426.69", "2778.52", "2778.49"),
              _offer(2, "9999.99", "3911.26", "3911.31"),
              _offer(3, "19326.13", "2170.17", "2170.18")]  # fmt: skip
    assert offer_comparison(offers)["lowest"] == 2


def test_a_single_offer_has_nothing_to_be_compared_with() -> None:
    assert offer_comparison([_offer(1, "100.00", "10.00", "10.00")])["lowest"] is None


def test_a_balloon_is_named_as_the_final_payment_and_a_rounding_remainder_is_not() -> None:
    assert final_payment(_offer(1, "1.00", "2778.52", "62778.49")) == "62778.49"
    assert final_payment(_offer(1, "1.00", "2778.52", "2778.55")) is None
    assert final_payment({"monthly_payment": "10.00", "schedule_preview": []}) is None


def test_the_option_that_is_cheaper_because_more_is_paid_down_is_marked_as_such() -> None:
    """Option 2 costs least in total with 20,000.00 more down: the view must say so."""
    offers = [_offer(1, "21426.69", "2778.52", "2778.49"),
              _offer(2, "15270.29", "3911.26", "3911.31", down="80000.00"),
              _offer(3, "19326.13", "2170.17", "2170.18")]  # fmt: skip
    compared = offer_comparison(offers)
    assert compared["lowest"] == 2
    assert compared["more_down"] == {1: False, 2: True, 3: False}


def test_options_with_one_down_payment_mark_none_as_larger() -> None:
    offers = [_offer(1, "1.00", "10.00", "10.00"), _offer(2, "2.00", "20.00", "20.00")]
    assert offer_comparison(offers)["more_down"] == {1: False, 2: False}
    assert offer_comparison([])["more_down"] == {}
