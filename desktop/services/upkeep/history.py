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
    event = HistoryEvent(**history_values(ticket.id, at, actor, action, field, old, new, **details))
    session.add(event)
    return event


def history_values(
    ticket_id: int,
    at: datetime,
    actor: str,
    action: str,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    **details: Any,
) -> dict[str, Any]:
    """The columns of one history line, for a caller that inserts many at once (mail ingest)."""
    return {
        "ticket_id": ticket_id,
        "at": at,
        "actor": actor,
        "action": action,
        "field": field,
        "old": None if old is None else str(old),
        "new": None if new is None else str(new),
        "details": details,
    }
