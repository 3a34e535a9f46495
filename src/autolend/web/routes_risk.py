"""The risk pages: the model registry, model cards, scorecard download and monitoring.

Everything here needs ``model:read`` (risk, compliance, auditor, administrator); an unknown
model or version answers the 404 page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from autolend.domain.access import Permission
from autolend.domain.errors import InvalidInput, NotFound, PermissionDenied
from autolend.services.models import RegisteredModel, model_currency
from autolend.web.deps import PageForbidden, PageNotFound, SignedIn, WebStateDep, needs
from autolend.web.group_names import group_column_label, group_value_label
from autolend.web.model_card import card_context, instant_of
from autolend.web.monitoring_charts import feature_rows, monitoring_charts, month_rows

router = APIRouter(include_in_schema=False)
ModelReader = Annotated[SignedIn, Depends(needs(Permission.MODEL_READ))]
MAX_VERSION = 2**31 - 1
# Excel reads a CSV without a byte-order mark in the system's code page (GBK on a Chinese
# Windows), which garbles every non-ASCII bin label; with it, as UTF-8.
UTF8_BOM = "\ufeff"


def registry_rows(entries: list[RegisteredModel]) -> list[dict[str, Any]]:
    """One row per registered version, newest first per name, with the currency of its
    amounts (a model of yuan never scores a dollar application)."""
    return [
        {
            "name": e.name,
            "version": e.version,
            "trained_at": instant_of(e.metadata.get("trained_at")),
            "primary": e.metadata["card"]["primary"],
            "auc": e.metadata["card"]["metrics"]["auc"],
            "rows": e.metadata["data"]["rows"],
            "currency": model_currency(e.metadata),
            "latest": i == 0 or entries[i - 1].name != e.name,
        }
        for i, e in enumerate(entries)
    ]


@router.get("/risk/models")
def models(request: Request, state: WebStateDep, signed: ModelReader) -> Response:
    """Every registered model version."""
    rows = registry_rows(state.services.models.versions(signed.actor))
    return state.renderer.render(request, "risk_models.html", {"rows": rows}, signed=signed)


def _version(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_VERSION:
        raise PageNotFound("not a model version")
    return int(text)


def _describe(state: WebStateDep, signed: SignedIn, name: str, version: int | None) -> Any:
    try:
        return state.services.models.describe(signed.actor, name, version)
    except NotFound:
        raise PageNotFound("model not found") from None
    except PermissionDenied as error:
        raise PageForbidden(error.message) from None


def _card_page(
    request: Request, state: WebStateDep, signed: SignedIn, name: str, version: int | None
) -> Response:
    entry = _describe(state, signed, name, version)
    locale = state.renderer.locale_of(request)
    context = {**card_context(entry.metadata, locale), "entry": entry}
    return state.renderer.render(request, "risk_model.html", context, signed=signed)


@router.get("/risk/models/{name}")
def model_latest(name: str, request: Request, state: WebStateDep, signed: ModelReader) -> Response:
    """The model card of the latest version."""
    return _card_page(request, state, signed, name, None)


@router.get("/risk/models/{name}/v/{version}")
def model_version(
    name: str, version: str, request: Request, state: WebStateDep, signed: ModelReader
) -> Response:
    """The model card of one version."""
    return _card_page(request, state, signed, name, _version(version))


@router.get("/risk/models/{name}/v/{version}/scorecard.csv")
def scorecard_csv(name: str, version: str, state: WebStateDep, signed: ModelReader) -> Response:
    """The champion scorecard (feature, bin, count, event rate, WoE, points) as CSV, UTF-8
    with a byte-order mark so that Excel opens it as UTF-8."""
    number = _version(version)
    entry = _describe(state, signed, name, number)
    try:
        text = state.services.models.scorecard_csv(signed.actor, entry.name, entry.version)
    except (NotFound, InvalidInput):
        raise PageNotFound("model not found") from None
    filename = f"scorecard-{entry.name}-v{entry.version}.csv"
    return Response(
        UTF8_BOM + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def report_view(report: Any, gettext: Any, locale: str = "en") -> dict[str, Any]:
    """What the monitoring page shows of one stored report, in ``locale``."""
    body: Mapping[str, Any] = report.report
    return {
        "name": report.name,
        "version": report.version,
        "status": report.status,
        "created_at": report.created_at,
        "body": body,
        "charts": monitoring_charts(body, gettext, locale),
        "months": month_rows(body),
        "features": feature_rows(body, locale, gettext),
        "fairness": fairness_view(body, gettext),
    }


def fairness_view(body: Mapping[str, Any], gettext: Any) -> dict[str, Any] | None:
    """The fairness section's names in the page's language (:mod:`group_names`): the
    attribute, and each group and gap by ``label`` beside its stored ``group`` code."""
    fairness = body.get("fairness")
    if not fairness:
        return None
    column = str(fairness["group_col"])

    def named(item: Mapping[str, Any]) -> dict[str, Any]:
        return {**item, "label": group_value_label(column, str(item["group"]), gettext)}

    reference = str(fairness["reference_group"])
    return {
        **fairness,
        "column_label": group_column_label(column, gettext),
        "reference_label": group_value_label(column, reference, gettext),
        "groups": [named(g) for g in fairness["groups"]],
        "largest_gaps": [named(g) for g in fairness.get("largest_gaps") or []],
    }


@router.get("/risk/monitoring")
def monitoring(request: Request, state: WebStateDep, signed: ModelReader) -> Response:
    """The latest monitoring report of each model, with its charts and status badges."""
    locale = state.renderer.locale_of(request)
    gettext = state.renderer.gettext(locale)
    reports = state.services.model_monitoring.latest(signed.actor)
    views = [report_view(r, gettext, locale) for r in reports]
    return state.renderer.render(request, "risk_monitoring.html", {"reports": views}, signed=signed)
