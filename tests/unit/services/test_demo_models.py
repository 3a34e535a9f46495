"""What the demo trains under each jurisdiction: under CN the yuan ``default`` alone, on the
same applicants as always; under US also ``default-usd``, on the same applicants with their
amounts in dollars (4 yuan each). The registry and monitoring are recorded, not run."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import NotFound
from autolend.services import demo_models
from autolend.services.demo_models import DemoModelSeeder, demo_currencies
from autolend.services.model_monitoring import ModelMonitoringService
from autolend.services.models import ModelService


class Registry:
    """An empty registry that records what is trained (name, currency, first income)."""

    def __init__(self) -> None:
        self.trained: list[tuple[str, str, float]] = []

    def describe(self, _actor: object, name: str) -> None:
        raise NotFound(f"no model {name!r}")

    def train(self, _actor: object, request: Any) -> None:
        income = float(pd.read_csv(Path(request.data_path))["monthly_income"][0])
        self.trained.append((request.name, request.currency, income))


class Monitoring:
    def __init__(self) -> None:
        self.monitored: list[str] = []

    def latest(self, _actor: object, _name: str) -> list[object]:
        return []

    def run(self, _actor: object, request: Any) -> None:
        self.monitored.append(request.name)


def seeded(jurisdiction: str) -> tuple[Registry, Monitoring]:
    registry, monitoring = Registry(), Monitoring()
    seeder = DemoModelSeeder(cast(ModelService, registry), cast(ModelMonitoringService, monitoring))
    seeder.seed(jurisdiction)
    return registry, monitoring


@pytest.fixture(autouse=True)
def small_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_models, "TRAIN_ROWS", 300)
    monkeypatch.setattr(demo_models, "WINDOW_ROWS", 300)


def test_the_cn_demo_trains_only_the_yuan_default_model() -> None:
    registry, monitoring = seeded("CN")
    [(name, currency, _income)] = registry.trained
    assert (name, currency, monitoring.monitored) == ("default", "CNY", ["default"])


def test_the_us_demo_also_trains_default_usd_on_the_same_applicants_in_dollars() -> None:
    registry, monitoring = seeded("US")
    [(cny_name, cny, yuan), (usd_name, usd, dollars)] = registry.trained
    assert (cny_name, cny, usd_name, usd) == ("default", "CNY", "default-usd", "USD")
    assert dollars * 4 == yuan
    assert monitoring.monitored == ["default", "default-usd"]


def test_the_demo_currencies_are_cny_and_the_jurisdictions_own() -> None:
    assert (demo_currencies("CN"), demo_currencies("US")) == (("CNY",), ("CNY", "USD"))
