"""What the platform imports at run time is installed by ``pip install autolend``:
every third-party module imported under ``src/autolend`` belongs to a distribution in
``[project].dependencies`` or one they require. ``httpx`` (the bureau adapter) sat in the
``dev`` group only, so a plain install failed at start-up with ``ModuleNotFoundError``."""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]


def imported_top_level_modules() -> set[str]:
    found: set[str] = set()
    for source in (ROOT / "src" / "autolend").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"autolend"}


def runtime_closure() -> set[str]:
    """The declared dependencies and, recursively, what they require (with the extras
    named, e.g. ``uvicorn[standard]``)."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pending = [Requirement(text) for text in declared]
    seen: set[str] = set()
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        pending.extend(_requirements_of(requirement))
    return seen


def _requirements_of(requirement: Requirement) -> Iterator[Requirement]:
    try:
        texts = requires(requirement.name) or []
    except PackageNotFoundError:  # a platform-only package absent here
        return
    for text in texts:
        needed = Requirement(text)
        extras = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
        if needed.marker is None or any(needed.marker.evaluate(env) for env in extras):
            yield needed


def test_every_module_imported_at_run_time_is_a_runtime_dependency() -> None:
    owners = packages_distributions()
    closure = runtime_closure()
    missing = {
        module: owners.get(module, ["?"])
        for module in imported_top_level_modules()
        if not any(canonicalize_name(d) in closure for d in owners.get(module, []))
    }
    assert missing == {}, f"imported under src/ but only a dev (or no) dependency: {missing}"


def test_the_check_sees_a_module_left_out_of_the_dependencies() -> None:
    owners = packages_distributions()
    assert "pytest" in owners and canonicalize_name(owners["pytest"][0]) not in runtime_closure()
    assert "httpx" in imported_top_level_modules()
