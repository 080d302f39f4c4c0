"""The outbox as people see it: the one definition of its counts, and its list.

Every place that speaks of the outbox — ``reglament outbox``, ``outbox list``, ``stats --json``,
the window's status bar and its outbox view — reads these, so they cannot disagree:

* **waiting** — not sent yet and free to go at the next send (never tried, or its back-off over);
* **backing off** — tried, the server said "not now" (or was out of reach); it goes by itself
  at ``next_try_at``, or at once when someone asks to send now;
* **sending** — on the wire right now;
* **failed** — the server refused it for good (its words are in ``error``), or a send was cut
  off and may have arrived; it waits for a person: retry or drop;
* **pending** (``outbox_pending`` in ``stats --json``) — waiting + backing off + sending: what
  will still go out without anyone's decision. Failed mail is not pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select

from desktop import times
from desktop.services.workspace import Workspace
from desktop.store.models import OutboxItem, Ticket


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive UTC for an aggregate over a datetime column."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


__all__ = ["OutboxCounts", "OutboxRow", "outbox_counts", "outbox_rows"]

#: Statuses an outbox list shows by default: everything not settled for good.
OPEN_STATUSES = ("pending", "sending", "failed")


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int = 0
    backing_off: int = 0
    sending: int = 0
    failed: int = 0
    sent: int = 0
    dropped: int = 0
    #: When the earliest backed-off message goes by itself (None: none is backing off).
    next_try_at: datetime | None = None

    @property
    def pending(self) -> int:
        return self.waiting + self.backing_off + self.sending

    def as_json(self) -> dict[str, Any]:
        return {
            "pending": self.pending,
            "waiting": self.waiting,
            "backing_off": self.backing_off,
            "sending": self.sending,
            "failed": self.failed,
            "sent": self.sent,
            "dropped": self.dropped,
            "next_try_at": self.next_try_at.isoformat() if self.next_try_at else None,
        }

    def line(self) -> str:
        """One line for a person (the CLI; the window says the same in its own words)."""
        parts = [f"{self.waiting} waiting"]
        if self.backing_off:
            at = times.local(self.next_try_at).isoformat(timespec="minutes") if self.next_try_at else "?"
            parts.append(f"{self.backing_off} backing off (next try {at})")
        if self.sending:
            parts.append(f"{self.sending} sending")
        parts.append(f"{self.failed} failed")
        return "outbox: " + ", ".join(parts)


def outbox_counts(ws: Workspace, now: datetime | None = None) -> OutboxCounts:
    now = now or ws.now()
    backing = (OutboxItem.status == "pending") & (OutboxItem.next_attempt_at > now)
    kind = case((backing, "backing_off"), else_=OutboxItem.status)
    with ws.db.reading() as s:
        rows = s.execute(select(kind, func.count(), func.min(OutboxItem.next_attempt_at)).group_by(kind)).all()
    found = {str(k): (int(n), at) for k, n, at in rows}
    next_at = found.get("backing_off", (0, None))[1]
    return OutboxCounts(
        waiting=found.get("pending", (0, None))[0],
        backing_off=found.get("backing_off", (0, None))[0],
        sending=found.get("sending", (0, None))[0],
        failed=found.get("failed", (0, None))[0],
        sent=found.get("sent", (0, None))[0],
        dropped=found.get("dropped", (0, None))[0],
        next_try_at=as_utc(next_at) if next_at is not None else None,
    )


@dataclass(frozen=True)
class OutboxRow:
    """One message in the outbox list (``outbox list``, the window's outbox view)."""

    id: int
    state: str  # waiting | backing_off | sending | failed | sent | dropped
    tid: str | None
    kind: str
    recipients: tuple[str, ...]
    subject: str
    attempts: int
    next_try_at: datetime | None
    error: str | None
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "state": self.state, "tid": self.tid, "kind": self.kind,
            "recipients": list(self.recipients), "subject": self.subject, "attempts": self.attempts,
            "next_try_at": self.next_try_at.isoformat() if self.next_try_at else None,
            "error": self.error, "created_at": self.created_at.isoformat(),
        }


def outbox_rows(
    ws: Workspace, statuses: tuple[str, ...] = OPEN_STATUSES, now: datetime | None = None, limit: int = 1000,
) -> list[OutboxRow]:
    """The newest ``limit`` messages in these statuses, newest first."""
    from desktop.store.models import Message

    now = now or ws.now()
    with ws.db.reading() as s:
        rows = s.execute(
            select(OutboxItem, Ticket.tid, Message.subject)
            .outerjoin(Ticket, Ticket.id == OutboxItem.ticket_id)
            .outerjoin(Message, Message.id == OutboxItem.message_row_id)
            .where(OutboxItem.status.in_(statuses))
            .order_by(OutboxItem.id.desc())
            .limit(limit)
        ).all()
    out = []
    for item, tid, subject in rows:
        next_at = as_utc(item.next_attempt_at) if item.next_attempt_at is not None else None
        state = item.status
        if state == "pending":
            state = "backing_off" if next_at is not None and next_at > now else "waiting"
        out.append(OutboxRow(
            id=item.id, state=state, tid=tid, kind=item.kind, recipients=tuple(item.recipients or ()),
            subject=subject or "", attempts=item.attempts,
            next_try_at=next_at if state == "backing_off" else None,
            error=item.last_error, created_at=as_utc(item.created_at),
        ))
    return out
