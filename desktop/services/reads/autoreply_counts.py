"""The loop breaker's counts for one sender, as the agent sees them with a ticket (R-MAIL-4).

"Automatic replies held back for this sender: 3 this hour" tells the agent why a client got no
acknowledgement and whether a mail loop is going on, without reading the history of every
ticket. One statement (across a VPN each costs a round trip): acknowledgements sent to the
sender in the last hour (the hourly limit counts these) and acknowledgements held back for the
sender's new tickets in the same hour, whatever held them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.store.models import AutoReplyLog, HistoryEvent, Ticket

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class AutoReplyCounts:
    """For ``sender``: automatic replies sent and held back in the last hour, and the limit."""

    sender: str
    sent_hour: int
    held_back_hour: int
    limit: int

    def to_json(self) -> dict[str, Any]:
        return {"sender": self.sender, "sent_hour": self.sent_hour, "held_back_hour": self.held_back_hour,
                "limit": self.limit}


def autoreply_counts(s: Session, sender: str, now: datetime, limit: int) -> AutoReplyCounts:
    since = now - WINDOW
    sent = (select(func.count(AutoReplyLog.id))
            .where(AutoReplyLog.sender == sender, AutoReplyLog.sent_at >= since).scalar_subquery())
    held = (select(func.count(HistoryEvent.id))
            .join(Ticket, Ticket.id == HistoryEvent.ticket_id)
            .where(Ticket.requester == sender, HistoryEvent.action == "ack_suppressed", HistoryEvent.at >= since)
            .scalar_subquery())
    row = s.execute(select(sent, held)).one() if sender else (0, 0)
    return AutoReplyCounts(sender, int(row[0] or 0), int(row[1] or 0), limit)
