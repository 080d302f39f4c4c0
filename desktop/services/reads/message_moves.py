"""Where a message could go, for the window's "Move message" dialog (R-MAIL-3): the client a new
ticket made of it would get, and the sender's own open tickets to move it to.

A read apart from the use cases (``tickets.thread_fix``) so the dialog can say *before* the
agent decides that a stranger's mail would become a ticket of the stranger's client — or of no
client — and never of the ticket it is in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from desktop.domain.tickets import OPEN_STATUSES
from desktop.errors import NotFound
from desktop.services.clients import identify_client, normalise_address
from desktop.services.workspace import Workspace
from desktop.store.models import ClientAddress, Message, Ticket

#: The sender's open tickets offered as destinations, newest first.
TARGETS = 20


@dataclass(frozen=True)
class MoveTarget:
    tid: str
    subject: str
    status: str


@dataclass(frozen=True)
class MoveChoices:
    """What the dialog shows for one message."""

    message_id: int
    sender: str
    client: str | None  # the client a new ticket of this message would belong to
    found_by: str | None  # "address" | "domain" | None (no client)
    targets: tuple[MoveTarget, ...]


def move_choices(ws: Workspace, message_id: int) -> MoveChoices:
    with ws.db.reading() as s:
        msg = s.get(Message, message_id)
        if msg is None:
            raise NotFound("there is no message {message_id}", message_id=message_id)
        here = s.get(Ticket, msg.ticket_id)
        sender = normalise_address(msg.from_addr or (here.requester if here else ""))
        client = identify_client(s, sender) if sender else None
        found_by = None
        if client is not None:
            exact = s.scalar(select(ClientAddress.id).where(
                ClientAddress.kind == "email", ClientAddress.value == sender, ClientAddress.client_id == client.id))
            found_by = "address" if exact is not None else "domain"
        mine = [Ticket.requester == sender]
        if client is not None:
            mine.append(Ticket.client_id == client.id)
        rows = s.execute(
            select(Ticket.tid, Ticket.subject, Ticket.status)
            .where(or_(*mine), Ticket.id != msg.ticket_id, Ticket.status.in_([st.value for st in OPEN_STATUSES]))
            .order_by(Ticket.received_at.desc()).limit(TARGETS)
        ).all() if sender else []
        return MoveChoices(message_id, sender, client.name if client is not None else None, found_by,
                           tuple(MoveTarget(r.tid, r.subject, r.status) for r in rows))
