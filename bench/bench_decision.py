"""Decision and offers in process: CPU per application of ``decide`` and ``build_offers``.

Run: ``.venv/bin/python -m bench.bench_decision [--calls 500]``.

The unit tests' approved application (STD_NEW, 200,000.00 with 50,000.00 down over 36
months, a clean bureau summary, PD 3 %) is decided under the default policy and priced
into its offers (up to four, each a schedule and an APR solve), ``--calls`` times after 50
warm-ups; the figure is the calling thread's CPU time per application, p50 / p99. It is
the pure-domain part of ``POST /applications/{id}/submit`` (bench_intake times the whole
request); timings belong here, never in tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

from autolend.domain.decision import decide
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.offers import build_offers
from autolend.domain.product_catalogue import STANDARD_NEW
from tests.unit.domain.test_decision import AS_OF, application, facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    args = parser.parse_args()
    app = application()

    def one() -> tuple[float, float, int]:
        began = time.thread_time()
        decision = decide(facts(app), DEFAULT_POLICY)
        decided = time.thread_time()
        offers = build_offers(STANDARD_NEW, app, decision, start=AS_OF)
        return decided - began, time.thread_time() - decided, len(offers)

    for _ in range(50):
        one()
    runs = sorted((one() for _ in range(args.calls)), key=lambda r: r[0] + r[1])
    total = sorted(1000 * (d + o) for d, o, _ in runs)
    decide_ms = sorted(1000 * d for d, _, _ in runs)
    print(json.dumps({
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "calls": args.calls, "offers": runs[0][2],
        "decide_ms_p50": round(decide_ms[len(runs) // 2], 3),
        "decide_and_offers_ms_p50": round(total[len(runs) // 2], 3),
        "decide_and_offers_ms_p99": round(total[int(len(runs) * 0.99)], 3),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
