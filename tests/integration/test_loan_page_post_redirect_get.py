"""The loan page's forms, posted and done, go back to the loan page (Post/Redirect/Get), on
both databases: the post answers 303 to ``/loans/{id}?done=...``, which says what was done
as the page said it before; refreshing that page posts nothing (a browser asked to
"resubmit the form", and its address was the form's). A refused form still answers the page
at once (422), every wrong field marked at its input: an amount that is no amount on a day
to come is refused on both (the value date was not said until the amount was right). A US
lender's English page writes the days its messages name as it writes every other day,
02/05/2026, where the API says 2026-02-05.

The loan is tests/integration/test_loans_api's (12,000.00 from 2026-01-05, due on the 5th);
the test clock's day is 2026-11-28.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_fees_and_waivers import charge
from tests.integration.test_loan_page_forms_and_states import TODAY, inputs
from tests.integration.test_loan_services import SERVICING, pay
from tests.integration.test_loans_api import loan_id  # noqa: F401 - fixture
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.integration.test_us_dates_on_pages import paid_once
from tests.support.jurisdiction import jurisdiction_container  # noqa: F401 - the container
from tests.support.loan_pages import form_html, refused_form
from tests.support.write_off import written_off

pytestmark = pytest.mark.integration


def notice(page: str) -> str:
    """The notice's words, tags and spacing dropped."""
    found = re.search(r"<div[^>]*data-notice=[^>]*>(.*?)</div>", page, re.S)
    assert found, page[:3000]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()))


def field_errors(page: str) -> dict[str, str]:
    """Each input's message by its field, in the page's order."""
    found = re.findall(r'<p[^>]*data-field-error="([^"]+)">(.*?)</p>', page, re.S)
    return {field: html.unescape(" ".join(re.sub(r"<[^>]+>", " ", text).split()))
            for field, text in found}  # fmt: skip


def kinds(container: Container, loan: int) -> list[str]:
    return [t["kind"] for t in container.services.loans.transactions(SERVICING, loan)]


def signed_in(client: TestClient, staff: dict[Role, str], loan: int, lang: str = "en") -> str:
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", lang)
    return str(client.get(f"/loans/{loan}").text)


def test_a_repayment_posted_answers_303_to_the_loan_page_which_says_so_and_a_refresh_posts_nothing(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    page = signed_in(client, staff, loan_id)
    typed = inputs(form_html(page, "repayment")) | {"amount": "100.00", "channel": "cash"}
    posted = client.post(f"/loans/{loan_id}/repayments", data=typed, follow_redirects=False)
    assert posted.status_code == 303, posted.text[:2000]
    (event,) = container.services.loans.transactions(SERVICING, loan_id)
    went = posted.headers["location"]
    assert went == f"/loans/{loan_id}?done=repayment&event={event['id']}"
    shown = client.get(went)
    assert shown.status_code == 200
    assert notice(shown.text) == f"Repayment of ¥100.00 posted (no. {event['id']})."
    assert 'data-replayed="true"' not in shown.text
    for _ in range(2):  # the browser's refresh: the page again, nothing posted again
        again = client.get(went)
        assert notice(again.text) == notice(shown.text)
    assert kinds(container, loan_id) == ["repayment"]
    resent = client.post(f"/loans/{loan_id}/repayments", data=typed, follow_redirects=False)
    assert resent.status_code == 303  # the same form sent again: its key replays it
    assert resent.headers["location"] == f"{went}&replayed=1"
    replayed = client.get(resent.headers["location"]).text
    assert 'data-replayed="true"' in replayed
    assert notice(replayed) == "This form was already submitted; nothing was posted again."
    assert kinds(container, loan_id) == ["repayment"]


def test_a_prepayments_fee_is_said_after_the_redirect_as_before(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container)  # 2 % of what is prepaid
    pay(container, loan, "1066.19", date(2026, 2, 5))
    page = signed_in(client, staff, loan)
    typed = {"csrf_token": csrf(page), "idempotency_key": "k-pre", "amount": "3000.00",
             "value_date": "2026-02-05", "mode": "lower_installment"}  # fmt: skip
    posted = client.post(f"/loans/{loan}/prepayments", data=typed, follow_redirects=False)
    assert posted.status_code == 303, posted.text[:2000]
    went = posted.headers["location"]
    assert re.fullmatch(rf"/loans/{loan}\?done=prepayment&event=\d+&fee=60\.00", went), went
    said = notice(client.get(went).text)
    assert said.startswith("Prepayment of ¥3,000.00 posted")
    assert said.endswith("A prepayment fee of ¥60.00 was charged; it is due with the next "
                         "installment.")  # fmt: skip


def test_a_reversal_and_a_fee_waiver_asked_go_back_to_the_loan_page_too(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container)
    charge(container, loan, "30.00")
    paid = pay(container, loan, "100.00", date(2026, 2, 5))
    page = signed_in(client, staff, loan)
    fields = inputs(form_html(page, "reversal")) | {
        "event_id": str(paid["id"]),
        "reason": "bounced",
    }
    undone = client.post(f"/loans/{loan}/reversals", data=fields, follow_redirects=False)
    assert undone.status_code == 303, undone.text[:2000]
    assert undone.headers["location"] == f"/loans/{loan}?done=reversal&event={paid['id']}"
    assert notice(client.get(undone.headers["location"]).text) == (
        f"The repayment no. {paid['id']} was reversed."
    )
    typed = {"csrf_token": csrf(page), "n": "1", "amount": "30.00", "reason": "goodwill"}
    asked = client.post(f"/loans/{loan}/fee-waiver-requests", data=typed, follow_redirects=False)
    assert asked.status_code == 303, asked.text[:2000]
    found = re.fullmatch(rf"/loans/{loan}\?done=fee_waiver_request&request=(\d+)",
                         asked.headers["location"])  # fmt: skip
    assert found, asked.headers["location"]
    said = notice(client.get(asked.headers["location"]).text)
    assert said == f"Request no. {found.group(1)} waits for a second person's approval. Approvals"


def test_htmx_is_told_to_load_the_loan_page(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    page = signed_in(client, staff, loan_id)
    typed = inputs(form_html(page, "repayment")) | {"amount": "100.00", "channel": "cash"}
    posted = client.post(f"/loans/{loan_id}/repayments", data=typed,
                         headers={"HX-Request": "true"}, follow_redirects=False)  # fmt: skip
    assert posted.status_code == 200 and posted.text == ""
    (event,) = container.services.loans.transactions(SERVICING, loan_id)
    assert posted.headers["hx-redirect"] == f"/loans/{loan_id}?done=repayment&event={event['id']}"


def test_an_address_naming_nothing_done_on_the_loan_shows_no_notice(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid = pay(container, loan_id, "100.00", date(2026, 2, 5))
    signed_in(client, staff, loan_id)
    number = int(str(paid["id"]))
    for query in (
        f"done=refund&event={number}",  # not a refund
        f"done=reversal&event={number}",  # not reversed
        f"done=repayment&event={number + 100}",  # no such event on the loan
        "done=repayment&event=abc",
        f"done=posted&event={number}",
        "done=fee_waiver_request&request=x",
    ):
        shown = client.get(f"/loans/{loan_id}?{query}")
        assert shown.status_code == 200 and "data-notice" not in shown.text, query
    said = notice(client.get(f"/loans/{loan_id}?done=repayment&event={number}&fee=1.00").text)
    assert said == f"Repayment of ¥100.00 posted (no. {number})."  # no fee of a repayment


def test_a_refused_form_answers_at_once_with_both_wrong_fields_marked_and_what_was_typed(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    """ "abc" dated tomorrow said only "an amount such as 1500.00"; corrected, the date."""
    signed_in(client, staff, loan_id)
    typed = {"idempotency_key": "k-two", "amount": "abc", "value_date": "2026-11-29",
             "channel": "cash", "reference": "R-2"}  # fmt: skip
    page, form = refused_form(client, f"/loans/{loan_id}/repayments", typed, "repayment")
    assert field_errors(form) == {
        "amount": "an amount such as 1500.00",
        "value_date": "the value date cannot be later than today",
    }
    assert "Please check the 2 fields marked in the form below." in page
    kept = inputs(form)  # what was typed, kept
    assert (kept["amount"], kept["value_date"], kept["reference"]) == ("abc", "2026-11-29", "R-2")
    assert '<option value="cash" selected>' in form
    early = typed | {"value_date": "2026-01-01", "channel": "ach"}  # ach: a US channel
    _, form = refused_form(client, f"/loans/{loan_id}/repayments", early, "repayment")
    assert list(field_errors(form)) == ["amount", "value_date", "channel"]
    assert field_errors(form)["value_date"] == (
        "the value date cannot be before the loan's start, 2026-01-05"
    )
    assert kinds(container, loan_id) == []


def test_a_recovery_that_is_no_amount_dated_before_the_write_off_names_both(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    written_off(container, loan_id, date.fromisoformat(TODAY))
    page = signed_in(client, staff, loan_id)
    typed = inputs(form_html(page, "recovery")) | {"amount": "5x", "value_date": "2026-11-27"}
    _, form = refused_form(client, f"/loans/{loan_id}/recoveries", typed, "recovery")
    assert field_errors(form) == {
        "amount": "an amount such as 1500.00",
        "value_date": "a recovery is dated on or after the write-off, 2026-11-28",
    }


@pytest.mark.parametrize("container", ["US"], indirect=True)
def test_a_us_lenders_english_loan_page_writes_the_days_of_its_messages_month_first(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = paid_once(client, container, staff)  # USD from 2026-01-05, serviced to 02-05
    typed = {"idempotency_key": "k-us", "amount": "abc", "value_date": "2026-01-01",
             "channel": "ach"}  # fmt: skip
    signed_in(client, staff, loan)
    _, form = refused_form(client, f"/loans/{loan}/repayments", typed, "repayment")
    assert field_errors(form)["value_date"] == (
        "the value date cannot be before the loan's start, 01/05/2026"
    )
    assert 'value="2026-01-01"' in form  # the date input keeps ISO, as browsers need
    early = client.get(f"/loans/{loan}?payoff_date=2026-01-20").text
    problem = re.search(r"data-problem-detail>(.*?)</span>", early, re.S)
    assert problem and html.unescape(problem.group(1)) == (
        "the date cannot be before 02/05/2026, the day the loan is serviced through"
    )
    client.cookies.set("autolend_lang", "zh_CN")  # a Chinese page keeps ISO
    _, form = refused_form(client, f"/loans/{loan}/repayments", typed, "repayment")
    assert "2026-01-05" in field_errors(form)["value_date"]


def test_a_cn_lenders_english_page_keeps_the_iso_days_of_its_messages(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    signed_in(client, staff, loan_id)
    early = client.get(f"/loans/{loan_id}?payoff_date=2025-12-01").text
    problem = re.search(r"data-problem-detail>(.*?)</span>", early, re.S)
    assert problem and re.fullmatch(
        r"the date cannot be before 2026-01-0\d, the day the loan is serviced through",
        problem.group(1),
    ), early[:3000]


def test_a_refund_that_is_no_amount_dated_tomorrow_names_both(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container, rule="none")
    pay(container, loan, "2000.00", date(2026, 2, 5))  # more than is due: an advance held
    page = signed_in(client, staff, loan)
    typed = inputs(form_html(page, "refund")) | {"amount": "x", "value_date": "2026-11-29"}
    _, form = refused_form(client, f"/loans/{loan}/refunds", typed, "refund")
    assert list(field_errors(form)) == ["amount", "value_date"]
    assert "refund" not in kinds(container, loan)
