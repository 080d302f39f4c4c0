"""Which client a ticket belongs to, and what follows from it: the plan, the queue rank, the
"client not identified" mark and the paid-work suggestion (R-TICKET-2, R-TICKET-7, R-SLA-6).

Apart from the other fields because a client change moves several facts at once and each of
them must move the same way whether the ticket was opened by mail, by a logged call or edited
by an agent afterwards.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.tickets import Flag
from desktop.errors import NotFound
from desktop.services.tickets.create import plan_for
from desktop.services.tickets.paid import resuggest_in
from desktop.services.upkeep.deadlines import calendar_of
from desktop.services.upkeep.history import record
from desktop.services.workspace import Workspace
from desktop.store.models import Client, Plan, Ticket


def find_client(session: Session, name: str) -> Client:
    """The client called ``name`` (letter case aside: agents type names as they remember them)."""
    wanted = name.strip()
    client = session.scalar(select(Client).where(Client.name == wanted))
    if client is None:
        folded = wanted.casefold()
        client = next((c for c in session.scalars(select(Client)) if c.name.casefold() == folded), None)
    if client is None:
        raise NotFound("there is no client {name!r}", name=wanted)
    return client


def link_client_in(session: Session, ws: Workspace, ticket: Ticket, client: Client | None) -> bool:
    """Attach ``client`` (or none) to ``ticket``; returns whether anything changed.

    The ticket takes the client's plan (the free plan without one), so its deadlines must be
    refreshed by the caller; the paid suggestion is redone unless an agent already decided it.
    """
    old = session.get(Client, ticket.client_id) if ticket.client_id else None
    if (old.id if old else None) == (client.id if client else None):
        return False
    now = ws.now()
    ticket.client_id = client.id if client else None
    record(session, ticket, now, ws.actor, "change", "client",
           old.name if old else None, client.name if client else None)
    plan = plan_for(session, client)
    if (plan.id if plan else None) != ticket.plan_id:
        before = session.get(Plan, ticket.plan_id) if ticket.plan_id else None
        ticket.plan_id = plan.id if plan else None
        record(session, ticket, now, ws.actor, "change", "plan",
               before.code if before else None, plan.code if plan else None)
    priority = bool(client and (client.priority_support or (plan and plan.priority_support)))
    ticket.priority_rank = 0 if priority else 1
    flags = [f for f in ticket.flags if f != Flag.CLIENT_NOT_IDENTIFIED.value]
    if client is None:
        flags.append(Flag.CLIENT_NOT_IDENTIFIED.value)
    ticket.flags = flags
    resuggest_in(session, ws, ticket, client, calendar_of(session, plan))  # desktop.domain.paid
    return True
