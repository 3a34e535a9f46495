"""Composition root: the only module that knows the concrete classes.

Nothing is built at import time: :func:`build_container` wires adapters into services from
:class:`~autolend.config.Settings`, and :func:`create_app` builds the FastAPI application
(API under ``/api/v1``, web UI, health and metrics) around a container.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import Engine

from autolend.adapters.bureau.circuit import CircuitBreaker
from autolend.adapters.bureau.http_gateway import HttpBureauGateway, UnconfiguredBureauGateway
from autolend.adapters.clock import SystemClock
from autolend.adapters.db.engine import SqlReadiness, make_engine
from autolend.adapters.db.run_lock import DatabaseRunLock
from autolend.adapters.db.uow import SqlUnitOfWorkFactory
from autolend.adapters.documents.pdf import FpdfRenderer, warn_if_font_missing
from autolend.adapters.keys.cipher import VaultCipher
from autolend.adapters.keys.vault import MasterKeyRing
from autolend.adapters.notify.demo_inbox import INBOX_FILE, DemoSmsInbox
from autolend.adapters.notify.sms import HttpSmsSender
from autolend.adapters.notify.smtp import SmtpSender
from autolend.adapters.security.codes import HmacCodeHasher, derived_key
from autolend.adapters.security.passwords import Argon2PasswordHasher
from autolend.adapters.security.tokens import JwtTokenIssuer
from autolend.batch.ecl_parameters import EclParameters, load_ecl_parameters
from autolend.batch.eod_jobs import BackgroundEod
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.config import ConfigurationError, Settings, credit_policy
from autolend.domain.errors import InvalidInput
from autolend.services.applications import ApplicationService
from autolend.services.approvals import ApprovalService
from autolend.services.audit import AuditService
from autolend.services.audit_sequencer import AuditSequencer
from autolend.services.auth import AuthService, SignInPolicy
from autolend.services.bureau import BureauService
from autolend.services.bureau_ports import BureauGateway
from autolend.services.consents import ConsentService
from autolend.services.contract_ports import MessageSender
from autolend.services.contracts import ContractService, SigningDeps
from autolend.services.customers import CustomerService
from autolend.services.decisioning import DecisionService
from autolend.services.eod import EodService
from autolend.services.fees import FeeService
from autolend.services.keys import KeyRotationService
from autolend.services.loans import LoanService
from autolend.services.migration import MigrationService
from autolend.services.model_monitoring import ModelMonitoringService
from autolend.services.models import ModelService
from autolend.services.notifications import NotificationService
from autolend.services.origination import OriginationService
from autolend.services.policy_simulation import PolicySimulationService
from autolend.services.portfolio import PortfolioService
from autolend.services.ports import Clock
from autolend.services.products import ProductService
from autolend.services.registry import Services
from autolend.services.review import ReviewService
from autolend.services.servicing import ServicingService
from autolend.services.subsidies import SubsidyService
from autolend.services.users import UserService
from autolend.services.verify import VerifyService
from autolend.threads import BUREAU_LIMITER

log = logging.getLogger(__name__)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    cipher: VaultCipher
    services: Services
    risk: ColumnRiskAssessor = field(default_factory=ColumnRiskAssessor)
    """The risk kernels with the lender's ECL parameters (snapshot and end of day)."""

    def close(self) -> None:
        """Let go of what the container holds open: the bureau's HTTP connections and the
        database pool."""
        self.services.bureau.close()
        self.engine.dispose()


def ensure_demo_secrets(settings: Settings) -> Settings:
    """In demo mode, generate the secrets once into ``<home>/demo-secrets.json`` (mode 0600).

    Later commands on the same home (``autolend verify`` on the demo database) read them back.
    Outside demo mode nothing is generated: a missing secret is a configuration error.
    """
    path = settings.home / "demo-secrets.json"
    if not settings.demo and not path.exists():
        return settings
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        generated = {
            "token_secret": secrets.token_urlsafe(48),
            "master_keys": MasterKeyRing.generate("demo1"),
            "blind_index_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "metrics_token": secrets.token_urlsafe(24),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(generated, handle, indent=2)
    stored = json.loads(Path(path).read_text())
    missing = {k: v for k, v in stored.items() if getattr(settings, k) in (None, "")}
    return settings.model_copy(update=missing)


def _require(settings: Settings, name: str) -> str:
    value = getattr(settings, name)
    if not value:
        raise ConfigurationError(
            f"AUTOLEND_{name.upper()} is not set (or run in demo mode with AUTOLEND_DEMO=true)"
        )
    return str(value)


def _blind_index_key(settings: Settings) -> bytes:
    text = _require(settings, "blind_index_key")
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:
        raise ConfigurationError(f"AUTOLEND_BLIND_INDEX_KEY is not base64url: {error}") from None
    if len(key) < 32:
        raise ConfigurationError("AUTOLEND_BLIND_INDEX_KEY must decode to at least 32 bytes")
    return key


def bureau_gateway(settings: Settings) -> BureauGateway:
    """The HTTP gateway to AUTOLEND_BUREAU_URL; without it every bureau query is unavailable."""
    if not settings.bureau_url:
        return UnconfiguredBureauGateway()
    breaker = CircuitBreaker(
        failures=settings.bureau_breaker_failures,
        cooldown=settings.bureau_breaker_cooldown_seconds,
    )
    return HttpBureauGateway(
        settings.bureau_url,
        timeout=settings.bureau_timeout_seconds,
        retries=settings.bureau_retries,
        backoff=settings.bureau_backoff_seconds,
        breaker=breaker,
    )


def contract_service(
    settings: Settings, uow: SqlUnitOfWorkFactory, cipher: VaultCipher, clock: Clock
) -> ContractService:
    """Contracts with the fpdf2 renderer and HMAC signing codes (key: AUTOLEND_SIGNING_CODE_KEY
    as base64url, else derived from the token secret)."""
    if settings.signing_code_key:
        text = settings.signing_code_key
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    else:
        key = derived_key(_require(settings, "token_secret"))
    renderer = FpdfRenderer(settings.contract_font, settings.contract_font_face)
    return ContractService(uow, cipher, clock, SigningDeps(renderer, HmacCodeHasher(key)))


def notification_service(
    settings: Settings, uow: SqlUnitOfWorkFactory, cipher: VaultCipher, clock: Clock
) -> NotificationService:
    """The outbox dispatcher with the configured gateways (a channel without one retries)."""
    senders: dict[str, MessageSender] = {}
    if settings.smtp_host:
        senders["email"] = SmtpSender(
            settings.smtp_host, settings.smtp_port, settings.smtp_sender,
            starttls=settings.smtp_starttls, username=settings.smtp_username,
            password=settings.smtp_password,
        )  # fmt: skip
    if settings.sms_url:
        senders["sms"] = HttpSmsSender(settings.sms_url, token=settings.sms_token)
    elif settings.demo:
        # Demo mode without a gateway: the SMS sandbox, read back on the /demo/sms page.
        senders["sms"] = DemoSmsInbox(settings.home / INBOX_FILE, clock)
    return NotificationService(
        uow, cipher, clock, senders, max_attempts=settings.notify_max_attempts
    )


def ecl_parameters(settings: Settings) -> EclParameters:
    """The ECL parameters in force: the file named by AUTOLEND_ECL_PARAMETERS, or the
    built-in set; a bad file stops start-up naming the field."""
    try:
        return load_ecl_parameters(settings.ecl_parameters)
    except InvalidInput as error:
        raise ConfigurationError(f"AUTOLEND_ECL_PARAMETERS: {error}") from None


def build_container(settings: Settings, *, clock: Clock | None = None) -> Container:
    risk = ColumnRiskAssessor(ecl_parameters(settings))  # first: a bad file stops all
    settings = ensure_demo_secrets(settings)
    try:
        ring = MasterKeyRing.parse(_require(settings, "master_keys"))
    except ValueError as error:
        raise ConfigurationError(f"AUTOLEND_MASTER_KEYS: {error}") from None
    cipher = VaultCipher(ring, _blind_index_key(settings))
    engine = make_engine(settings.resolved_database_url())
    uow = SqlUnitOfWorkFactory(engine)
    clock = clock or SystemClock(settings.timezone)
    hasher = Argon2PasswordHasher()
    tokens = JwtTokenIssuer(
        _require(settings, "token_secret"),
        audience=settings.token_audience,
        ttl=timedelta(seconds=settings.token_ttl_seconds),
    )
    policy = SignInPolicy(
        max_failures=settings.max_failed_sign_ins,
        lockout=timedelta(seconds=settings.lockout_seconds),
        session_ttl=timedelta(seconds=settings.session_ttl_seconds),
    )
    models = ModelService(uow, clock)
    loans = LoanService(uow, clock)
    bureau = BureauService(uow, cipher, bureau_gateway(settings), clock)
    contracts = contract_service(settings, uow, cipher, clock)
    decisions = DecisionService(uow, cipher, clock, (bureau, models), credit_policy(settings))
    servicing = ServicingService(uow, clock)
    services = Services(
        clock=clock,
        readiness=SqlReadiness(engine),
        auth=AuthService(uow, hasher, tokens, clock, policy),
        users=UserService(uow, hasher, clock),
        customers=CustomerService(uow, cipher, clock),
        audit=AuditService(uow),
        keys=KeyRotationService(uow, cipher, clock),
        loans=loans,
        servicing=servicing,
        migrations=MigrationService(uow, clock),
        verify=VerifyService(uow, clock, cipher),
        fees=FeeService(uow, clock),
        approvals=ApprovalService(uow, clock, servicing),
        models=models,
        model_monitoring=ModelMonitoringService(uow, clock, models),
        consents=ConsentService(uow, clock),
        bureau=bureau,
        products=ProductService(uow, clock),
        eod=EodService(uow),
        eod_jobs=BackgroundEod(uow, clock, DatabaseRunLock(engine), assessor=risk),
        contracts=contracts,
        notifications=notification_service(settings, uow, cipher, clock),
        applications=ApplicationService(uow, cipher, clock),
        decisions=decisions,
        policies=PolicySimulationService(uow, cipher, clock, decisions.policy),
        review=ReviewService(uow, cipher, clock, decisions),
        origination=OriginationService(uow, cipher, clock, (contracts, loans)),
        subsidies=SubsidyService(uow, clock),
        portfolio=PortfolioService(uow, clock, risk),
    )
    return Container(settings, engine, uow, cipher, services, risk)


def create_app(settings: Settings | None = None, *, container: Container | None = None) -> FastAPI:
    """Build the whole web application around a container."""
    from autolend.api.app import build_api
    from autolend.web.app import mount_web

    owned = container is None
    if container is None:
        container = build_container(settings or Settings())
    app = build_api(container.services, container.settings)  # logging set up: warn below
    warn_if_font_missing(container.settings.contract_font)  # contracts would answer 503
    mount_web(app, container.services, container.settings)
    _announce_ready(app)
    _bound_worker_threads(app, container.settings.worker_threads, container.settings.bureau_threads)
    _warm_decision_model(app, container.services.decisions)
    if container.settings.audit_sequencer:
        _run_audit_sequencer(app, container)
    if owned:  # a container passed in is closed by whoever built it
        _close_at_shutdown(app, container)
    return app


def _close_at_shutdown(app: FastAPI, container: Container) -> None:
    """Close the container's connections (bureau, database) when the server stops."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        try:
            async with inner(app) as state:
                yield state
        finally:
            container.close()

    app.router.lifespan_context = lifespan


def _bound_worker_threads(app: FastAPI, threads: int, bureau_threads: int) -> None:
    """Run blocking endpoints and dependencies on at most ``threads`` threads per process.

    Starlette sends every plain ``def`` endpoint and dependency to anyio's thread pool,
    40 threads by default. Under load those threads and the event loop take turns at the
    GIL, and each hand-off costs CPU: on the repayment bench (2 CPUs, 16 clients, 2
    processes) 8 threads instead of 40 cut the server's CPU per request from about 9 to
    about 7 ms (docs/benchmarks.md). Requests beyond the bound wait for a thread. Requests
    that wait on the credit bureau have ``bureau_threads`` of their own
    (:mod:`autolend.threads`)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        # The limiter belongs to the running event loop, so it is set inside it.
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        setattr(app.state, BUREAU_LIMITER, anyio.CapacityLimiter(bureau_threads))
        async with inner(app) as state:
            yield state

    app.router.lifespan_context = lifespan


def _announce_ready(app: FastAPI) -> None:
    """Log "server process ready" (with the process id) once every start-up step of this
    process is done; wrapped first, so it runs last. With several worker processes a
    supervisor or a benchmark can count these lines: ``/healthz`` answers as soon as one
    process is up."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with inner(app) as state:
            log.info("server process ready", extra={"pid": os.getpid()})
            yield state

    app.router.lifespan_context = lifespan


def _warm_decision_model(app: FastAPI, decisions: DecisionService) -> None:
    """Load the credit model while the process starts, before it takes requests (see
    :meth:`DecisionService.warm`). A failure (the database not reachable yet, a damaged
    artifact) is logged and left to the first submit, which refers the case as before."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        try:
            version = await anyio.to_thread.run_sync(decisions.warm)
        except Exception as error:  # start anyway: the first submit reports it
            log.warning("credit model not loaded at start: %s", error)
        else:
            if version is None:
                log.info("no credit model registered yet: nothing to load at start")
            else:
                log.info("credit model loaded at start", extra={"model_version": version})
        async with inner(app) as state:
            yield state

    app.router.lifespan_context = lifespan


def _run_audit_sequencer(app: FastAPI, container: Container) -> None:
    """Start the audit sequencer with the app and stop it (chaining what is left) after."""
    sequencer = AuditSequencer(container.services.audit.chain_queued)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        container.uow.audit_queued = sequencer.notify
        sequencer.start()
        try:
            async with inner(app) as state:
                yield state
        finally:
            container.uow.audit_queued = None
            sequencer.stop()

    app.router.lifespan_context = lifespan
