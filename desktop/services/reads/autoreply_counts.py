"""The loop breaker's counts for one sender, as the agent sees them with a ticket (R-MAIL-4).

"Automatic replies held back for this sender: 3 this hour" tells the agent why a client got no
acknowledgement and whether a mail loop is going on, without reading the history of every
ticket: acknowledgements sent to the sender in the last hour (the hourly limit counts these) and
acknowledgements held back for the sender's new tickets in the same hour, whatever held them
back. The ticket page reads them in its own statement (:func:`counts_columns`): across a VPN
each statement costs a round trip.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from desktop import settings
from desktop.store.models import AutoReplyLog, HistoryEvent, Ticket
from desktop.store.models import Setting as SettingRow

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class AutoReplyCounts:
    """For ``sender``: automatic replies sent and held back in the last hour, and the limit."""

    sender: str
    sent_hour: int
    held_back_hour: int
    limit: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def counts_columns(since: datetime) -> tuple[Any, Any]:
    """Two columns for a statement over ``Ticket``: automatic replies sent to its requester and
    held back for the requester's tickets since ``since`` (added to the ticket page's one
    statement, so the counts cost no round trip of their own)."""
    others = aliased(Ticket, name="same_sender")
    sent = (select(func.count(AutoReplyLog.id))
            .where(AutoReplyLog.sender == Ticket.requester, AutoReplyLog.sent_at >= since)
            .correlate(Ticket).scalar_subquery())
    held = (select(func.count(HistoryEvent.id))
            .join(others, others.id == HistoryEvent.ticket_id)
            .where(others.requester == Ticket.requester, HistoryEvent.action == "ack_suppressed",
                   HistoryEvent.at >= since)
            .correlate(Ticket).scalar_subquery())
    return sent, held


def limit_column() -> Any:
    """The stored hourly limit, as a column of the caller's statement: read beside the ticket's
    row, not as a statement of its own, which across a VPN costs the ticket page a round trip."""
    return select(SettingRow.value).where(SettingRow.key == settings.AUTOREPLY_PER_HOUR.key).scalar_subquery()


def limit_of(stored: object) -> int:
    """The limit from :func:`limit_column`'s value, checked by its declaration as every setting
    read is (the default when none is stored)."""
    if stored is None:
        return int(settings.AUTOREPLY_PER_HOUR.default)
    return int(settings.from_store(settings.AUTOREPLY_PER_HOUR.key, stored))
