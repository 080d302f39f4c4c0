"""The audit trail (R-TICKET-6): one helper so no use case forgets to write it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from desktop.store.models import HistoryEvent, Ticket


def record(
    session: Session,
    ticket: Ticket,
    at: datetime,
    actor: str,
    action: str,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    **details: Any,
) -> HistoryEvent:
    event = HistoryEvent(
        ticket_id=ticket.id,
        at=at,
        actor=actor,
        action=action,
        field=field,
        old=None if old is None else str(old),
        new=None if new is None else str(new),
        details=details,
    )
    session.add(event)
    return event
