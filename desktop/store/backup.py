"""Backups of a workspace: the database and its attachments, and putting one back (R-DATA-2).

A backup of the SQLite file is taken with SQLite's online backup API, so it is consistent even
while the window or a sync writes, and it is checked page by page before it is called done.
Attachments and raw mail (the content-addressed blob folder) go alongside it, in
``<backup>.blobs/``: linked where the backup is on the same disk (a blob is never changed in
place, only added), copied otherwise. A team database (PostgreSQL) is saved with ``pg_dump``
in its custom format (restored with ``pg_restore``).

Automatic backups live in the data folder's ``backups/``: one before every schema upgrade and
one a day, the newest ``keep`` of each kind kept.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from desktop.errors import StorageError
from desktop.store.integrity import DamagedDatabase, forget_seal, look_at

DAILY = "daily"
BEFORE_UPGRADE = "before-upgrade"
BEFORE_RESTORE = "before-restore"


def blobs_beside(backup: Path) -> Path:
    """Where a backup's attachments are: next to it, named after it."""
    return backup.with_name(backup.name + ".blobs")


def automatic_name(folder: Path, kind: str, now: datetime, suffix: str = ".db") -> Path:
    return folder / f"reglament-{now.strftime('%Y%m%d-%H%M%S')}-{kind}{suffix}"


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_sqlite(db: Path, blobs: Path, dest: Path) -> Path:
    """Copy the live database ``db`` to ``dest`` (online backup API) and ``blobs`` beside it."""
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest == db.resolve():
        raise StorageError("a backup cannot replace the database it is taken of ({file})", file=dest)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            target = sqlite3.connect(tmp)
            try:
                source.backup(target, pages=4096)
                # A plain file, readable alone: no write-ahead log beside it.
                target.execute("PRAGMA journal_mode=DELETE")
                ok = target.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                target.close()
        finally:
            source.close()
        if ok != "ok":
            raise StorageError("the backup {file} failed its check ({ok}); the database may be damaged",
                               file=dest, ok=ok)
        _fsync(tmp)
        copy_blobs(blobs, blobs_beside(dest))
        os.replace(tmp, dest)
    except sqlite3.Error as exc:
        raise StorageError("cannot back up {db} to {file}: {reason}", db=db, file=dest,
                           reason=str(exc).splitlines()[0]) from None
    except OSError as exc:
        raise StorageError("cannot back up {db} to {file}: {reason}", db=db, file=dest,
                           reason=exc.strerror or exc) from None
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def copy_blobs(source: Path, target: Path) -> int:
    """Every file of ``source`` that ``target`` lacks (linked, or copied across disks)."""
    copied = 0
    if not source.is_dir():
        return copied
    for root, _dirs, files in os.walk(source):
        here = Path(root)
        there = target / here.relative_to(source)
        there.mkdir(parents=True, exist_ok=True)
        for name in files:
            if name.startswith(".") or name.endswith(".tmp"):
                continue  # a blob being written: not yet part of anything
            dst = there / name
            if dst.exists():
                continue
            try:
                os.link(here / name, dst)
            except OSError:
                shutil.copy2(here / name, dst)
            copied += 1
    return copied


def prune(folder: Path, kind: str, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` automatic backups of ``kind`` (with their blobs)."""
    mine = sorted(p for p in folder.glob(f"reglament-*-{kind}.*") if not p.name.endswith(".blobs"))
    gone = mine[: max(0, len(mine) - keep)]
    for path in gone:
        path.unlink(missing_ok=True)
        shutil.rmtree(blobs_beside(path), ignore_errors=True)
    return gone


def daily_due(folder: Path, now: datetime) -> bool:
    return not any(folder.glob(f"reglament-{now.strftime('%Y%m%d')}-*-{DAILY}.*"))


def restore_sqlite(backup: Path, db: Path, blobs: Path, keep_aside: Path) -> Path | None:
    """Put ``backup`` (and its blobs) in place of ``db``; the current file is kept at
    ``keep_aside`` (returned) first — a damaged one as it is. The caller holds the workspace
    alone. Refuses a backup that is not a sound Reglament database this release can use."""
    from desktop.store.schema_version import SchemaState, refuse_newer

    if not backup.is_file():
        raise StorageError("there is no backup file {file}", file=backup)
    from desktop.store.db import head_revision

    found = look_at(backup)  # full check: no seal beside a backup
    if found is None or found.revision is None:
        raise StorageError("{file} is not a Reglament database backup", file=backup)
    from desktop.store.schema_version import decode_release

    refuse_newer(SchemaState(str(backup), found.revision, head_revision(),
                             decode_release(found.user_version), team=False))
    kept: Path | None = None
    if db.exists() and db.stat().st_size > 0:
        keep_aside.parent.mkdir(parents=True, exist_ok=True)
        try:
            look_at(db)
            kept = backup_sqlite(db, blobs, keep_aside)
        except DamagedDatabase:  # kept exactly as it is, for whoever wants to look at it
            kept = keep_aside.with_name(keep_aside.stem + "-damaged.db")
            shutil.copy2(db, kept)
    tmp = db.with_name(db.name + ".restoring")
    try:
        shutil.copyfile(backup, tmp)
        _fsync(tmp)
        for extra in ("-wal", "-shm"):
            db.with_name(db.name + extra).unlink(missing_ok=True)
        os.replace(tmp, db)
        forget_seal(db)
    except OSError as exc:
        raise StorageError("cannot restore {file}: {reason}", file=backup, reason=exc.strerror or exc) from None
    finally:
        tmp.unlink(missing_ok=True)
    copy_blobs(blobs_beside(backup), blobs)
    return kept


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise StorageError("{tool} is not installed; install the PostgreSQL client tools to back up a "
                       "team database", tool=name)


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    args = [f"--dbname={u.database}"]
    if u.host:
        args.append(f"--host={u.host}")
    if u.port:
        args.append(f"--port={u.port}")
    if u.username:
        args.append(f"--username={u.username}")
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)  # not on the command line, where others could read it
    return args, env


def backup_postgres(url: str, blobs: Path, dest: Path) -> Path:
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    args, env = _pg_args(url)
    try:
        done = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={tmp}", *args],
                              env=env, capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            raise StorageError("pg_dump could not back up the team database: {reason}",
                               reason=(done.stderr.strip().splitlines() or ["exit code " + str(done.returncode)])[-1])
        _fsync(tmp)
        copy_blobs(blobs, blobs_beside(dest))
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _other_connections(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")).scalar() or 0)
    finally:
        engine.dispose()


def restore_postgres(backup: Path, url: str, blobs: Path) -> None:
    """``pg_restore`` of a ``pg_dump`` backup, refused while any other connection — a colleague's
    window or sync — is on the database: its tables are dropped and made again."""
    if not backup.is_file():
        raise StorageError("there is no backup file {file}", file=backup)
    others = _other_connections(url)
    if others:
        raise StorageError(
            "the team database is in use ({count} other connections: colleagues' windows or syncs); "
            "ask everyone to close Reglament, then restore again", count=others)
    args, env = _pg_args(url)
    done = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           *args, str(backup)], env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise StorageError("pg_restore could not restore {file}: {reason}", file=backup,
                           reason=(done.stderr.strip().splitlines() or ["exit code " + str(done.returncode)])[-1])
    copy_blobs(blobs_beside(backup), blobs)
