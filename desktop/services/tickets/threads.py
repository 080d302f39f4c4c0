"""Reshaping conversations: merge a duplicate, split a message off into a new ticket, move a
misthreaded message (R-TICKET-5, R-MAIL-3).

Apart because these change which ticket a message belongs to — several tickets in one
transaction — rather than one ticket's own state.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from desktop.domain.tickets import Category, Channel, Direction, Flag, Priority, Status
from desktop.errors import NotFound, ValidationError
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.tickets.lifecycle import set_status_in
from desktop.services.upkeep import deadlines
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import get_ticket, touch
from desktop.services.upkeep.outgoing import notify_reason
from desktop.services.workspace import Workspace
from desktop.store.models import Message, Ticket


def merge(ws: Workspace, duplicate_tid: str, into_tid: str, *, notify: bool = True) -> None:
    """Merge a duplicate into the original: every message moves over (R-TICKET-5)."""
    with ws.db.session() as s:
        dup, orig = get_ticket(s, ws, duplicate_tid), get_ticket(s, ws, into_tid)
        if dup.id == orig.id:
            raise ValidationError("a ticket cannot be merged into itself")
        if Status(orig.status) is Status.DUPLICATE:
            raise ValidationError("{tid} is itself a duplicate; merge into its original", tid=orig.tid)
        if notify:  # told first, so the notice moves over with the rest of the thread
            notify_reason(s, ws, dup, "duplicate", reply_to=orig)
        s.flush()
        moved = s.scalars(select(Message).where(Message.ticket_id == dup.id)).all()
        for m in moved:
            m.ticket_id = orig.id
        dup.duplicate_of_id = orig.id
        dup.reason_code = "duplicate"
        set_status_in(s, ws, dup, Status.DUPLICATE, ws.actor, into=orig.tid)
        record(s, orig, ws.now(), ws.actor, "merge", None, dup.tid, orig.tid, messages=len(moved))
        times = [m.received_at for m in moved if m.direction == Direction.INCOMING.value]
        if times:
            orig.last_client_message_at = max([orig.last_client_message_at or times[0], *times])
        orig.flags = [f for f in orig.flags if f != Flag.POSSIBLE_DUPLICATE.value]
        touch(orig, ws.now())
        s.flush()
        s.expire(orig, ["messages"])


def split(ws: Workspace, tid: str, message_ids: Sequence[int], subject: str | None = None) -> str:
    """Move the selected messages into a new ticket (one question per ticket, R-TICKET-5)."""
    if not message_ids:
        raise ValidationError("choose the messages that make the new ticket")
    with ws.db.session() as s:
        src = get_ticket(s, ws, tid)
        msgs = s.scalars(
            select(Message).where(Message.id.in_(list(message_ids))).order_by(Message.received_at)
        ).all()
        if len(msgs) != len(set(message_ids)) or any(m.ticket_id != src.id for m in msgs):
            raise ValidationError("every chosen message must belong to {tid}", tid=src.tid)
        total = s.scalar(select(func.count()).select_from(Message).where(Message.ticket_id == src.id))
        if total == len(msgs):
            raise ValidationError("at least one message must stay in the original ticket")
        first = msgs[0]
        new = create_ticket_in(
            s,
            ws,
            NewTicket(
                subject=subject or first.subject or src.subject,
                requester=first.from_addr or src.requester,
                requester_name=first.from_name or src.requester_name,
                received_at=first.received_at,
                channel=Channel(src.channel),
                category=Category(src.category),
                priority=Priority(src.priority),
                department=None,
                client_id=src.client_id,
            ),
        )
        new.department_id = src.department_id
        for m in msgs:
            m.ticket_id = new.id
            m.threaded_by = "split"
        record(s, src, ws.now(), ws.actor, "split", None, None, new.tid, messages=[m.id for m in msgs])
        record(s, new, ws.now(), ws.actor, "split_from", None, None, src.tid)
        touch(src, ws.now())
        deadlines.refresh(s, ws, new)
        return new.tid


def move_message(ws: Workspace, message_id: int, to_tid: str) -> None:
    """Move one misthreaded message to another ticket (R-MAIL-3)."""
    with ws.db.session() as s:
        msg = s.get(Message, message_id)
        if msg is None:
            raise NotFound("there is no message {message_id}", message_id=message_id)
        src = s.get(Ticket, msg.ticket_id)
        dst = get_ticket(s, ws, to_tid)
        if src is None or src.id == dst.id:
            return
        msg.ticket_id = dst.id
        msg.threaded_by = "moved"
        record(s, src, ws.now(), ws.actor, "move_out", None, None, dst.tid, message=message_id)
        record(s, dst, ws.now(), ws.actor, "move_in", None, src.tid, None, message=message_id)
        dst.flags = [f for f in dst.flags if f != Flag.THREAD_CONFIRM.value]
