"""The auditor's API reads every record back. A trained model's audit record held its AUC
as a float, which the API's record schema (text, whole numbers, booleans) refused: every
page of records holding one answered 500, the demo's first page among them. New records
hold text; the records already written stay readable."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.audit import AuditEvent
from autolend.services.audit import record_change
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration


def audit_count(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.audit_log)).scalar_one())


def test_a_record_written_with_a_float_by_an_older_version_reads_back_over_the_api(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str]
) -> None:
    older = AuditEvent(
        occurred_at=clock.now(), actor_user_id=SYSTEM_ACTOR.user_id, actor_username="system",
        actor_roles="admin", action="model.train", object_type="model", object_id="default@1",
        summary={"sha256": "ab" * 32, "auc": 0.747},  # type: ignore[dict-item]
    )  # fmt: skip
    with container.uow(write=True) as uow:
        uow.audit.add(older)  # as model training wrote it before, past record_change's check
        uow.commit()
    auditor = as_role(client, staff, Role.AUDITOR)
    answer = client.get("/api/v1/audit/records?limit=50", headers=auditor)
    assert answer.status_code == 200, answer.text
    [trained] = [r for r in answer.json() if r["action"] == "model.train"]
    assert trained["summary"] == {"sha256": "ab" * 32, "auc": 0.747}
    assert container.services.audit.verify().ok


def test_recording_a_float_is_refused_and_writes_nothing(
    container: Container, clock: FixedClock
) -> None:
    before = audit_count(container)
    with pytest.raises(TypeError, match="'auc' is a float"), container.uow(write=True) as uow:
        record_change(
            uow, clock, SYSTEM_ACTOR, action="model.train", object_type="model",
            object_id="default@2", summary={"auc": 0.75},  # type: ignore[dict-item]
        )  # fmt: skip
        uow.commit()
    assert audit_count(container) == before
