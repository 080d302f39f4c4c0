"""Engine and session set-up for SQLite (WAL) and PostgreSQL, with migrations on open.

One function, ``open_database``, is the way in: it turns a SQLAlchemy URL into a ready
``Database`` (schema upgraded by Alembic, R-TEAM-3) or raises ``StorageError`` with a plain cause.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DBAPIError,
    DisconnectionError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desktop.errors import ConflictError, StorageError
from desktop.store.integrity import look_at, sqlite_file, write_seal
from desktop.store.schema_version import (
    SchemaState,
    decode_release,
    refuse_newer,
    refuse_team_behind,
    release_of,
    stamp_release,
)

log = logging.getLogger("reglament.store")

MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    #: Opening found the file as Reglament last closed it, or read every page of it: a check of
    #: the whole file would find nothing new (store/integrity.py).
    verified_on_open: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error.

        A concurrent edit surfaces as ``ConflictError`` (R-TEAM-2), a broken connection as
        ``StorageError`` — both with words a person understands.
        """
        s = self.sessions()
        try:
            yield s
            s.commit()
        except StaleDataError:
            s.rollback()
            raise ConflictError(
                "someone else changed this ticket a moment ago; reload it and try again"
            ) from None
        except OperationalError as exc:
            s.rollback()
            raise _in_words(exc) from exc
        except DatabaseError as exc:
            with contextlib.suppress(SQLAlchemyError):
                s.rollback()
            said = _in_words(exc)
            if said is exc:
                raise
            raise said from exc
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads: on PostgreSQL without ``BEGIN``/``COMMIT``.

        A read model (a page of the queue, the ticket page) is a few statements; across an
        office VPN the two transaction round trips were a third of its time. Without a
        transaction each statement sees the newest committed data, so two statements of one
        read may straddle a colleague's commit — harmless for what is shown, since the change
        feed re-reads it. Anything that writes uses :meth:`session`.
        """
        if self.is_sqlite:  # a local file: a transaction costs nothing and keeps one snapshot
            with self.session() as s:
                yield s
            return
        s = Session(self.engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
        try:
            yield s
        except OperationalError as exc:
            raise _in_words(exc) from exc
        finally:
            s.close()

    @contextmanager
    def driver_reading(self) -> Iterator[Any]:
        """The SQLite driver's own connection, lent from the pool, for statements compiled
        beforehand (:mod:`desktop.store.queue_head`).

        Why: on a local file a statement costs no trip, and after a pause a session and its
        result set-up took longer than SQLite's answer to a first screen (0.6 ms against
        0.35 ms). The driver opens no transaction for a SELECT, so each statement sees the
        newest commit, as :meth:`reading` does on PostgreSQL. A failure is said in the same
        words as a session's.
        """
        if not self.is_sqlite:
            raise TypeError("driver_reading is for a local SQLite file")
        dbapi = self.engine.dialect.loaded_dbapi
        pooled = self.engine.raw_connection()
        try:
            yield pooled.driver_connection
        except dbapi.Error as exc:
            raise _in_words(DBAPIError.instance(None, None, exc, dbapi.Error)) from exc
        finally:
            pooled.close()

    def warm_pool(self, connections: int) -> None:
        """Open ``connections`` connections now and keep them in the pool, so the window's
        readers, working side by side, never wait for a new one in the middle of a read: across
        a VPN connecting and signing in is four or five round trips. A local file needs none."""
        if self.is_sqlite:
            return
        with contextlib.ExitStack() as held:
            for _ in range(connections):
                held.enter_context(self.engine.connect())

    @property
    def file(self) -> Path | None:
        """The SQLite file, None for a team database."""
        return sqlite_file(self.url)

    def dispose(self) -> None:
        self.engine.dispose()
        path = self.file
        # The last one out seals the file (integrity.py) — only a process that saw it whole:
        # one that merely glanced at it, beside another, must not vouch for it.
        if path is not None and self.verified_on_open:
            write_seal(path)

    def check_integrity(self) -> None:
        """SQLite's ``quick_check`` of the whole file; :class:`StorageError` naming the damage.

        Opening checks the whole file when it changed since Reglament last closed it
        (integrity.py), and then this returns at once; the window runs it in the background
        after start-up for a file another process had open, whose opening only glanced at it.
        PostgreSQL looks after its own pages.
        """
        if not self.is_sqlite or self.verified_on_open:
            return
        try:
            with self.engine.connect() as conn:
                ok = conn.execute(text("PRAGMA quick_check")).scalar()
        except DatabaseError as exc:
            raise _damaged(_cause(exc)) from None
        if ok != "ok":
            # SQLite lists every damaged page; the first two say what happened.
            problems = [line for line in str(ok).splitlines() if line.strip() and not line.startswith("***")]
            more = f" (+{len(problems) - 2})" if len(problems) > 2 else ""
            raise _damaged("; ".join(problems[:2]) + more)
        self.verified_on_open = True  # seen whole now: it may be sealed when closed


def _damaged(what: object) -> StorageError:
    """Said of a damaged SQLite file, whichever way the damage is found."""
    return StorageError("the database file is damaged: {ok}; restore it from a backup, or ask the administrator",
                        ok=what)


def _is_damage(exc: DatabaseError) -> bool:
    """A damaged or foreign file (SQLITE_CORRUPT, SQLITE_NOTADB), not a refused statement."""
    orig = getattr(exc, "orig", None)
    name = str(getattr(orig, "sqlite_errorname", ""))
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in str(orig)


def _in_words(exc: SQLAlchemyError) -> Exception:
    """A failed statement as a person is told of it: the database unavailable, or the file
    damaged; any other error as it is (sessions, reads and driver reads alike)."""
    if isinstance(exc, OperationalError):
        return StorageError("the database is not available: {reason}", reason=_cause(exc))
    if isinstance(exc, DatabaseError) and _is_damage(exc):
        return _damaged(_cause(exc))
    return exc


def _cause(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0]


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # FULL: each commit is on the disk when it returns, so a power cut cannot take back a
    # reply the window said was queued or a batch the sync's checkpoint moved past (NORMAL
    # may lose the last commits). Measured free: 957 against 924-966 msg/s on the sync bench.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.close()


#: psycopg (3) prepares a statement on the server the sixth time a connection runs it, and
#: preparing costs a round trip of its own for each: across a VPN one ticket page in every few
#: took twice as long (five statements at 40 ms instead of 20). Parsing a statement is cheap next
#: to a round trip, so none is prepared.
_PG_CONNECT: dict[str, Any] = {"prepare_threshold": None}

#: A pooled connection unused for longer than this is checked before it is handed out.
IDLE_PING_S = 10.0


def _mark_idle(_dbapi_conn: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    """SQLAlchemy's ``pool_pre_ping`` pings at every checkout: one round trip more for every
    read, 20 ms each across a VPN. A connection in use a moment ago is alive; one that sat in
    the pool (a server restart, a dropped VPN, an idle timeout) is pinged, and a dead one is
    replaced before anyone uses it (the pool retries on ``DisconnectionError``)."""
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_PING_S:
        return
    try:
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        if not getattr(dbapi_conn, "autocommit", True):
            dbapi_conn.rollback()
    except Exception as exc:  # any driver's "connection is gone"
        raise DisconnectionError(str(exc)) from exc


def make_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 15})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            # LIFO: the connection used last is handed out next, so the one a read gets was
            # busy a moment ago and needs no ping; the others may idle (and be pinged) instead.
            from sqlalchemy.engine import make_url

            psycopg3 = make_url(url).get_driver_name() == "psycopg"
            engine = create_engine(url, pool_use_lifo=True, connect_args=_PG_CONNECT if psycopg3 else {})
            event.listen(engine, "checkout", _ping_if_idle)
            event.listen(engine, "checkin", _mark_idle)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise StorageError(
            "the database address {url!r} is not usable: {exc}", url=redact_url(url), exc=exc
        ) from None
    return engine


def redact_url(url: str) -> str:
    """The URL without its password, for messages and logs (R-CRED-1)."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def head_revision() -> str:
    """The newest migration, read from the file names (``0002_….py``) without importing alembic.

    Alembic costs ~0.3 s to import; skipping it when the schema is already current is most of
    what start-up can save (issue: start-up within 2× of a bare window).
    """
    names = sorted(p.name for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return names[-1][:4] if names else ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state(engine: Engine, *, release: bool = False) -> SchemaState:
    """Where the database's schema is, against this release's (read only). Which release
    wrote it is read when it differs from ours, or when asked (``release``)."""
    current = current_revision(engine)
    wrote = None
    if current is not None and (release or current != head_revision()):
        with engine.connect() as conn:
            wrote = release_of(conn)
    team = engine.dialect.name != "sqlite"
    where = redact_url(engine.url.render_as_string(hide_password=False)) if team else str(engine.url.database)
    return SchemaState(where, current, head_revision(), wrote, team)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision; running it again is a no-op."""
    if current_revision(engine) == head_revision():
        return
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        stamp_release(conn)


#: Called with the schema's state before an existing database is upgraded (the workspace takes
#: a backup there); it may raise to stop the upgrade.
BeforeUpgrade = Callable[[SchemaState], None]


def open_database(url: str, migrate: bool = True, *, before_upgrade: BeforeUpgrade | None = None,
                  upgrade_team: bool = False, others_have_it_open: bool = False) -> Database:
    """A ready database, or :class:`StorageError` saying why not, before anything is written.

    A SQLite file is looked at first (``store/integrity.py``): an empty or damaged one is
    refused untouched. Then the schema's revision decides (``store/schema_version.py``): a newer
    one is refused naming both releases; an older SQLite file is upgraded after
    ``before_upgrade``; an older team database only with ``upgrade_team`` (``reglament db
    upgrade``) — otherwise the workstation says how to upgrade it and does not start.
    """
    path = sqlite_file(url)
    verified = False
    if path is not None:
        look = look_at(path, others_have_it_open=others_have_it_open)
        verified = not others_have_it_open
        if look is not None and migrate:  # refused before any connection that could write
            refuse_newer(SchemaState(str(path), look.revision, head_revision(),
                                     decode_release(look.user_version), team=False))
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrate:
            state = schema_state(engine)
            refuse_newer(state)
            if state.behind:
                if not upgrade_team:
                    refuse_team_behind(state)
                if before_upgrade is not None:
                    before_upgrade(state)
            if state.current != state.head:
                upgrade(engine)
    except DatabaseError as exc:
        engine.dispose()
        raise StorageError("cannot open the database {url}: {reason}", url=redact_url(url), reason=_cause(exc)) from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError("cannot open the database {url}: {reason}", url=redact_url(url), reason=_cause(exc)) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False), verified_on_open=verified)


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
