"""A phone call or a chat logged after the fact (R-TICKET-8).

The agent who took the call already reacted to it: the ticket opens in work, assigned to who
answered, with the reaction met at the moment of the answer — never as ``new`` with a reaction
clock running against a conversation that is over. A request to change an account made by phone
or chat is accepted only in writing, so such a ticket keeps the "changes only in writing" mark.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from desktop.domain.tickets import Category, Channel, Direction, Status
from desktop.errors import NotFound, ValidationError
from desktop.mail.compose import is_mail_address
from desktop.services.clients import identify_client
from desktop.services.tickets.client_link import find_client
from desktop.services.tickets.create import NewTicket, add_message_in, create_ticket_in
from desktop.services.tickets.fields import assign_in
from desktop.services.tickets.lifecycle import set_status_in
from desktop.services.upkeep import deadlines
from desktop.services.upkeep.history import record
from desktop.services.workspace import Workspace
from desktop.store.models import Agent, ClientAddress

#: How far back a contact may be logged: a call is written down the same day, a forgotten one
#: within the month; an older date is a typo.
LOG_BACK = timedelta(days=31)


def log_contact(
    ws: Workspace,
    *,
    channel: Channel,
    subject: str,
    text: str,
    requester: str = "",
    requester_name: str = "",
    client: str | None = None,
    client_id: int | None = None,
    account_change: bool = False,
    category: Category = Category.CONSULTATION,
    answered_by: str | None = None,
    answered_at: datetime | None = None,
) -> str:
    """Log a phone or chat contact and return the new ticket's TID.

    The caller is named by ``client`` (a client's name: the requester becomes the client's first
    known address) or by ``requester`` (an address: its client is identified as for mail).
    ``answered_by`` is the agent's login (the acting agent by default) and ``answered_at`` when
    they answered (now by default); both are recorded in history and the reaction is met then.
    """
    if channel not in (Channel.PHONE, Channel.CHAT, Channel.PORTAL):
        raise ValidationError("only phone, chat and portal contacts are logged by hand")
    if not subject.strip():
        raise ValidationError("a logged contact needs a subject")
    if not (requester.strip() or client or client_id):
        raise ValidationError("say who contacted support: a client or an e-mail address")
    now = ws.now()
    at = answered_at or now
    if at.tzinfo is None:
        raise ValidationError("the time of the answer needs its time zone")
    if at > now + timedelta(minutes=1) or at < now - LOG_BACK:
        raise ValidationError("a contact is logged for a moment within the last 31 days, not in the future")
    with ws.db.session() as s:
        agent = ws.agent(s)
        if answered_by and answered_by != ws.actor:
            found = s.scalar(select(Agent).where(Agent.login == answered_by))
            if found is None:
                raise NotFound("there is no agent {login!r}", login=answered_by)
            agent = found
        who = find_client(s, client) if client else None
        address = requester.strip().lower()
        if who is not None and not address:
            address = s.scalar(
                select(ClientAddress.value)
                .where(ClientAddress.client_id == who.id, ClientAddress.kind == "email")
                .order_by(ClientAddress.id)
            ) or ""
        if not address:  # the answer, the resolution and any act are mailed to this address
            if who is None:
                raise ValidationError("say who contacted support: a client or an e-mail address")
            raise ValidationError("{client} has no e-mail address on record: give the caller's address",
                                  client=who.name)
        if not is_mail_address(address):
            raise ValidationError("{address!r} is not an e-mail address", address=address)
        if who is None and client_id is None:
            found_client = identify_client(s, address)
            client_id = found_client.id if found_client else None
        ticket = create_ticket_in(
            s, ws,
            NewTicket(subject=subject, requester=address, requester_name=requester_name, received_at=at,
                      text=text, channel=channel, category=category, department="consultations",
                      client_id=who.id if who is not None else client_id, written_only=account_change),
        )
        add_message_in(s, ws, ticket, Direction.NOTE, text=text, subject=subject, received_at=at,
                       author=agent.login)
        assign_in(s, ws, ticket, agent)
        set_status_in(s, ws, ticket, Status.IN_PROGRESS, ws.actor, trigger="contact_logged")
        ticket.taken_at = at
        ticket.first_reply_at = at  # the answer was the reaction (R-SLA-3)
        record(s, ticket, now, ws.actor, "contact_logged", "answered_by", None, agent.login,
               channel=channel.value, answered_at=at.isoformat())
        deadlines.refresh(s, ws, ticket)
        return ticket.tid
