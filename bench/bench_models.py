"""Credit-model benchmark on UCI Statlog German Credit (or any CSV / Parquet with a target).

Run: ``bash scripts/fetch-german-credit.sh && .venv/bin/python bench/bench_models.py
[--data var/cache/germancredit.csv] [--target creditability] [--bad bad] [--folds 5]
[--repeats 5] [--seed 0] [--calls 1000]``.

Prints one JSON object: repeated stratified k-fold AUC (mean, spread), Gini and KS of the
champion (WoE scorecard), challenger (monotone LightGBM), bounded forest and the ensemble
(champion + forest by rank), the wall time of
the cross-validation, the primary model ``train_model`` picks, and the latency of
``CreditModel.score`` on single applications (p50 / p99 over ``--calls`` calls after 50
warm-up calls).  Anchors (5-fold AUC, docs/CREDIT_MODELS.md): optbinning WoE + LR 0.793,
LightGBM 0.794.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import numpy as np

from autolend.risk.cv import cross_validate
from autolend.risk.model import CreditModel, train_model
from bench.german_data import add_data_arguments, training_data_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()

    data = training_data_of(args)
    started = time.perf_counter()
    report = cross_validate(data, folds=args.folds, repeats=args.repeats, seed=args.seed)
    cv_seconds = time.perf_counter() - started

    started = time.perf_counter()
    model = train_model(data, name=args.data.stem, seed=args.seed)
    train_seconds = time.perf_counter() - started
    applications = data.features.to_dict("records")
    latency = {
        primary: _latency(_as_primary(model, primary), applications, args.calls)
        for primary in ("champion", "challenger", "ensemble")
    }
    result = {
        "data": str(args.data),
        "cv": report.as_dict(),
        "cv_best": report.best,
        "cv_wall_s": round(cv_seconds, 1),
        "train_wall_s": round(train_seconds, 1),
        "primary": model.primary,
        "calibration": model.calibration.method,
        "out_of_fold": {
            "candidate_auc": dict(model.metrics.candidate_auc),
            "brier_calibrated": round(model.metrics.brier, 4),
        },
        "score_latency_ms": latency,
        "machine": f"{platform.processor() or platform.machine()}, {platform.python_version()}",
    }
    print(json.dumps(result, indent=2))


def _as_primary(model: CreditModel, primary: str) -> CreditModel:
    """The same fitted model with another primary, to time every scoring path."""
    from dataclasses import replace  # noqa: PLC0415 - bench helper only

    return replace(model, primary=primary)  # type: ignore[arg-type]


def _latency(model: CreditModel, applications: list[dict[str, object]], calls: int) -> dict:
    for application in applications[:50]:
        model.score(application)
    timings = []
    for i in range(calls):
        started = time.perf_counter()
        model.score(applications[i % len(applications)])
        timings.append(time.perf_counter() - started)
    millis = np.array(timings) * 1000
    return {
        "p50": round(float(np.percentile(millis, 50)), 3),
        "p99": round(float(np.percentile(millis, 99)), 3),
    }


if __name__ == "__main__":
    main()
