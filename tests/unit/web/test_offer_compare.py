"""The side-by-side view of an application's offers: the cheapest in total is the one
marked, and a balloon's final payment is named while a level schedule's last cents are not."""

from __future__ import annotations

from autolend.web.offer_compare import final_payment, offer_comparison


def _offer(option: int, total_cost: str, monthly: str, last: str) -> dict[str, object]:
    rows = [{"payment": monthly}, {"payment": last}]
    return {"option": option, "total_cost": total_cost, "monthly_payment": monthly,
            "schedule_preview": rows}  # fmt: skip


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
