"""The loan page as servicing works it, after a walkthrough of the demo. Both databases.

The repayment form's hint named only the overdue installments: the penalty (US: overdue
interest) is taken first, so paying the hinted amount left the loan late; now it is what
brings the loan up to date, the penalty said in it. A paid-off loan's payoff and a
written-off loan's recoveries could not be reversed on the page (the form was shown to
loans in repayment only), and an advance left after a payoff could not be refunded there.
A payoff the advance paid showed chips that did not add up to its amount of 0.00; a
partial prepayment's principal was in no row of the schedule, nor said under it; the fee
waiver offered fees already paid; a refused write-off date was called "Value date"; a
reference of any length was taken; a paid-off loan's facts began with a bare "—" and a
reversed prepayment was "the repayment".

The loans are tests/integration/test_loans_api's (the borrower user's own, 12,000.00 at
12 % over 12 months from 2026-01-05, due on the 5th) and
tests/integration/test_prepayment_fees_and_refunds's; the test clock's day is 2026-11-28.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services.servicing import MoneyIn
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_fees_and_waivers import charge
from tests.integration.test_loan_page_forms_and_states import header, inputs
from tests.integration.test_loan_page_words_and_amounts import text_of
from tests.integration.test_loan_services import (
    SERVICING,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
    pay,
    view,
)
from tests.integration.test_loans_api import loan_id  # noqa: F401 - fixture
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.integration.test_us_overdue_interest_labels import late_loan
from tests.support.loan_pages import done_form, form_html, refused_form
from tests.support.repayments import paid_through, pay_off
from tests.support.write_off import written_off

pytestmark = pytest.mark.integration
TODAY = "2026-11-28"  # the test clock's business day
OPTION = re.compile(r'<option value="(\d+)" data-event-kind="(\w+)"[^>]*>([^<]*)</option>')


def page_in(client: TestClient, staff: dict[Role, str], loan: int, locale: str = "en") -> str:
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", locale)
    answer = client.get(f"/loans/{loan}")
    assert answer.status_code == 200, answer.text[:2000]
    return str(answer.text)


def hint(form: str) -> tuple[str, str]:
    """The repayment form's amount due, as text, and its placeholder's figure."""
    due = re.search(r"<p[^>]*data-amount-due>(.*?)</p>", form, re.S)
    placeholder = re.search(r'id="repay-amount"[^>]*placeholder="[^"\d]*([\d.]+)"', form)
    assert due and placeholder, form
    return text_of(due.group(1)), placeholder.group(1)


def notice(page: str) -> str:
    found = re.search(r"<div[^>]*data-notice=[^>]*>(.*?)</div>", page, re.S)
    assert found, page[:3000]
    return text_of(found.group(1))


def test_paying_the_repayment_forms_hint_brings_a_late_loan_up_to_date_penalty_included(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    container.services.servicing.accrue_loan(SERVICING, loan_id, date.fromisoformat(TODAY))
    late = view(container, loan_id)
    penalty = Decimal(late["balances"]["penalty"])  # type: ignore[index]
    owed = Decimal(late["overdue"]["amount"]) + penalty  # type: ignore[index]
    assert penalty > 0 and late["days_past_due"] == 296
    said, figure = hint(form_html(page_in(client, staff, loan_id, "zh_CN"), "repayment"))
    assert said == f"需还 ¥{owed:,} 结清逾期（10 期、含罚息 ¥{penalty:,}）"
    page = page_in(client, staff, loan_id)
    form = form_html(page, "repayment")
    said, figure = hint(form)
    assert said == (f"Overdue ¥{owed:,} to bring the loan up to date "
                    f"(10 installments, penalty ¥{penalty:,} included)")  # fmt: skip
    assert figure == str(owed)
    # the header's overdue figure keeps its meaning: the installments alone
    assert f'data-overdue="{late["overdue"]["amount"]}"' in page  # type: ignore[index]
    typed = inputs(form) | {"amount": figure, "channel": "bank_transfer"}
    posted = done_form(client, f"/loans/{loan_id}/repayments", typed)
    assert 'data-notice="repayment"' in posted.text
    after = view(container, loan_id)
    assert after["days_past_due"] == 0
    assert after["overdue"] == {"installments": 0, "amount": "0.00"}
    assert after["balances"]["penalty"] == "0.00"  # type: ignore[index]


def test_a_us_loans_hint_names_its_overdue_interest_and_paying_it_brings_the_loan_current(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = late_loan(client, container, staff, "USD")  # installment 1 paid late
    container.services.servicing.accrue_loan(SERVICING, loan, date.fromisoformat(TODAY))
    late = view(container, loan)
    interest = Decimal(late["balances"]["penalty"])  # type: ignore[index]
    owed = Decimal(late["overdue"]["amount"]) + interest  # type: ignore[index]
    form = form_html(page_in(client, staff, loan), "repayment")
    said, figure = hint(form)
    assert said == (f"Overdue ${owed:,} to bring the loan up to date "
                    f"(9 installments, overdue interest ${interest:,} included)")  # fmt: skip
    typed = inputs(form) | {"amount": figure, "channel": "ach"}
    done_form(client, f"/loans/{loan}/repayments", typed)
    assert view(container, loan)["days_past_due"] == 0


def test_a_paid_off_loans_payoff_is_reversed_on_its_page_before_what_came_before_it(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid_through(container, loan_id, 10)
    _, payoff = pay_off(container, loan_id, date.fromisoformat(TODAY))
    web_sign_in(client, staff, Role.BORROWER)
    assert 'data-form="reversal"' not in client.get(f"/loans/{loan_id}").text
    page = page_in(client, staff, loan_id)
    # "— · Paid off on ...": the facts start with what they say
    assert header(page).startswith("Paid off on 2026-11-28 ·"), header(page)
    options = OPTION.findall(form_html(page, "reversal"))
    assert options[0][:2] == (str(payoff["id"]), "payoff")
    assert options[0][2].startswith(f"{payoff['id']} · Payoff · ")
    assert {kind for _, kind, _ in options} == {"payoff", "repayment"} and len(options) == 11
    assert options[1][2].startswith(f"{options[1][0]} · Repayment · 2026-11-05 · ¥")
    # a repayment under the payoff: 409, naming the way on, which the form now offers
    fields = inputs(form_html(page, "reversal")) | {"event_id": options[1][0], "reason": "bounced"}
    refused = client.post(f"/loans/{loan_id}/reversals", data=fields)
    assert refused.status_code == 422 and "reverse the payoff first" in refused.text
    fields = inputs(form_html(refused.text, "reversal"))
    fields |= {"event_id": str(payoff["id"]), "reason": "bounced"}
    done = done_form(client, f"/loans/{loan_id}/reversals", fields)
    assert notice(done.text) == f"The payoff no. {payoff['id']} was reversed."
    assert view(container, loan_id)["status"] == "active"


def test_a_recovery_on_a_written_off_loan_is_reversed_on_its_page(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    day = date.fromisoformat(TODAY)
    pay(container, loan_id, "500.00", date(2026, 2, 5))  # written off with the loan
    written_off(container, loan_id, day)
    money = MoneyIn(cny("300.00"), day, "bank_transfer")
    recovery = container.services.servicing.recover(SERVICING, loan_id, money).body
    page = page_in(client, staff, loan_id)
    recovered = 'data-recovered="300.00"'
    assert recovered in page
    options = OPTION.findall(form_html(page, "reversal"))
    assert options == [(str(recovery["id"]), "recovery",
                        f"{recovery['id']} · Recovery · 2026-11-28 · ¥300.00")]  # fmt: skip
    fields = inputs(form_html(page, "reversal"))
    fields |= {"event_id": options[0][0], "reason": "bounced"}
    done = done_form(client, f"/loans/{loan_id}/reversals", fields)
    assert notice(done.text) == f"The recovery no. {recovery['id']} was reversed."
    assert recovered not in done.text and 'data-form="reversal"' not in done.text


def test_an_advance_left_after_a_payoff_is_refunded_on_the_page_once_and_its_chips_add_up(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container, rule="none")
    pay(container, loan, "15000.00", date(2026, 2, 5))  # far ahead of the schedule
    day = date.fromisoformat(TODAY)
    quote = container.services.loans.payoff_quote(SERVICING, loan, day)
    assert quote["total"] == "0.00" and Decimal(quote["advance_left"]) > 0
    payoff = MoneyIn(cny("0.00"), day, "bank_transfer", None, "payoff")
    container.services.servicing.prepay(SERVICING, loan, payoff)
    left = quote["advance_left"]
    web_sign_in(client, staff, Role.COLLECTOR)
    assert 'data-form="refund"' not in client.get(f"/loans/{loan}").text
    page = page_in(client, staff, loan)
    # the payoff's chips: what it paid, from the advance, adds up to its parts
    found = re.search(r'<tr[^>]*data-kind="payoff"[^>]*>(.*?)</tr>', page, re.S)
    assert found, page[:3000]
    row = found.group(1)
    chips = dict(re.findall(r'data-part="(\w+)"[^>]*>[^<\d]*([\d,]+\.\d\d)<', row))
    paid_from = Decimal(chips.pop("from_advance").replace(",", ""))
    assert paid_from == Decimal(quote["advance"]) - Decimal(left)
    assert sum(Decimal(v.replace(",", "")) for v in chips.values()) == paid_from
    assert f"Paid from the advance ¥{paid_from:,}" in text_of(row)
    # the refund form, the advance offered
    fields = inputs(form_html(page, "refund"))
    assert fields["amount"] == left and fields["value_date"] == TODAY
    more = fields | {"amount": str(Decimal(left) + Decimal("0.01"))}
    _, form = refused_form(client, f"/loans/{loan}/refunds", more, "refund")
    assert re.search(r'id="refund-amount"[^>]*aria-invalid="true"', form)
    done = done_form(client, f"/loans/{loan}/refunds", fields)
    assert notice(done.text).startswith(f"Refund of ¥{Decimal(left):,}")
    assert 'data-form="refund"' not in done.text
    again = done_form(client, f"/loans/{loan}/refunds", fields)
    assert 'data-replayed="true"' in again.text
    rows = container.services.loans.transactions(SERVICING, loan)
    assert [r["kind"] for r in rows].count("refund") == 1
    assert view(container, loan)["balances"]["suspense"] == "0.00"  # type: ignore[index]


def test_a_partial_prepayment_is_said_under_the_schedule_and_its_reversal_names_it(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid_through(container, loan_id, 10)
    money = MoneyIn(cny("1000.00"), date(2026, 11, 5), "bank_transfer", None, "shorten_term")
    prepaid = container.services.servicing.prepay(SERVICING, loan_id, money).body
    page = page_in(client, staff, loan_id)
    total = re.search(r'data-total="principal">[^\d]*([\d,]+\.\d\d)<', page)
    assert total and Decimal(total.group(1).replace(",", "")) == Decimal("11000.00")
    note = re.search(r'<p[^>]*data-schedule-note="prepaid"[^>]*>(.*?)</p>', page, re.S)
    assert note and 'data-prepaid-principal="1000.00"' in note.group(0)
    assert text_of(note.group(1)).startswith("Principal prepaid: ¥1,000.00.")
    assert "the loan's ¥12,000.00" in text_of(note.group(1))
    fields = inputs(form_html(page, "reversal"))
    fields |= {"event_id": str(prepaid["id"]), "reason": "bounced"}
    done = done_form(client, f"/loans/{loan_id}/reversals", fields)
    assert notice(done.text) == f"The prepayment no. {prepaid['id']} was reversed."
    assert 'data-schedule-note="prepaid"' not in done.text


def test_the_fee_waiver_offers_only_installments_whose_fee_is_unpaid(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container, rule="none")
    charge(container, loan, "30.00", n=1)
    charge(container, loan, "20.00", n=2)
    pay(container, loan, "1096.19", date(2026, 2, 5))  # installment 1 and its fee
    page = page_in(client, staff, loan)
    offered = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>',
                         form_html(page, "fee-waiver"))  # fmt: skip
    assert offered == [("2", "2 · 2026-03-05 · ¥20.00")]


@pytest.mark.parametrize(("locale", "said"), [
    ("en", "Please check the field “Write-off date”."), ("zh_CN", "请检查“核销日期”字段。"),
])  # fmt: skip
def test_a_refused_write_off_date_is_named_as_its_input_is_labelled(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
    locale: str,
    said: str,
) -> None:
    page_in(client, staff, loan_id, locale)
    typed = {"value_date": "2020-01-01", "reason": "uncollectable"}
    page, form = refused_form(client, f"/loans/{loan_id}/write-off-requests", typed, "write-off")
    assert said in page and re.search(r'id="write-off-date"[^>]*aria-invalid="true"', form)


@pytest.mark.parametrize(("locale", "named", "said"), [
    ("en", "Please check the field “Reference”.", "at most 128 characters"),
    ("zh_CN", "请检查“参考号”字段。", "最多 128 个字符"),
])  # fmt: skip
def test_a_reference_longer_than_the_api_takes_is_refused_in_the_pages_language(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
    locale: str,
    named: str,
    said: str,
) -> None:
    page_in(client, staff, loan_id, locale)
    typed = {"idempotency_key": "k-long", "amount": "100.00", "value_date": TODAY,
             "channel": "bank_transfer", "reference": "R" * 129}  # fmt: skip
    page, form = refused_form(client, f"/loans/{loan_id}/repayments", typed, "repayment")
    assert named in page
    error = re.search(r'data-field-error="reference">(.*?)</p>', form, re.S)
    assert error and text_of(error.group(1)) == said
    assert container.services.loans.transactions(SERVICING, loan_id) == []
    typed |= {"idempotency_key": "k-128", "reference": "R" * 128}
    page = page_in(client, staff, loan_id, locale)
    typed = inputs(form_html(page, "repayment")) | typed
    posted = done_form(client, f"/loans/{loan_id}/repayments", typed)
    assert 'data-notice="repayment"' in posted.text
