"""Timers that act on their own (R-AUTO-1..3), applied from stored timestamps.

``run_timers`` looks at what is due *now* — reminders to silent clients, auto-closing as
inactive, acceptance windows that ran out — and applies it through the same use cases an agent
would. It holds a database lease so that in team mode exactly one workstation applies timers, and
each action records what it did (``reminder_sent_at``, the status, the act's state), so running it
twice, or after a restart, changes nothing more.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.lifecycle import ActStatus, move_act
from desktop.domain.tickets import Flag, Status
from desktop.domain.timers import (
    AcceptanceFacts,
    AutoCloseSettings,
    CloseInactive,
    SendReminder,
    WaitingFacts,
    acceptance_actions,
    due_actions,
)
from desktop.errors import ConfigError
from desktop.mail.templates import client_time
from desktop.services.acts import acceptance_settings
from desktop.services.background.escalation import EscalationReport, run_escalation
from desktop.services.background.rework_warnings import run_rework_warnings
from desktop.services.tickets.lifecycle import set_status_in
from desktop.services.upkeep.deadlines import calendar_of
from desktop.services.upkeep.history import record
from desktop.services.upkeep.outgoing import notify_client
from desktop.services.workspace import Workspace
from desktop.store.leases import holder_id, release, try_acquire
from desktop.store.models import Act, Plan, Ticket

LEASE = "timers"
ACTOR = "timers"
#: The lease names a process; two loops of one process (the window's own timer loop and a mail
#: sync running in a thread beside it) take turns through this lock instead.
_IN_PROCESS = threading.Lock()


@dataclass
class TimerReport:
    reminders: list[str] = field(default_factory=list)
    closed_inactive: list[str] = field(default_factory=list)
    acts_expired: list[str] = field(default_factory=list)
    warnings: EscalationReport = field(default_factory=EscalationReport)
    skipped_lease: bool = False

    @property
    def total(self) -> int:
        return len(self.reminders) + len(self.closed_inactive) + len(self.acts_expired)


def autoclose_settings(ws: Workspace, s: Session) -> AutoCloseSettings:
    try:
        reminder = ws.setting("autoclose.reminder_before_days", s)
        return AutoCloseSettings(
            close_after_days=int(ws.setting("autoclose.after_days", s)),
            unit=ws.setting("autoclose.unit", s),
            reminder_before_days=None if reminder in (None, 0) else int(reminder),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError("the auto-close settings (autoclose.*) are invalid: {exc}", exc=exc) from None


def _local(cal: WorkingCalendar, t: datetime, lang: str) -> str:
    return client_time(t, cal.tz, cal.timezone, lang)


def run_timers(ws: Workspace) -> TimerReport:
    """Apply every timer that is due at ``ws.now()``; safe to call as often as you like."""
    report = TimerReport()
    if not _IN_PROCESS.acquire(blocking=False):
        report.skipped_lease = True
        return report
    try:
        me = holder_id()
        with ws.db.session() as s:
            if not try_acquire(s, LEASE, me, ws.now(), timedelta(minutes=5)):
                report.skipped_lease = True
                return report
        try:
            _waiting(ws, report)
            _acceptance(ws, report)
            report.warnings = run_escalation(ws)
            run_rework_warnings(ws, report.warnings)
        finally:
            with ws.db.session() as s:
                release(s, LEASE, me)
        return report
    finally:
        _IN_PROCESS.release()


def _waiting(ws: Workspace, report: TimerReport) -> None:
    with ws.db.session() as s:
        settings = autoclose_settings(ws, s)
        ids = list(s.scalars(select(Ticket.id).where(Ticket.status == Status.WAITING_CLIENT.value)))
    for tid_id in ids:
        with ws.db.session() as s:  # one ticket per transaction: one failure blocks no other
            t = s.get(Ticket, tid_id)
            if t is None or t.status != Status.WAITING_CLIENT.value:
                continue
            plan = s.get(Plan, t.plan_id) if t.plan_id else None
            cal = calendar_of(s, plan)
            facts = WaitingFacts(t.waiting_since, t.last_client_message_at, t.reminder_sent_at)
            for action in due_actions(facts, settings, cal, ws.now()):
                if isinstance(action, SendReminder):
                    from desktop.services.upkeep.outgoing import ticket_language

                    lang = ticket_language(s, ws, t)
                    notify_client(s, ws, t, "reminder", close_at=_local(cal, action.close_at, lang))
                    t.reminder_sent_at = ws.now()
                    record(s, t, ws.now(), ACTOR, "reminder", close_at=action.close_at.isoformat())
                    report.reminders.append(t.tid)
                elif isinstance(action, CloseInactive):
                    set_status_in(s, ws, t, Status.INACTIVE, ACTOR, trigger="auto_close")
                    notify_client(s, ws, t, "inactive")
                    report.closed_inactive.append(t.tid)


def _acceptance(ws: Workspace, report: TimerReport) -> None:
    with ws.db.session() as s:
        settings = acceptance_settings(ws, s)
        ids = list(s.scalars(select(Act.id).where(Act.status == ActStatus.SENT.value)))
    for act_id in ids:
        with ws.db.session() as s:
            act = s.get(Act, act_id)
            if act is None or act.status != ActStatus.SENT.value:
                continue
            t = s.get(Ticket, act.ticket_id)
            if t is None:
                continue
            cal = calendar_of(s, s.get(Plan, t.plan_id) if t.plan_id else None)
            facts = AcceptanceFacts(act.sent_at, act.answered_at)
            for action in acceptance_actions(facts, settings, cal, ws.now()):
                if action.policy == "deemed_accepted":  # type: ignore[union-attr]
                    move_act(act, ActStatus.DEEMED_ACCEPTED)
                    act.answered_at = ws.now()
                    record(s, t, ws.now(), ACTOR, "act_deemed_accepted", None, None, act.number)
                    if t.status == Status.RESOLVED.value:
                        set_status_in(s, ws, t, Status.CLOSED, ACTOR, trigger="act_deemed_accepted")
                else:
                    move_act(act, ActStatus.FOLLOW_UP)
                    if Flag.ACT_OVERDUE.value not in t.flags:
                        t.flags = [*t.flags, Flag.ACT_OVERDUE.value]
                    record(s, t, ws.now(), ACTOR, "act_overdue", None, None, act.number)
                report.acts_expired.append(t.tid)
