"""A loan form's amount on a phone (390 px) and a desktop (1280 px): the currency's sign
sits joined to the left of the input, on its row and as tall as it, and the input takes
the rest of the card's width (no amount input named its currency)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.test_loan_forms_on_a_phone import _late_loan_with_fees
from tests.e2e.test_loan_pages_on_a_phone import overflow
from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e

BOXES = """form => {
  const box = e => e.getBoundingClientRect();
  const sign = form.querySelector('.affix__unit');
  const unit = box(sign), input = box(form.querySelector('input[name=amount]'));
  const style = getComputedStyle(form), card = box(form);
  const inner = card.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
  return {unit_right: unit.right, input_left: input.left, unit_top: unit.top,
          input_top: input.top, unit_height: unit.height, input_height: input.height,
          input_right: input.right, content_right: inner, sign: sign.textContent.trim()};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_repayment_amount_has_its_currency_sign_joined_to_its_left(
    phone: Page, server: str, width: int
) -> None:
    loan = _late_loan_with_fees(server)
    phone.set_viewport_size({"width": width, "height": 900})
    sign_in(phone, "servicing")
    phone.goto(f"/loans/{loan['id']}")
    for name in ("repayment", "fee-waiver"):
        shown = phone.eval_on_selector(f"[data-form={name}]", BOXES)
        assert shown["sign"] == "¥"
        assert abs(shown["unit_right"] - shown["input_left"]) <= 1
        assert abs(shown["unit_top"] - shown["input_top"]) <= 1
        assert abs(shown["unit_height"] - shown["input_height"]) <= 1
        assert abs(shown["input_right"] - shown["content_right"]) <= 1
    assert overflow(phone, "html") <= 0
