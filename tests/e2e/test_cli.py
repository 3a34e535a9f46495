"""The ``autolend`` command line, run as a user runs it: help, version, errors, users, keys."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import autolend
from autolend.services.demo_applications import DEMO_PEOPLE

pytestmark = pytest.mark.e2e
AUTOLEND = str(Path(sys.executable).with_name("autolend"))


def run(
    *args: str, home: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "AUTOLEND_HOME": str(home), "COLUMNS": "200", **env}
    return subprocess.run(
        [AUTOLEND, *args],
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    result = run("--version", home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"autolend {autolend.__version__}"


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["db"],
        ["db", "upgrade"],
        ["user"],
        ["user", "create"],
        ["demo"],
        ["verify"],
        ["keys"],
        ["keys", "rotate"],
    ],
)
def test_every_command_has_help(tmp_path: Path, command: list[str]) -> None:
    result = run(*command, "--help", home=tmp_path)
    assert result.returncode == 0
    assert "Usage" in result.stdout


def test_without_secrets_outside_demo_mode_the_cli_names_the_missing_setting(
    tmp_path: Path,
) -> None:
    result = run("verify", home=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "AUTOLEND_MASTER_KEYS" in lines[0]


def test_demo_then_user_create_then_errors_are_one_line(tmp_path: Path) -> None:
    assert run("demo", home=tmp_path).returncode == 0
    created = run(
        "user",
        "create",
        "risk2",
        "--role",
        "risk",
        "--password-stdin",
        home=tmp_path,
        stdin="a-long-password\n",
    )
    assert created.returncode == 0, created.stderr
    assert "risk2" in created.stdout
    again = run(
        "user",
        "create",
        "risk2",
        "--role",
        "risk",
        "--password-stdin",
        home=tmp_path,
        stdin="a-long-password\n",
    )
    assert again.returncode == 1
    assert again.stderr.strip().count("\n") == 0 and "already exists" in again.stderr
    bad_role = run(
        "user",
        "create",
        "x2",
        "--role",
        "boss",
        "--password-stdin",
        home=tmp_path,
        stdin="a-long-password\n",
    )
    assert bad_role.returncode == 1 and "unknown role 'boss'" in bad_role.stderr
    short = run(
        "user", "create", "x3", "--role", "risk", "--password-stdin", home=tmp_path, stdin="short\n"
    )
    assert short.returncode == 1 and "password" in short.stderr


def test_db_upgrade_reports_the_revision(tmp_path: Path) -> None:
    result = run(
        "db", "upgrade", home=tmp_path, AUTOLEND_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"
    )
    assert result.returncode == 0
    assert "revision" in result.stdout


def test_keys_rotate_rewraps_every_record_under_the_new_key(tmp_path: Path) -> None:
    assert run("demo", home=tmp_path).returncode == 0
    import json

    secrets = json.loads((tmp_path / "demo-secrets.json").read_text())
    from autolend.adapters.keys.vault import MasterKeyRing

    ring = f"{MasterKeyRing.generate('k2')},{secrets['master_keys']}"
    rotated = run("keys", "rotate", home=tmp_path, AUTOLEND_MASTER_KEYS=ring)
    assert rotated.returncode == 0, rotated.stderr
    # The demo's customers and applicants, and the bureau reports of its applications.
    found = re.search(r"re-wrapped (\d+), already current 0", rotated.stdout)
    assert found and int(found.group(1)) >= 3 + len(DEMO_PEOPLE), rotated.stdout
    again = run("keys", "rotate", home=tmp_path, AUTOLEND_MASTER_KEYS=ring)
    assert f"re-wrapped 0, already current {found.group(1)}" in again.stdout
