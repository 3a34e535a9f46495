"""The database a command reads must have this version's schema: a home never set up, or
one an older autolend migrated, is one line saying what to run, where every command
printed ``error: OperationalError: (sqlite3.OperationalError) no such table: products``.

    $ AUTOLEND_DEMO=true autolend product list      # a new AUTOLEND_HOME
    error: the database sqlite:///.../autolend.db has no tables yet: run `autolend db
    upgrade` (or `autolend demo` for the demo data)

Commands that write (``demo``, ``db upgrade``, ``user create``, ``model train``, ...)
migrate first and are not checked.
"""

from __future__ import annotations

from sqlalchemy import Engine

__all__ = ["check_schema", "schema_problem"]


def schema_problem(engine: Engine) -> str | None:
    """What is wrong with the schema of ``engine``'s database, or None when it is at
    this version's newest revision.

    Example: an empty SQLite file -> ``the database sqlite:///a.db has no tables yet:
    run `autolend db upgrade` (or `autolend demo` for the demo data)``; one at revision
    0020 when 0021 is the newest -> ``the database sqlite:///a.db is at schema revision
    0020, this autolend needs 0021: run `autolend db upgrade```.
    """
    from autolend.adapters.db.migrate import current_revision, head_revision  # noqa: PLC0415

    where = engine.url.render_as_string(hide_password=True)
    current = current_revision(engine)
    if current is None:
        return (
            f"the database {where} has no tables yet: run `autolend db upgrade` "
            "(or `autolend demo` for the demo data)"
        )
    head = head_revision()
    if current != head:
        return (
            f"the database {where} is at schema revision {current}, this autolend needs "
            f"{head}: run `autolend db upgrade`"
        )
    return None


def check_schema(engine: Engine) -> None:
    """Fail with :func:`schema_problem`'s line (exit 1) unless the schema is current."""
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module

    problem = schema_problem(engine)
    if problem:
        raise fail(problem)
