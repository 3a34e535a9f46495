"""End-of-day kernels on an in-memory synthetic book (issue P1.6, docs/benchmarks.md).

    .venv/bin/python bench/bench_eod.py 1000000 10000000

prints one JSON line per size, as ``autolend bench eod --loans N --json`` does.
"""

from __future__ import annotations

import json
import sys

from autolend.batch.bench_eod import bench_eod

if __name__ == "__main__":
    for size in (int(arg) for arg in sys.argv[1:] or ["1000000"]):
        print(json.dumps(bench_eod(size)), flush=True)
