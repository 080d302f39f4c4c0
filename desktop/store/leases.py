"""Short leases in the database: "exactly one workstation does this" (R-AUTO-3, R-TEAM-2).

A lease is a row naming its holder and expiry. Taking it is a read-modify-write under a row lock
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers anyway), so two workstations
can never both believe they hold it. A holder that dies simply lets it expire.
"""

from __future__ import annotations

import os
import socket
import sys
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.store.models import Setting


def holder_id() -> str:
    """Who holds a lease: this machine and process, readable in "another workstation…" notes."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_gone(holder: str) -> bool:
    """True when ``holder`` is a process of this machine that no longer exists.

    Only decidable here: another machine's process is judged by the lease's expiry alone. On
    Windows ``os.kill(pid, 0)`` would terminate the process, so there the expiry decides too.
    """
    host, _, pid = holder.rpartition(":")
    if sys.platform == "win32" or host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def try_acquire(session: Session, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease ``name`` for ``holder``; False when someone else holds it."""
    key = f"lease:{name}"
    row = session.scalar(select(Setting).where(Setting.key == key).with_for_update())
    expires = (now + ttl).isoformat()
    if row is None:
        try:
            with session.begin_nested():
                session.add(Setting(key=key, value={"holder": holder, "expires": expires}))
            return True
        except IntegrityError:
            row = session.scalar(select(Setting).where(Setting.key == key).with_for_update())
            if row is None:
                return False
    current = row.value or {}
    if current.get("holder") not in (None, holder) and not holder_gone(str(current.get("holder"))):
        try:
            if datetime.fromisoformat(current["expires"]) > now:
                return False
        except (KeyError, TypeError, ValueError):
            pass  # a malformed lease is treated as expired
    row.value = {"holder": holder, "expires": expires}
    return True


def release(session: Session, name: str, holder: str) -> None:
    row = session.get(Setting, f"lease:{name}")
    if row is not None and (row.value or {}).get("holder") == holder:
        session.delete(row)
