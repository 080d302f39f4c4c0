"""A throw-away PostgreSQL 15 cluster for team-mode tests.

PostgreSQL refuses to run as root, so when the tests run as root (CI does) every server command runs
as the ``postgres`` system user through ``runuser`` and the cluster directory belongs to that user.
The cluster listens on 127.0.0.1 on a free port with ``trust`` authentication (no password exists,
so none can leak) and its unix socket lives in the temp dir, never in /var/run. Durability is off
(``fsync=off``): a test cluster trades crash safety for speed.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
import weakref
from pathlib import Path

import psycopg
from psycopg import sql

from tests.servers import LOOPBACK, ServerStartError, free_port, is_root, require_binary, tail

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PACKAGE = "postgresql-15"
SUPERUSER = "postgres"


def _run_as_owner_prefix() -> list[str]:
    if is_root():
        require_binary("runuser", "util-linux")
        return ["runuser", "-u", "postgres", "--"]
    return []


def _stop_cluster(prefix: list[str], pg_ctl: str, data_dir: str) -> None:
    subprocess.run(
        [*prefix, pg_ctl, "-D", data_dir, "-m", "immediate", "-w", "stop"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )


class PostgresServer:
    """``initdb`` + ``pg_ctl start`` in a temp dir; ``url`` is a SQLAlchemy URL for psycopg 3."""

    host = LOOPBACK

    def __init__(self) -> None:
        self.pg_ctl = require_binary(str(PG_BIN / "pg_ctl"), PACKAGE)
        self.initdb = require_binary(str(PG_BIN / "initdb"), PACKAGE)
        self._prefix = _run_as_owner_prefix()
        self.root = Path(tempfile.mkdtemp(prefix="reglament-pg-"))
        self.data_dir = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log_file = self.root / "postgres.log"
        self.port = free_port()
        self.socket_dir.mkdir()
        if is_root():
            owner = pwd.getpwnam("postgres")
            self.root.chmod(0o755)
            for path in (self.root, self.socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._finalizer: weakref.finalize[[list[str], str, str], PostgresServer] | None = None
        self._started = False

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [*self._prefix, *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.root,  # runuser keeps the cwd; postgres must be able to stat it
        )
        if result.returncode != 0:
            raise ServerStartError(
                f"{' '.join(args[:2])} failed ({result.returncode}):\n{result.stdout}\n"
                f"{result.stderr}\n{tail(self.log_file)}"
            )

    def start(self) -> None:
        if self._started:
            return
        if not self.data_dir.exists():
            self._run(
                str(self.initdb),
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "--no-instructions",
            )
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses={LOOPBACK} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=100"
        )
        self._run(
            str(self.pg_ctl),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )
        self._started = True
        self._finalizer = weakref.finalize(
            self, _stop_cluster, self._prefix, str(self.pg_ctl), str(self.data_dir)
        )

    def stop(self) -> None:
        if not self._started:
            return
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        _stop_cluster(self._prefix, str(self.pg_ctl), str(self.data_dir))
        self._started = False

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL (psycopg 3 driver) over TCP to this cluster."""
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (a fresh one per test is cheap) and return its URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            )
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=self.host, port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        )
