"""A workspace's backups as a user meets them: automatic ones, ``reglament backup``,
``reglament restore`` and ``reglament db upgrade`` (the mechanics are in ``backup.py``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from desktop.config import Paths
from desktop.errors import StorageError
from desktop.store import backup, holders
from desktop.store.integrity import sqlite_file
from desktop.store.schema_version import SchemaState

log = logging.getLogger("reglament.backup")


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


def backup_workspace(paths: Paths, url: str, dest: Path | None = None, kind: str = "manual") -> Path:
    """Back the workspace up to ``dest`` (default: a new file in the data folder's backups)."""
    db_file = sqlite_file(url)
    suffix = ".db" if db_file is not None else ".dump"
    target = dest or backup.automatic_name(paths.backups, kind, _now(), suffix)
    if db_file is not None:
        if not db_file.exists():
            raise StorageError("there is no database at {file} to back up yet", file=db_file)
        return backup.backup_sqlite(db_file, paths.blobs, target)
    return backup.backup_postgres(url, paths.blobs, target)


def before_upgrade(paths: Paths, url: str, keep: int) -> Callable[[SchemaState], None]:
    """The backup every schema upgrade of an existing database waits for."""

    def take(state: SchemaState) -> None:
        made = backup_workspace(paths, url, kind=backup.BEFORE_UPGRADE)
        log.info("backed up %s (schema %s) to %s before upgrading it", state.where, state.current, made)
        backup.prune(paths.backups, backup.BEFORE_UPGRADE, max(keep, 1))

    return take


def daily(paths: Paths, url: str, keep: int) -> Path | None:
    """Once a day (the first open of the day), for a workstation's own SQLite file."""
    if keep <= 0 or sqlite_file(url) is None or not backup.daily_due(paths.backups, _now()):
        return None
    try:
        made = backup_workspace(paths, url, kind=backup.DAILY)
    except StorageError as exc:  # said in the log; the work of the day goes on
        log.warning("the daily backup failed: %s", exc)
        return None
    backup.prune(paths.backups, backup.DAILY, keep)
    return made


def restore_workspace(paths: Paths, url: str, source: Path) -> Path | None:
    """Put ``source`` back as the workspace's database (and its attachments); returns where the
    replaced database was kept. Refused while any other process has the workspace open."""
    gate = holders.hold_for_restore(paths.home)
    if gate is None:
        raise StorageError("another restore into {home} is under way", home=paths.home)
    try:
        busy = holders.others(paths.home)
        if busy:
            raise StorageError(
                "the workspace {home} is open in another program ({who}); close the window and stop "
                "`reglament sync` there, then restore again", home=paths.home, who="; ".join(busy))
        db_file = sqlite_file(url)
        if db_file is None:
            backup.restore_postgres(source, url, paths.blobs)
            return None
        return backup.restore_sqlite(
            source, db_file, paths.blobs, backup.automatic_name(paths.backups, backup.BEFORE_RESTORE, _now()))
    finally:
        gate.release()
