"""What is new since the window last looked: tickets that arrived, and the state of the mail
(accounts, the last sync and its error, the outbox) the status bar shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from desktop.services.reads.outbox import OutboxCounts, outbox_counts
from desktop.services.workspace import Workspace
from desktop.store.models import MailAccount, SyncState, Ticket


def tids_after(ws: Workspace, ticket_id: int) -> list[str]:
    """TIDs of tickets newer than ``ticket_id`` (what arrived since the last look)."""
    with ws.db.reading() as s:
        return list(s.scalars(select(Ticket.tid).where(Ticket.id > ticket_id).order_by(Ticket.id)))


def latest_ticket_id(ws: Workspace) -> int:
    """The newest ticket id: the window compares it between refreshes to notice arrivals."""
    with ws.db.reading() as s:
        return int(s.scalar(select(func.max(Ticket.id))) or 0)


@dataclass(frozen=True)
class MailStatus:
    """What the status bar says about mail: accounts, last sync, the last error, the outbox."""

    accounts: int
    last_sync_at: datetime | None
    last_error: str | None
    outbox_pending: int
    outbox_failed: int
    #: The whole count (desktop/services/reads/outbox.py), for the status bar's details.
    outbox: OutboxCounts | None = None


def mail_status(ws: Workspace) -> MailStatus:
    with ws.db.reading() as s:
        accounts = int(s.scalar(select(func.count(MailAccount.id)).where(MailAccount.enabled.is_(True))) or 0)
        last = s.execute(
            select(SyncState.last_sync_at, SyncState.last_error)
            .order_by(SyncState.last_sync_at.desc().nulls_last())
            .limit(1)
        ).first()
        error = s.scalar(select(SyncState.last_error).where(SyncState.last_error.is_not(None)).limit(1))
    counts = outbox_counts(ws)
    return MailStatus(accounts, last[0] if last else None, error, counts.pending, counts.failed, counts)
