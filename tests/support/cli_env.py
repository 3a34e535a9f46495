"""A command-line test's environment: the command builds its own container from
``AUTOLEND_*`` variables, so a test points them at its own database and keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from autolend.bootstrap import Container


def point_cli_at(container: Container, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line reads ``container``'s database and keys, with ``home`` its home."""
    settings = container.settings
    monkeypatch.setenv("AUTOLEND_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("AUTOLEND_TOKEN_SECRET", settings.token_secret or "")
    monkeypatch.setenv("AUTOLEND_MASTER_KEYS", settings.master_keys or "")
    monkeypatch.setenv("AUTOLEND_BLIND_INDEX_KEY", settings.blind_index_key or "")
    monkeypatch.setenv("AUTOLEND_HOME", str(home))
