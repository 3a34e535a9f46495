"""Scoring benchmark: single-application latency and artifact size of a trained credit model.

Run: ``bash scripts/fetch-german-credit.sh && .venv/bin/python -m bench.bench_scoring
[--data var/cache/germancredit.csv] [--target creditability] [--bad bad] [--seed 0]
[--calls 2000]``.

Trains one model (``train_model``), then for each primary (champion, challenger, ensemble =
champion + bounded forest by rank) times ``CreditModel.score`` on single applications
(p50 / p99 / max wall time, and p50 / p99 CPU time of the calling thread, over ``--calls``
calls after 100 warm-up calls, cycling through the rows),
times ``score_batch`` over all rows, and prints the pickled size of the whole model and of
its forest.  The budget is 5 ms per application (issue P1.4); timings belong here, never in
tests.
"""

from __future__ import annotations

import argparse
import json
import pickle
import platform
import time
from dataclasses import replace

import numpy as np

from autolend.risk.model import CreditModel, train_model
from bench.german_data import add_data_arguments, training_data_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()

    data = training_data_of(args)
    started = time.perf_counter()
    model = train_model(data, name=args.data.stem, seed=args.seed)
    train_seconds = time.perf_counter() - started
    applications = data.features.to_dict("records")
    result = {
        "data": str(args.data),
        "rows": data.rows,
        "train_wall_s": round(train_seconds, 1),
        "primary": model.primary,
        "candidate_auc": dict(model.metrics.candidate_auc),
        "artifact_bytes": len(pickle.dumps(model)),
        "forest_bytes": len(pickle.dumps(model.forest)),
        "forest_nodes": model.forest.nodes if model.forest else 0,
        "score_ms": {
            primary: _latency(_as_primary(model, primary), applications, args.calls)
            for primary in ("champion", "challenger", "ensemble")
        },
        "batch_rows_per_s": {
            primary: _batch_rate(_as_primary(model, primary), data.features)
            for primary in ("champion", "challenger", "ensemble")
        },
        "machine": f"{platform.processor() or platform.machine()}, {platform.python_version()}",
    }
    print(json.dumps(result, indent=2))


def _as_primary(model: CreditModel, primary: str) -> CreditModel:
    """The same fitted model with another primary, to time every scoring path."""
    return replace(model, primary=primary)  # type: ignore[arg-type]


def _latency(
    model: CreditModel, applications: list[dict[str, object]], calls: int
) -> dict[str, float]:
    for application in applications[:100]:
        model.score(application)
    timings, cpu = [], []
    for i in range(calls):
        started, started_cpu = time.perf_counter(), time.thread_time()
        model.score(applications[i % len(applications)])
        cpu.append(time.thread_time() - started_cpu)
        timings.append(time.perf_counter() - started)
    millis, cpu_millis = np.array(timings) * 1000, np.array(cpu) * 1000
    return {
        "p50": round(float(np.percentile(millis, 50)), 3),
        "p99": round(float(np.percentile(millis, 99)), 3),
        "max": round(float(millis.max()), 3),
        # CPU time of this thread: what the call costs, without waiting for a busy core
        "cpu_p50": round(float(np.percentile(cpu_millis, 50)), 3),
        "cpu_p99": round(float(np.percentile(cpu_millis, 99)), 3),
    }


def _batch_rate(model: CreditModel, frame: object) -> int:
    started = time.perf_counter()
    model.score_batch(frame)
    return round(len(frame) / (time.perf_counter() - started))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
