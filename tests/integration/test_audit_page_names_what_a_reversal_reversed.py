"""The audit page names what a reversal (``loan.reverse_repayment``) reversed by its
record's ``summary.kind``: a refund's reversal read "Repayment reversed" like a bounced
repayment's; it now reads "Refund reversed" (冲正退款), and the repayment's still
"Repayment reversed" (冲正还款), in both languages.

The loan and the money are tests/integration/test_refund_then_bounced_repayment's:
1,500.00 paid on 2026-02-05, 400.00 of its advance refunded on 2026-02-10; the refund is
reversed, then the repayment.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_services import invariants_hold  # noqa: F401 - autouse
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.integration.test_refund_then_bounced_repayment import paid_and_refunded, reverse

pytestmark = pytest.mark.integration
ACTION = "loan.reverse_repayment"


def _reversals(page: str) -> list[str]:
    """The action cells of the page's reversals, newest first, as text (no cell label)."""
    cells = re.findall(rf'<td data-action="{ACTION}">(.*?)</td>', page, flags=re.S)
    cells = [re.sub(r'<span class="cell-label">.*?</span>', "", cell) for cell in cells]
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_a_refunds_reversal_is_named_a_refund_reversed_in_both_languages(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container)
    repayment, refund = paid_and_refunded(container, loan)
    reverse(container, loan, refund)
    reverse(container, loan, repayment)
    web_sign_in(client, staff, Role.AUDITOR)
    for lang, refund_words, repayment_words in (
        ("en", "Refund reversed", "Repayment reversed"),
        ("zh_CN", "冲正退款", "冲正还款"),
    ):
        client.cookies.set("autolend_lang", lang)
        cells = _reversals(client.get("/audit?limit=100").text)
        assert cells == [f"{repayment_words} {ACTION}", f"{refund_words} {ACTION}"], cells
