"""Which schema a database is at, which release wrote it, and whether this one may use it.

The schema's revision is Alembic's (``alembic_version``; revisions are numbered ``0001``, …).
Beside it each upgrade records the Reglament release that made it — in SQLite's
``user_version`` header field, on PostgreSQL as the comment of ``alembic_version`` — so a
workstation older than the database can say which release it needs, by name.

The rules (R-TEAM-3, issue: upgrades a team agrees to):

* a database at a revision this release does not know was written by a newer one: refused,
  naming both releases — not started on, not "repaired";
* an older SQLite file (one workstation's own) is upgraded on open, after a backup;
* an older team database (PostgreSQL) is left as it is: every colleague's workstation would be
  upgraded under them. The message says where it is and how to upgrade it once everyone
  agrees (``reglament db upgrade``, which saves a ``pg_dump`` first);
* an empty database gets the schema at once: there is nobody to agree with yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from desktop import __version__
from desktop.errors import StorageError


class SchemaTooNew(StorageError):
    """The database was upgraded by a newer Reglament; this one does not start on it."""


class SchemaBehind(StorageError):
    """A team database at an older revision, which only ``reglament db upgrade`` changes."""


def encode_release(version: str = __version__) -> int:
    """``1.2.3`` → 1_002_003 (SQLite's ``user_version`` is one 32-bit number)."""
    parts = [int("".join(ch for ch in p if ch.isdigit()) or 0) for p in version.split(".")[:3]]
    parts += [0] * (3 - len(parts))
    return parts[0] * 1_000_000 + parts[1] * 1_000 + parts[2]


def decode_release(number: int) -> str | None:
    if number <= 0:
        return None
    return f"{number // 1_000_000}.{number // 1_000 % 1_000}.{number % 1_000}"


def stamp_release(conn: Connection) -> None:
    """Record this release as the one that brought the schema to its revision."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA user_version = {encode_release()}")
    else:
        conn.execute(text(f"COMMENT ON TABLE alembic_version IS 'Reglament {__version__}'"))


def release_of(conn: Connection) -> str | None:
    """The release that last upgraded this database, if one recorded it."""
    if conn.dialect.name == "sqlite":
        return decode_release(int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0))
    comment = conn.execute(text("SELECT obj_description('alembic_version'::regclass, 'pg_class')")).scalar()
    if isinstance(comment, str) and comment.startswith("Reglament "):
        return comment.removeprefix("Reglament ")
    return None


@dataclass(frozen=True)
class SchemaState:
    where: str  # the file, or the team database's address without its password
    current: str | None  # None: an empty database
    head: str
    release: str | None  # who wrote ``current``
    team: bool

    @property
    def newer(self) -> bool:
        return self.current is not None and self.current > self.head

    @property
    def behind(self) -> bool:
        return self.current is not None and self.current < self.head

    def describe(self) -> str:
        who = f"Reglament {self.release}" if self.release else "an earlier Reglament"
        at = f"schema {self.current} ({who})" if self.current else "empty"
        return f"{self.where}: {at}; this workstation: Reglament {__version__} (schema {self.head})"


def refuse_newer(state: SchemaState) -> None:
    if not state.newer:
        return
    if state.release:
        raise SchemaTooNew(
            "the database {where} was upgraded by Reglament {theirs} (schema {current}); this is "
            "Reglament {ours} (schema {head}), which does not start on it. Install Reglament "
            "{theirs} or newer on this workstation", where=state.where, theirs=state.release,
            current=state.current, ours=__version__, head=state.head)
    raise SchemaTooNew(
        "the database {where} was upgraded by a newer Reglament (schema {current}); this is "
        "Reglament {ours} (schema {head}), which does not start on it. Install the newer "
        "Reglament on this workstation", where=state.where, current=state.current,
        ours=__version__, head=state.head)


def refuse_team_behind(state: SchemaState) -> None:
    if not (state.team and state.behind):
        return
    if state.release:
        raise SchemaBehind(
            "the team database {where} is at schema {current} (Reglament {theirs}); this workstation "
            "runs Reglament {ours}, which needs schema {head}. Nothing was changed: upgrading changes "
            "it for the whole team. Once the team agrees, run `reglament db upgrade` on one "
            "workstation (it saves a pg_dump backup first); until then use Reglament {theirs} here",
            where=state.where, current=state.current, theirs=state.release, ours=__version__, head=state.head)
    raise SchemaBehind(
        "the team database {where} is at schema {current}; this workstation runs Reglament {ours}, "
        "which needs schema {head}. Nothing was changed: upgrading changes it for the whole team. "
        "Once the team agrees, run `reglament db upgrade` on one workstation (it saves a pg_dump "
        "backup first)", where=state.where, current=state.current, ours=__version__, head=state.head)
