"""The demo's credit models: a ``default`` model trained on synthetic applicants, and one
monitoring report, so the risk pages have something to show; under a jurisdiction that
lends in another currency (``AUTOLEND_JURISDICTION=US``) that currency's decision model too
(``default-usd``, trained on the same applicants with their amounts in dollars, see
:mod:`autolend.risk.synth`), so a US application is scored by a model of dollars.

Seeded when the demo starts (``autolend serve --demo``, ``autolend demo``), before the
server answers requests, and only when absent: a database that already has the model (and a
report of it) is left as it is.  To stay within seconds it trains on :data:`TRAIN_ROWS`
applicants with 3 folds and a small challenger (fewer trees, 3 inner folds); a real model
uses the defaults (``autolend model train``).

The monitoring window is the last 12 months of a later synthetic population (another seed,
ending 12 months after the training sample, whose new-energy share rises month by month); its
last :data:`UNOBSERVED_MONTHS` months have no outcome yet, as in a live book.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.errors import NotFound
from autolend.domain.regulation import pack_for
from autolend.domain.score_features import NOT_COLLECTED
from autolend.services.model_monitoring import ModelMonitoringService, MonitorRequest
from autolend.services.models import (
    FIRST_CURRENCY,
    ModelService,
    TrainRequest,
    decision_model_name,
)

__all__ = ["DemoModelReport", "DemoModelSeeder", "demo_currencies"]

TRAIN_ROWS = 4_000
WINDOW_ROWS = 4_000
WINDOW_MONTHS = 12
TRAIN_SEED = 11
WINDOW_SEED = 12
TRAIN_AS_OF = "2025-06"
WINDOW_AS_OF = "2026-06"
UNOBSERVED_MONTHS = 3
# Not features, and the columns no application can supply (an application's score would
# read them as missing, so every decision named them as reasons).
LEFT_OUT = ("application_id", "application_month", "true_pd", *NOT_COLLECTED)
PROTECTED = ("gender",)


def demo_currencies(jurisdiction: str) -> tuple[str, ...]:
    """The currencies the demo trains a decision model for: CNY always (the demo
    applications are CN ones), and the jurisdiction's own: ``("CNY",)`` under CN,
    ``("CNY", "USD")`` under US."""
    return tuple(dict.fromkeys((FIRST_CURRENCY, pack_for(jurisdiction).currency)))


@dataclass(frozen=True)
class DemoModelReport:
    trained: bool
    monitored: bool


class DemoModelSeeder:
    def __init__(self, models: ModelService, monitoring: ModelMonitoringService) -> None:
        self._models = models
        self._monitoring = monitoring

    def seed(self, jurisdiction: str = "CN") -> DemoModelReport:
        """Train and monitor the decision model of each of :func:`demo_currencies` where
        it (or its report) is missing; under CN that is ``default`` alone, as always."""
        done = [self._seed(currency) for currency in demo_currencies(jurisdiction)]
        return DemoModelReport(
            trained=any(r.trained for r in done), monitored=any(r.monitored for r in done)
        )

    def _seed(self, currency: str) -> DemoModelReport:
        name = decision_model_name(currency)
        train = not self._registered(name)
        monitor = train or not self._monitoring.latest(SYSTEM_ACTOR, name)
        if not monitor:
            return DemoModelReport(trained=False, monitored=False)
        from autolend.risk.synth import synthetic_applicants  # noqa: PLC0415 - pandas on use

        baseline = synthetic_applicants(
            TRAIN_ROWS, TRAIN_SEED, as_of_month=TRAIN_AS_OF, currency=currency
        )
        if train:
            self._train(baseline, name, currency)
        self._monitor(baseline, name, currency)
        return DemoModelReport(trained=train, monitored=True)

    def _registered(self, name: str) -> bool:
        try:
            self._models.describe(SYSTEM_ACTOR, name)
        except NotFound:
            return False
        return True

    def _train(self, baseline: object, name: str, currency: str) -> None:
        from autolend.risk.challenger import ChallengerSettings  # noqa: PLC0415
        from autolend.risk.synth import write_applicants  # noqa: PLC0415

        with tempfile.TemporaryDirectory(prefix="autolend-demo-") as folder:
            path = write_applicants(baseline, Path(folder) / "demo-applicants.csv")
            request = TrainRequest(
                path,
                "bad",
                None,
                name,
                seed=0,
                exclude=LEFT_OUT,
                protected=PROTECTED,
                folds=3,
                challenger=ChallengerSettings(max_trees=300, early_stopping=30, inner_folds=3),
                currency=currency,
            )
            self._models.train(SYSTEM_ACTOR, request)

    def _monitor(self, baseline: object, name: str, currency: str) -> None:
        from autolend.risk.synth import synthetic_applicants  # noqa: PLC0415

        window = synthetic_applicants(
            WINDOW_ROWS, WINDOW_SEED, as_of_month=WINDOW_AS_OF, currency=currency
        )
        months = sorted(window["application_month"].unique())
        window = window[window["application_month"].isin(months[-WINDOW_MONTHS:])].copy()
        unobserved = window["application_month"].isin(months[-UNOBSERVED_MONTHS:])
        window["bad"] = window["bad"].astype("float").where(~unobserved)
        request = MonitorRequest(
            name,
            window,
            baseline=baseline,
            group_col="gender",
        )
        self._monitoring.run(SYSTEM_ACTOR, request)
