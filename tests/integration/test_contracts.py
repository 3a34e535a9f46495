"""Contracts and signing on both databases: the PDF with its disclosures, the hash-chained
registry that ``autolend verify`` recomputes, and signing with a one-time code delivered
through the outbox to a real local SMTP server and an SMS gateway sandbox."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import contract_tables as ct
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.contract import Vehicle
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.contract_facts import ContractRequest
from autolend.services.loans import BookingRequest
from autolend.services.notifications import queue_message
from tests.conftest import test_settings as settings_for
from tests.integration.test_audit_chain import run_cli_verify
from tests.integration.test_loan_services import SERVICING, START
from tests.integration.test_loans_api import as_role
from tests.support.direct_sql import writing
from tests.support.messaging import MailSink, SmsSandbox, sms_gateway, smtp_server

pytestmark = pytest.mark.integration

PERSON = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13800138000"}
VEHICLE = {"vin": "LSVAU2180N2183294", "make": "BYD", "model": "Qin PLUS", "powertrain": "NEV"}
EMAIL = "zhang.wei@example.com"


@pytest.fixture
def mail() -> Iterator[MailSink]:
    with smtp_server() as sink:
        yield sink


@pytest.fixture
def sms() -> Iterator[SmsSandbox]:
    with sms_gateway() as box:
        yield box


@pytest.fixture
def container(
    db_url: str, tmp_path: Path, clock: FixedClock, mail: MailSink, sms: SmsSandbox
) -> Iterator[Container]:
    """The conftest container, with e-mail to the local SMTP server and SMS to the sandbox."""
    settings = settings_for(db_url, tmp_path).model_copy(
        update={"smtp_host": mail.host, "smtp_port": mail.port, "sms_url": sms.url}
    )
    built = build_container(settings, clock=clock)
    yield built
    built.engine.dispose()


@pytest.fixture
def loan_id(client: TestClient, container: Container, staff: dict[Role, str]) -> int:
    """A booked 12-month loan of the borrower user's own customer, GPS 30.00 a month."""
    made = client.post(
        "/api/v1/customers", json=PERSON, headers=as_role(client, staff, Role.BORROWER)
    )
    assert made.status_code == 201, made.text
    consent = {"kind": "data_processing", "text_version": "dp-2026.1"}
    url = f"/api/v1/customers/{made.json()['id']}/consents"
    granted = client.post(url, json=consent, headers=as_role(client, staff, Role.BORROWER))
    assert granted.status_code == 201, granted.text
    terms = LoanTerms(
        principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"), periods=12, start=START
    )
    request = BookingRequest(terms, Money.parse("12000", "CNY"), customer_id=made.json()["id"],
                             dealer_id=1, monthly_fees={"gps": "30.00"},
                             prepayment_fee_rule="waived_trade_in",
                             prepayment_fee_rate=Decimal("0.02"))  # fmt: skip
    return container.services.loans.book(SERVICING, request)


def issue(client: TestClient, staff: dict[Role, str], loan_id: int, **extra: Any) -> Any:
    body = {"loan_id": loan_id, "vehicle": VEHICLE} | extra
    made = client.post(
        "/api/v1/contracts", json=body, headers=as_role(client, staff, Role.SERVICING)
    )
    assert made.status_code == 201, made.text
    return made.json()


def contract_check(container: Container) -> tuple[str, ...]:
    report = container.services.verify.run()
    return next(c for c in report.checks if c.name == "contract registry").violations


def test_an_issued_contract_is_a_pdf_with_apr_fees_penalty_and_mortgage_in_chinese(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int
) -> None:
    contract = issue(client, staff, loan_id)
    borrower = as_role(client, staff, Role.BORROWER)
    pdf = client.get(f"/api/v1/contracts/{contract['id']}/pdf", headers=borrower)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert hashlib.sha256(pdf.content).hexdigest() == contract["sha256"]
    text = container.services.contracts.text(SERVICING, contract["id"])
    assert re.search(r"年化利率（APR，含全部费用）：名义 \d+\.\d\d%，实际 \d+\.\d\d%", text)
    assert "合同年利率（名义）：12.00%" in text
    assert "GPS 服务费：30.00 CNY（每期随还款收取）" in text
    assert "罚息年利率 18.00%" in text
    assert "以旧换新（置换购车）时免收提前还款费" in text
    assert "车辆抵押" in text and "LSVAU2180N2183294" in text and "新能源汽车" in text
    assert "第12期" in text
    assert "个人信息处理同意（文本版本 dp-2026.1）" in text
    # The contract names its borrower in full, and is stored sealed: neither the PDF nor
    # its text is in clear in the database (the masked name never identified the party).
    assert "借款人：张伟（身份证号 11010519491231002X）" in text
    with container.engine.connect() as conn:
        row = conn.execute(select(ct.contracts).where(ct.contracts.c.id == contract["id"])).one()
    assert row.key_id and row.text_layer is None and not bytes(row.pdf).startswith(b"%PDF")
    assert "张伟".encode() not in bytes(row.text_enc) and b"11010519491231002X" not in row.pdf


def test_the_contract_states_the_loans_own_penalty_uplift_and_late_fee(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int
) -> None:
    """A loan booked at +30 % (the seasonal loan's uplift; the pack's default is +50 %)
    with a late fee of 50.00 after 15 days: 12 % x 1.3 = 15.60 %."""
    customer = container.services.loans.get(SERVICING, loan_id)["customer_id"]
    terms = LoanTerms(
        principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"), periods=12, start=START
    )
    request = BookingRequest(terms, Money.parse("12000", "CNY"), customer_id=customer,
                             dealer_id=1, penalty_uplift=Decimal("0.3"),
                             late_fee={"amount": "50.00", "after_days": 15})  # fmt: skip
    own = container.services.loans.book(SERVICING, request)
    text = container.services.contracts.text(SERVICING, issue(client, staff, own)["id"])
    assert "按合同利率上浮 30.00% 计收罚息（罚息年利率 15.60%）" in text
    assert "满 15 日仍未足额偿还的，就该期一次性收取逾期违约金 50.00 CNY" in text
    plain = container.services.contracts.text(SERVICING, issue(client, staff, loan_id)["id"])
    assert "罚息年利率 18.00%" in plain and "违约金" not in plain


def test_the_apr_includes_the_monthly_fees_so_it_exceeds_the_contract_rate(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int
) -> None:
    contract = issue(client, staff, loan_id, locale="en")
    text = container.services.contracts.text(SERVICING, contract["id"])
    found = re.search(r"APR \(all fees included\): nominal (\d+\.\d\d)%, effective (\d+\.\d\d)%",
                      text)  # fmt: skip
    assert found is not None, text
    nominal, effective = Decimal(found[1]), Decimal(found[2])
    assert Decimal("17") < nominal < effective < Decimal("24")
    assert "Vehicle mortgage" in text


def test_a_fee_financed_into_the_principal_is_counted_once_in_the_total_of_payments(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int
) -> None:
    """A fee financed into the loan is repaid by its installments: the total of payments
    counted it again (1,500.00 too much beside the offer's total repayable). A fee paid in
    cash at signing is counted once, beside the installments."""
    fees = [{"name": "gps", "amount": "1500.00", "financed": True},
            {"name": "origination", "amount": "120.00"}]  # fmt: skip
    text = container.services.contracts.text(
        SERVICING, issue(client, staff, loan_id, upfront_fees=fees)["id"]
    )
    servicing = as_role(client, staff, Role.SERVICING)
    rows = client.get(f"/api/v1/loans/{loan_id}", headers=servicing).json()["schedule"]
    paid = sum(Decimal(r["principal"]) + Decimal(r["interest"]) + Decimal(r["fee"]) for r in rows)
    assert f"还款总额：{paid + Decimal('120.00')} CNY" in text
    assert "GPS 服务费：1500.00 CNY（计入贷款本金，随每期还款偿还）" in text
    assert "手续费：120.00 CNY（签约时支付，经销商代收，放款时从放款金额中扣除）" in text


def test_another_borrower_cannot_see_the_contract(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int
) -> None:
    contract = issue(client, staff, loan_id)
    container.services.users.create(SYSTEM_ACTOR, username="other", password="pw-other-long",
                                     roles=["borrower"])  # fmt: skip
    from tests.integration.test_loans_api import sign_in

    other = sign_in(client, "other", "pw-other-long")
    assert client.get(f"/api/v1/contracts/{contract['id']}/pdf", headers=other).status_code == 404


def test_the_registry_verifies_and_a_tampered_pdf_or_entry_is_named_by_verify(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int, tmp_path: Path
) -> None:
    first, second = issue(client, staff, loan_id), issue(client, staff, loan_id, locale="en")
    assert contract_check(container) == ()
    with container.engine.begin() as conn:
        conn.execute(update(ct.contracts).where(ct.contracts.c.id == second["id"])
                     .values(pdf=b"%PDF-1.4 forged"))  # fmt: skip
    assert contract_check(container) == (
        f"contract {second['id']}: its sealed document does not open (altered)",
    )
    with container.engine.begin() as conn:  # as a contract issued before they were sealed
        conn.execute(update(ct.contracts).where(ct.contracts.c.id == second["id"])
                     .values(key_id=None, text_layer="forged"))  # fmt: skip
    assert contract_check(container) == (
        f"contract {second['id']}: the stored PDF does not match its SHA-256 (altered)",
    )
    with container.engine.begin() as conn:
        conn.execute(update(ct.contract_registry).where(ct.contract_registry.c.seq == 1)
                     .values(sha256="0" * 64))  # fmt: skip
    found = contract_check(container)
    assert found[0].startswith("contract registry: first bad entry 1: registry entry 1 was altered")
    assert f"contract {first['id']}: its SHA-256 is not in the registry" in found
    done = run_cli_verify(container, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "contract registry" in done.stdout and "BROKEN" in done.stdout


def request_code(client: TestClient, headers: dict[str, str], contract_id: int) -> Any:
    answer = client.post(f"/api/v1/contracts/{contract_id}/signature-requests",
                         json={"email": EMAIL}, headers=headers)  # fmt: skip
    assert answer.status_code == 201, answer.text
    return answer.json()


def sent_code(sms: SmsSandbox) -> str:
    found = re.search(r"验证码为 (\d{6})", sms.received[-1]["text"])
    assert found is not None, sms.received
    return found[1]


def test_the_borrower_signs_with_the_code_sent_by_sms_and_email(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int,
    mail: MailSink, sms: SmsSandbox,
) -> None:  # fmt: skip
    contract = issue(client, staff, loan_id)
    borrower = as_role(client, staff, Role.BORROWER)
    request_code(client, borrower, contract["id"])
    assert sms.received[-1]["to"] == PERSON["phone"]
    code = sent_code(sms)
    assert len(mail.messages) == 1 and mail.messages[0]["To"] == EMAIL
    assert code in mail.messages[0].get_content()
    signed = client.post(f"/api/v1/contracts/{contract['id']}/sign", json={"code": code},
                         headers=borrower)  # fmt: skip
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "signed"
    events = [e.body.event for e in _registry(container)]
    assert events == ["issued", "signed"]
    assert contract_check(container) == ()
    again = client.post(f"/api/v1/contracts/{contract['id']}/sign", json={"code": code},
                        headers=borrower)  # fmt: skip
    assert again.status_code == 409


def test_the_borrower_is_told_by_sms_when_their_contract_is_signed_in_beijing_time(
    client: TestClient, clock: FixedClock, staff: dict[Role, str], loan_id: int,
    sms: SmsSandbox,
) -> None:  # fmt: skip
    """Signed by the dealer in the showroom or by the borrower, the borrower hears of it:
    one SMS to the mobile on file, stating the time in the pack's zone (UTC+8 in CN)."""
    contract = issue(client, staff, loan_id)
    borrower = as_role(client, staff, Role.BORROWER)
    request_code(client, borrower, contract["id"])
    code, codes_sent = sent_code(sms), len(sms.received)
    signed = client.post(f"/api/v1/contracts/{contract['id']}/sign", json={"code": code},
                         headers=borrower)  # fmt: skip
    assert signed.status_code == 200, signed.text
    assert len(sms.received) == codes_sent + 1
    notice = sms.received[-1]
    at = clock.now() + timedelta(hours=8)
    beijing = f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}（北京时间）"  # no tz code
    assert notice["to"] == PERSON["phone"]
    assert f"合同（编号 {contract['id']}）已于 {beijing}签署" in notice["text"]
    assert "Asia/Shanghai" not in notice["text"]
    assert code not in notice["text"]


def _registry(container: Container) -> list[Any]:
    with container.uow() as uow:
        return list(uow.contracts.iter_registry())


def test_a_wrong_code_tells_the_attempts_left_and_the_fifth_locks_the_code(
    client: TestClient, staff: dict[Role, str], loan_id: int, sms: SmsSandbox
) -> None:
    contract = issue(client, staff, loan_id)
    borrower = as_role(client, staff, Role.BORROWER)
    request_code(client, borrower, contract["id"])
    wrong = "000000" if sent_code(sms) != "000000" else "111111"
    url = f"/api/v1/contracts/{contract['id']}/sign"
    for left in (4, 3, 2, 1):
        answer = client.post(url, json={"code": wrong}, headers=borrower)
        assert answer.status_code == 422, answer.text
        tries = "1 attempt" if left == 1 else f"{left} attempts"  # "1 attempts" before
        assert f"the code is wrong; {tries} left" in answer.text
    assert client.post(url, json={"code": wrong}, headers=borrower).status_code == 409
    right = client.post(url, json={"code": sent_code(sms)}, headers=borrower)
    assert right.status_code == 409
    assert "locked" in right.text


def test_an_expired_code_is_refused_and_a_new_one_signs(
    client: TestClient, clock: FixedClock, staff: dict[Role, str], loan_id: int, sms: SmsSandbox
) -> None:
    contract = issue(client, staff, loan_id)
    borrower = as_role(client, staff, Role.BORROWER)
    request_code(client, borrower, contract["id"])
    clock.advance(timedelta(minutes=5, seconds=1))
    url = f"/api/v1/contracts/{contract['id']}/sign"
    expired = client.post(url, json={"code": sent_code(sms)}, headers=borrower)
    assert expired.status_code == 422 and "expired" in expired.text
    request_code(client, borrower, contract["id"])
    assert client.post(url, json={"code": sent_code(sms)}, headers=borrower).status_code == 200


def test_a_message_the_gateway_refuses_stays_pending_and_is_sent_on_a_later_dispatch(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int,
    sms: SmsSandbox, mail: MailSink,
) -> None:  # fmt: skip
    contract = issue(client, staff, loan_id)
    sms.failing = True
    answer = request_code(client, as_role(client, staff, Role.BORROWER), contract["id"])
    sms_id = answer["messages"][0]
    pending = container.services.notifications.message(sms_id)
    assert pending is not None and (pending.status, pending.attempts) == ("pending", 1)
    assert len(mail.messages) == 1
    sms.failing = False
    report = container.services.notifications.dispatch()
    assert (report.sent, report.retrying) == (1, 0)
    sent = container.services.notifications.message(sms_id)
    assert sent is not None and (sent.status, sent.attempts) == ("sent", 2)
    assert PERSON["phone"].encode() not in sent.sealed.fields["recipient"]


def _queue_signed_notices(container: Container, count: int) -> list[int]:
    """``count`` SMS notices, each naming its own contract number."""
    with container.uow(write=True) as uow:
        ids = [
            queue_message(uow, container.cipher, container.services.clock, channel="sms",
                          recipient=f"1380013{n:04d}", template="contract_signed",
                          payload={"contract_id": n, "signed_at": "2026-11-28 10:00"})
            for n in range(count)
        ]  # fmt: skip
        uow.commit()
    return ids


def test_a_message_leased_by_one_dispatcher_is_not_sent_by_another_until_its_lease_runs_out(
    container: Container, clock: FixedClock, sms: SmsSandbox
) -> None:
    [message_id] = _queue_signed_notices(container, 1)
    now = clock.now()
    with container.uow(write=True) as uow:  # a dispatcher that leases it, then dies
        leased = uow.outbox.claim(10, now=now, until=now + timedelta(minutes=5))
        uow.commit()
    assert [m.id for m in leased] == [message_id]
    assert container.services.notifications.dispatch().sent == 0
    assert sms.received == []
    clock.advance(timedelta(minutes=5, seconds=1))
    assert container.services.notifications.dispatch().sent == 1
    assert len(sms.received) == 1
    sent = container.services.notifications.message(message_id)
    assert sent is not None and (sent.status, sent.attempts) == ("sent", 1)


def test_dispatchers_running_at_once_send_every_message_exactly_once(
    container: Container, sms: SmsSandbox
) -> None:
    count, dispatchers = 30, 4
    _queue_signed_notices(container, count)
    start = threading.Barrier(dispatchers)
    sent: list[int] = []

    def dispatch() -> None:
        start.wait()
        sent.append(container.services.notifications.dispatch().sent)

    threads = [threading.Thread(target=dispatch) for _ in range(dispatchers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    texts = [message["text"] for message in sms.received]
    assert sum(sent) == count
    assert len(texts) == count and len(set(texts)) == count


def test_the_pdf_is_drawn_outside_the_write_transaction_and_drawn_again_if_the_loan_moved(
    container: Container, loan_id: int, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing takes a third of a second; on SQLite a write transaction held meanwhile is
    the one writer, and every repayment would wait. A consent granted while the first
    PDF is drawn changes the facts, so the PDF registered is the second, stating it."""
    contracts = container.services.contracts
    real = contracts._renderer
    drawn: list[tuple[int, str]] = []

    class Watched:
        def render(self, document: Any, *, created_at: Any) -> bytes:
            pool: Any = container.engine.pool  # a QueuePool: it counts what is checked out
            drawn.append((pool.checkedout(), document.text()))
            if len(drawn) == 1:
                with writing(container.engine) as conn:
                    owner = select(t.loans.c.customer_id).where(t.loans.c.id == loan_id)
                    customer = conn.execute(owner).scalar_one()
                    conn.execute(insert(t.consents).values(
                        customer_id=customer, kind="bureau_query", text_version="bq-2026.9",
                        granted_at=clock.now(), granted_by=1))  # fmt: skip
            return real.render(document, created_at=created_at)

    monkeypatch.setattr(contracts, "_renderer", Watched())
    request = ContractRequest(loan_id, Vehicle(**VEHICLE), "zh_CN", ())
    made = contracts.issue(SERVICING, request)
    assert [held for held, _ in drawn] == [0, 1]  # first outside, the redraw inside
    assert "bq-2026.9" not in drawn[0][1] and "bq-2026.9" in drawn[1][1]
    assert "bq-2026.9" in contracts.text(SERVICING, made["id"])
    assert contract_check(container) == ()
