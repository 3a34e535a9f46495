"""The database a command reads must have this version's schema: a home never set up, or
one an older autolend migrated, is one line saying what to run, where every command
printed ``error: OperationalError: (sqlite3.OperationalError) no such table: products``.

    $ AUTOLEND_DEMO=true autolend product list      # a new AUTOLEND_HOME
    error: the database sqlite:///.../autolend.db has no tables yet: run `autolend db
    upgrade` (or `autolend demo` for the demo data)

Commands that write (``demo``, ``db upgrade``, ``user create``, ``model train``, ...)
migrate first and are not checked.

The other commands only use a database that is there: on a home with no SQLite file yet
they say the same line without opening it (:func:`set_up`), where opening it made an
empty ``autolend.db`` (and the home folder) before failing.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from autolend.config import Settings

__all__ = ["check_schema", "missing_database", "schema_problem", "set_up"]


def _never_set_up(where: str) -> str:
    return (
        f"the database {where} has no tables yet: run `autolend db upgrade` "
        "(or `autolend demo` for the demo data)"
    )


def missing_database(url: str) -> str | None:
    """:func:`schema_problem`'s line for a database never set up when ``url`` names an
    SQLite file that does not exist (opening it would create it), else None: the file is
    there, the database lives in memory, or it is not SQLite (PostgreSQL answers for
    itself once connected).

    Example: ``sqlite:////srv/none/autolend.db`` with no such file -> ``the database
    sqlite:////srv/none/autolend.db has no tables yet: run `autolend db upgrade` (or
    `autolend demo` for the demo data)``; ``postgresql://db/autolend`` -> None.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    database = parsed.database
    if database.startswith("file:"):  # an SQLite URI filename: file:path?mode=...
        if parsed.query.get("mode") == "memory" or "mode=memory" in database:
            return None
        database = urlsplit(database).path
    if database in {"", ":memory:"} or Path(database).exists():
        return None
    return _never_set_up(parsed.render_as_string(hide_password=True))


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
        return _never_set_up(where)
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


def set_up(settings: Settings) -> Settings:
    """``settings``, once its database is known to be there: fail with
    :func:`missing_database`'s line (exit 1) when its SQLite file is not, before anything
    opens (and so creates) it. A bad ECL parameters file, then a secret not set outside
    demo mode, are named first, as ``build_container`` names them before anything else."""
    from autolend.cli import ecl_parameters_in_force, fail  # noqa: PLC0415 - cli imports this

    ecl_parameters_in_force()  # a ConfigurationError naming the file's field
    # A missing secret first, as build_container names it (demo mode, or a home holding
    # the demo's secrets file, has them).
    if not settings.demo and not (settings.home / "demo-secrets.json").exists():
        for name in ("master_keys", "blind_index_key", "token_secret"):
            if not getattr(settings, name):
                raise fail(f"AUTOLEND_{name.upper()} is not set (or run in demo mode with "
                           "AUTOLEND_DEMO=true)")  # fmt: skip
    problem = missing_database(settings.resolved_database_url())
    if problem:
        raise fail(problem)
    return settings
