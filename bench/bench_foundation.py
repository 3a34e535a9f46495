"""Foundation benchmarks: password hashing, customer registration and audit verification.

Run: ``.venv/bin/python bench/bench_foundation.py [--records 20000]``. Uses a temporary SQLite
database; prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import base64
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from autolend.adapters.db.migrate import upgrade
from autolend.adapters.keys.vault import MasterKeyRing
from autolend.adapters.security.passwords import Argon2PasswordHasher
from autolend.bootstrap import build_container
from autolend.config import Settings
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.errors import Conflict
from autolend.services.auth import actor_of
from autolend.services.customers import CustomerInput
from autolend.services.demo import demo_resident_id


def time_hashing(rounds: int = 20) -> float:
    hasher = Argon2PasswordHasher()
    stored = hasher.hash("correct horse battery")
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        hasher.verify(stored, "correct horse battery")
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def registrations(home: Path, count: int) -> tuple[float, float, int]:
    settings = Settings(
        home=home,
        token_secret="bench-" + "x" * 40,
        master_keys=MasterKeyRing.generate("k1"),
        blind_index_key=base64.urlsafe_b64encode(b"k" * 32).decode(),
    )
    container = build_container(settings)
    upgrade(container.engine)
    customers = container.services.customers
    user = container.services.users.create(
        SYSTEM_ACTOR, username="bench", password="bench-password", roles=["underwriter"]
    )
    actor = actor_of(user)
    started = time.perf_counter()
    for i in range(count):
        born = date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        data = CustomerInput(
            name=f"客户{i}",
            id_number=demo_resident_id("110105", born, i % 1000),
            phone=f"139{i:08d}",
        )
        try:
            customers.register(actor, data, as_of=date(2026, 11, 28))
        except Conflict:  # a rare duplicate generated ID is skipped
            continue
    per_second = count / (time.perf_counter() - started)
    started = time.perf_counter()
    report = container.services.audit.verify()
    verify_seconds = time.perf_counter() - started
    assert report.ok
    return per_second, report.records_checked / verify_seconds, report.records_checked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=5000)
    args = parser.parse_args()
    hash_ms = time_hashing()
    with tempfile.TemporaryDirectory() as tmp:
        per_second, verified_per_second, records = registrations(Path(tmp), args.records)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print("| what | figure |")
    print("| --- | --- |")
    rows = [
        ("argon2id verify (m=19 MiB, t=2, p=1), median", f"{hash_ms:.1f} ms"),
        ("customer registration on SQLite (seal + blind index + audit)", f"{per_second:,.0f} /s"),
        (f"audit chain verification ({records:,} records)", f"{verified_per_second:,.0f} /s"),
    ]
    for what, figure in rows:
        print(f"| {what} | {figure} |")


if __name__ == "__main__":
    main()
