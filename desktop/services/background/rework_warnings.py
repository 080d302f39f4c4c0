"""Warnings to people about rework of a refused act near or past its deadline (R-ACT-3: "the
rework deadlines are tracked like SLA deadlines", R-SLA-5), run with the timers.

The ticket's assignee is told once an item enters its last day, the team leads once it is
overdue — each person once per item and level, through the same record (``sla_warnings``, kind
``rework-<item id>``), channels (the tray while they are at their window, else mail) and
working hours as the SLA warnings of :mod:`desktop.services.background.escalation`.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from desktop import settings
from desktop.domain.escalation import WarningDue, reachable
from desktop.domain.rework import REWORK_WARNING, rework_clock
from desktop.services.background.escalation import (
    EscalationReport,
    _recipients,
    hours_calendar,
    tell,
)
from desktop.services.workspace import Workspace
from desktop.store.models import ReworkItem, SlaWarning, Ticket

#: The ``sla_warnings.kind`` of a rework item's warnings.
KIND = "rework-{0}"


def run_rework_warnings(ws: Workspace, report: EscalationReport) -> None:
    """Tell whoever a rework item near or past its deadline needs, if it is their working time;
    what was sent, held or had nobody to tell goes into ``report``."""
    now = ws.now()
    with ws.db.session() as s:
        away = timedelta(minutes=ws.setting(settings.ESCALATION_AWAY_MINUTES, s))
        wait = reachable(hours_calendar(ws, s), now)
        ids = list(s.scalars(select(ReworkItem.id).where(
            ReworkItem.done_at.is_(None), ReworkItem.deadline_at < now + REWORK_WARNING)))
    for item_id in ids:
        with ws.db.session() as s:  # one item per transaction: one failure blocks no other
            item = s.get(ReworkItem, item_id)
            t = s.get(Ticket, item.ticket_id) if item is not None else None
            if item is None or t is None or item.done_at is not None:
                continue
            kind = KIND.format(item.id)
            told = {(w.level, w.recipient) for w in s.scalars(
                select(SlaWarning).where(SlaWarning.ticket_id == t.id, SlaWarning.kind == kind))}
            overdue = rework_clock(item.deadline_at, None, now).status == "breached"
            for level in ("assignee", "lead") if overdue else ("assignee",):
                due = WarningDue(kind, level, item.deadline_at, 1.0 if overdue else 0.0)
                people = [a for a in _recipients(s, t, due) if (level, a.login) not in told]
                if not people:
                    if not any(lv == level for lv, _ in told):
                        report.nobody.append((t.tid, level))
                    continue
                if wait is not None:
                    report.held.append((t.tid, level))
                    report.held_until = wait
                    continue
                tell(s, ws, t, due, people, now, away, report)
