"""A bad ``AUTOLEND_*`` variable stops any command with one line naming the variable and
what it must be, exit 1: it was "error: ValidationError: 1 validation error for Settings"
(naming neither), or a traceback from ``autolend db upgrade``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.integration.test_cli_operator_errors import AUTOLEND, invoke, one_error_line

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUTOLEND_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AUTOLEND_DEMO", "true")
    return tmp_path / "home"


@pytest.mark.parametrize("command", [["serve"], ["db", "upgrade"], ["policy", "show"]])
def test_a_port_that_is_not_a_number_is_named_by_its_variable_whatever_the_command(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTOLEND_PORT", "abc")
    line = one_error_line(invoke(*command))
    assert line == "error: AUTOLEND_PORT must be a whole number, not 'abc'"


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("AUTOLEND_PORT", "0", "AUTOLEND_PORT must be at least 1, not '0'"),
        ("AUTOLEND_JURISDICTION", "XX", "AUTOLEND_JURISDICTION must be 'CN' or 'US', not 'XX'"),
        ("AUTOLEND_DEMO", "maybe", "AUTOLEND_DEMO must be true or false, not 'maybe'"),
        ("AUTOLEND_BUREAU_TIMEOUT_SECONDS", "soon",
         "AUTOLEND_BUREAU_TIMEOUT_SECONDS must be a number, not 'soon'"),
    ],
)  # fmt: skip
def test_each_kind_of_bad_setting_says_what_the_variable_must_be(
    variable: str, value: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    assert one_error_line(invoke("db", "upgrade")) == f"error: {said}"


def test_two_bad_settings_are_named_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOLEND_PORT", "abc")
    monkeypatch.setenv("AUTOLEND_SMTP_PORT", "70000")
    line = one_error_line(invoke("serve"))
    assert "AUTOLEND_SMTP_PORT must be at most 65535, not '70000'" in line
    assert "AUTOLEND_PORT must be a whole number, not 'abc'" in line


def test_autolend_serve_with_a_bad_port_variable_is_one_line_and_exit_1(home: Path) -> None:
    env = {"AUTOLEND_HOME": str(home), "AUTOLEND_PORT": "abc", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [AUTOLEND, "serve"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "error: AUTOLEND_PORT must be a whole number, not 'abc'"
    assert "Traceback" not in done.stdout + done.stderr
