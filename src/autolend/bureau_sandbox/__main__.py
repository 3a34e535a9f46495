"""``python -m autolend.bureau_sandbox --port P``: run the sandbox bureau.

Defaults come from the environment (``BUREAU_SANDBOX_LATENCY_MS``,
``BUREAU_SANDBOX_FAIL_RATE``, ``BUREAU_SANDBOX_FAIL_STATUS``); options win.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from autolend.bureau_sandbox.app import serve


def main(argv: Sequence[str] | None = None) -> None:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m autolend.bureau_sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--latency-ms", type=int, default=int(env.get("BUREAU_SANDBOX_LATENCY_MS", "0"))
    )
    parser.add_argument(
        "--fail-rate", type=float, default=float(env.get("BUREAU_SANDBOX_FAIL_RATE", "0"))
    )
    parser.add_argument(
        "--fail-status", type=int, default=int(env.get("BUREAU_SANDBOX_FAIL_STATUS", "503"))
    )
    args = parser.parse_args(argv)
    serve(
        host=args.host,
        port=args.port,
        latency_ms=args.latency_ms,
        fail_rate=args.fail_rate,
        fail_status=args.fail_status,
    )


if __name__ == "__main__":
    main()
