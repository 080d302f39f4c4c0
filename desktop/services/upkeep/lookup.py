"""Finding the ticket a use case acts on, by the number a person typed or saw.

Below every use case and read so that keeping deadlines, reading a page and changing a ticket all
resolve a TID the same way (the current prefix, or the one it was given under).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import ConflictError, NotFound
from desktop.services.workspace import Workspace
from desktop.store.models import Ticket


def get_ticket(session: Session, ws: Workspace, tid: str) -> Ticket:
    """By its TID as stored (so numbers given under an older prefix still resolve), else by
    the number inside it under the current format."""
    exact = session.scalar(select(Ticket).where(Ticket.tid == tid.strip().strip("[]").upper()))
    if exact is not None:
        return exact
    number = ws.tid_format(session).parse(tid)
    ticket = session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        raise NotFound("there is no ticket {tid}", tid=ws.tid_format(session).format(number))
    return ticket


def load_for_change(session: Session, ws: Workspace, tid: str, expected_version: int | None) -> Ticket:
    """The ticket, refused when it changed since the person saw ``expected_version`` (R-TEAM-2)."""
    ticket = get_ticket(session, ws, tid)
    if expected_version is not None and ticket.version != expected_version:
        raise ConflictError(
            "{tid} was changed by someone else since you opened it; "
            "reload it to see their change", tid=ticket.tid
        )
    return ticket


def touch(ticket: Ticket, now: datetime) -> None:
    """Marks a change for the queue's "updated" order and other workstations' refresh."""
    ticket.updated_at = now
