"""The command line's settings: a bad ``AUTOLEND_*`` variable is one line naming the
variable and what it must be, where it was "ValidationError: 1 validation error for
Settings" (or a traceback) that named neither.

    $ AUTOLEND_PORT=abc autolend serve
    error: AUTOLEND_PORT must be a whole number, not 'abc'
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from autolend.config import Settings

__all__ = ["one_line", "read_settings", "settings_problem"]

# What a value must be, by Pydantic's error type; the bounds come from the error's context.
_MUST_BE = {
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "int_type": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "greater_than_equal": "at least {ge}",
    "greater_than": "more than {gt}",
    "less_than_equal": "at most {le}",
    "less_than": "less than {lt}",
    "literal_error": "{expected}",
}
# A secret's value is not echoed: an error line may land in a log others read.
_SECRETS = frozenset({
    "token_secret", "master_keys", "blind_index_key", "metrics_token", "signing_code_key",
    "smtp_password", "sms_token",
})  # fmt: skip


def read_settings(**overrides: object) -> Settings:
    """The settings from the environment (``overrides`` win), or exit 1 with one line
    naming each bad variable (:func:`settings_problem`)."""
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise fail(settings_problem(error) or str(error).splitlines()[0]) from None


def one_line(error: Exception) -> str:
    """An unexpected error as one line: a bad setting named by its variable, anything
    else as ``Type: first line of its message``.

    >>> one_line(OSError("database unreachable"))
    'OSError: database unreachable'
    """
    if isinstance(error, ValidationError) and (problem := settings_problem(error)):
        return problem
    return f"{type(error).__name__}: {error}".splitlines()[0]


def settings_problem(error: ValidationError) -> str | None:
    """Each bad variable of a Settings ``error`` and what it must be, ``; `` between
    them; None where the error is not the settings'. ``AUTOLEND_PORT=abc`` gives
    ``AUTOLEND_PORT must be a whole number, not 'abc'``; ``AUTOLEND_PORT=0``, ``... must be
    at least 1, not '0'``."""
    if error.title != Settings.__name__:
        return None
    return "; ".join(_variable_problem(each) for each in error.errors())


def _variable_problem(each: Any) -> str:
    loc = [str(part) for part in each.get("loc", ())]
    if not loc:  # a rule across settings (a model validator): its own words
        return str(each.get("msg", "invalid settings"))
    variable = f"{Settings.model_config.get('env_prefix', '')}{loc[0]}".upper()
    try:
        what = _MUST_BE[each.get("type", "")].format(**each.get("ctx", {}))
    except KeyError:  # another kind of error, or its bound not given
        what = None
    said = f"must be {what}" if what else f"is not valid ({each.get('msg', 'invalid')})"
    if loc[0] in _SECRETS or "input" not in each:
        return f"{variable} {said}"
    return f"{variable} {said}, not {str(each['input'])!r}"
