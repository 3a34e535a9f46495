"""Credit models: the registry, one version's metadata, and scoring an application.

``model:read`` (risk, compliance, auditor, administrator) for all three.
``GET /models/{name}`` answers the latest version (``?version=N`` for another) without the
model card's curves and bin tables unless ``?curves=true``.  ``POST /models/{name}/score``
takes the application as a JSON object of feature values and, beside them, the
``currency`` of its amounts (CNY when not given, as before models recorded theirs); 404
names an unknown model, 422 the first missing or malformed feature (``field``) or an
application in another currency than the model's (``currency``: a model trained on yuan
would read a $9,000.00 income as 9,000 yuan).  ``GET /models`` says each version's
``currency``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query

from autolend.api.deps import ServicesDep, require
from autolend.api.schema_catalogue_responses import ModelDescription
from autolend.api.schema_models import (
    Application,
    ModelSummary,
    ReasonResponse,
    ScoreResponse,
    without_curves,
)
from autolend.domain.access import Actor, Permission
from autolend.services.models import model_currency

router = APIRouter(tags=["models"])
ModelReader = Annotated[Actor, Depends(require(Permission.MODEL_READ))]
Name = Annotated[str, Path(description="The model's name, as `GET /models` lists it")]


@router.get("/models", response_model=list[ModelSummary])
def list_models(actor: ModelReader, services: ServicesDep) -> list[ModelSummary]:
    """Every registered version, newest first per name."""
    entries = services.models.versions(actor)
    rows = []
    for i, entry in enumerate(entries):
        card = entry.metadata["card"]
        rows.append(
            ModelSummary(
                name=entry.name,
                version=entry.version,
                trained_at=entry.metadata.get("trained_at"),
                primary=card["primary"],
                reason_method=card["reason_method"],
                auc=card["metrics"]["auc"],
                ks=card["metrics"]["ks"],
                rows=entry.metadata["data"]["rows"],
                bad_rate=entry.metadata["data"]["bad_rate"],
                latest=i == 0 or entries[i - 1].name != entry.name,
                currency=model_currency(entry.metadata),
            )
        )
    return rows


@router.get("/models/{name}", response_model=None, responses={200: {"model": ModelDescription}})
def describe_model(
    name: Name,
    actor: ModelReader,
    services: ServicesDep,
    version: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="A version; default: the latest")
    ] = None,
    curves: Annotated[
        bool, Query(description="Include the model card's curves and bin tables")
    ] = False,
) -> dict[str, Any]:
    """The registry metadata of one version (data, features, metrics, card, libraries)."""
    metadata = dict(services.models.describe(actor, name, version).metadata)
    return metadata if curves else without_curves(metadata)


@router.post("/models/{name}/score", response_model=ScoreResponse)
def score_application(
    name: Name,
    actor: ModelReader,
    services: ServicesDep,
    application: Annotated[Application, Body()],
) -> ScoreResponse:
    """PD, points score, grade and up to four adverse reasons from the latest version."""
    result = services.models.score(actor, application, name=name)
    return ScoreResponse(
        pd=result.pd,
        score=result.score,
        grade=result.grade,
        reasons=[ReasonResponse(**asdict(r)) for r in result.reasons],
        reason_method=result.reason_method,
        model_version=result.model_version,
    )
