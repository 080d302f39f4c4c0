"""Merging a duplicate into its original (R-TICKET-5).

Apart because a merge changes which ticket messages belong to — two tickets in one transaction
— rather than one ticket's own state. Moving single messages and splitting are in
``thread_fix``; which ticket a new one probably repeats is in ``duplicates``.
"""

from __future__ import annotations

from sqlalchemy import select

from desktop.domain.tickets import Direction, Flag, Status
from desktop.errors import ValidationError
from desktop.services.tickets.lifecycle import set_status_in
from desktop.services.tickets.thread_fix import recheck_thread_flag
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import get_ticket, load_for_change, touch
from desktop.services.upkeep.outgoing import notify_reason
from desktop.services.workspace import Workspace
from desktop.store.models import Client, Message


def merge(ws: Workspace, duplicate_tid: str, into_tid: str, *, notify: bool = True,
          expected_version: int | None = None) -> None:
    """Merge a duplicate into the original in one step: every message of the duplicate moves
    over, the duplicate closes as a duplicate of it, both histories say so, and the original
    keeps its status and deadlines (its clock started with the first request, not the repeat).
    ``expected_version`` is the duplicate's version as the agent saw it (R-TEAM-2)."""
    with ws.db.session() as s:
        dup = load_for_change(s, ws, duplicate_tid, expected_version)
        orig = get_ticket(s, ws, into_tid)
        if dup.id == orig.id:
            raise ValidationError("a ticket cannot be merged into itself")
        if Status(orig.status) is Status.DUPLICATE:
            raise ValidationError("{tid} is itself a duplicate; merge into its original", tid=orig.tid)
        if dup.client_id is not None and orig.client_id is not None and dup.client_id != orig.client_id:
            a, b = s.get(Client, dup.client_id), s.get(Client, orig.client_id)
            raise ValidationError(
                "{dup} is of {a} and {orig} of {b}: a ticket merges only into one of its own client's",
                dup=dup.tid, a=a.name if a else "?", orig=orig.tid, b=b.name if b else "?")
        if notify:  # told first, so the notice moves over with the rest of the thread
            notify_reason(s, ws, dup, "duplicate", reply_to=orig)
        s.flush()
        moved = s.scalars(select(Message).where(Message.ticket_id == dup.id)).all()
        for m in moved:
            m.ticket_id = orig.id
            if m.direction == Direction.INCOMING.value and m.threaded_by != "tid_unconfirmed":
                m.threaded_by = "merged"
        dup.duplicate_of_id = orig.id
        dup.reason_code = "duplicate"
        dup.flags = [f for f in dup.flags if f != Flag.POSSIBLE_DUPLICATE.value]
        set_status_in(s, ws, dup, Status.DUPLICATE, ws.actor, into=orig.tid)
        now = ws.now()
        record(s, dup, now, ws.actor, "merged_into", None, None, orig.tid, messages=len(moved))
        record(s, orig, now, ws.actor, "merge", None, dup.tid, orig.tid, messages=len(moved))
        times = [m.received_at for m in moved if m.direction == Direction.INCOMING.value]
        if times:
            orig.last_client_message_at = max([orig.last_client_message_at or times[0], *times])
        orig.flags = [f for f in orig.flags if f != Flag.POSSIBLE_DUPLICATE.value]
        recheck_thread_flag(s, orig)
        recheck_thread_flag(s, dup)
        touch(orig, now)
        s.flush()
        s.expire(orig, ["messages"])
