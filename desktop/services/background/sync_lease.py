"""Exactly one sync of a mailbox at a time (R-TEAM-2): the lease on its ``SyncState`` row.

Taken with one conditional UPDATE (atomic on SQLite and PostgreSQL alike), renewed while the
sync runs, expiring by itself when its holder dies; a holder on *this* machine whose process is
gone is treated as expired at once. Threads of one process share a holder id, so an in-process
turn keeps them apart too. Apart from the sync itself because the one-pass sync, the loop that
syncs forever and the tests all take and give back the same lease.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from desktop.errors import ReglamentError
from desktop.services.workspace import Workspace
from desktop.store.leases import holder_gone
from desktop.store.models import SyncState

#: A lease not renewed for this long is free: a holder that died stops blocking others.
LEASE_TTL = timedelta(minutes=5)

log = logging.getLogger("reglament.sync")


_RENEW_EVERY = LEASE_TTL.total_seconds() / 5


def _ensure_state(ws: Workspace, account_id: int, folder: str) -> None:
    with ws.db.session() as s:
        exists = s.scalar(
            select(SyncState.id).where(SyncState.account_id == account_id, SyncState.folder == folder)
        )
        if exists is not None:
            return
        try:
            with s.begin_nested():
                s.add(SyncState(account_id=account_id, folder=folder, last_uid=0))
        except IntegrityError:
            pass  # another process created it a moment ago: fine, it is there


def acquire_sync_lease(
    ws: Workspace, account_id: int, folder: str, holder: str, ttl: timedelta = LEASE_TTL
) -> str | None:
    """Take or renew the sync lease of a mailbox; ``None`` when taken, else the current holder.

    One conditional UPDATE is the whole decision, so two workstations racing for it cannot both
    win, on SQLite or PostgreSQL, without any engine-specific locking.
    """
    _ensure_state(ws, account_id, folder)
    where = (SyncState.account_id == account_id, SyncState.folder == folder)
    for _attempt in range(2):
        now = ws.now()
        with ws.db.session() as s:
            taken = s.execute(
                update(SyncState)
                .where(
                    *where,
                    (SyncState.lock_holder.is_(None))
                    | (SyncState.lock_holder == holder)
                    | (SyncState.lock_expires_at.is_(None))
                    | (SyncState.lock_expires_at <= now),
                )
                .values(lock_holder=holder, lock_expires_at=now + ttl)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return None
            other = s.scalar(select(SyncState.lock_holder).where(*where))
            if other is None or not holder_gone(other):
                return other or "another workstation"
            # The holder died on this machine: take the lease over from exactly that holder.
            stolen = s.execute(
                update(SyncState)
                .where(*where, SyncState.lock_holder == other)
                .values(lock_holder=holder, lock_expires_at=now + ttl)
                .execution_options(synchronize_session=False)
            )
            if stolen.rowcount == 1:  # type: ignore[attr-defined]
                log.info("took over the sync lease of account %s from %s (gone)", account_id, other)
                return None
    return "another workstation"


def release_sync_lease(ws: Workspace, account_id: int, folder: str, holder: str) -> None:
    with ws.db.session() as s:
        s.execute(
            update(SyncState)
            .where(
                SyncState.account_id == account_id,
                SyncState.folder == folder,
                SyncState.lock_holder == holder,
            )
            .values(lock_holder=None, lock_expires_at=None)
            .execution_options(synchronize_session=False)
        )


#: Threads of *this* process syncing the same mailbox would share one holder id and both pass
#: the database lease; this keeps them apart (the GUI's "sync now" next to its background sync).
_local_busy: set[tuple[str, int]] = set()


_local_lock = threading.Lock()


@contextlib.contextmanager
def in_process_turn(ws: Workspace, account_id: int) -> Iterator[bool]:
    key = (ws.db.url, account_id)
    with _local_lock:
        mine = key not in _local_busy
        if mine:
            _local_busy.add(key)
    try:
        yield mine
    finally:
        if mine:
            with _local_lock:
                _local_busy.discard(key)


class LeaseKeeper:
    """Renews the lease every few minutes during a long sync; a lost lease stops the sync."""

    def __init__(self, ws: Workspace, account_id: int, folder: str, holder: str) -> None:
        self.ws, self.account_id, self.folder, self.holder = ws, account_id, folder, holder
        self.renewed = time.monotonic()

    def renew_if_due(self) -> None:
        if time.monotonic() - self.renewed < _RENEW_EVERY:
            return
        other = acquire_sync_lease(self.ws, self.account_id, self.folder, self.holder)
        if other is not None:
            raise ReglamentError(
                "the sync of this mailbox was taken over by {holder}; stopping here "
                "(everything fetched so far is stored)", holder=other,
            )
        self.renewed = time.monotonic()
