"""Long lists a page at a time, on both databases: the loans API by limit and offset with
the total (the status checked, so a typo is not an empty list), and the loan and
application and customer pages with a pager (the range shown, Previous and Next, the status
filter kept on the links); the customers API by limit and offset with the total, in the
loans list's envelope; the review queue, the longest waiting first, in the API and the
page; the audit trail back to its first record. The pages' size is made small here so that
a few rows fill several pages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.demo import demo_resident_id
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.web import loan_views, routes_application_form, routes_pages, routes_review
from tests.integration.test_application_pages import file_through_the_form, web_sign_in
from tests.integration.test_loan_services import SERVICING, START
from tests.integration.test_loans_api import as_role
from tests.support.origination import application_body, install

pytestmark = pytest.mark.integration


@pytest.fixture
def loans(container: Container) -> list[int]:
    """Five loans by number: the first two paid out (active), the other three only booked."""
    booked = []
    for n in range(5):
        amount = Money.parse(f"{10_000 + n * 1_000}", "CNY")
        terms = LoanTerms(principal=amount, annual_rate=Decimal("0.12"), periods=12, start=START)
        loan_id = container.services.loans.book(SERVICING, BookingRequest(terms, amount))
        if n < 2:
            container.services.loans.disburse(SERVICING, loan_id, DisbursementInput(amount))
        booked.append(loan_id)
    return booked


def _ids(answer: dict[str, list[dict[str, int]]]) -> list[int]:
    return [item["id"] for item in answer["items"]]


def test_the_loans_api_pages_by_loan_number_and_counts_them_all(
    client: TestClient, staff: dict[Role, str], loans: list[int]
) -> None:
    headers = as_role(client, staff, Role.SERVICING)
    first = client.get("/api/v1/loans?limit=2", headers=headers).json()
    assert _ids(first) == loans[:2]
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 0)
    last = client.get("/api/v1/loans?limit=2&offset=4", headers=headers).json()
    assert _ids(last) == loans[4:] and last["total"] == 5
    past = client.get("/api/v1/loans?limit=2&offset=10", headers=headers).json()
    assert past["items"] == [] and past["total"] == 5
    booked = client.get("/api/v1/loans?status=booked&limit=2&offset=2", headers=headers).json()
    assert _ids(booked) == loans[4:] and booked["total"] == 3
    # The borrower's own loans only: none of these five is theirs.
    mine = client.get("/api/v1/loans", headers=as_role(client, staff, Role.BORROWER)).json()
    assert mine["items"] == [] and mine["total"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("loans?status=activ", "status"),
        ("loans?offset=1000000001", "offset"),
        ("loans?offset=-1", "offset"),
        # Past 2**63 this was an unexpected error (500) from the database driver.
        ("applications?offset=10000000000000000000", "offset"),
    ],
)
def test_an_unknown_status_or_an_offset_out_of_bounds_is_refused_naming_the_field(
    client: TestClient, staff: dict[Role, str], query: str, field: str
) -> None:
    answer = client.get(f"/api/v1/{query}", headers=as_role(client, staff, Role.SERVICING))
    assert answer.status_code == 422, answer.text
    assert field in answer.text


def _rows(page: str, table: str) -> list[str]:
    return re.findall(rf'<tr data-{table}-id="(\d+)"', page)


def test_the_loans_page_shows_a_page_of_rows_with_its_range_and_links_either_way(
    client: TestClient,
    staff: dict[Role, str],
    loans: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loan_views, "PAGE_SIZE", 2)
    web_sign_in(client, staff, Role.SERVICING)
    first = client.get("/loans").text
    assert _rows(first, "loan") == [str(n) for n in loans[:2]]
    assert "第 1–2 条，共 5 条" in first
    assert 'href="/loans?page=2" rel="next"' in first and 'rel="prev"' not in first
    third = client.get("/loans?page=3").text
    assert _rows(third, "loan") == [str(loans[4])]
    assert 'href="/loans?page=2" rel="prev"' in third and 'rel="next"' not in third
    # The filter is kept on the pager's links; a page number that is not one shows page 1.
    booked = client.get("/loans?status=booked").text
    assert _rows(booked, "loan") == [str(n) for n in loans[2:4]]
    assert 'href="/loans?status=booked&amp;page=2" rel="next"' in booked
    assert _rows(client.get("/loans?page=x").text, "loan") == _rows(first, "loan")


def test_the_applications_page_pages_newest_first_without_counting(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    install(container, None)
    monkeypatch.setattr(routes_application_form, "PAGE_SIZE", 2)
    web_sign_in(client, staff, Role.DEALER)
    filed = [file_through_the_form(client) for _ in range(3)]
    first = client.get("/applications").text
    assert _rows(first, "application") == [str(n) for n in reversed(filed[1:])]
    assert "第 1–2 条" in first and "共" not in first.split("data-pager-range")[1][:40]
    assert 'href="/applications?page=2" rel="next"' in first
    second = client.get("/applications?page=2").text
    assert _rows(second, "application") == [str(filed[0])]
    assert 'rel="next"' not in second and 'href="/applications" rel="prev"' in second


def test_a_page_past_the_last_application_says_only_that_the_page_has_no_rows(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Page 2 of one application read both "暂无申请。" and "此页没有记录。"; the queue too."""
    install(container, None)
    monkeypatch.setattr(routes_application_form, "PAGE_SIZE", 2)
    web_sign_in(client, staff, Role.DEALER)
    file_through_the_form(client)
    past = client.get("/applications?page=2").text
    assert "此页没有记录。" in past and "暂无申请。" not in past
    web_sign_in(client, staff, Role.UNDERWRITER)
    assert "暂无申请。" in client.get("/applications?status=approved").text  # none at all
    queue = client.get("/review?page=2").text
    assert "此页没有记录。" in queue and "暂无待审核案件。" not in queue


def test_a_dealers_applications_come_newest_filed_first_whatever_changed_since(
    client: TestClient,
    container: Container,
    clock: FixedClock,
    staff: dict[Role, str],
) -> None:
    """The list says "newest first" and shows when each was filed, but was ordered by the
    last change: submitting (or signing) an old application moved it to the top. Two filed
    in the same second come the later number first."""
    install(container, None)
    web_sign_in(client, staff, Role.DEALER)
    first, second = file_through_the_form(client), file_through_the_form(client)  # same time
    clock.advance(timedelta(minutes=1))
    third = file_through_the_form(client)
    clock.advance(timedelta(minutes=1))
    dealer = as_role(client, staff, Role.DEALER)
    submitted = client.post(f"/api/v1/applications/{first}/submit", headers=dealer)
    assert submitted.status_code == 200, submitted.text
    newest = [third, second, first]
    assert _rows(client.get("/applications").text, "application") == [str(n) for n in newest]
    listed = client.get("/api/v1/applications", headers=dealer).json()
    assert [item["id"] for item in listed["items"]] == newest
    assert listed["items"][2]["updated_at"] > listed["items"][0]["created_at"]
    # ``total`` counts every page, as the loans and customers lists do (it had none).
    assert (listed["total"], listed["limit"], listed["offset"]) == (3, 50, 0)
    paged = client.get("/api/v1/applications?limit=2&offset=2", headers=dealer).json()
    assert ([i["id"] for i in paged["items"]], paged["total"]) == ([first], 3)
    only = client.get("/api/v1/applications?status=referred", headers=dealer).json()
    assert (len(only["items"]), only["total"]) == (1, 1)


def test_customers_come_newest_first_a_page_at_a_time_in_the_api_and_the_page(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    registered = []
    for n in range(3):
        person = {"name": f"客户{n}", "phone": f"1380000000{n}",
                  "id_number": demo_resident_id("110105", date(1980, 1, n + 1), 1)}  # fmt: skip
        made = client.post("/api/v1/customers", json=person, headers=dealer)
        assert made.status_code == 201, made.text
        registered.append(made.json()["id"])
    newest = list(reversed(registered))
    headers = as_role(client, staff, Role.SERVICING)
    page = client.get("/api/v1/customers?limit=2&offset=1", headers=headers).json()
    assert [c["id"] for c in page["items"]] == newest[1:3]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
    # The loans list's envelope, key for key.
    assert set(page) == set(client.get("/api/v1/loans", headers=headers).json())
    monkeypatch.setattr(routes_pages, "PAGE_SIZE", 2)
    web_sign_in(client, staff, Role.SERVICING)
    first = client.get("/customers").text
    assert _rows(first, "customer") == [str(n) for n in newest[:2]]
    assert 'href="/customers?page=2" rel="next"' in first
    second = client.get("/customers?page=2").text
    assert _rows(second, "customer") == [str(newest[2])] and 'rel="next"' not in second


def test_the_customers_total_counts_only_the_customers_the_reader_may_see(
    client: TestClient, staff: dict[Role, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    for n, headers in enumerate((dealer, dealer, underwriter)):
        person = {"name": f"客户{n}", "phone": f"1390000000{n}",
                  "id_number": demo_resident_id("110105", date(1981, 2, n + 1), 1)}  # fmt: skip
        made = client.post("/api/v1/customers", json=person, headers=headers)
        assert made.status_code == 201, made.text
    mine = client.get("/api/v1/customers?limit=1", headers=dealer).json()
    assert (len(mine["items"]), mine["total"]) == (1, 2)
    everyone = client.get("/api/v1/customers?limit=1&offset=5", headers=underwriter).json()
    assert everyone == {"items": [], "total": 3, "limit": 1, "offset": 5}


def test_overdue_only_keeps_the_loans_with_an_installment_past_due_in_the_api_and_the_page(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loans: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Loans 1 and 2 are paid out on 2026-01-05, first due 2026-02-05. Accrued through
    2026-02-20 with nothing paid, the first is 15 days past due; the second, still serviced
    through its start, has nothing past due. Booked loans never are. The list puts the
    longest late first (the oldest unpaid due date), then by number."""
    late, current = loans[0], loans[1]
    container.services.servicing.accrue_loan(SERVICING, late, date(2026, 2, 20))
    headers = as_role(client, staff, Role.SERVICING)
    found = client.get("/api/v1/loans?overdue=true", headers=headers).json()
    assert _ids(found) == [late] and found["total"] == 1
    view = client.get(f"/api/v1/loans/{late}", headers=headers).json()
    assert view["days_past_due"] == 15 and view["overdue"]["installments"] == 1
    assert client.get(f"/api/v1/loans/{current}", headers=headers).json()["days_past_due"] == 0
    web_sign_in(client, staff, Role.SERVICING)
    listed_late = client.get("/loans?overdue=1").text
    assert _rows(listed_late, "loan") == [str(late)]
    # The row says what is past due and unpaid, as the loan view counts it.
    row = listed_late.split(f'data-loan-id="{late}"')[1].split("</tr>")[0]
    assert f'data-overdue="{view["overdue"]["amount"]}"' in row
    # the count under the amount, with no ASCII brackets in Chinese
    assert re.search(r'¥[\d,]+\.\d\d <span[^>]*data-overdue-installments="1">1 期</span>', row), row
    # Both late, one to a page: the pager keeps the filter.
    container.services.servicing.accrue_loan(SERVICING, current, date(2026, 2, 20))
    monkeypatch.setattr(loan_views, "PAGE_SIZE", 1)
    first = client.get("/loans?overdue=1").text
    assert _rows(first, "loan") == [str(late)] and "第 1–1 条，共 2 条" in first
    assert 'href="/loans?overdue=1&amp;page=2" rel="next"' in first
    assert _rows(client.get("/loans?overdue=1&page=2").text, "loan") == [str(current)]
    # A later loan that started a month earlier is later still: it heads the list.
    amount = Money.parse("9000", "CNY")
    earlier = LoanTerms(principal=amount, annual_rate=Decimal("0.12"), periods=12,
                        start=date(2025, 12, 5))  # fmt: skip
    longest = container.services.loans.book(SERVICING, BookingRequest(earlier, amount))
    container.services.loans.disburse(SERVICING, longest, DisbursementInput(amount))
    container.services.servicing.accrue_loan(SERVICING, longest, date(2026, 2, 20))
    listed = client.get("/api/v1/loans?overdue=true", headers=headers).json()
    assert _ids(listed) == [longest, late, current]


def test_the_review_queue_pages_the_longest_waiting_first_and_counts_what_waits(
    client: TestClient,
    container: Container,
    clock: FixedClock,
    staff: dict[Role, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three applications filed as a, b, c and submitted (no bureau here: each is
    referred) in the order c, a, b, a minute apart: the queue is c, a, b whatever their
    numbers. It used to read the 100 newest per status, so past 100 the longest waiting
    were the ones left out."""
    install(container, None)
    dealer = as_role(client, staff, Role.DEALER)
    filed = []
    for n in range(3):
        applicant = application_body()["applicants"][0] | {
            "id_number": demo_resident_id("110105", date(1985, 3, n + 1), 7),
            "mobile": f"1390000000{n}",
        }
        made = client.post("/api/v1/applications", headers=dealer,
                           json=application_body(applicants=[applicant]))  # fmt: skip
        assert made.status_code == 201, made.text
        filed.append(made.json()["id"])
    a, b, c = filed
    for app_id in (c, a, b):
        clock.advance(timedelta(minutes=1))
        submitted = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
        assert submitted.json()["status"] == "referred", submitted.text
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    first = client.get("/api/v1/review-queue?limit=2", headers=underwriter).json()
    assert _ids(first) == [c, a]
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert first["waiting"] == {"referred": 3, "pending_second": 0}
    rest = client.get("/api/v1/review-queue?limit=2&offset=2", headers=underwriter).json()
    assert _ids(rest) == [b]
    monkeypatch.setattr(routes_review, "PAGE_SIZE", 2)
    web_sign_in(client, staff, Role.UNDERWRITER)
    page = client.get("/review").text
    assert _rows(page, "application") == [str(c), str(a)]
    assert "第 1–2 条，共 3 条" in page and 'href="/review?page=2" rel="next"' in page
    assert re.search(r"data-waiting-referred>3<", page)
    assert _rows(client.get("/review?page=2").text, "application") == [str(b)]


def test_the_audit_trail_reads_back_a_page_at_a_time_to_its_first_record(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page showed the newest 50 records and nothing older. With 2 to a page, the
    last page ends at record 1, and the API's offset reads the same records."""
    web_sign_in(client, staff, Role.AUDITOR)
    newest = int(re.findall(r'<tr data-seq="(\d+)">', client.get("/audit").text)[0])
    assert newest >= 3  # the staff fixture's users and sign-ins were audited
    monkeypatch.setattr(routes_pages, "AUDIT_PAGE_SIZE", 2)
    first = client.get("/audit").text
    seqs = [int(n) for n in re.findall(r'<tr data-seq="(\d+)">', first)]
    total = seqs[0]  # the sign-in of this page's request came first
    assert seqs == [total, total - 1] and f"共 {total} 条" in first
    assert 'href="/audit?page=2" rel="next"' in first
    # Actions and roles in the page's language, the action's code beside it.
    # (on a phone the cell names its column: the records are one card per row)
    label = '<span class="cell-label">操作</span>'
    signed_in = (
        f'<td data-action="session.start">{label}登录 <code class="muted small">session.start'
    )
    assert signed_in in first
    assert '<span class="muted small">审计员</span>' in first
    last = (total + 1) // 2
    tail = client.get(f"/audit?page={last}").text
    assert re.findall(r'<tr data-seq="(\d+)">', tail)[-1] == "1" and 'rel="next"' not in tail
    headers = as_role(client, staff, Role.AUDITOR)  # reading writes no record
    three = client.get("/api/v1/audit/records?limit=3", headers=headers).json()
    older = client.get("/api/v1/audit/records?limit=2&offset=1", headers=headers).json()
    assert [r["seq"] for r in older] == [r["seq"] for r in three[1:]]


def test_the_loan_page_shows_the_newest_ledger_entries_and_every_one_on_request(
    client: TestClient, container: Container, staff: dict[Role, str], loans: list[int]
) -> None:
    """Accrued daily for half a year the loan has about 180 entries: the page drew every
    posting (766 rows for a demo loan of nine months, 1 MB for a loan of five years); now
    the newest 100 entries and a link to all of them."""
    loan_id = loans[0]
    container.services.servicing.accrue_loan(SERVICING, loan_id, date(2026, 7, 5))
    every = container.services.loans.ledger(SERVICING, loan_id)
    assert len(every) > 150
    # The page reads only what it draws: the newest 100 by the query's limit, and a count.
    newest, count = container.services.loans.newest_ledger(SERVICING, loan_id, 100)
    assert newest == every[-100:] and count == len(every)
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    assert page.count('class="is-entry-start"') == 100
    assert f"显示最新的 100 笔，共 {len(every)} 笔分录。" in page
    assert f">{every[-1]['id']}</span> · " in page and f">{every[0]['id']}</span> · " not in page
    # Entries and accounts in the page's language (the stable names stay in attributes):
    # never repaid, the loan accrues penalty interest on its newest days.
    assert '<span data-entry-kind="accrual_penalty">计提罚息</span>' in page
    assert '<span class="mono">1120</span> 应收罚息 / 罚息' in page
    assert '<span class="mono">4110</span> 罚息收入' in page
    client.cookies.set("autolend_lang", "en")
    english = client.get(f"/loans/{loan_id}").text
    assert '<span class="mono">1120</span> Penalty interest receivable / Penalty' in english
    assert ">Penalty interest accrual</span>" in english and "penalty_receivable" not in english
    whole = client.get(f"/loans/{loan_id}?ledger=all").text
    assert whole.count('class="is-entry-start"') == len(every)
    assert "data-ledger-shown" not in whole


def test_the_openapi_document_describes_the_customers_page(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    ok = document["paths"]["/api/v1/customers"]["get"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"]
    page = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(page["required"]) == {"items", "total", "limit", "offset"}
    assert page["properties"]["items"]["items"]["$ref"].endswith("/CustomerResponse")
