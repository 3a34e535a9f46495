"""Text that reaches the database holds what a keyboard types, on both databases: a NUL
(or another control character) in an application's name or address, on the API or the
page's form, is a 422 naming the field, and nothing is stored (it was stored, sealed, as
sent); a NUL in a review's or a withdrawal's reason, a payment's reference, a reversal's
reason, a customer's name or a product's name is refused on its field (on PostgreSQL the
reasons and the reference were a 500: its text columns refuse NUL; on SQLite they were
stored). One rule judges them all: :mod:`autolend.domain.text_input`."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.sql.schema import Table

from autolend.adapters.db import application_tables as at
from autolend.adapters.db import product_tables as pt
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_codec import product_to_dict
from tests.integration.test_application_pages import (  # noqa: F401 - fixture
    container,
    csrf,
    form,
    web_sign_in,
)
from tests.integration.test_loans_api import PAYMENT, as_role, loan_id  # noqa: F401 - fixture
from tests.support.origination import application_body

pytestmark = pytest.mark.integration
NUL = "\u0000"


def count(container: Container, table: Table) -> int:  # noqa: F811 - fixture
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def rows(container: Container) -> tuple[int, ...]:  # noqa: F811 - fixture
    return tuple(count(container, table) for table in
                 (at.applications, at.application_events, t.customers))  # fmt: skip


def refused_on(answer: Any, field: str) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    error: dict[str, Any] = answer.json()["error"]
    assert error["field"] == field, error
    return error


@pytest.mark.parametrize(("key", "typed"), [("name", f"张{NUL}伟"), ("address", f"北京{NUL}"),
                                            ("name", "张伟\x1b[2J")])  # fmt: skip
def test_a_control_character_in_an_applicants_text_is_refused_naming_it_and_nothing_is_stored(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
    key: str,
    typed: str,
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    body = application_body()
    body["applicants"][0][key] = typed
    before = rows(container)
    answer = client.post("/api/v1/applications", json=body, headers=dealer)
    error = refused_on(answer, f"applicants[0].{key}")
    assert error["message"].startswith(f"{key} must not contain control characters (U+00")
    assert error["message_zh"].startswith("不能包含控制字符（U+00")
    assert rows(container) == before
    assert client.post("/api/v1/applications", json=application_body(),
                       headers=dealer).status_code == 201  # fmt: skip


def test_the_application_form_marks_a_nul_in_the_name_and_stores_nothing(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    token = csrf(client.get("/applications/new").text)
    before = rows(container)
    fields = form(**{"applicants[0].name": f"张{NUL}伟", "vehicle.model": "Han\x07"})
    answer = client.post("/applications/new", data=fields | {"csrf_token": token})
    assert answer.status_code == 422
    assert 'data-field-error="applicants[0].name"' in answer.text
    assert 'data-field-error="vehicle.model"' in answer.text
    assert "must not contain control characters (U+0000)" in answer.text
    assert rows(container) == before


def test_a_nul_in_a_review_or_a_withdrawal_reason_is_refused_and_the_case_does_not_move(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    filed = client.post("/api/v1/applications", json=application_body(), headers=dealer).json()
    app = f"/api/v1/applications/{filed['id']}"
    assert client.post(f"{app}/submit", headers=dealer).json()["status"] == "referred"
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    review = {"action": "approve", "reason": f"income{NUL}checked"}
    refused_on(client.post(f"{app}/review", json=review, headers=underwriter), "reason")
    refused_on(client.post(f"{app}/withdraw", json={"reason": f"no{NUL}"}, headers=dealer),
               "reason")  # fmt: skip
    assert client.get(app, headers=dealer).json()["status"] == "referred"
    typed = {"action": "approve", "reason": "income checked\non two payslips"}  # a text area's
    assert client.post(f"{app}/review", json=typed, headers=underwriter).status_code == 200


def test_a_nul_in_a_customers_or_a_products_name_is_refused_and_nothing_is_stored(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    person = {"name": f"李{NUL}娜", "id_number": "11010519491231002X", "phone": "13800138000"}
    borrower = as_role(client, staff, Role.BORROWER)
    refused_on(client.post("/api/v1/customers", json=person, headers=borrower), "name")
    assert count(container, t.customers) == 0
    admin = as_role(client, staff, Role.ADMIN)
    product = product_to_dict(STANDARD_NEW) | {"code": "NUL_TEST", "effective_from": "2026-12-01"}
    before = count(container, pt.products)
    refused_on(client.post("/api/v1/products", json=product | {"name_zh": f"标准{NUL}"},
                           headers=admin), "name_zh")  # fmt: skip
    product["fees"][1]["name"] = "GPS\x08"
    refused_on(client.post("/api/v1/products", json=product, headers=admin), "fees[1].name")
    assert count(container, pt.products) == before


def test_a_nul_in_a_payments_reference_or_a_reversals_reason_is_refused_and_nothing_posted(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    servicing = as_role(client, staff, Role.SERVICING)
    url = f"/api/v1/loans/{loan_id}"
    paid = client.post(f"{url}/repayments", json=PAYMENT | {"reference": f"BANK{NUL}1"},
                       headers=servicing | {"Idempotency-Key": "nul-1"})  # fmt: skip
    refused_on(paid, "reference")
    assert count(container, t.repayments) == 0
    paid = client.post(f"{url}/repayments", json=PAYMENT,
                       headers=servicing | {"Idempotency-Key": "ok-1"})  # fmt: skip
    assert paid.status_code == 201, paid.text
    reversal = client.post(f"{url}/repayments/{paid.json()['id']}/reversal",
                           json={"reason": f"bounced{NUL}"},
                           headers=servicing | {"Idempotency-Key": "nul-2"})  # fmt: skip
    refused_on(reversal, "reason")
    shown = client.get(f"{url}/transactions", headers=servicing).json()["items"]
    assert [item["status"] for item in shown] == ["posted"]
