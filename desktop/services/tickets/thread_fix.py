"""Putting a message in the right ticket (R-MAIL-3, R-TICKET-5): confirm a thread, move a
misthreaded message to another ticket, or split messages off into a new one.

Someone else's mail quoting a ticket number joins that ticket only on probation: the ingest
marks it ``tid_unconfirmed`` and the ticket "confirm the thread". Here the agent decides —
it belongs (it joins for good and counts as the client's answer), it belongs elsewhere, or it is
a request of its own. A new ticket made of a message belongs to *its sender's* client, found
by the sender's address and then domain, or to none — never to the ticket it was taken from:
a stranger quoting a ticket number must not be served under the victim's contract and plan.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.tickets import Category, Channel, Direction, Flag, Priority, Status
from desktop.errors import NotFound, ValidationError
from desktop.services.clients import identify_client
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.tickets.lifecycle import client_replied_in
from desktop.services.upkeep import deadlines
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import get_ticket, load_for_change, touch
from desktop.services.workspace import Workspace
from desktop.store.models import Client, Department, Message, Ticket

#: ``Message.threaded_by`` of a stranger's mail waiting for the agent, and once confirmed.
UNCONFIRMED, CONFIRMED = "tid_unconfirmed", "tid_confirmed"


def recheck_thread_flag(s: Session, ticket: Ticket) -> None:
    """The ticket asks to "confirm the thread" while, and only while, a message of it waits."""
    s.flush()
    waiting = s.scalar(select(Message.id).where(Message.ticket_id == ticket.id,
                                                Message.threaded_by == UNCONFIRMED).limit(1))
    flags = [f for f in ticket.flags if f != Flag.THREAD_CONFIRM.value]
    if waiting is not None:
        flags.append(Flag.THREAD_CONFIRM.value)
    if flags != list(ticket.flags):
        ticket.flags = flags


def _message(s: Session, message_id: int) -> Message:
    msg = s.get(Message, message_id)
    if msg is None:
        raise NotFound("there is no message {message_id}", message_id=message_id)
    return msg


def confirm_thread(ws: Workspace, tid: str, message_id: int, *, expected_version: int | None = None) -> None:
    """The agent confirms a stranger's message belongs to ``tid``: it joins for good, its sender
    is a participant from now on, and it counts as the client's answer (the clock resumes, a
    recently closed ticket reopens) as it would have, had the sender been known."""
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        msg = _message(s, message_id)
        if msg.ticket_id != t.id:
            raise ValidationError("message {message_id} is not in {tid}", message_id=message_id, tid=t.tid)
        if msg.threaded_by != UNCONFIRMED:
            raise ValidationError("message {message_id} of {tid} needs no confirmation",
                                  message_id=message_id, tid=t.tid)
        msg.threaded_by = CONFIRMED
        record(s, t, ws.now(), ws.actor, "thread_confirmed", None, None, msg.from_addr, message=msg.id)
        recheck_thread_flag(s, t)
        touch(t, ws.now())
        client_replied_in(s, ws, t, msg.received_at)


def move_message(ws: Workspace, message_id: int, to_tid: str, *, expected_version: int | None = None) -> None:
    """Move one misthreaded message to another ticket (R-MAIL-3); ``expected_version`` is the
    version of the ticket the message is in, as the agent saw it."""
    with ws.db.session() as s:
        msg = _message(s, message_id)
        src = s.get(Ticket, msg.ticket_id)
        dst = get_ticket(s, ws, to_tid)
        if src is None:  # pragma: no cover - a message always has its ticket
            raise NotFound("there is no message {message_id}", message_id=message_id)
        load_for_change(s, ws, src.tid, expected_version)
        if src.id == dst.id:
            raise ValidationError("message {message_id} is already in {tid}", message_id=message_id, tid=dst.tid)
        if Status(dst.status) is Status.DUPLICATE:
            raise ValidationError("{tid} is a duplicate; move the message to its original", tid=dst.tid)
        _keep_one(s, src, [msg])
        msg.ticket_id = dst.id
        msg.threaded_by = "moved"
        now = ws.now()
        record(s, src, now, ws.actor, "move_out", None, msg.from_addr or None, dst.tid, message=message_id)
        record(s, dst, now, ws.actor, "move_in", None, src.tid, msg.from_addr or None, message=message_id)
        s.flush()
        for t in (src, dst):
            _recount(s, t)
            recheck_thread_flag(s, t)
            touch(t, now)
        if msg.direction == Direction.INCOMING.value and Status(dst.status) is Status.WAITING_CLIENT \
                and dst.waiting_since is not None and msg.received_at >= dst.waiting_since:
            client_replied_in(s, ws, dst, msg.received_at)


def move_to_new(ws: Workspace, message_id: int, subject: str | None = None, *,
                expected_version: int | None = None) -> str:
    """Split one message off into a new ticket of its sender's own client (or none); returns
    the new TID."""
    with ws.db.session() as s:
        msg = _message(s, message_id)
        src = s.get(Ticket, msg.ticket_id)
        if src is None:  # pragma: no cover - a message always has its ticket
            raise NotFound("there is no message {message_id}", message_id=message_id)
        load_for_change(s, ws, src.tid, expected_version)
        return _split_in(s, ws, src, [msg], subject).tid


def split(ws: Workspace, tid: str, message_ids: Sequence[int], subject: str | None = None, *,
          expected_version: int | None = None) -> str:
    """Move the selected messages into a new ticket (one question per ticket, R-TICKET-5)."""
    if not message_ids:
        raise ValidationError("choose the messages that make the new ticket")
    with ws.db.session() as s:
        src = load_for_change(s, ws, tid, expected_version)
        msgs = s.scalars(
            select(Message).where(Message.id.in_(list(message_ids))).order_by(Message.received_at, Message.id)
        ).all()
        if len(msgs) != len(set(message_ids)) or any(m.ticket_id != src.id for m in msgs):
            raise ValidationError("every chosen message must belong to {tid}", tid=src.tid)
        return _split_in(s, ws, src, list(msgs), subject).tid


def new_ticket_client(s: Session, src: Ticket, msgs: Sequence[Message]) -> tuple[str, str, Client | None]:
    """Who a ticket made of ``msgs`` is from — (address, name, client): the first client message's
    sender and *their* client by address or domain, never the source ticket's by default."""
    first_in = next((m for m in msgs if m.direction == Direction.INCOMING.value and m.from_addr), None)
    if first_in is None:  # only replies or notes: the conversation's own requester
        return src.requester, src.requester_name, identify_client(s, src.requester)
    return first_in.from_addr.lower(), first_in.from_name, identify_client(s, first_in.from_addr)


def _split_in(s: Session, ws: Workspace, src: Ticket, msgs: list[Message], subject: str | None) -> Ticket:
    _keep_one(s, src, msgs)
    requester, name, client = new_ticket_client(s, src, msgs)
    same_client = client is not None and client.id == src.client_id
    first = msgs[0]
    new = create_ticket_in(s, ws, NewTicket(
        subject=(subject or "").strip() or first.subject or src.subject,
        requester=requester, requester_name=name, received_at=first.received_at,
        channel=Channel(src.channel),
        # The request's kind and urgency are the old ticket's only when it is the same client's.
        category=Category(src.category) if same_client else Category.OTHER,
        priority=Priority(src.priority) if same_client else Priority.NORMAL,
        department=None, client_id=client.id if client is not None else None,
    ))
    new.department_id = src.department_id if same_client else s.scalar(
        select(Department.id).where(Department.code == "technical"))
    for m in msgs:
        m.ticket_id = new.id
        m.threaded_by = "split"
    now = ws.now()
    record(s, src, now, ws.actor, "split", None, None, new.tid, messages=[m.id for m in msgs])
    record(s, new, now, ws.actor, "split_from", None, None, src.tid,
           client=client.name if client is not None else None)
    s.flush()
    for t in (src, new):
        _recount(s, t)
        recheck_thread_flag(s, t)
    touch(src, now)
    deadlines.refresh(s, ws, new)
    return new


def _keep_one(s: Session, src: Ticket, leaving: Sequence[Message]) -> None:
    """Refuse to take the last message of the conversation: what would be left is a ticket with
    nothing in it — merge it instead. (Support's own replies may stay behind alone: they are
    the record of what was answered.) Internal notes come and go freely: they ask nothing."""
    if all(m.direction == Direction.NOTE.value for m in leaving):
        return
    rest = s.scalar(select(func.count()).select_from(Message).where(
        Message.ticket_id == src.id, Message.direction != Direction.NOTE.value,
        Message.id.not_in([m.id for m in leaving])))
    if not rest:
        raise ValidationError("at least one message must stay in the original ticket")


def _recount(s: Session, t: Ticket) -> None:
    """The ticket's last message times from the messages it holds now."""
    last, last_in = s.execute(
        select(func.max(Message.received_at),
               func.max(Message.received_at).filter(Message.direction == Direction.INCOMING.value))
        .where(Message.ticket_id == t.id)
    ).one()
    if last is not None:
        t.last_message_at = last
    if last_in is not None:
        t.last_client_message_at = last_in
