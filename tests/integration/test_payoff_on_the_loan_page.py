"""The payoff panel of the loan page: its lines add up to the total (the prepayment fee
was left out: principal + interest + penalty + fees came to 19,317.39 under a total of
19,700.94), and servicing records the payoff received from it, which closes the loan.
Both databases."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_services import SERVICING, pay
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.support.loan_pages import done_form

pytestmark = pytest.mark.integration

TODAY = "2026-11-28"  # the test clock's business day


def panel(html: str) -> str:
    return html.split('data-section="payoff"')[1].split("</section>", maxsplit=1)[0]


def amounts(section: str) -> list[Decimal]:
    """Every amount of the payoff breakdown, in order (the advance negative)."""
    lines = re.findall(r"<dd>(−?)[^<\d]*([\d,]+\.\d\d)</dd>", section)
    return [Decimal(n.replace(",", "")) * (-1 if sign else 1) for sign, n in lines]


def test_the_payoff_lines_add_up_with_the_prepayment_fee_and_the_payoff_closes_the_loan(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = book(container)  # 12,000.00 with a 2 % prepayment fee
    web_sign_in(client, staff, Role.SERVICING)
    today = container.services.clock.today()
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, today)
    page = client.get(f"/loans/{loan_id}?payoff_date={TODAY}").text
    shown = panel(page)
    assert 'data-payoff-line="prepayment_fee"' in shown
    *lines, total = amounts(shown)
    assert sum(lines) == total == Decimal(quote["total"])

    form = re.search(r'<form[^>]*data-form="payoff-post".*?</form>', shown, re.S)
    assert form, shown
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form.group(0)))
    assert fields["amount"] == quote["total"] and fields["mode"] == "payoff"
    done_form(client, f"/loans/{loan_id}/prepayments", fields | {"reference": "bank"})
    assert container.services.loans.get(SERVICING, loan_id)["status"] == "paid_off"
    again = done_form(client, f"/loans/{loan_id}/prepayments", fields | {"reference": "bank"})
    assert 'data-replayed="true"' in again.text  # the same form again: its key replays
    assert container.services.verify.run().checks[4].ok  # nothing left owed after it


def test_an_advance_above_the_payoff_shows_what_is_left_to_refund_and_a_payoff_of_zero(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The panel read "Total to pay off -¥1,270.62" and its button could not work."""
    loan_id = book(container)
    pay(container, loan_id, "15000.00", date(2026, 2, 5))  # far ahead of the schedule
    web_sign_in(client, staff, Role.SERVICING)
    quote = container.services.loans.payoff_quote(
        SERVICING, loan_id, container.services.clock.today()
    )
    assert quote["total"] == "0.00" and Decimal(quote["advance_left"]) > 0
    shown = panel(client.get(f"/loans/{loan_id}?payoff_date={TODAY}").text)
    assert 'data-payoff-line="advance_left"' in shown
    *lines, total = amounts(shown)
    assert lines[-1] == Decimal(quote["advance_left"])
    assert sum(lines) == total == 0
    form = re.search(r'<form[^>]*data-form="payoff-post".*?</form>', shown, re.S)
    assert form, shown
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form.group(0)))
    done_form(client, f"/loans/{loan_id}/prepayments", fields | {"reference": "advance"})
    after = container.services.loans.get(SERVICING, loan_id)
    assert after["status"] == "paid_off"
    assert after["balances"]["suspense"] == quote["advance_left"]
