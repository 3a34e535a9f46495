"""The portfolio page's roll rates and early warnings, as a reader takes them.

A bucket with no balance at the first month-end has nothing to roll: its heat-map row
read "0.00%" in every cell, as if none of it had rolled. Now the heat map leaves that
row's points out (blank cells) and the table under it shows "—", with a title saying
why. The early-warning flags were joined with an ASCII ", " on Chinese pages too; now
with the language's list comma ("、" in Chinese).

Three loans of 10,000.00 from 2026-01-05 (one pays every month, one never, one in
February only) and snapshots of February's and March's ends: in February only the
"not past due" and "1-30 days" buckets hold a balance."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_portfolio import (
    FEB_END,
    MAR_END,
    SERVICING,
    chart_option,
    three_loans,
    web_sign_in,
)

pytestmark = pytest.mark.integration


def portfolio_page(
    container: Container, client: TestClient, staff: dict[Role, str], lang: str
) -> tuple[str, int]:
    """The page in ``lang`` and the loan that never pays (two warning flags)."""
    _good, never, _stops = three_loans(container)
    for day in (FEB_END, MAR_END):
        container.services.portfolio.snapshot(SERVICING, day)
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set(LANG_COOKIE, lang)
    page = client.get("/portfolio")
    assert page.status_code == 200
    return page.text, never


def roll_table_rows(page: str) -> dict[int, str]:
    """The rows of the first roll-rate table, by start bucket."""
    table = page.split("data-roll-table", 1)[1].split("</table>", 1)[0]
    return {int(n): row for n, row in re.findall(r'<tr data-from="(\d)">(.*?)</tr>', table)}


def test_a_bucket_with_nothing_to_roll_is_blank_in_the_heat_map_and_a_dash_in_the_table(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    page, _never = portfolio_page(container, client, staff, "en")

    cells = chart_option(page, "roll-1")["series"][0]["data"]
    assert {row for _x, row, _value, _whole in cells} == {0, 1}  # buckets 2-5 held nothing
    assert [2, 1, "100.00", "100"] in cells and [0, 0, "50.00", "50"] in cells
    rows = roll_table_rows(page)
    assert re.findall(r'<td class="num">([^<]*)</td>', rows[1])[2] == "100.00%"
    for empty in (2, 3, 4, 5):
        assert "0.00%" not in rows[empty]
        dashes = re.findall(r"<td [^>]*data-nothing-to-roll title=\"([^\"]+)\">—</td>", rows[empty])
        assert len(dashes) == 7  # six buckets and "paid off or closed"
        assert dashes[0] == (
            "No principal outstanding in this bucket on 2026-02-28: nothing to roll."
        )


@pytest.mark.parametrize(("lang", "comma"), [("en", ", "), ("zh_CN", "、")])
def test_early_warning_flags_are_joined_with_the_languages_list_comma(
    container: Container, client: TestClient, staff: dict[Role, str], lang: str, comma: str
) -> None:
    page, never = portfolio_page(container, client, staff, lang)

    row = page.split(f'data-warning="{never}"')[1].split("</tr>")[0]
    flags = re.findall(r'<td><span class="cell-label">[^<]*</span>([^<]*)</td>$', row)[0]
    assert comma in flags and len(flags.split(comma)) >= 2, flags
    if lang == "zh_CN":
        assert ", " not in flags and "," not in flags
