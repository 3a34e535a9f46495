"""The schedule chart of a written-off loan draws what was left unpaid in grey, named so."""

from __future__ import annotations

from autolend.web.loan_views import WRITTEN_OFF_COLOUR, schedule_chart


def test_the_chart_of_a_written_off_loan_draws_what_was_left_unpaid_in_grey() -> None:
    rows = [
        {"n": 1, "paid": "100.00", "outstanding": "0.00", "status": "paid"},
        {"n": 2, "paid": "0.00", "outstanding": "100.00", "status": "written_off"},
    ]
    chart = schedule_chart(rows, lambda text: text, "¥")
    assert chart["legend"]["data"] == ["Paid", "Unpaid (written off)"]
    unpaid = chart["series"][1]
    assert unpaid["name"] == "Unpaid (written off)"
    assert unpaid["data"][1]["itemStyle"]["color"] == WRITTEN_OFF_COLOUR


def test_the_schedule_charts_money_axis_says_what_it_measures_and_in_what() -> None:
    rows = [{"n": 1, "paid": "100.00", "outstanding": "0.00", "status": "paid"}]
    assert schedule_chart(rows, lambda text: text, "$")["yAxis"]["name"] == "Installment ($)"
