"""``autolend serve`` on a port another server holds: it printed its banner ("serving on
http://127.0.0.1:8772"), the demo sign-ins, then uvicorn's "[Errno 98] error while
attempting to bind" and exit status 3. Now it is one line naming the port and the
option to change, exit status 1, before anything starts (no database, no demo bureau)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from autolend.cli import app
from autolend.cli_port import check_port, listen_address
from tests.integration.test_cli_operator_errors import one_error_line


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUTOLEND_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AUTOLEND_DEMO", "true")
    return tmp_path / "home"


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port some other server listens on while the test runs."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def test_serve_on_a_port_in_use_is_one_line_naming_it_and_suggesting_port(
    taken_port: int, home: Path
) -> None:
    result = CliRunner().invoke(app, ["serve", "--port", str(taken_port)])

    line = one_error_line(result)
    assert line == (
        f"error: port {taken_port} on 127.0.0.1 is already in use (another server?): "
        "choose another with --port"
    )
    assert "serving on" not in result.stdout
    assert not home.exists()  # refused before the database was made


def test_the_port_from_the_environment_is_checked_too(
    taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTOLEND_PORT", str(taken_port))
    with pytest.raises(typer.Exit) as refused:
        listen_address(None, None)
    assert refused.value.exit_code == 1


def test_a_free_port_is_served_on_and_the_options_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    monkeypatch.setenv("AUTOLEND_HOST", "0.0.0.0")
    assert listen_address("127.0.0.1", port) == ("127.0.0.1", port)
    check_port("127.0.0.1", port)  # no exit: free


def test_a_host_that_is_no_address_names_host(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit):
        check_port("no.such.host.invalid", 8000)  # .invalid: never a name (RFC 2606)
    said = capsys.readouterr().err
    assert said.startswith("error: cannot listen on no.such.host.invalid: ")
    assert said.rstrip().endswith("(--host)")
