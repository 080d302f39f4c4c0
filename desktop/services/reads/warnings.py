"""How many deadline warnings went to people in a period: the dashboard's line under the
at-risk list (R-SLA-5, R-LEAD-1). Kept apart from the dashboard's own read model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from desktop.services.workspace import Workspace
from desktop.store.models import SlaWarning


@dataclass(frozen=True)
class WarningCounts:
    assignee: int  # assignees told at the plan's warning share
    lead: int  # team leads told at the further share
    to_tray: int
    by_mail: int
    tickets: int  # distinct tickets someone was warned about

    def to_dict(self) -> dict[str, int]:
        return {"assignee": self.assignee, "lead": self.lead, "tray": self.to_tray, "mail": self.by_mail,
                "tickets": self.tickets}


def warning_counts(ws: Workspace, since: datetime, until: datetime | None = None) -> WarningCounts:
    with ws.db.session() as s:
        cond = [SlaWarning.sent_at >= since]
        if until is not None:
            cond.append(SlaWarning.sent_at < until)
        rows = dict(s.execute(select(SlaWarning.level, func.count()).where(*cond).group_by(SlaWarning.level)).all())
        channels = dict(s.execute(select(SlaWarning.channel, func.count()).where(*cond).group_by(SlaWarning.channel)).all())
        tickets = s.scalar(select(func.count(func.distinct(SlaWarning.ticket_id))).where(*cond)) or 0
    return WarningCounts(int(rows.get("assignee", 0)), int(rows.get("lead", 0)), int(channels.get("tray", 0)),
                         int(channels.get("mail", 0)), int(tickets))
