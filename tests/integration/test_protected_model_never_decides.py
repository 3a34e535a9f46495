"""A model that scores a protected attribute never decides an application, on both
databases. Training has left such a column out since the rule came in (CREDIT_MODELS.md:
never used in a decision), but a version registered before it still holds one, and
decisioning used it: an applicant's sex could move their price. Now that version is
never loaded for a decision: the case goes to a person ("the credit assessment could not
be completed"), the server still starts, and a version without it decides again."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.errors import Conflict
from autolend.services.model_ports import NewModelVersion
from tests.integration.test_model_currency import decided, score_hits
from tests.integration.test_us_origination import sms  # noqa: F401 - the SMS sandbox fixture
from tests.support.origination import (
    application_body,
    install,
    referring_container,  # noqa: F401 - the container: no bureau, no model
    trained_once,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cny_model(tmp_path_factory: pytest.TempPathFactory) -> NewModelVersion:
    return trained_once(tmp_path_factory)


def with_gender(version: NewModelVersion) -> NewModelVersion:
    """The version as registered before protected attributes were left out: one of its
    features is ``gender`` (renamed here; the registry checks only the artifact's hash)."""
    model = pickle.loads(version.artifact)
    names = list(model.schema.names)
    names[-1] = "gender"
    artifact = pickle.dumps(replace(model, schema=replace(model.schema, names=tuple(names))))
    return replace(version, artifact=artifact,
                   artifact_sha256=hashlib.sha256(artifact).hexdigest())  # fmt: skip


def test_a_model_holding_a_protected_attribute_refers_every_case_to_a_person(
    client: TestClient, container: Container, staff: dict[Role, str],
    cny_model: NewModelVersion,
) -> None:  # fmt: skip
    install(container, with_gender(cny_model))
    # the server's start logs this and goes on (bootstrap._warm_decision_model)
    with pytest.raises(Conflict, match=r"gender: sex"):
        container.services.decisions.warm()
    with container.uow() as uow, pytest.raises(Conflict, match=r"gender: sex"):
        container.services.models.decision_model_in(uow, "CNY")
    decision = decided(client, staff, application_body())
    assert (decision["model_version"], decision["pd"]) == (None, None)
    assert [rule for rule, _en, _zh in score_hits(decision)] == ["score_unavailable"]
    install(container, cny_model)  # version 2, trained without it, decides again
    again = decided(client, staff, application_body())
    assert again["model_version"] == "default@2" and again["pd"] is not None
