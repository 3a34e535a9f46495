"""Checks that the OpenAPI document describes what the API really answers.

Routes document their success bodies as Pydantic models (``autolend.api.schema_*``,
documentation only: the routes return what the services give). ``answered`` validates a
real body against its model; ``check_document`` checks that the document points each
route's answer at its model and that every model's examples are bodies it accepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

Route = tuple[str, str, str]
"""(method, path, status) as the document keys them: ("post", "/api/v1/loans", "201")."""


def answered(response: Any, status: int, model: type[BaseModel]) -> dict[str, Any]:
    """The body of ``response``, which must have ``status`` and validate against
    ``model`` (no field missing from it, none it does not document)."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    model.model_validate(body)
    return body


def check_document(
    document: dict[str, Any],
    documented: Mapping[Route, type[BaseModel]],
    more: Iterable[type[BaseModel]] = (),
    *,
    examples_required: bool = True,
) -> None:
    """Each route of ``documented`` answers a ``$ref`` to its model; each of those models
    and of ``more`` (the models nested in them) forbids undocumented fields and has
    examples (where ``examples_required``), each a body the model accepts."""
    for (method, path, status), model in documented.items():
        answer = document["paths"][path][method]["responses"][status]
        schema = answer["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model.__name__}"}, path
    schemas = document["components"]["schemas"]
    for each in [*documented.values(), *more]:
        shown = schemas[each.__name__]
        assert shown.get("additionalProperties") is False, each.__name__
        assert shown.get("examples") or not examples_required, each.__name__
        for example in shown.get("examples", []):
            each.model_validate(example)  # the example is a body the model accepts
