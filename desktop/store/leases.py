"""Short leases in the database: "exactly one workstation does this" (R-AUTO-3, R-TEAM-2).

A lease is a row naming its holder and expiry. Taking it is a read-modify-write under a row lock
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers anyway), so two workstations
can never both believe they hold it. A holder that dies simply lets it expire.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.store.models import Setting


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
    if current.get("holder") not in (None, holder):
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
