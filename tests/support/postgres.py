"""A throw-away PostgreSQL cluster, started from the machine's binaries, for test runs.

Usage::

    with ThrowawayPostgres() as pg:
        pg.create_database("autolend_test")
        engine = create_engine(pg.url("autolend_test"))

PostgreSQL refuses to run as root, so when this process is root the cluster is initialised
and run as the ``postgres`` OS user, with its temp dir owned by that user.

Leftover servers are avoided three ways: ``__exit__`` stops the server, an ``atexit`` handler
stops it when the interpreter exits without ``__exit__``, and a small watchdog process stops
it (``-m immediate``) and removes the temp dir as soon as this process dies, even by SIGKILL.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import psycopg
from psycopg import sql

PG_SUPERUSER = "postgres"
PG_OS_USER = "postgres"
HOST = "127.0.0.1"
INITDB_TIMEOUT_S = 180.0
PG_CTL_WAIT_S = 60
PG_CTL_TIMEOUT_S = PG_CTL_WAIT_S + 30.0
QUICK_TIMEOUT_S = 15.0
CONNECT_TIMEOUT_S = 10
PORT_ATTEMPTS = 3
LOG_TAIL_CHARS = 4000

Connection = psycopg.Connection[tuple[Any, ...]]

# Runs in its own session; blocks on stdin until this process exits (pipe EOF, however it
# died), then stops the server immediately and removes the temp dir.
_WATCHDOG_CODE = """
import os, shutil, subprocess, sys
pg_ctl, data_dir, root_dir, uid, gid = sys.argv[1:6]
sys.stdin.buffer.read()
if os.path.isdir(data_dir):
    kw = {} if uid == "-" else {"user": int(uid), "group": int(gid), "extra_groups": []}
    try:
        subprocess.run([pg_ctl, "stop", "-D", data_dir, "-m", "immediate", "-w", "-t", "30"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, cwd="/", timeout=60, **kw)
    except Exception:
        pass
shutil.rmtree(root_dir, ignore_errors=True)
"""


class PostgresUnavailable(RuntimeError):  # noqa: N818 - reads as a state, like TimeoutError
    """The throw-away cluster could not be created, started, stopped or queried."""

    def __init__(self, message: str, log_tail: str = "") -> None:
        full = f"{message}\n--- log tail ---\n{log_tail}" if log_tail else message
        super().__init__(full)
        self.log_tail = log_tail


def _is_pg_bin_dir(path: Path) -> bool:
    return all(os.access(path / name, os.X_OK) for name in ("initdb", "pg_ctl"))


def _bin_dir_from_pg_config() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    try:
        done = subprocess.run(
            [pg_config, "--bindir"],
            capture_output=True,
            text=True,
            timeout=QUICK_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return Path(done.stdout.strip())


def _version_key(path: Path) -> tuple[int, ...]:
    version = path.parent.name
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (-1,)


def _bin_dir_from_debian_layout() -> Path | None:
    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if _is_pg_bin_dir(p)]
    return max(candidates, key=_version_key) if candidates else None


def _bin_dir_from_path() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb is None:
        return None
    resolved = Path(initdb).resolve().parent
    return resolved if _is_pg_bin_dir(resolved) else Path(initdb).parent


def find_pg_bin_dir() -> Path | None:
    """Find a directory holding ``initdb`` and ``pg_ctl``, or ``None``.

    Order: ``$AUTOLEND_PG_BIN``, ``pg_config --bindir``, the highest version under
    ``/usr/lib/postgresql/*/bin``, then ``initdb`` on ``PATH``.
    """
    override = os.environ.get("AUTOLEND_PG_BIN", "").strip()
    candidates = [Path(override)] if override else []
    for finder in (_bin_dir_from_pg_config, _bin_dir_from_debian_layout, _bin_dir_from_path):
        found = finder()
        if found is not None:
            candidates.append(found)
    return next((c for c in candidates if _is_pg_bin_dir(c)), None)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, chars: int = LOG_TAIL_CHARS) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


class ThrowawayPostgres:
    """Context manager owning a private PostgreSQL cluster in a temp dir under /tmp."""

    def __init__(
        self,
        *,
        fast: bool = False,
        bin_dir: Path | None = None,
        max_connections: int = 200,
    ) -> None:
        found = bin_dir if bin_dir is not None else find_pg_bin_dir()
        if found is None:
            raise PostgresUnavailable("no PostgreSQL binaries (initdb, pg_ctl) found")
        self.bin_dir: Path = found
        self.fast = fast
        self.max_connections = max_connections
        self.host = HOST
        self.port = 0
        self.startup_seconds: float | None = None
        self._root: Path | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._running = False
        self._run_as = self._os_user_ids()

    # -- paths -------------------------------------------------------------------------------

    @property
    def root_dir(self) -> Path:
        if self._root is None:
            raise PostgresUnavailable("cluster not created; use it as a context manager")
        return self._root

    @property
    def data_dir(self) -> Path:
        return self.root_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root_dir / "socket"

    @property
    def log_path(self) -> Path:
        return self.root_dir / "postgres.log"

    # -- context manager -----------------------------------------------------------------------

    def __enter__(self) -> Self:
        began = time.monotonic()
        self._make_root()
        atexit.register(self._cleanup_at_exit)
        try:
            self._start_watchdog()
            self._initdb()
            self._first_start()
        except BaseException:
            self.close()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the server (fast, then immediate, then SIGKILL) and remove the temp dir."""
        atexit.unregister(self._cleanup_at_exit)
        if self._root is None:
            return
        self._stop_hard()
        shutil.rmtree(self._root, ignore_errors=True)
        self._root = None
        self._release_watchdog()

    def _cleanup_at_exit(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    # -- public server control -----------------------------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL for ``dbname`` on this cluster."""
        return f"postgresql+psycopg://{PG_SUPERUSER}@{self.host}:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        """libpq/psycopg connection string for ``dbname`` on this cluster."""
        return (
            f"host={self.host} port={self.port} user={PG_SUPERUSER} dbname={dbname} "
            f"connect_timeout={CONNECT_TIMEOUT_S}"
        )

    def connect(self, dbname: str = "postgres", autocommit: bool = True) -> Connection:
        """A new psycopg connection (caller closes it)."""
        try:
            return psycopg.connect(self.conninfo(dbname), autocommit=autocommit)
        except psycopg.Error as error:
            raise PostgresUnavailable(
                f"cannot connect to {dbname!r}: {error}", self._log()
            ) from error

    def start(self) -> None:
        """Start the server on the existing data dir (crash recovery runs if needed)."""
        if self._running:
            return
        self._pg_ctl_start()

    def stop(self, mode: str = "fast") -> None:
        """Stop the server with ``pg_ctl stop -m mode`` (smart, fast or immediate)."""
        if mode not in {"smart", "fast", "immediate"}:
            raise ValueError(f"unknown shutdown mode {mode!r}")
        args = ["stop", "-D", str(self.data_dir), "-m", mode, "-w", "-t", str(PG_CTL_WAIT_S)]
        self._pg_ctl(args, f"pg_ctl stop -m {mode}")
        self._running = False

    def stop_immediate(self) -> None:
        """Simulate a crash: stop without a checkpoint; the next start runs WAL recovery."""
        self.stop(mode="immediate")

    def restart(self) -> None:
        """Fast stop, then start again on the same port."""
        if self._running:
            self.stop(mode="fast")
        self.start()

    def is_running(self) -> bool:
        """Ask ``pg_ctl status`` whether the postmaster is alive."""
        if self._root is None:
            return False
        done = self._run(
            [self._tool("pg_ctl"), "status", "-D", str(self.data_dir)], QUICK_TIMEOUT_S
        )
        return done.returncode == 0

    # -- databases -----------------------------------------------------------------------------

    def create_database(self, name: str, template: str | None = None) -> None:
        """``CREATE DATABASE name [TEMPLATE template]``."""
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            query = sql.SQL("{} TEMPLATE {}").format(query, sql.Identifier(template))
        self._admin(None, query)

    def drop_database(self, name: str) -> None:
        """Terminate the database's connections, then ``DROP DATABASE IF EXISTS``."""
        terminate = sql.SQL(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = {} AND pid <> pg_backend_pid()"
        ).format(sql.Literal(name))
        drop = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
        with self.connect("postgres") as conn:
            self._admin(conn, terminate)
            force = conn.info.server_version >= 130000  # WITH (FORCE) exists since 13
            self._admin(conn, sql.SQL("{} WITH (FORCE)").format(drop) if force else drop)

    def _admin(self, conn: Connection | None, query: sql.Composed) -> None:
        if conn is None:
            with self.connect("postgres") as own:
                self._admin(own, query)
            return
        try:
            conn.execute(query)
        except psycopg.Error as error:
            text = query.as_string(conn)
            raise PostgresUnavailable(f"{text} failed: {error}", self._log()) from error

    # -- internals: setup ----------------------------------------------------------------------

    @staticmethod
    def _os_user_ids() -> tuple[int, int] | None:
        """(uid, gid) to run PostgreSQL as, or None to run as the current user."""
        if os.geteuid() != 0:
            return None
        try:
            entry = pwd.getpwnam(PG_OS_USER)
        except KeyError as error:
            raise PostgresUnavailable(
                f"running as root but there is no {PG_OS_USER!r} OS user to run PostgreSQL as"
            ) from error
        return entry.pw_uid, entry.pw_gid

    def _make_root(self) -> None:
        self._root = Path(tempfile.mkdtemp(prefix="autolend-pg-", dir="/tmp"))
        self.socket_dir.mkdir(mode=0o700)
        if self._run_as is not None:
            uid, gid = self._run_as
            for path in (self._root, self.socket_dir):
                os.chown(path, uid, gid)

    def _start_watchdog(self) -> None:
        uid, gid = (str(i) for i in self._run_as) if self._run_as else ("-", "-")
        argv = [self._tool("pg_ctl"), str(self.data_dir), str(self.root_dir), uid, gid]
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG_CODE, *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            cwd="/",
        )

    def _release_watchdog(self) -> None:
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is None:
            return
        if watchdog.stdin is not None:
            with contextlib.suppress(OSError):
                watchdog.stdin.close()
        try:
            watchdog.wait(timeout=QUICK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            watchdog.kill()
            watchdog.wait(timeout=QUICK_TIMEOUT_S)

    def _initdb(self) -> None:
        args = [
            self._tool("initdb"),
            "-D",
            str(self.data_dir),
            "-A",
            "trust",
            "-U",
            PG_SUPERUSER,
            "--encoding=UTF8",
            "--locale=C",
        ]
        if self.fast:
            args.append("--no-sync")
        done = self._run(args, INITDB_TIMEOUT_S)
        if done.returncode != 0:
            raise PostgresUnavailable("initdb failed", done.stdout + done.stderr)

    def _first_start(self) -> None:
        for attempt in range(1, PORT_ATTEMPTS + 1):
            self.port = _free_port()
            try:
                self._pg_ctl_start()
                return
            except PostgresUnavailable as error:
                port_taken = "could not bind" in error.log_tail or "in use" in error.log_tail
                if not port_taken or attempt == PORT_ATTEMPTS:
                    raise

    def _server_options(self) -> str:
        options = [
            f"-p {self.port}",
            f"-k {self.socket_dir}",
            f"-c listen_addresses={HOST}",
            f"-c max_connections={self.max_connections}",
        ]
        if self.fast:
            options.append("-c fsync=off")
        return " ".join(options)

    def _pg_ctl_start(self) -> None:
        args = ["start", "-D", str(self.data_dir), "-l", str(self.log_path)]
        args += ["-w", "-t", str(PG_CTL_WAIT_S), "-o", self._server_options()]
        self._pg_ctl(args, "pg_ctl start")
        self._running = True

    # -- internals: stopping -------------------------------------------------------------------

    def _stop_hard(self) -> None:
        if not self._running and not self.is_running():
            return
        for mode in ("fast", "immediate"):
            try:
                self.stop(mode=mode)
                return
            except PostgresUnavailable:
                if not self.is_running():
                    self._running = False
                    return
        self._kill_postmaster()

    def _kill_postmaster(self) -> None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
        self._running = False

    # -- internals: running commands -----------------------------------------------------------

    def _tool(self, name: str) -> str:
        return str(self.bin_dir / name)

    def _log(self) -> str:
        return _tail(self.log_path) if self._root is not None else ""

    def _pg_ctl(self, args: Sequence[str], what: str) -> None:
        done = self._run([self._tool("pg_ctl"), *args], PG_CTL_TIMEOUT_S)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            raise PostgresUnavailable(f"{what} failed: {output}", self._log())

    def _env(self) -> Mapping[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C")
        if self._run_as is not None:
            env.update(HOME=pwd.getpwuid(self._run_as[0]).pw_dir, USER=PG_OS_USER)
            env["LOGNAME"] = PG_OS_USER
        return env

    def _run(self, argv: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL tool (as the postgres user when we are root), with a timeout."""
        kwargs: dict[str, Any] = {}
        if self._run_as is not None:
            kwargs.update(user=self._run_as[0], group=self._run_as[1], extra_groups=[])
        try:
            return subprocess.run(
                list(argv),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                cwd=self._root or "/",
                env=self._env(),
                **kwargs,
            )
        except subprocess.TimeoutExpired as error:
            raise PostgresUnavailable(
                f"{Path(argv[0]).name} timed out after {timeout:.0f}s", self._log()
            ) from error
        except OSError as error:
            raise PostgresUnavailable(f"cannot run {argv[0]}: {error}") from error
