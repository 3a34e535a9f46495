"""The model registry: a registered version loads back to the same predictions, a tampered
artifact is refused, and versions count up per name, on both databases."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest
from sqlalchemy import update

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.errors import Conflict, NotFound
from autolend.services.model_ports import NewModelVersion
from tests.integration import test_model_risk as risk_module
from tests.integration.test_model_risk import LEFT_OUT, NAME

pytestmark = pytest.mark.integration

# The module-scoped fixtures of the API tests: one small model trained once a run.
baseline = risk_module.baseline
training = risk_module.training
trained = risk_module.trained


def _features(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[*LEFT_OUT, "gender", "bad"])


def test_a_registered_version_loads_back_and_predicts_exactly_as_the_trained_model(
    container: Container,
    trained: NewModelVersion,
    baseline: pd.DataFrame,
) -> None:
    with container.uow(write=True) as uow:
        version = uow.models.add(trained)
        uow.commit()
    loaded = container.services.models.model(NAME)
    original = pickle.loads(trained.artifact)
    rows = _features(baseline.head(200))
    np.testing.assert_array_equal(
        loaded.score_batch(rows)["pd"].to_numpy(), original.score_batch(rows)["pd"].to_numpy()
    )
    assert loaded.model_version == f"{NAME}@{version}"
    one = rows.iloc[0].to_dict()
    assert loaded.score(one).pd == original.score(one).pd


def test_an_artifact_whose_hash_no_longer_matches_is_refused(
    container: Container,
    trained: NewModelVersion,
) -> None:
    with container.uow(write=True) as uow:
        uow.models.add(trained)
        uow.commit()
    with container.engine.begin() as conn:
        conn.execute(update(t.model_versions).values(artifact=trained.artifact[:-1] + b"\x00"))
    with pytest.raises(Conflict, match="hash does not match"):
        container.services.models.model(NAME)


def test_versions_count_up_per_name_and_an_unknown_version_is_not_found(
    container: Container,
    trained: NewModelVersion,
) -> None:
    with container.uow(write=True) as uow:
        assert [uow.models.add(trained) for _ in range(2)] == [1, 2]
        uow.commit()
    listed = container.services.models.versions(SYSTEM_ACTOR, NAME)
    assert [entry.version for entry in listed] == [2, 1]
    with pytest.raises(NotFound):
        container.services.models.describe(SYSTEM_ACTOR, NAME, 3)
