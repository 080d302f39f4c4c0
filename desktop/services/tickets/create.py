"""Opening a ticket and adding a message to it (R-TICKET-1, R-TICKET-8).

Apart because every other use case starts from a ticket that exists: mail ingest, the demo,
a split and a logged phone call all open tickets through :func:`create_ticket_in` or, for a
batch, :func:`new_ticket_row`, and the ticket's first status comes from the domain's lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.lifecycle import ticket_start
from desktop.domain.tickets import Category, Channel, Direction, Flag, Priority
from desktop.services.clients import identify_client
from desktop.services.tickets.paid import resuggest_in
from desktop.services.upkeep import deadlines
from desktop.services.upkeep.history import record
from desktop.services.workspace import Workspace
from desktop.store.models import Client, Department, Message, Plan, Ticket
from desktop.store.sequences import next_value


@dataclass(frozen=True)
class NewTicket:
    """What is known when a ticket is opened (by mail, by hand, by the demo)."""

    subject: str
    requester: str
    received_at: datetime
    text: str = ""
    requester_name: str = ""
    channel: Channel = Channel.EMAIL
    category: Category = Category.OTHER
    priority: Priority = Priority.NORMAL
    department: str | None = "technical"
    client_id: int | None = None
    written_only: bool = False


def create_ticket_in(session: Session, ws: Workspace, new: NewTicket, actor: str | None = None) -> Ticket:
    """Open a ticket inside the caller's transaction (mail ingest batches many in one)."""
    now = ws.now()
    client = session.get(Client, new.client_id) if new.client_id else identify_client(session, new.requester)
    dept = None
    if new.department:
        dept = session.scalar(select(Department).where(Department.code == new.department))
    ticket = new_ticket_row(session, ws, new, client=client, plan=plan_for(session, client), department=dept)
    session.add(ticket)
    session.flush()
    record(session, ticket, now, actor or ws.actor, "created", channel=new.channel.value)
    deadlines.refresh(session, ws, ticket)
    plan = session.get(Plan, ticket.plan_id) if ticket.plan_id else None
    resuggest_in(session, ws, ticket, client, deadlines.calendar_of(session, plan), new.text)
    return ticket


def new_ticket_row(
    session: Session,
    ws: Workspace,
    new: NewTicket,
    *,
    client: Client | None,
    plan: Plan | None,
    department: Department | None,
    number: int | None = None,
    archived: bool = False,
) -> Ticket:
    """The row of a new ticket with its number drawn, not yet added to the session.

    :func:`create_ticket_in` is the way for one ticket; this is its first half for a caller that
    opens many tickets in one transaction and looked the client, plan and department up once
    for all of them (mail ingest). Such a caller adds the row, writes the ``created`` history
    line once the row has its id, and sets the deadlines (``deadlines.refresh_new``). It may
    also draw the ``number`` itself (holding the counter's row for its transaction). An
    ``archived`` ticket is what a mailbox held before it was connected: the lifecycle starts it
    closed (:func:`~desktop.domain.lifecycle.ticket_start`).
    """
    now = ws.now()
    start = ticket_start(new.received_at, archived=archived)
    if number is None:
        number = next_value(session, "tid")
    fmt = ws.tid_format(session)
    flags: list[str] = []
    if client is None:
        flags.append(Flag.CLIENT_NOT_IDENTIFIED.value)
    if new.written_only:
        flags.append(Flag.WRITTEN_CONFIRMATION_REQUIRED.value)
    return Ticket(
        number=number,
        tid=fmt.format(number),
        subject=new.subject.strip(),
        requester=new.requester.strip().lower(),
        requester_name=new.requester_name,
        client_id=client.id if client else None,
        plan_id=plan.id if plan else None,
        channel=new.channel.value,
        department_id=department.id if department else None,
        category=new.category.value,
        priority=new.priority.value,
        priority_rank=0 if (client and (client.priority_support or (plan and plan.priority_support))) else 1,
        status=start.status.value,
        closed_at=start.closed_at,
        archived=archived,
        flags=flags,
        written_only=new.written_only,
        received_at=new.received_at,
        last_client_message_at=new.received_at,
        last_message_at=new.received_at,
        created_at=now,
        updated_at=now,
    )


def plan_for(session: Session, client: Client | None) -> Plan | None:
    if client is not None and client.plan_id is not None:
        return session.get(Plan, client.plan_id)
    return session.scalar(select(Plan).where(Plan.code == "free"))


def add_message_in(
    session: Session,
    ws: Workspace,
    ticket: Ticket,
    direction: Direction,
    *,
    text: str,
    subject: str = "",
    received_at: datetime | None = None,
    from_addr: str = "",
    from_name: str = "",
    author: str | None = None,
    threaded_by: str = "manual",
    **fields: Any,
) -> Message:
    now = ws.now()
    msg = Message(
        ticket_id=ticket.id,
        direction=direction.value,
        text=text,
        subject=subject or ticket.subject,
        received_at=received_at or now,
        from_addr=from_addr,
        from_name=from_name,
        author=author,
        threaded_by=threaded_by,
        created_at=now,
        **fields,
    )
    session.add(msg)
    ticket.last_message_at = max(ticket.last_message_at or msg.received_at, msg.received_at)
    if direction is Direction.INCOMING:
        ticket.last_client_message_at = msg.received_at
    session.flush()
    return msg
