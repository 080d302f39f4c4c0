"""Warnings to people about tickets near their deadlines, run with the timers (R-SLA-5).

``run_escalation`` looks at every open ticket's running targets at ``ws.now()``: past the plan's
warning share the assignee is told, past the further share (``escalation.lead_percent``) the
team leads. An agent whose window was used within ``escalation.away_minutes`` gets it in the
tray (their window picks it up, :func:`pending_tray`); one who is away gets a mail. Outside the
working hours of the calendar ``escalation.hours_calendar`` nothing goes out: the warning is
held and goes at the next run inside them, if the ticket still needs it. Each ticket, target,
level and person is told once (``sla_warnings``), so running it twice changes nothing more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop import settings, times
from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_presets import preset
from desktop.domain.escalation import WarningDue, reachable, warnings_due
from desktop.domain.tickets import OPEN_STATUSES
from desktop.services.upkeep.deadlines import calendar_of, state_of, targets_of
from desktop.services.upkeep.outgoing import sending_account
from desktop.services.workspace import Workspace
from desktop.store.models import Agent, Calendar, OutboxItem, Plan, SlaWarning, Ticket


@dataclass
class EscalationReport:
    sent: list[tuple[str, str, str, str]] = field(default_factory=list)  # (tid, level, login, channel)
    held: list[tuple[str, str]] = field(default_factory=list)  # (tid, level) waiting for working hours
    held_until: datetime | None = None
    nobody: list[tuple[str, str]] = field(default_factory=list)  # no assignee / no lead to tell


def hours_calendar(ws: Workspace, s: Session) -> WorkingCalendar:
    """The people's working hours: the calendar named by ``escalation.hours_calendar``."""
    code = ws.setting(settings.ESCALATION_HOURS, s)
    row = s.scalar(select(Calendar).where(Calendar.code == code))
    return WorkingCalendar.from_dict(row.spec) if row is not None else preset("moscow_9_18")


def _recipients(s: Session, t: Ticket, due: WarningDue) -> list[Agent]:
    if due.level == "assignee" and t.assignee_id is not None:
        agent = s.get(Agent, t.assignee_id)
        return [agent] if agent is not None and agent.active else []
    if due.level == "assignee":
        return []
    return list(s.scalars(select(Agent).where(Agent.role == "lead", Agent.active.is_(True)).order_by(Agent.login)))


def _horizon(s: Session) -> timedelta:
    """How far ahead a deadline can be and its warning share still be passed: the longest
    (1 − share) of a target, in whole weeks of its calendar's hours, plus two weeks of holidays.
    Only tickets due within it are looked at each minute, not every open ticket."""
    longest = timedelta(days=14)
    for plan in s.scalars(select(Plan)):
        cal = calendar_of(s, plan)
        weekly = 7 * 1440 if cal.always_open else sum(b - a for day in cal.week for a, b in day)
        for prio in (plan.targets or {}):
            for target in targets_of(plan, prio):
                rest = target.duration * (1 - target.warn_share)
                weeks = math.ceil(rest / timedelta(minutes=max(weekly, 1))) + 1
                longest = max(longest, timedelta(weeks=weeks, days=14))
    return longest


def run_escalation(ws: Workspace) -> EscalationReport:
    """Tell whoever a ticket near its deadline needs, if it is their working time."""
    report = EscalationReport()
    now = ws.now()
    with ws.db.session() as s:
        lead_share = ws.setting(settings.ESCALATION_LEAD_PERCENT, s) / 100
        away = timedelta(minutes=ws.setting(settings.ESCALATION_AWAY_MINUTES, s))
        hours = hours_calendar(ws, s)
        until = now + _horizon(s)
        rows = s.execute(select(Ticket.id, Ticket.reaction_due_at, Ticket.resolution_due_at).where(
            Ticket.status.in_([x.value for x in OPEN_STATUSES]), Ticket.archived.is_(False),
            (Ticket.reaction_due_at <= until) | (Ticket.resolution_due_at <= until))).all()
        done = {(i, k) for i, k in s.execute(select(SlaWarning.ticket_id, SlaWarning.kind).where(SlaWarning.level == "lead"))}
    # A ticket whose every running target already reached the team lead needs nobody more.
    ids = [i for i, r, v in rows if not all((i, k) in done for k, d in (("reaction", r), ("resolution", v)) if d)]
    wait = reachable(hours, now)
    for ticket_id in ids:
        with ws.db.session() as s:  # one ticket per transaction: one failure blocks no other
            t = s.get(Ticket, ticket_id)
            if t is None:
                continue
            told = {(w.kind, w.level, w.recipient) for w in s.scalars(select(SlaWarning).where(SlaWarning.ticket_id == t.id))}
            for due in warnings_due(state_of(s, t, now).states, lead_share):
                people = [a for a in _recipients(s, t, due) if (due.kind, due.level, a.login) not in told]
                if not people:
                    if not any(k == due.kind and lv == due.level for k, lv, _ in told):
                        report.nobody.append((t.tid, due.level))
                    continue
                if wait is not None:
                    report.held.append((t.tid, due.level))
                    report.held_until = wait
                    continue
                tell(s, ws, t, due, people, now, away, report)
    return report


def tell(s: Session, ws: Workspace, t: Ticket, due: WarningDue, people: list[Agent], now: datetime,
         away: timedelta, report: EscalationReport) -> None:
    """Warn each of ``people`` of ``due`` once, recorded so it is never repeated: in the tray of
    one who is at the window (seen within ``away``) or has no address, else by mail."""
    for agent in people:
        here = agent.seen_at is not None and now - agent.seen_at <= away
        channel = "tray" if here or not agent.email else "mail"
        if channel == "mail":
            _queue_mail(s, ws, t, agent, due)
        s.add(SlaWarning(ticket_id=t.id, kind=due.kind, level=due.level, recipient=agent.login,
                         channel=channel, due_at=due.deadline, sent_at=now))
        report.sent.append((t.tid, due.level, agent.login, channel))


def warning_text(tid: str, subject: str, due: WarningDue, lang: str = "ru") -> tuple[str, str]:
    """(title, text) of a warning, for the tray and the mail."""
    # In the calendar's zone, which it names ("20.11.2026 13:00 (МСК)"): a lead reading the
    # mail elsewhere must not take it for their own clock.
    when = times.in_zone(due.deadline, due.deadline.tzinfo or UTC, lang)
    whole = round(min(due.used_share, 9.99) * 100)
    share = f"{whole}\u00a0%" if lang == "ru" else f"{whole}%"
    if due.kind.startswith("rework-"):  # rework of a refused act (rework_warnings.py)
        late = due.level == "lead"
        if lang == "ru":
            return (f"{tid}: {'срок доработки прошёл' if late else 'срок доработки близко'}",
                    f"«{subject}»: доработка, согласованная с клиентом по акту, — срок {when}.")
        return (f"{tid}: {'rework overdue' if late else 'rework due soon'}",
                f"“{subject}”: rework agreed with the client on a refused act is due {when}.")
    if lang == "ru":
        kind = "реакции" if due.kind == "reaction" else "решения"
        return (f"{tid}: срок {kind} близко",
                f"«{subject}»: израсходовано {share} срока {kind}; срок — {when}.")
    return (f"{tid}: {due.kind} deadline near", f"“{subject}”: {share} of the {due.kind} target used; due {when}.")


def _queue_mail(s: Session, ws: Workspace, t: Ticket, agent: Agent, due: WarningDue) -> None:
    """A plain internal mail to the agent, through the outbox, in the workspace's mail language;
    it is not part of the ticket's thread with the client."""
    title, text = warning_text(t.tid, t.subject, due, ws.setting(settings.MAIL_LANGUAGE, s))
    sender = ws.setting(settings.MAIL_FROM_ADDRESS, s)
    account = sending_account(s, t)
    if account is not None:
        sender = account.email
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, str(agent.email), title
    msg["Date"] = format_datetime(ws.now())
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    raw = msg.as_bytes()
    s.add(OutboxItem(ticket_id=t.id, message_row_id=None, account_id=account.id if account else None,
                     kind="sla_warning", raw_sha256=ws.blobs.put(raw), envelope_from=sender,
                     recipients=[str(agent.email)], smtp_message_id=str(msg["Message-ID"]), status="pending",
                     attempts=0, created_at=ws.now()))


# --- the agent's own window: presence and the tray --------------------------------------------


def touch_presence(ws: Workspace) -> None:
    """The acting agent is at the workstation now (the window calls this while it is used)."""
    with ws.db.session() as s:
        ws.agent(s).seen_at = ws.now()


@dataclass(frozen=True)
class TrayWarning:
    id: int
    tid: str
    title: str
    text: str


def pending_tray(ws: Workspace, lang: str = "ru") -> list[TrayWarning]:
    """The acting agent's tray warnings not shown yet; marked shown as they are handed out."""
    out: list[TrayWarning] = []
    with ws.db.session() as s:
        login = ws.agent(s).login
        rows = s.execute(select(SlaWarning, Ticket).join(Ticket, Ticket.id == SlaWarning.ticket_id).where(
            SlaWarning.recipient == login, SlaWarning.channel == "tray", SlaWarning.shown_at.is_(None))
            .order_by(SlaWarning.sent_at, SlaWarning.id)).all()
        for w, t in rows:
            due = WarningDue(w.kind, "lead" if w.level == "lead" else "assignee", w.due_at, _share(s, ws, t, w.kind))
            title, text = warning_text(t.tid, t.subject, due, lang)
            out.append(TrayWarning(w.id, t.tid, title, text))
            w.shown_at = ws.now()
    return out


def _share(s: Session, ws: Workspace, t: Ticket, kind: str) -> float:
    st = state_of(s, t, ws.now()).states.get(kind)  # type: ignore[call-overload]
    return 0.0 if st is None or not st.target else st.used / st.target
