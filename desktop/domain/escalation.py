"""When a person is told that a ticket is near its deadline (R-SLA-5), by the calendar.

Two thresholds per target: the plan's warning share tells the assignee, a further share (a
workspace setting) tells the team lead. A warning goes only within the people's working hours
(no mail at night): outside them it waits, and goes at the next working instant if the ticket
still needs it. Each ticket, target, level and person is told once; the caller keeps that record.
Pure: states and times come in as arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.sla import SlaState

Level = Literal["assignee", "lead"]


@dataclass(frozen=True)
class WarningDue:
    kind: str  # reaction | resolution
    level: Level
    deadline: datetime
    used_share: float


def warnings_due(states: Mapping[Any, SlaState], lead_share: float) -> list[WarningDue]:
    """The thresholds a ticket's running targets have passed. A target that is met, missed,
    paused or not yet at its warning share needs nobody; a breached one needs both levels."""
    out: list[WarningDue] = []
    for kind, st in states.items():
        if st.status not in ("warning", "breached") or st.target.total_seconds() <= 0:
            continue
        used = st.used / st.target
        out.append(WarningDue(kind, "assignee", st.deadline, used))
        if used >= lead_share or st.status == "breached":
            out.append(WarningDue(kind, "lead", st.deadline, used))
    return out


def reachable(hours: WorkingCalendar, now: datetime) -> datetime | None:
    """None when people can be told now; otherwise when they can (the warning waits)."""
    return None if hours.is_working(now) else hours.next_working_instant(now)
