"""A person's decisions about the outbox: send a failed message again, or drop one for good.

Both are the agent's answer to what the drain could not decide (desktop/services/background/
outbox.py): a refused or interrupted message waits as *failed* until someone looks. Retrying
puts it back as waiting, due at once. Dropping takes it out of the outbox without sending; the
message itself stays in its ticket (it was stored there when it was queued), with a history line
saying it was never sent, so nothing the agent wrote is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update

from desktop.errors import NotFound, ValidationError
from desktop.services.upkeep.history import record
from desktop.services.workspace import Workspace
from desktop.store.models import OutboxItem, Ticket

__all__ = ["DROPPABLE", "drop_item", "retry_items"]

#: What can be dropped: anything not on the wire or already sent.
DROPPABLE = ("pending", "failed")


def retry_items(ws: Workspace, ids: Sequence[int] | None = None) -> int:
    """Failed items (all, or these ids) back to waiting, due at once; also cuts short the
    back-off of waiting ones among ``ids``. Returns how many were put back.

    An id that is not in the outbox is refused by name, so a typo does not pass as "0 retried".
    """
    with ws.db.session() as s:
        if ids is not None:
            known = set(s.scalars(select(OutboxItem.id).where(OutboxItem.id.in_(list(ids)))))
            missing = sorted(set(ids) - known)
            if missing:
                raise NotFound("there is no outbox message {id}", id=missing[0])
        query = (
            update(OutboxItem)
            .where(OutboxItem.status.in_(("failed", "pending")))
            .values(status="pending", next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )
        if ids is None:
            query = query.where(OutboxItem.status == "failed")
        else:
            query = query.where(OutboxItem.id.in_(list(ids)))
        result = s.execute(query)
        return int(result.rowcount)  # type: ignore[attr-defined]


def drop_item(ws: Workspace, item_id: int) -> str | None:
    """Take one message out of the outbox unsent; returns its ticket's TID (None if it has none).

    The message stays in the ticket, and the ticket's history says it was dropped unsent.
    """
    with ws.db.session() as s:
        item = s.get(OutboxItem, item_id)
        if item is None:
            raise NotFound("there is no outbox message {id}", id=item_id)
        if item.status not in DROPPABLE:
            raise ValidationError(
                "outbox message {id} is {status}; only waiting or failed messages can be dropped",
                id=item_id, status=item.status,
            )
        # An outbox item's own state (not a ticket's), changed the way the drain changes it.
        s.execute(
            update(OutboxItem).where(OutboxItem.id == item_id, OutboxItem.status.in_(DROPPABLE))
            .values(status="dropped", next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )
        ticket = s.get(Ticket, item.ticket_id) if item.ticket_id is not None else None
        if ticket is not None:
            record(s, ticket, ws.now(), ws.actor, "outbox_dropped", new=str(item_id),
                   kind=item.kind, recipients=list(item.recipients or ()))
        return ticket.tid if ticket is not None else None
