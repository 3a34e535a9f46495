"""Each page template compiled once a test process, not once per application.

Every test that builds the web application (``create_app``) gets new Jinja environments,
each of which compiled every template it rendered from its source again: about a fifth of
the CPU of a test that renders pages. Within :func:`templates_compiled_once` every
environment :func:`autolend.web.render.build_environment` makes shares one in-memory
bytecode cache (Jinja's own :class:`jinja2.BytecodeCache`): the first environment to load a
template compiles it with the real compiler and stores the code, keyed by template and
checked against the source; later environments load that code and render with their own
locale, filters and globals. All of them are built with the same options, so the code is
the code each would have compiled; a template whose source changed is compiled again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from autolend.domain.date_text import DateStyle
from autolend.web import model_card, render


class _InMemory(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@contextmanager
def templates_compiled_once() -> Iterator[None]:
    """Within the block, the application's Jinja environments share compiled templates."""
    build = render.build_environment
    shared = _InMemory()

    def sharing(locale: str, zone: str, date_style: DateStyle = "iso") -> Environment:
        env = build(locale, zone, date_style)
        env.bytecode_cache = shared
        return env

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "build_environment", sharing)
        patch.setattr(model_card, "build_environment", sharing)
        yield
