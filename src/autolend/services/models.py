"""Credit models as a service: train and register, read cards, score applications.

Training runs outside any transaction (it takes seconds to minutes); registering the
version, its artifact hash and metadata, and the audit record is one transaction.  A
version's artifact is loaded only after its SHA-256 matches the registry's, and kept in
memory per (name, version), so scoring an application costs the model's arithmetic only.

The registry entry (metadata) holds: the data file's SHA-256, rows and bad rate, target
and bad value, feature names and kinds (and the columns left out: identifiers, the true PD
of synthetic data, protected attributes), the metrics, the reason-code method, training
seconds, library versions and the model card's evidence (:mod:`autolend.risk.card`), and
the ``currency`` of its amount features (income, debts, price): a version registered
before the key existed reads as CNY, the only currency models were trained on then.

Decisioning scores an application only with a model of its own currency: the newest
version of :func:`decision_model_name` (``default`` for CNY, ``default-usd`` for USD) whose
recorded currency is the application's (:meth:`ModelService.decision_model_in`). A model
trained on yuan would read a $9,000.00 income as 9,000 yuan, a low one.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata as package_metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from autolend.domain.money import currency as known_currency
from autolend.services.audit import record_change
from autolend.services.model_ports import NewModelVersion
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from autolend.risk.challenger import ChallengerSettings
    from autolend.risk.model import CreditModel, ScoreResult
    from autolend.risk.scorecard import ScorecardScaling

__all__ = [
    "DEFAULT_MODEL", "FIRST_CURRENCY", "ModelService", "RegisteredModel", "TrainRequest",
    "check_application_currency", "check_model_currency", "check_model_name", "decision_model_name",
    "model_currency",
]  # fmt: skip

DEFAULT_MODEL = "default"
FIRST_CURRENCY = "CNY"  # of every version registered before models recorded a currency
LIBRARIES = ("autolend", "numpy", "pandas", "scikit-learn", "optbinning", "lightgbm", "scipy")
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")


@dataclass(frozen=True)
class TrainRequest:
    """What to train on: a CSV or Parquet file, its binary target and the bad value.

    ``exclude`` columns are never features (identifiers, outcomes known only later);
    ``protected`` columns are kept out of the model too and recorded as such, for fairness
    monitoring only.  ``folds`` and ``challenger`` trade accuracy for time (the demo model
    uses fewer folds and trees); the defaults are the robust ones."""

    data_path: Path
    target: str
    bad: str | None
    name: str
    seed: int = 0
    exclude: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    folds: int = 5
    challenger: ChallengerSettings | None = None
    scaling: ScorecardScaling | None = None  # default: 600 points at odds 50:1, 20 to double
    currency: str = FIRST_CURRENCY  # of the amount features (income, debts, price)


@dataclass(frozen=True)
class RegisteredModel:
    name: str
    version: int
    metadata: Mapping[str, Any] = field(repr=False)


def check_model_name(name: str) -> str:
    if not name or len(name) > 64 or not set(name) <= NAME_CHARS:
        message = "name must be 1-64 lower-case letters, digits, '-', '_' or '.'"
        raise InvalidInput(message, field="name")
    return name


def decision_model_name(currency: str) -> str:
    """The registry name decisioning scores an application in ``currency`` with:
    ``default`` for CNY (the name it always had), else ``default-`` and the code in lower
    case: ``decision_model_name("USD")`` is ``default-usd``."""
    return DEFAULT_MODEL if currency == FIRST_CURRENCY else f"{DEFAULT_MODEL}-{currency.lower()}"


def model_currency(metadata: Mapping[str, Any]) -> str:
    """The currency of a version's amount features; CNY for a version registered before
    the registry recorded it."""
    return str(metadata.get("currency", FIRST_CURRENCY))


def check_model_currency(name: str, code: str) -> str:
    """``code`` if it is a known currency and ``name`` is not the decision model of another
    one (``default-usd`` trained on CNY amounts would score dollars as yuan)."""
    known_currency(code)  # InvalidInput naming the field "currency"
    claimed = _decision_currency(name)
    if claimed is not None and claimed != code:
        raise InvalidInput(
            f"{name!r} is the decision model of {claimed} amounts, not {code}: train it on "
            f"{claimed} amounts, or name a {code} model {decision_model_name(code)!r}",
            field="currency",
        )
    return code


def _decision_currency(name: str) -> str | None:
    """The currency whose decision model ``name`` is: CNY for ``default``, USD for
    ``default-usd``; None for any other name."""
    if name == DEFAULT_MODEL:
        return FIRST_CURRENCY
    prefix = f"{DEFAULT_MODEL}-"
    if not name.startswith(prefix):
        return None
    try:
        return known_currency(name.removeprefix(prefix).upper()).code
    except InvalidInput:  # "default-test" is no currency's: any currency may use it
        return None


def _entry(name: str, version: int, metadata_json: str) -> RegisteredModel:
    """A registry row as read: its metadata with the currency (CNY when it predates it)."""
    metadata = json.loads(metadata_json)
    return RegisteredModel(
        name, version, {**metadata, "currency": model_currency(metadata), "version": version}
    )


def _libraries() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = package_metadata.version(name)
        except package_metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


class ModelService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._loaded: dict[tuple[str, int], CreditModel] = {}
        self._currencies: dict[tuple[str, int], str] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _check(actor: Actor, permission: Permission) -> None:
        if not actor.can(permission):
            raise PermissionDenied(f"your role may not {permission.value}")

    def train(
        self,
        actor: Actor,
        request: TrainRequest,
        progress: Callable[[int, int], None] | None = None,
    ) -> RegisteredModel:
        """Train on the file and register the result as the name's next version;
        ``progress(done, total)`` as the fits go (the folds, then the final one)."""
        # The modelling libraries (seconds) load after the file and target are read.
        from autolend.risk.dataset import load_table, training_data  # noqa: PLC0415

        self._check(actor, Permission.MODEL_TRAIN)
        name = check_model_name(request.name)
        currency = check_model_currency(name, request.currency)
        began = time.perf_counter()
        frame = load_table(request.data_path)
        left_out = _left_out(frame.columns, request)
        data = training_data(frame.drop(columns=left_out), request.target, request.bad)
        from autolend.risk.card import model_card  # noqa: PLC0415

        model, oof_pd = _fit(data, name, request, progress)
        seconds = time.perf_counter() - began
        meta = {
            "data": {
                "file": request.data_path.name,
                "sha256": _file_sha256(request.data_path),
                "rows": data.rows,
                "bad_rate": round(data.bad_rate, 6),
                "target": request.target,
                "bad": data.bad_label,  # the value that meant bad, also when guessed
                "excluded": [c for c in left_out if c not in request.protected],
                "protected": list(request.protected),
            },
            "currency": currency,
            "features": [{"name": n, "kind": k} for n, k in model.features.items()],
            "seed": request.seed,
            "training_seconds": round(seconds, 2),
            "libraries": _libraries(),
            "card": model_card(model, data, oof_pd),
        }
        return self._register(actor, name, model, meta)

    def _register(
        self, actor: Actor, name: str, model: CreditModel, meta: dict[str, Any]
    ) -> RegisteredModel:
        artifact = pickle.dumps(model, protocol=5)
        digest = hashlib.sha256(artifact).hexdigest()
        with self._uow(write=True) as uow:
            now = self._clock.now()
            meta["trained_at"] = now.isoformat()
            meta["artifact_sha256"] = digest
            version = uow.models.add(
                NewModelVersion(name, artifact, digest, json.dumps(meta), now, actor.user_id)
            )
            record_change(
                uow,
                self._clock,
                actor,
                action="model.train",
                object_type="model",
                object_id=f"{name}@{version}",
                summary={"sha256": digest, "auc": f"{meta['card']['metrics']['auc']:.4f}"},
            )
            uow.commit()
        return RegisteredModel(name, version, {**meta, "version": version})

    def versions(self, actor: Actor, name: str | None = None) -> list[RegisteredModel]:
        """Every registered version (newest first per name), with its metadata."""
        self._check(actor, Permission.MODEL_READ)
        with self._uow() as uow:
            rows = uow.models.list_versions(name)
        return [_entry(r.name, r.version, r.metadata_json) for r in rows]

    def describe(self, actor: Actor, name: str, version: int | None = None) -> RegisteredModel:
        """One version's metadata (the latest when ``version`` is None)."""
        self._check(actor, Permission.MODEL_READ)
        with self._uow() as uow:
            row = uow.models.get(name, version)
        if row is None:
            raise NotFound(_missing(name, version))
        return _entry(row.name, row.version, row.metadata_json)

    def scorecard_csv(self, actor: Actor, name: str, version: int | None = None) -> str:
        """The champion's scorecard table (feature, bin, count, event rate, WoE, points)."""
        described = self.describe(actor, name, version)
        model = self.model(name, described.version)
        text: str = model.champion.scorecard_table().to_csv(index=False)
        return text

    def model(self, name: str, version: int | None = None) -> CreditModel:
        """The fitted model, loaded once per version after its hash is checked."""
        with self._uow() as uow:
            return self.model_in(uow, name, version)

    def model_in(self, uow: UnitOfWork, name: str, version: int | None = None) -> CreditModel:
        """:meth:`model` inside the caller's unit of work (one round trip fewer for a use
        case that reads other things too)."""
        return self._load(uow, name, version)[1]

    def decision_model_in(self, uow: UnitOfWork, currency: str) -> CreditModel:
        """The model that decides an application in ``currency``: the newest version of
        :func:`decision_model_name` if it was trained on ``currency`` amounts; NotFound if
        there is none, or if it was trained on another currency's (never scored with it).
        E.g. USD with only ``default`` registered -> NotFound "no model 'default-usd'"."""
        name = decision_model_name(currency)
        number, model = self._load(uow, name, None)
        trained_on = self._currency_in(uow, name, number)
        if trained_on != currency:
            raise NotFound(
                f"model {name} version {number} is of {trained_on} amounts, not {currency}"
            )
        _refuse_protected(model, f"model {name} version {number}")
        return model

    def _currency_in(self, uow: UnitOfWork, name: str, number: int) -> str:
        """The version's currency, read from its metadata once per process."""
        key = (name, number)
        known = self._currencies.get(key)
        if known is None:
            row = uow.models.get(name, number)
            if row is None:
                raise NotFound(_missing(name, number))
            known = model_currency(json.loads(row.metadata_json))
            with self._lock:
                self._currencies[key] = known
        return known

    def _load(self, uow: UnitOfWork, name: str, version: int | None) -> tuple[int, CreditModel]:
        """The version's number and fitted model, loaded once after its hash is checked."""
        # The version and hash only: the metadata (the model card's evidence, 23 KB for the
        # demo model) would be read and decoded for nothing when the model is loaded.
        found = uow.models.artifact_hash(name, version)
        if found is None:
            raise NotFound(_missing(name, version))
        number, sha256 = found
        key = (name, number)
        cached = self._loaded.get(key)
        if cached is not None:
            return number, cached
        artifact = uow.models.artifact(name, number)
        if artifact is None or hashlib.sha256(artifact).hexdigest() != sha256:
            raise Conflict(f"model {name} version {number}: artifact hash does not match")
        from autolend.risk.model import CreditModel  # noqa: PLC0415 - see ``train``

        # The artifact is ours (written by ``_register``) and its hash matches the registry.
        loaded = pickle.loads(artifact)  # noqa: S301
        if not isinstance(loaded, CreditModel):
            raise Conflict(f"model {name} version {number} is not a credit model")
        model = loaded.with_version(f"{name}@{number}")
        with self._lock:
            self._loaded[key] = model
        return number, model

    def score(
        self, actor: Actor, application: Mapping[str, object], *, name: str = DEFAULT_MODEL
    ) -> ScoreResult:
        """PD, score, grade and up to four reasons for one application (latest version),
        whose amounts are in the model's currency (:func:`check_application_currency`)."""
        self._check(actor, Permission.MODEL_READ)
        with self._uow() as uow:
            number, model = self._load(uow, name, None)
            check_application_currency(application, self._currency_in(uow, name, number))
        return model.score(application)


def check_application_currency(application: Mapping[str, object], model_currency: str) -> None:
    """Refuse (422 naming ``currency``) an application whose amounts are in another
    currency than the model's: its ``currency``, CNY when it names none (as a version
    registered before models recorded theirs). E.g. ``{"currency": "USD", ...}`` against
    ``default`` (CNY): refused, a model of yuan would read $9,000.00 as 9,000 yuan."""
    stated = application.get("currency", FIRST_CURRENCY)
    code = known_currency(stated).code if isinstance(stated, str) else None
    if code is None:
        raise InvalidInput(f"currency must be a currency code, not {stated!r}", field="currency")
    if code != model_currency:
        raise InvalidInput(
            f"the model scores {model_currency} amounts; the application is in {code}",
            field="currency",
        )


def _fit(
    data: Any, name: str, request: TrainRequest, progress: Callable[[int, int], None] | None
) -> tuple[CreditModel, Any]:
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # noqa: PLC0415

    from autolend.risk.model import train_model_with_evidence  # noqa: PLC0415 - see ``train``

    # One BLAS thread: the many small logistic fits run several times faster on a busy
    # machine than with a thread pool contending for the cores (and stay deterministic).
    with threadpool_limits(limits=1):
        return train_model_with_evidence(
            data,
            name=name,
            seed=request.seed,
            folds=request.folds,
            challenger=request.challenger,
            scaling=request.scaling,
            progress=progress,
        )


def _left_out(columns: Any, request: TrainRequest) -> list[str]:
    wanted = [*request.exclude, *request.protected]
    unknown = [c for c in wanted if c not in set(columns)]
    if unknown:
        raise InvalidInput(f"no column {unknown[0]!r} to leave out", field="exclude")
    if request.target in wanted:
        raise InvalidInput("the target cannot be left out", field="exclude")
    return list(dict.fromkeys(wanted))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _missing(name: str, version: int | None) -> str:
    return f"no model {name!r}" + (f" version {version}" if version is not None else "")


def _refuse_protected(model: CreditModel, which: str) -> None:
    """Conflict if ``model`` scores a protected attribute (CREDIT_MODELS.md: never used in
    a decision). Training leaves one out (:mod:`autolend.risk.columns`), but a version
    registered before that rule holds it: none of its decisions is made, the case goes
    to a person until a version without it is registered."""
    from autolend.risk.reasons import protected_features  # noqa: PLC0415 - with the model

    if found := protected_features(model.features):
        raise Conflict(f"{which} uses a protected attribute ({'; '.join(found)}), which no "
                       "decision may use: register a version trained without it")  # fmt: skip
