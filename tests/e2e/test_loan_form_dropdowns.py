"""The loan page's servicing drop-downs in headless Chromium: the repayment to reverse and
the fee to waive are named by number, date and amount, and a closed drop-down cannot wrap,
so each option must fit its select (they were cut after "CN¥1" in the 260 px form cards);
and the demo's written-off loan shows what was written off and a recovery form."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_loan_pages import _views
from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e
ARROW_PX = 24  # the drop-down arrow Chromium draws inside the select

# The widest option's text in the select's own font, and the room the select gives it.
FITS = """e => {
  const style = getComputedStyle(e);
  const pen = document.createElement("canvas").getContext("2d");
  pen.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const widest = Math.max(...[...e.options].map(o => pen.measureText(o.text).width));
  const room = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [widest, room];
}"""


def _loan_with_dropdowns(server: str) -> dict[str, Any]:
    """A demo loan in repayment with repayments to reverse and a fee to waive."""
    return next(
        view
        for view in _views(server, "servicing")
        if view["status"] == "active" and any(row["fee"] != "0.00" for row in view["schedule"])
        and any(row["paid"] != "0.00" for row in view["schedule"])
    )  # fmt: skip


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_option_of_the_reversal_and_fee_waiver_dropdowns_fits_its_select(
    page: Page, server: str, locale: str
) -> None:
    loan = _loan_with_dropdowns(server)
    sign_in(page, "servicing")
    page.goto(f"/loans/{loan['id']}")
    page.click(f"[data-lang={locale}]")
    for select in ("#reverse-event", "#waiver-n"):
        expect(page.locator(select)).to_be_visible()
        widest, room = page.eval_on_selector(select, FITS)
        assert widest + ARROW_PX <= room, (select, locale, widest, room)


def test_the_demos_written_off_loan_shows_its_write_off_and_takes_a_recovery(
    page: Page, server: str
) -> None:
    loan = next(v for v in _views(server, "servicing") if v["status"] == "written_off")
    sign_in(page, "servicing")
    page.goto(f"/loans/{loan['id']}")
    row = page.locator("[data-table=transactions] tr[data-kind=write_off]")
    expect(row.locator("[data-part=principal]")).to_be_visible()
    expect(page.locator("[data-table=transactions] tr[data-kind=recovery]")).to_have_count(1)
    expect(page.locator(".loan-head [data-overdue]")).to_have_count(0)
    expect(page.locator("[data-installment-status=future]")).to_have_count(0)
    expect(page.locator("[data-form=recovery]")).to_be_visible()
