"""The SQL unit of work: one connection, one transaction, every repository on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from autolend.adapters.db.application_repository import SqlApplicationRepository
from autolend.adapters.db.approval_repository import SqlApprovalRepository
from autolend.adapters.db.audit_repository import SqlAuditRepository
from autolend.adapters.db.bureau_repository import SqlBureauRepository, SqlConsentRepository
from autolend.adapters.db.contract_repository import SqlContractRepository, SqlOutboxRepository
from autolend.adapters.db.engine import WRITE_OPTION
from autolend.adapters.db.eod_repository import SqlEodRepository
from autolend.adapters.db.idempotency_repository import SqlIdempotencyRepository
from autolend.adapters.db.ledger_checks import SqlLedgerChecks
from autolend.adapters.db.ledger_repository import SqlLedgerRepository
from autolend.adapters.db.loan_repository import SqlLoanRepository
from autolend.adapters.db.model_repository import SqlModelRepository
from autolend.adapters.db.portfolio_repository import SqlPortfolioRepository
from autolend.adapters.db.product_repository import SqlProductRepository
from autolend.adapters.db.repositories import (
    SqlCustomerRepository,
    SqlDealerRepository,
    SqlSessionRepository,
    SqlTokenRepository,
    SqlUserRepository,
)
from autolend.adapters.db.sealed_keys_repository import SqlSealedKeyRepository
from autolend.domain.errors import Busy


class SqlUnitOfWork:
    """Begins on enter; commits only when a service calls :meth:`commit`; else rolls back.

    A write unit of work gets the factory's engine with the write option, which opens
    SQLite transactions with BEGIN IMMEDIATE (one writer at a time). A read-only one on
    PostgreSQL runs in autocommit (no BEGIN is sent; a savepoint or a lock taken there
    would not last), or at REPEATABLE READ when it asks for one snapshot: see
    :func:`_read_engines`. With ``audit_queued``
    set, audit events go to the queue at commit and the callback is told after the commit
    (it wakes the sequencer that chains them).
    """

    def __init__(self, engine: Engine, *, audit_queued: Callable[[], None] | None = None) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._committed = False
        self._audit_queued = audit_queued

    def __enter__(self) -> SqlUnitOfWork:
        conn = self._engine.connect()
        try:
            conn.begin()
        except OperationalError as error:
            conn.close()
            # SQLite's one writer: BEGIN IMMEDIATE waited busy_timeout (30 s) in vain,
            # e.g. behind a long end-of-day partition. Nothing was written; say so cleanly.
            if "locked" in str(error).lower():
                raise Busy("the database is busy with another write; try again shortly") from None
            raise
        self._conn = conn
        self.users = SqlUserRepository(conn)
        self.tokens = SqlTokenRepository(conn)
        self.sessions = SqlSessionRepository(conn)
        self.dealers = SqlDealerRepository(conn)
        self.customers = SqlCustomerRepository(conn)
        self.audit = SqlAuditRepository(conn, sequenced=self._audit_queued is not None)
        self.loans = SqlLoanRepository(conn)
        self.ledger = SqlLedgerRepository(conn)
        self.idempotency = SqlIdempotencyRepository(conn)
        self.checks = SqlLedgerChecks(conn)
        self.approvals = SqlApprovalRepository(conn)
        self.models = SqlModelRepository(conn)
        self.consents = SqlConsentRepository(conn)
        self.bureau = SqlBureauRepository(conn)
        self.eod = SqlEodRepository(conn)
        self.products = SqlProductRepository(conn)
        self.contracts = SqlContractRepository(conn)
        self.outbox = SqlOutboxRepository(conn)
        self.applications = SqlApplicationRepository(conn)
        self.portfolio = SqlPortfolioRepository(conn)
        self.sealed_keys = SqlSealedKeyRepository(conn)
        return self

    @property
    def connection(self) -> Connection:
        assert self._conn is not None, "unit of work not entered"
        return self._conn

    @contextmanager
    def savepoint(self) -> Iterator[object]:
        """A savepoint, rolled back alone on an exception together with the audit
        events queued inside it (they are written only at commit)."""
        queued = self.audit.queued()
        try:
            with self.connection.begin_nested() as nested:
                yield nested
        except BaseException:
            self.audit.forget_after(queued)
            raise

    def commit(self) -> None:
        # At commit: the audit chain's head is locked from here to the commit.
        events = self.audit.flush()
        self.connection.commit()
        self._committed = True
        if events and self._audit_queued is not None:
            self._audit_queued()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self.connection
        try:
            if conn.in_transaction():
                conn.rollback()
        finally:
            conn.close()
            self._conn = None


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Made once: each ``execution_options`` call builds a new engine object.
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})
        self._read_engine, self._snapshot_engine = _read_engines(engine)
        self.audit_queued: Callable[[], None] | None = None
        """Set by the audit sequencer while it runs: units of work then queue their events."""

    def __call__(self, *, write: bool = False, snapshot: bool = False) -> SqlUnitOfWork:
        engine: Engine = self._write_engine
        if not write:
            engine = self._snapshot_engine if snapshot else self._read_engine
        return SqlUnitOfWork(engine, audit_queued=self.audit_queued)


def _read_engines(engine: Engine) -> tuple[Engine, Engine]:
    """The engines of plain reads and of snapshot reads.

    On PostgreSQL a plain read runs in autocommit: at READ COMMITTED every statement takes
    its own snapshot anyway, so BEGIN ... ROLLBACK around reads only cost two round trips
    (an intake made six such units of work). A snapshot read runs at REPEATABLE READ: all
    its statements see the database as of its first one (the trial balance and the
    sub-ledgers of ``autolend verify`` agree even while the server posts). On SQLite both
    are a plain transaction, which already reads one snapshot."""
    if engine.dialect.name != "postgresql":
        return engine, engine
    return (
        engine.execution_options(isolation_level="AUTOCOMMIT"),
        engine.execution_options(isolation_level="REPEATABLE READ"),
    )
